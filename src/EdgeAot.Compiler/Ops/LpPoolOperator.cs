using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// LpPool over 1-D or 2-D windows: (Σ |x|^p)^(1/p) per window, padding contributing zeros.
    /// Lowered attributes: the <see cref="SpatialWindow"/> ones (kernel_shape, strides, dilations,
    /// pads, all 2-D) and p.
    /// </summary>
    public sealed class LpPoolOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "LpPool" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (x.Type != DataType.Float32) throw context.UnsupportedType(node, x.Type);
            if (x.Rank < 3) throw context.Fail(node, "X must have rank 3 or more.");
            long p = node.OpsetVersion >= 2 ? node.Attributes.GetInt("p", 2) : (long)node.Attributes.GetFloat("p", 2f);
            if (p < 1) throw context.Fail(node, "p must be 1 or more.");
            var spatial = new long[x.Rank - 2];
            for (int i = 0; i < spatial.Length; i++) spatial[i] = x.Shape[i + 2];
            bool ceilMode = node.Attributes.GetInt("ceil_mode", 0) != 0;
            var window = SpatialWindow.Resolve(node, context, spatial, null, ceilMode);
            window.WriteTo(node.Attributes);
            NodeAttributes.SetInt(node, "p", p);
            var shape = new List<long> { x.Shape[0], x.Shape[1] };
            shape.AddRange(window.OutputShape(spatial.Length));
            context.SetOutput(node, 0, DataType.Float32, shape.ToArray());
        }

        public override long CountMacs(Node node)
        {
            long[] k = node.Attributes.GetInts("kernel_shape") ?? new long[] { 1, 1 };
            return node.Outputs[0].ElementCount * k[0] * k[1];
        }
    }
}
