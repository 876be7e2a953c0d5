using System.Collections.Generic;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// CompressedGemm (made by the compiler from Gemm/MatMul whose constant weights are float16 values
    /// or a codebook of at most 256 values): the weights stay compressed in the class (2 bytes, 1 byte
    /// or half a byte each) and are decoded exactly, in registers, inside the kernel
    /// (Kernels/CompressedWeightKernels.cs): per row of A, eight vectors of columns accumulate over all
    /// of k in registers, each output summed over k in order with one rounding per step, like the dense
    /// one-row kernel. Then alpha, beta·C and the fused activation.
    /// </summary>
    internal sealed class CompressedGemmEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "CompressedGemm" };

        public override string InputName(NodePlan node, int index) => index switch { 0 => "a", 1 => "weights", 2 => "codebook", _ => "c" };

        public override string Describe(EmitContext context)
        {
            var n = context.Node;
            string format = n.GetString("format", "") switch
            {
                "float16" => "float16 weights",
                "codebook4" => "4-bit codebook indices",
                _ => "8-bit codebook indices",
            };
            return "A * B (B as " + format + ", decoded in the kernel)" + ActivationEpilogue.Describe(n);
        }

        public override void EmitBody(EmitContext context)
        {
            var node = context.Node;
            long m = node.GetInt("m", 0), n = node.GetInt("n", 0), k = node.GetInt("k", 0);
            string format = node.GetString("format", "");
            float alpha = node.GetFloat("alpha", 1f), beta = node.GetFloat("beta", 1f);
            bool hasC = context.HasInput(3) && beta != 0f;
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            if (format == "float16") w.Line("var bits = global::System.Runtime.InteropServices.MemoryMarshal.Cast<global::System.Half, ushort>(weights);");
            string call = format switch
            {
                "float16" => "HalfWeightRow({0}, " + I(k) + ", bits, " + I(n) + ", {1});",
                "codebook4" => "NibbleWeightRow({0}, " + I(k) + ", weights, " + I((n + 31) / 32 * 16) + ", codebook, " + I(n) + ", {1});",
                _ => "CodebookWeightRow({0}, " + I(k) + ", weights, codebook, " + I(n) + ", {1});",
            };
            if (m == 1) w.Line(string.Format(System.Globalization.CultureInfo.InvariantCulture, call, "a", "y"));
            else w.Line("for (int i = 0; i < " + I(m) + "; i++) " + string.Format(System.Globalization.CultureInfo.InvariantCulture, call, "a.Slice(i * " + I(k) + ", " + I(k) + ")", "y.Slice(i * " + I(n) + ", " + I(n) + ")"));
            if (alpha == 1f && !hasC && !ActivationEpilogue.IsPresent(node)) return;
            // One row needs no row loop (C broadcast to [1, N] then has no row index either).
            string at = m == 1 ? "j" : "i * " + I(n) + " + j";
            string value = alpha == 1f ? "y[" + at + "]" : Literals.Float(alpha) + " * y[" + at + "]";
            if (hasC) value += " + " + (beta == 1f ? "" : Literals.Float(beta) + " * ") + "c[" + GemmEmitter.BroadcastCIndex(context.InputShape(3)) + "]";
            string epilogue = "for (int j = 0; j < " + I(n) + "; j++) y[" + at + "] = " + ActivationEpilogue.Apply(node, value) + ";";
            if (m == 1)
            {
                w.Line(epilogue);
                return;
            }
            using (w.Block("for (int i = 0; i < " + I(m) + "; i++)")) w.Line(epilogue);
        }
    }
}
