using System.Collections.Generic;
using System.Linq;
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
            if (IsThreeChannelsToPlanes(context, dims, strides))
            {
                context.Line("// Three interleaved channels to planes (NHWC -> NCHW of " + Literals.Int(dims[1]) + " pixels): vector shuffles.");
                context.Line("PixelsToPlanes3(ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in " + context.InputName(0) + "[0]), ref " + context.OutputName(0) + "[0], " + Literals.Int(dims[1]) + ");");
                return;
            }
            context.Line("// Input element strides per output loop " + StridedLoops.Format(dims) + ": " + StridedLoops.Format(strides[1]) + ".");
            Emit(context, dims, strides, 0);
        }

        /// <summary>
        /// A float [P, 3] → [3, P] transpose (RGB pixels to planes, what tf2onnx puts before the first
        /// convolution) runs the float kernel library's PixelsToPlanes3.
        /// </summary>
        private static bool IsThreeChannelsToPlanes(EmitContext context, long[] dims, long[][] strides)
            => context.Plan.Tensor(context.Node.Inputs[0]).Type == DataType.Float32 && dims.Length == 2 && dims[0] == 3
                && strides[1][0] == 1 && strides[1][1] == 3 && strides[0][0] == dims[1] && strides[0][1] == 1;

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
