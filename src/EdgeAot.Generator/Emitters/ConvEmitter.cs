using System.Collections.Generic;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// Direct 2-D convolution (1-D arrives as height 1), NCHW. For each output channel the
    /// output plane starts at the bias; every (input channel, kernel tap) pair adds a weight
    /// times a shifted input row, with the valid output range of each tap computed so the inner
    /// loop has no bounds test; the fused activation runs once over the finished plane.
    /// </summary>
    internal sealed class ConvEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Conv" };

        public override string InputName(NodePlan node, int index) => index switch { 0 => "x", 1 => "w", _ => "b" };

        public override string Describe(EmitContext context)
        {
            var n = context.Node;
            long[] k = n.GetInts("kernel_shape"), s = n.GetInts("strides"), p = n.GetInts("pads"), d = n.GetInts("dilations");
            long group = n.GetInt("group", 1);
            string kind = group > 1 && group == context.InputShape(0)[1] ? "depthwise " : group > 1 ? "grouped " : k[0] * k[1] == 1 ? "pointwise " : "";
            return kind + k[0] + "x" + k[1] + ", stride " + s[0] + "x" + s[1] + ", pads " + p[0] + "," + p[1] + "," + p[2] + "," + p[3]
                + (d[0] * d[1] != 1 ? ", dilation " + d[0] + "x" + d[1] : "") + (group > 1 ? ", group " + group : "") + ActivationEpilogue.Describe(n);
        }

        public override void EmitBody(EmitContext context)
        {
            var n = context.Node;
            long[] xs = context.InputShape(0), ys = context.OutputShape(0);
            long[] k = n.GetInts("kernel_shape"), s = n.GetInts("strides"), p = n.GetInts("pads"), d = n.GetInts("dilations");
            long batch = xs[0], channels = xs[1], filters = ys[1], group = n.GetInt("group", 1);
            long inH = xs.Length == 4 ? xs[2] : 1, inW = xs[xs.Length - 1];
            long outH = ys.Length == 4 ? ys[2] : 1, outW = ys[ys.Length - 1];
            long channelsPerGroup = channels / group, filtersPerGroup = filters / group;
            string I(long v) => Literals.Int(v);

            var w = context.Writer;
            if (batch == 1) w.Line("const int n = 0;");
            using (batch == 1 ? SourceWriter.BlockScope.None : w.Block("for (int n = 0; n < " + I(batch) + "; n++)"))
            using (w.Block("for (int m = 0; m < " + I(filters) + "; m++)"))
            {
                w.Line("var plane = y.Slice((" + Expr.Sum(0, Expr.Mul("n", filters), "m") + ") * " + I(outH * outW) + ", " + I(outH * outW) + ");");
                w.Line(context.HasInput(2) ? "plane.Fill(b[m]);" : "plane.Clear();");
                w.Line("int firstChannel = " + Expr.Sum(0, Expr.Mul("n", channels), group == 1 ? "0" : Expr.Mul("m / " + I(filtersPerGroup), channelsPerGroup)) + ";");
                using (w.Block("for (int c = 0; c < " + I(channelsPerGroup) + "; c++)"))
                {
                    w.Line("var input = x.Slice((firstChannel + c) * " + I(inH * inW) + ", " + I(inH * inW) + ");");
                    w.Line("var taps = w.Slice((m * " + I(channelsPerGroup) + " + c) * " + I(k[0] * k[1]) + ", " + I(k[0] * k[1]) + ");");
                    using (w.Block("for (int kh = 0; kh < " + I(k[0]) + "; kh++)"))
                    {
                        // Output rows whose input row oh*stride + kh*dilation - pad lies inside the input.
                        w.Line("int rowOffset = " + Expr.Sum(-p[0], Expr.Mul("kh", d[0])) + ";");
                        w.Line("int oh0 = rowOffset >= 0 ? 0 : (-rowOffset + " + I(s[0] - 1) + ") / " + I(s[0]) + ";");
                        w.Line("int oh1 = " + I(inH - 1) + " - rowOffset < 0 ? 0 : global::System.Math.Min(" + I(outH) + ", (" + I(inH - 1) + " - rowOffset) / " + I(s[0]) + " + 1);");
                        using (w.Block("for (int kw = 0; kw < " + I(k[1]) + "; kw++)"))
                        {
                            w.Line("float weight = taps[kh * " + I(k[1]) + " + kw];");
                            w.Line("int colOffset = " + Expr.Sum(-p[1], Expr.Mul("kw", d[1])) + ";");
                            w.Line("int ow0 = colOffset >= 0 ? 0 : (-colOffset + " + I(s[1] - 1) + ") / " + I(s[1]) + ";");
                            w.Line("int ow1 = " + I(inW - 1) + " - colOffset < 0 ? 0 : global::System.Math.Min(" + I(outW) + ", (" + I(inW - 1) + " - colOffset) / " + I(s[1]) + " + 1);");
                            using (w.Block("for (int oh = oh0; oh < oh1; oh++)"))
                            {
                                w.Line("var outRow = plane.Slice(oh * " + I(outW) + ", " + I(outW) + ");");
                                w.Line("var inRow = input.Slice((" + Expr.Sum(0, Expr.Mul("oh", s[0]), "rowOffset") + ") * " + I(inW) + ", " + I(inW) + ");");
                                w.Line("for (int ow = ow0; ow < ow1; ow++) outRow[ow] += weight * inRow[" + Expr.Sum(0, Expr.Mul("ow", s[1]), "colOffset") + "];");
                            }
                        }
                    }
                }
                if (ActivationEpilogue.IsPresent(n))
                {
                    w.Line("for (int i = 0; i < plane.Length; i++) plane[i] = " + ActivationEpilogue.Apply(n, "plane[i]") + ";");
                }
            }
        }
    }
}
