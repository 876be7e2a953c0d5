using System.Collections.Generic;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// RNN, GRU and LSTM: per direction and batch row, a loop over the (valid) time steps that
    /// computes the gate pre-activations W·x_t + Wb and R·h + Rb into two arena scratch buffers, then
    /// updates the hidden (and cell) state element by element. Batch rows are independent, so
    /// the state is one row of hidden_size floats. Steps past a row's sequence length are zero in Y.
    /// </summary>
    internal sealed class RecurrentEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "RNN", "GRU", "LSTM" };

        private static readonly string[] InputNames = { "x", "w", "r", "b", "sequenceLens", "initialH", "initialC", "p" };

        public override string InputName(NodePlan node, int index) => InputNames[index];

        public override string OutputName(NodePlan node, int index) => index switch { 0 => "y", 1 => "yH", _ => "yC" };

        public override string Describe(EmitContext context)
        {
            var n = context.Node;
            string text = n.GetString("direction", "forward") + ", hidden " + n.GetInt("hidden_size", 1) + ", " + n.GetString("activations", "");
            if (n.Attribute("clip") is not null) text += ", clip " + Literals.Float(n.GetFloat("clip", 0f));
            if (n.GetInt("linear_before_reset", 0) != 0) text += ", linear_before_reset";
            if (n.GetInt("layout", 0) != 0) text += ", batch-major layout";
            return text;
        }

        public override void EmitBody(EmitContext context)
        {
            var node = context.Node;
            string op = node.OpType;
            long[] xs = context.InputShape(0);
            bool batchMajor = node.GetInt("layout", 0) != 0;
            long seq = batchMajor ? xs[1] : xs[0], batch = batchMajor ? xs[0] : xs[1], input = xs[2];
            long hidden = node.GetInt("hidden_size", 1);
            string direction = node.GetString("direction", "forward");
            long directions = direction == "bidirectional" ? 2 : 1;
            long gates = RecurrentOperator.GateCount(op) * hidden;
            bool gruResetFirst = op == "GRU" && node.GetInt("linear_before_reset", 0) == 0;
            long[] constantLens = node.GetInts("sequence_lens");
            bool hasLens = constantLens.Length > 0 || context.HasInput(4);
            string I(long v) => Literals.Int(v);
            var w = context.Writer;

            if (seq * batch == 0)
            {
                w.Line("// empty sequence or batch: nothing to do");
                return;
            }
            w.Line("// gx = W x_t + Wb and gh = R h + Rb, one value per gate row; h (and c) the state of one batch row" + (gruResetFirst ? "; resetH = r * h, the GRU reset applied before R" : "") + ".");
            context.DeclareScratch("gx", gates);
            context.DeclareScratch("gh", gates);
            context.DeclareScratch("h", hidden);
            if (op == "LSTM") context.DeclareScratch("c", hidden);
            if (gruResetFirst) context.DeclareScratch("resetH", hidden);
            if (constantLens.Length > 0) w.Line("global::System.ReadOnlySpan<int> lengths = " + context.ConstantTable("lengths", "int", constantLens) + ";");

            string XOffset(string t) => batchMajor ? Expr.Sum(0, Expr.Mul("n", seq * input), Expr.Mul(t, input)) : Expr.Sum(0, Expr.Mul(t, batch * input), Expr.Mul("n", input));
            string YOffset(string t, long d) => batchMajor
                ? Expr.Sum(d * hidden, Expr.Mul("n", seq * directions * hidden), Expr.Mul(t, directions * hidden))
                : Expr.Sum(d * batch * hidden, Expr.Mul(t, directions * batch * hidden), Expr.Mul("n", hidden));
            string StateOffset(long d) => batchMajor ? Expr.Sum(d * hidden, Expr.Mul("n", directions * hidden)) : Expr.Sum(d * batch * hidden, Expr.Mul("n", hidden));

            string[] activations = node.GetString("activations", "").Split(',');
            float[] alphas = node.GetFloats("activation_alpha"), betas = node.GetFloats("activation_beta");
            int perDirection = RecurrentOperator.ActivationCount(op);
            bool hasClip = node.Attribute("clip") is not null;
            string clip = Literals.Float(node.GetFloat("clip", 0f));
            string Clip(string e) => hasClip ? "global::System.MathF.Min(global::System.MathF.Max(" + e + ", -" + clip + "), " + clip + ")" : e;

            for (long d = 0; d < directions; d++)
            {
                bool reverse = direction == "reverse" || d == 1;
                // Declares "float name = activation(clip(e));" through a local holding the pre-activation.
                void Gate(string name, int which, string e)
                {
                    int a = (int)d * perDirection + which;
                    w.Line("float " + name + "Pre = " + Clip(e) + ";");
                    w.Line("float " + name + " = " + Activation(activations[a], alphas[a], betas[a], name + "Pre") + ";");
                }
                w.Line("// direction " + I(d) + ": " + (reverse ? "reverse" : "forward"));
                using (w.Block("for (int n = 0; n < " + I(batch) + "; n++)"))
                {
                    if (context.HasInput(5)) w.Line("initialH.Slice(" + StateOffset(d) + ", " + I(hidden) + ").CopyTo(h);");
                    else w.Line("h.Clear();");
                    if (op == "LSTM")
                    {
                        if (context.HasInput(6)) w.Line("initialC.Slice(" + StateOffset(d) + ", " + I(hidden) + ").CopyTo(c);");
                        else w.Line("c.Clear();");
                    }
                    string length = I(seq);
                    if (constantLens.Length > 0)
                    {
                        w.Line("int length = lengths[n];");
                        length = "length";
                    }
                    else if (context.HasInput(4))
                    {
                        w.Line("int length = sequenceLens[n];");
                        w.Line("if ((uint)length > " + I(seq) + "u) throw new global::System.ArgumentOutOfRangeException(nameof(sequenceLens), \"" + op + " sequence length out of range.\");");
                        length = "length";
                    }
                    using (w.Block("for (int step = 0; step < " + length + "; step++)"))
                    {
                        w.Line("int t = " + (reverse ? length + " - 1 - step" : "step") + ";");
                        w.Line("var xt = x.Slice(" + XOffset("t") + ", " + I(input) + ");");
                        EmitProduct(w, "gx", "w", "xt", gates, input, d * gates, context.HasInput(3) ? d * 2 * gates : -1);
                        EmitProduct(w, "gh", "r", "h", gruResetFirst ? 2 * hidden : gates, hidden, d * gates, context.HasInput(3) ? d * 2 * gates + gates : -1);
                        if (gruResetFirst)
                        {
                            using (w.Block("for (int j = 0; j < " + I(hidden) + "; j++)"))
                            {
                                Gate("reset", 0, "gx[" + I(hidden) + " + j] + gh[" + I(hidden) + " + j]");
                                w.Line("resetH[j] = reset * h[j];");
                            }
                            EmitProduct(w, "gh", "r", "resetH", hidden, hidden, d * gates + 2 * hidden, context.HasInput(3) ? d * 2 * gates + gates + 2 * hidden : -1, 2 * hidden);
                        }
                        using (w.Block("for (int j = 0; j < " + I(hidden) + "; j++)"))
                        {
                            string G(long gate) => "gx[" + Expr.Sum(gate * hidden, "j") + "] + gh[" + Expr.Sum(gate * hidden, "j") + "]";
                            switch (op)
                            {
                                case "LSTM":
                                    bool peep = context.HasInput(7);
                                    string P(long k) => peep ? " + p[" + Expr.Sum(d * 3 * hidden + k * hidden, "j") + "] * " : "";
                                    // Gate rows: i, o, f, c; peepholes: i, o, f.
                                    Gate("input", 0, G(0) + (peep ? P(0) + "c[j]" : ""));
                                    Gate("forget", 0, G(2) + (peep ? P(2) + "c[j]" : ""));
                                    Gate("cell", 1, G(3));
                                    w.Line("float next = forget * c[j] + input * cell;");
                                    Gate("output", 0, G(1) + (peep ? P(1) + "next" : ""));
                                    w.Line("c[j] = next;");
                                    w.Line("h[j] = output * " + Activation(activations[(int)d * perDirection + 2], alphas[(int)d * perDirection + 2], betas[(int)d * perDirection + 2], "next") + ";");
                                    break;
                                case "GRU":
                                    // Gate rows: z, r, h.
                                    Gate("update", 0, G(0));
                                    if (gruResetFirst) Gate("candidate", 1, G(2));
                                    else
                                    {
                                        Gate("reset", 0, G(1));
                                        Gate("candidate", 1, "gx[" + Expr.Sum(2 * hidden, "j") + "] + reset * gh[" + Expr.Sum(2 * hidden, "j") + "]");
                                    }
                                    w.Line("h[j] = (1f - update) * candidate + update * h[j];");
                                    break;
                                default:
                                    Gate("next", 0, G(0));
                                    w.Line("h[j] = next;");
                                    break;
                            }
                        }
                        if (context.Node.Outputs.Count > 0) w.Line("h.CopyTo(y.Slice(" + YOffset("t", d) + ", " + I(hidden) + "));");
                    }
                    if (hasLens && context.Node.Outputs.Count > 0)
                    {
                        using (w.Block("for (int t = length; t < " + I(seq) + "; t++)"))
                            w.Line("y.Slice(" + YOffset("t", d) + ", " + I(hidden) + ").Clear();");
                    }
                    if (context.Node.Outputs.Count > 1) w.Line("h.CopyTo(yH.Slice(" + StateOffset(d) + ", " + I(hidden) + "));");
                    if (context.Node.Outputs.Count > 2) w.Line("c.CopyTo(yC.Slice(" + StateOffset(d) + ", " + I(hidden) + "));");
                }
            }
        }

        /// <summary>
        /// target[targetOffset + g] = bias[g] + Σ_k weights[row g, k] · vector[k] for <paramref name="rows"/> rows of
        /// <paramref name="width"/> starting at weight row <paramref name="firstRow"/> (bias at <paramref name="biasOffset"/>, −1 for none).
        /// </summary>
        private static void EmitProduct(SourceWriter w, string target, string weights, string vector, long rows, long width, long firstRow, long biasOffset, long targetOffset = 0)
        {
            string I(long v) => Literals.Int(v);
            using (w.Block("for (int g = 0; g < " + I(rows) + "; g++)"))
            {
                w.Line("var row = " + weights + ".Slice(" + Expr.Sum(firstRow * width, Expr.Mul("g", width)) + ", " + I(width) + ");");
                w.Line("float acc = " + (biasOffset < 0 ? "0f" : "b[" + Expr.Sum(biasOffset, "g") + "]") + ";");
                using (w.Block("for (int k = 0; k < " + I(width) + "; k++)"))
                    w.Line("acc += row[k] * " + vector + "[k];");
                w.Line(target + "[" + Expr.Sum(targetOffset, "g") + "] = acc;");
            }
        }

        /// <summary>The C# expression of a recurrent activation function applied to the local <paramref name="e"/>.</summary>
        private static string Activation(string name, float alpha, float beta, string e)
        {
            string M = "global::System.MathF.";
            string a = Literals.Float(alpha), b = Literals.Float(beta);
            return name switch
            {
                "Sigmoid" => "1f / (1f + " + M + "Exp(-" + e + "))",
                "Tanh" => M + "Tanh(" + e + ")",
                "Relu" => M + "Max(" + e + ", 0f)",
                "Affine" => a + " * " + e + " + " + b,
                "LeakyRelu" => e + " >= 0f ? " + e + " : " + a + " * " + e,
                "ThresholdedRelu" => e + " > " + a + " ? " + e + " : 0f",
                "ScaledTanh" => a + " * " + M + "Tanh(" + b + " * " + e + ")",
                "HardSigmoid" => M + "Max(0f, " + M + "Min(1f, " + a + " * " + e + " + " + b + "))",
                "Elu" => e + " >= 0f ? " + e + " : " + a + " * (" + M + "Exp(" + e + ") - 1f)",
                "Softsign" => e + " / (1f + " + M + "Abs(" + e + "))",
                "Softplus" => M + "Log(1f + " + M + "Exp(" + e + "))",
                _ => throw new System.InvalidOperationException("unknown recurrent activation " + name),
            };
        }
    }
}
