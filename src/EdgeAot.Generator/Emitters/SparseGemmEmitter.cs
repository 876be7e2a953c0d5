using System.Collections.Generic;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// SparseGemm (made by the compiler from Gemm/MatMul with mostly-zero constant weights): for
    /// each output column the kernel walks that column's runs of consecutive nonzero weights, a
    /// vector dot product per run (Vector128, which maps to SSE/AVX on x64 and NEON on arm64, with
    /// a scalar tail), so pruned weights are neither stored nor multiplied. Then alpha, beta·C and
    /// the fused activation.
    /// </summary>
    internal sealed class SparseGemmEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "SparseGemm" };

        public override string InputName(NodePlan node, int index) => index switch { 0 => "a", 1 => "values", 2 => "starts", 3 => "runOffsets", 4 => "columns", _ => "c" };

        public override string Describe(EmitContext context)
        {
            var n = context.Node;
            long dense = n.GetInt("n", 0) * n.GetInt("k", 0);
            long nonzeros = n.GetInt("nonzeros", 0);
            string share = dense > 0 ? (100.0 * nonzeros / dense).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "0";
            return "A * sparse B (" + Literals.Int(nonzeros) + " nonzero weights in " + Literals.Int(n.GetInt("runs", 0)) + " runs, " + share + "% of dense)" + ActivationEpilogue.Describe(n);
        }

        public override void EmitBody(EmitContext context)
        {
            var node = context.Node;
            long m = node.GetInt("m", 0), n = node.GetInt("n", 0), k = node.GetInt("k", 0);
            float alpha = node.GetFloat("alpha", 1f), beta = node.GetFloat("beta", 1f);
            bool hasC = context.HasInput(5) && beta != 0f;
            string I(long v) => Literals.Int(v);
            const string U = "global::System.Runtime.CompilerServices.Unsafe";
            const string V = "global::System.Runtime.Intrinsics.Vector128";
            var w = context.Writer;
            w.Line("ref float v0 = ref " + U + ".AsRef(in values[0]);");
            // Run starts and lengths were checked against k when the compiler built them.
            using (w.Block("for (int i = 0; i < " + I(m) + "; i++)"))
            {
                w.Line("ref float x0 = ref " + U + ".AsRef(in a[i * " + I(k) + "]);");
                using (w.Block("for (int j = 0; j < " + I(n) + "; j++)"))
                {
                    w.Line("var acc = " + V + "<float>.Zero;");
                    w.Line("float sum = 0f;");
                    using (w.Block("for (int r = columns[j]; r < columns[j + 1]; r++)"))
                    {
                        w.Line("ref float x = ref " + U + ".Add(ref x0, starts[r]);");
                        w.Line("ref float v = ref " + U + ".Add(ref v0, runOffsets[r]);");
                        w.Line("int length = runOffsets[r + 1] - runOffsets[r], t = 0;");
                        w.Line("if (" + V + ".IsHardwareAccelerated)");
                        w.Line("    for (; t + 4 <= length; t += 4) acc = " + V + ".FusedMultiplyAdd(" + V + ".LoadUnsafe(ref x, (nuint)t), " + V + ".LoadUnsafe(ref v, (nuint)t), acc);");
                        w.Line("for (; t < length; t++) sum += " + U + ".Add(ref x, t) * " + U + ".Add(ref v, t);");
                    }
                    w.Line("sum += " + V + ".Sum(acc);");
                    string value = alpha == 1f ? "sum" : Literals.Float(alpha) + " * sum";
                    if (hasC) value += " + " + (beta == 1f ? "" : Literals.Float(beta) + " * ") + "c[" + GemmEmitter.BroadcastCIndex(context.InputShape(5)) + "]";
                    w.Line("y[i * " + I(n) + " + j] = " + ActivationEpilogue.Apply(node, value) + ";");
                }
            }
        }
    }
}
