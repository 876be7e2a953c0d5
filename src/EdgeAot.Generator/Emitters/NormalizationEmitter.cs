using System.Collections.Generic;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// LayerNormalization, InstanceNormalization, GroupNormalization: per contiguous chunk, the
    /// mean and variance in double (two passes), then (x - mean) * invStd * scale + bias.
    /// </summary>
    internal sealed class NormalizationEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "LayerNormalization", "InstanceNormalization", "GroupNormalization" };

        public override string InputName(NodePlan node, int index) => index switch { 0 => "x", 1 => "scale", _ => "bias" };

        public override string OutputName(NodePlan node, int index) => index switch { 0 => "y", 1 => "mean", _ => "invStdDev" };

        public override string Describe(EmitContext context)
            => context.Node.GetInt("chunks", 1) + " chunks of " + context.Node.GetInt("chunk_size", 1) + ", epsilon " + Literals.Float(context.Node.GetFloat("epsilon", 1e-5f));

        public override void EmitBody(EmitContext context)
        {
            var n = context.Node;
            var w = context.Writer;
            long chunks = n.GetInt("chunks", 1), size = n.GetInt("chunk_size", 1);
            if (chunks == 0 || size == 0) return;
            string I(long v) => Literals.Int(v);
            bool layer = n.OpType == "LayerNormalization";
            bool hasBias = context.HasInput(2);
            using (w.Block("for (int c = 0; c < " + I(chunks) + "; c++)"))
            {
                w.Line("var input = x.Slice(" + Expr.Mul("c", size) + ", " + I(size) + ");");
                w.Line("var output = y.Slice(" + Expr.Mul("c", size) + ", " + I(size) + ");");
                w.Line("double sum = 0;");
                w.Line("foreach (float v in input) sum += v;");
                w.Line("double mu = sum / " + Literals.Double(size) + ";");
                w.Line("double squares = 0;");
                using (w.Block("foreach (float v in input)"))
                {
                    w.Line("double d = v - mu;");
                    w.Line("squares += d * d;");
                }
                w.Line("float m = (float)mu;");
                w.Line("float invStd = (float)(1.0 / global::System.Math.Sqrt(squares / " + Literals.Double(size) + " + " + Literals.Double(n.GetFloat("epsilon", 1e-5f)) + "));");
                if (layer)
                {
                    long scaleSize = n.GetInt("scale_size", size), biasSize = n.GetInt("bias_size", 0);
                    string scaleIndex = scaleSize == size ? "i" : "i % " + I(scaleSize);
                    string biasTerm = !hasBias ? "" : " + bias[" + (biasSize == size ? "i" : "i % " + I(biasSize)) + "]";
                    w.Line("for (int i = 0; i < " + I(size) + "; i++) output[i] = (input[i] - m) * invStd * scale[" + scaleIndex + "]" + biasTerm + ";");
                    if (context.Node.Outputs.Count > 1) w.Line("mean[c] = m;");
                    if (context.Node.Outputs.Count > 2) w.Line("invStdDev[c] = invStd;");
                }
                else
                {
                    long period = n.GetInt("affine_period", 1), inner = n.GetInt("affine_inner", 1);
                    long run = size / inner;
                    using (w.Block("for (int p = 0; p < " + I(inner) + "; p++)"))
                    {
                        w.Line("int a = " + Expr.Sum(0, Expr.Mul("(c % " + I(period) + ")", inner), "p") + ";");
                        w.Line("float factor = invStd * scale[a], shift = bias[a];");
                        w.Line("for (int i = " + Expr.Mul("p", run) + "; i < " + Expr.Sum(run, Expr.Mul("p", run)) + "; i++) output[i] = (input[i] - m) * factor + shift;");
                    }
                }
            }
        }
    }

    /// <summary>LogSoftmax and LpNormalization along one axis seen as [outer, size, inner].</summary>
    internal sealed class AxisNormalizationEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "LogSoftmax", "LpNormalization" };

        public override string Describe(EmitContext context)
            => "over " + context.Node.GetInt("size", 1) + " values" + (context.Node.OpType == "LpNormalization" ? ", p=" + context.Node.GetInt("p", 2) : "");

        public override void EmitBody(EmitContext context)
        {
            var n = context.Node;
            var w = context.Writer;
            long outer = n.GetInt("outer", 1), size = n.GetInt("size", 1), inner = n.GetInt("inner", 1);
            if (outer * size * inner == 0) return;
            string I(long v) => Literals.Int(v);
            string at = "start + " + Expr.Mul("i", inner);
            using (w.Block("for (int outer = 0; outer < " + I(outer) + "; outer++)"))
            using (inner == 1 ? SourceWriter.BlockScope.None : w.Block("for (int inner = 0; inner < " + I(inner) + "; inner++)"))
            {
                w.Line("int start = " + Expr.Sum(0, Expr.Mul("outer", size * inner), inner == 1 ? "0" : "inner") + ";");
                if (n.OpType == "LogSoftmax")
                {
                    w.Line("float max = float.NegativeInfinity;");
                    w.Line("for (int i = 0; i < " + I(size) + "; i++) max = global::System.MathF.Max(max, x[" + at + "]);");
                    w.Line("double sum = 0;");
                    w.Line("for (int i = 0; i < " + I(size) + "; i++) sum += global::System.Math.Exp(x[" + at + "] - max);");
                    w.Line("float logSum = (float)global::System.Math.Log(sum);");
                    w.Line("for (int i = 0; i < " + I(size) + "; i++) y[" + at + "] = x[" + at + "] - max - logSum;");
                }
                else
                {
                    bool l1 = n.GetInt("p", 2) == 1;
                    w.Line("double norm = 0;");
                    w.Line(l1
                        ? "for (int i = 0; i < " + I(size) + "; i++) norm += global::System.Math.Abs(x[" + at + "]);"
                        : "for (int i = 0; i < " + I(size) + "; i++) norm += (double)x[" + at + "] * x[" + at + "];");
                    if (!l1) w.Line("norm = global::System.Math.Sqrt(norm);");
                    // A zero vector stays zero rather than becoming NaN (the reference's behaviour).
                    w.Line("for (int i = 0; i < " + I(size) + "; i++) y[" + at + "] = norm == 0 ? 0f : (float)(x[" + at + "] / norm);");
                }
            }
        }
    }

    /// <summary>MeanVarianceNormalization over any axes, with the reduction's loop nest.</summary>
    internal sealed class MeanVarianceNormalizationEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "MeanVarianceNormalization" };

        public override string Describe(EmitContext context) => "axes " + string.Join(",", context.Node.GetInts("axes"));

        public override void EmitBody(EmitContext context)
        {
            var w = context.Writer;
            var loops = new ReductionLoops(context.InputShape(0), context.Node.GetInts("axes"));
            if (loops.KeptCount * loops.ReducedCount == 0) return;
            var scopes = new List<SourceWriter.BlockScope>();
            var reduced = new List<SourceWriter.BlockScope>();
            string start = loops.OpenKept(w, scopes);
            w.Line("int start = " + start + ";");
            w.Line("double sum = 0, squares = 0;");
            string offset = loops.OpenReduced(w, reduced);
            w.Line("double v = x[" + Expr.Sum(0, "start", offset) + "];");
            w.Line("sum += v;");
            w.Line("squares += v * v;");
            ReductionLoops.Close(reduced);
            w.Line("double mean = sum / " + Literals.Double(loops.ReducedCount) + ";");
            w.Line("double std = global::System.Math.Sqrt(global::System.Math.Max(0.0, squares / " + Literals.Double(loops.ReducedCount) + " - mean * mean));");
            w.Line("double scale = 1.0 / (std + 1e-9);");
            offset = loops.OpenReduced(w, reduced);
            w.Line("int i = " + Expr.Sum(0, "start", offset) + ";");
            w.Line("y[i] = (float)((x[i] - mean) * scale);");
            ReductionLoops.Close(reduced);
            ReductionLoops.Close(scopes);
        }
    }
}
