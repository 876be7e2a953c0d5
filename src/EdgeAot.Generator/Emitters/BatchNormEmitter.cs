using System.Collections.Generic;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>Inference BatchNormalization not folded into a Conv: y = (x − μ)·γ/√(σ²+ε) + β per channel.</summary>
    internal sealed class BatchNormEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "BatchNormalization" };

        public override string InputName(NodePlan node, int index) => index switch { 0 => "x", 1 => "scale", 2 => "bias", 3 => "mean", _ => "variance" };

        public override void EmitBody(EmitContext context)
        {
            long[] xs = context.InputShape(0);
            long inner = 1;
            for (int i = 2; i < xs.Length; i++) inner *= xs[i];
            string I(long v) => Literals.Int(v);
            float epsilon = context.Node.GetFloat("epsilon", 1e-5f);
            var w = context.Writer;
            using (w.Block("for (int n = 0; n < " + I(xs[0]) + "; n++)"))
            using (w.Block("for (int c = 0; c < " + I(xs[1]) + "; c++)"))
            {
                w.Line("float a = scale[c] / global::System.MathF.Sqrt(variance[c] + " + Literals.Float(epsilon) + ");");
                w.Line("float shift = bias[c] - mean[c] * a;");
                w.Line("int start = (n * " + I(xs[1]) + " + c) * " + I(inner) + ";");
                w.Line("for (int i = start; i < start + " + I(inner) + "; i++) y[i] = x[i] * a + shift;");
            }
        }
    }
}
