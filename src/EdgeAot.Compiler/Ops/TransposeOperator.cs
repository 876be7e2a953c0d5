using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>Transpose of any element type; <c>perm</c> defaults to the reversed dimensions and is always explicit in the plan.</summary>
    public sealed class TransposeOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Transpose" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override void Lower(Node node, LoweringContext context)
        {
            if (node.Inputs.Count != 1) throw context.Fail(node, "expects 1 input, got " + node.Inputs.Count + ".");
            var x = context.Required(node, 0);
            long[] perm = node.Attributes.GetInts("perm") ?? Reversed(x.Rank);
            if (perm.Length != x.Rank) throw context.Fail(node, "perm has " + perm.Length + " entries for an input of rank " + x.Rank + ".");
            var seen = new bool[x.Rank];
            var output = new long[x.Rank];
            for (int i = 0; i < perm.Length; i++)
            {
                if (perm[i] < 0 || perm[i] >= x.Rank || seen[perm[i]])
                    throw context.Fail(node, "perm " + Shape.Format(perm) + " is not a permutation of the input's " + x.Rank + " dimensions.");
                seen[perm[i]] = true;
                output[i] = x.Shape[perm[i]];
            }
            NodeAttributes.KeepOnly(node);
            NodeAttributes.SetInts(node, "perm", (long[])perm.Clone());
            context.SetOutput(node, 0, x.Type, output);
        }

        private static long[] Reversed(int rank)
        {
            var perm = new long[rank];
            for (int i = 0; i < rank; i++) perm[i] = rank - 1 - i;
            return perm;
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var x = node.Inputs[0]!;
            var y = node.Outputs[0];
            long[] perm = node.Attributes.GetInts("perm")!;
            int size = DataTypes.SizeOf(x.Type);
            long[] inStrides = Shape.Strides(x.Shape);
            var strides = new long[perm.Length];
            for (int i = 0; i < perm.Length; i++) strides[i] = inStrides[perm[i]];
            var data = new byte[x.Data!.Length];
            long n = y.ElementCount;
            for (long i = 0; i < n; i++)
            {
                long source = Broadcasting.Offset(i, y.Shape, strides);
                Buffer.BlockCopy(x.Data, (int)(source * size), data, (int)(i * size), size);
            }
            y.Data = data;
        }
    }
}
