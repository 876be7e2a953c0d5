using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>MatMul with numpy semantics: 1-D operands promoted, batch dimensions broadcast.</summary>
    public sealed class MatMulOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "MatMul" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override void Lower(Node node, LoweringContext context)
        {
            var a = context.Required(node, 0);
            var b = context.Required(node, 1);
            if (a.Type != DataType.Float32 || b.Type != DataType.Float32) throw context.UnsupportedType(node, a.Type != DataType.Float32 ? a.Type : b.Type);
            if (a.Rank == 0 || b.Rank == 0) throw context.Fail(node, "operands must have rank 1 or more.");
            long[] a2 = a.Rank == 1 ? new[] { 1L, a.Shape[0] } : a.Shape;
            long[] b2 = b.Rank == 1 ? new[] { b.Shape[0], 1L } : b.Shape;
            long k = a2[a2.Length - 1];
            if (b2[b2.Length - 2] != k) throw context.Fail(node, "inner dimensions differ: " + Shape.Format(a.Shape) + " x " + Shape.Format(b.Shape) + ".");
            var batch = Shape.Broadcast(a2.Prefix(a2.Length - 2), b2.Prefix(b2.Length - 2))
                ?? throw context.Fail(node, "batch dimensions do not broadcast: " + Shape.Format(a.Shape) + " x " + Shape.Format(b.Shape) + ".");
            var output = new List<long>(batch);
            if (a.Rank > 1) output.Add(a2[a2.Length - 2]);
            if (b.Rank > 1) output.Add(b2[b2.Length - 1]);
            context.SetOutput(node, 0, DataType.Float32, output.ToArray());
        }

        public override long CountMacs(Node node)
        {
            var a = node.Inputs[0]!;
            return Shape.ElementCount(node.Outputs[0].Shape) * a.Shape[a.Rank - 1];
        }
    }

    internal static class ArrayPrefix
    {
        public static long[] Prefix(this long[] array, int length)
        {
            var result = new long[Math.Max(0, length)];
            Array.Copy(array, result, result.Length);
            return result;
        }
    }
}
