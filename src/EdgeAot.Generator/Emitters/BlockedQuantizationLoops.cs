using System;
using EdgeAot.Compiler.Ops;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// The loops of a blocked QuantizeLinear / DequantizeLinear (<see cref="BlockedQuantization"/>): x is walked
    /// as [outer, axis, inner]; row <c>a</c> along the axis reads scale and zero-point row <c>a / block_size</c>.
    /// </summary>
    internal static class BlockedQuantizationLoops
    {
        public static bool IsBlocked(EmitContext context) => context.Node.GetInt("block_size", 0) > 0;

        public static string Describe(EmitContext context)
            => IsBlocked(context) ? "blocks of " + Literals.Int(context.Node.GetInt("block_size", 0)) + " along axis " + Literals.Int(context.Node.GetInt("axis", 0)) : "";

        /// <summary>Emits the loops; <paramref name="element"/> writes one element given the C# expressions of its x and scale indices.</summary>
        public static void Emit(EmitContext context, Action<string, string> element)
        {
            long[] xs = context.InputShape(0);
            int axis = (int)context.Node.GetInt("axis", 0);
            long blockSize = context.Node.GetInt("block_size", 0);
            long outer = 1;
            for (int d = 0; d < axis; d++) outer *= xs[d];
            long length = xs[axis], inner = BlockedQuantization.Inner(xs, axis), blocks = BlockedQuantization.Blocks(length, blockSize);
            using (context.Block("for (int o = 0; o < " + Literals.Int(outer) + "; o++)"))
            using (context.Block("for (int a = 0; a < " + Literals.Int(length) + "; a++)"))
            {
                context.Line("int xRow = (o * " + Literals.Int(length) + " + a) * " + Literals.Int(inner)
                    + ", scaleRow = (o * " + Literals.Int(blocks) + " + a / " + Literals.Int(blockSize) + ") * " + Literals.Int(inner) + ";");
                using (context.Block("for (int r = 0; r < " + Literals.Int(inner) + "; r++)")) element("xRow + r", "scaleRow + r");
            }
        }
    }
}
