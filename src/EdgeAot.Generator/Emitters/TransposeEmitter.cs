using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>Transpose as nested loops over the output, reading the input with permuted constant strides.</summary>
    internal sealed class TransposeEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Transpose" };

        public override string Describe(EmitContext context) => "perm " + Shape.Format(context.Node.GetInts("perm"));

        public override void EmitBody(EmitContext context)
        {
            long[] perm = context.Node.GetInts("perm");
            long[] y = context.OutputShape(0);
            long[] inputStrides = Shape.Strides(context.InputShape(0));
            var readStrides = new long[perm.Length];
            for (int d = 0; d < perm.Length; d++) readStrides[d] = inputStrides[perm[d]];
            var (dims, strides) = StridedLoops.Collapse(y, new[] { Shape.Strides(y), readStrides });
            if (dims.Length <= 1)
            {
                context.Line("// The permutation moves only size-1 dimensions: the data is unchanged.");
                context.Line(context.InputName(0) + ".CopyTo(" + context.OutputName(0) + ");");
                return;
            }
            context.Line("// Input element strides per output loop " + StridedLoops.Format(dims) + ": " + StridedLoops.Format(strides[1]) + ".");
            Emit(context, dims, strides, 0);
        }

        private static void Emit(EmitContext context, long[] dims, long[][] strides, int d)
        {
            using (StridedLoops.For(context, d, dims[d]))
            {
                if (d + 1 < dims.Length)
                {
                    Emit(context, dims, strides, d + 1);
                    return;
                }
                context.Line(context.OutputName(0) + "[" + StridedLoops.Index(strides[0], dims.Length) + "] = "
                    + context.InputName(0) + "[" + StridedLoops.Index(strides[1], dims.Length) + "];");
            }
        }
    }
}
