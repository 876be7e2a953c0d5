using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Gemm: Y = alpha * A' * B' + beta * C with A' = transA ? Aᵀ : A (likewise B), C broadcast
    /// to [M, N]. Lowered attributes: transA, transB, alpha, beta, all explicit.
    /// </summary>
    public sealed class GemmOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Gemm" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override void Lower(Node node, LoweringContext context)
        {
            var a = context.Required(node, 0);
            var b = context.Required(node, 1);
            var c = node.Input(2);
            foreach (var v in new[] { a, b, c })
            {
                if (v is not null && v.Type != DataType.Float32) throw context.UnsupportedType(node, v.Type);
            }
            if (a.Rank != 2 || b.Rank != 2) throw context.Fail(node, "A and B must be 2-D.");
            var attrs = node.Attributes;
            bool transA = attrs.GetInt("transA", 0) != 0, transB = attrs.GetInt("transB", 0) != 0;
            long m = transA ? a.Shape[1] : a.Shape[0], k = transA ? a.Shape[0] : a.Shape[1];
            long kb = transB ? b.Shape[1] : b.Shape[0], n = transB ? b.Shape[0] : b.Shape[1];
            if (k != kb) throw context.Fail(node, "inner dimensions differ: A " + Shape.Format(a.Shape) + ", B " + Shape.Format(b.Shape) + ".");
            if (c is not null && (c.Rank > 2 || Shape.Broadcast(c.Shape, new[] { m, n }) is not { } bc || !Shape.SameAs(bc, new[] { m, n })))
                throw context.Fail(node, "C " + Shape.Format(c.Shape) + " does not broadcast to [" + m + "," + n + "].");
            attrs.Set(Attribute.FromInt("transA", transA ? 1 : 0));
            attrs.Set(Attribute.FromInt("transB", transB ? 1 : 0));
            attrs.Set(Attribute.FromFloat("alpha", attrs.GetFloat("alpha", 1f)));
            attrs.Set(Attribute.FromFloat("beta", attrs.GetFloat("beta", 1f)));
            attrs.Remove("broadcast");
            context.SetOutput(node, 0, DataType.Float32, new[] { m, n });
        }

        public override long CountMacs(Node node)
        {
            var a = node.Inputs[0]!;
            long k = node.Attributes.GetInt("transA", 0) != 0 ? a.Shape[0] : a.Shape[1];
            return Shape.ElementCount(node.Outputs[0].Shape) * k;
        }
    }
}
