using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// MaxPool and AveragePool over 1-D or 2-D windows. Lowered attributes: kernel_shape,
    /// strides, dilations, pads (2-D, explicit) and, for AveragePool, count_include_pad.
    /// </summary>
    public sealed class PoolOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "MaxPool", "AveragePool" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (x.Type != DataType.Float32) throw context.UnsupportedType(node, x.Type);
            if (x.Rank < 3) throw context.Fail(node, "X must have rank 3 or more.");
            if (node.Outputs.Count > 1) throw context.Unsupported(node, "the Indices output is not supported.");
            if (node.Attributes.GetInt("storage_order", 0) != 0) throw context.Unsupported(node, "storage_order=1 is not supported.");
            var spatial = new long[x.Rank - 2];
            for (int i = 0; i < spatial.Length; i++) spatial[i] = x.Shape[i + 2];
            bool ceilMode = node.Attributes.GetInt("ceil_mode", 0) != 0;
            var window = SpatialWindow.Resolve(node, context, spatial, null, ceilMode);
            window.WriteTo(node.Attributes);
            node.Attributes.Remove("storage_order");
            if (node.OpType == "AveragePool")
                node.Attributes.Set(Attribute.FromInt("count_include_pad", node.Attributes.GetInt("count_include_pad", 0) != 0 ? 1 : 0));
            var shape = new List<long> { x.Shape[0], x.Shape[1] };
            shape.AddRange(window.OutputShape(spatial.Length));
            context.SetOutput(node, 0, DataType.Float32, shape.ToArray());
        }
    }

    /// <summary>GlobalAveragePool / GlobalMaxPool: one value per channel over all spatial positions.</summary>
    public sealed class GlobalPoolOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "GlobalAveragePool", "GlobalMaxPool" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (x.Type != DataType.Float32) throw context.UnsupportedType(node, x.Type);
            if (x.Rank < 3) throw context.Fail(node, "X must have rank 3 or more.");
            var shape = new long[x.Rank];
            shape[0] = x.Shape[0];
            shape[1] = x.Shape[1];
            for (int i = 2; i < shape.Length; i++) shape[i] = 1;
            context.SetOutput(node, 0, DataType.Float32, shape);
        }
    }
}
