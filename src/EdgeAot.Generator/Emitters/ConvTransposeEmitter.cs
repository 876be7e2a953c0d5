using System.Collections.Generic;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// Transposed 2-D convolution (1-D arrives as height 1), NCHW, as a scatter: for each output
    /// channel the plane starts at the bias, then every (input channel, kernel tap) pair adds a
    /// weight times the input plane to the output positions ih*stride + kh*dilation - pad, with
    /// the valid input range of each tap computed so the inner loop has no bounds test.
    /// </summary>
    internal sealed class ConvTransposeEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "ConvTranspose" };

        public override string InputName(NodePlan node, int index) => index switch { 0 => "x", 1 => "w", _ => "b" };

        public override string Describe(EmitContext context)
        {
            var n = context.Node;
            long[] k = n.GetInts("kernel_shape"), s = n.GetInts("strides"), p = n.GetInts("pads"), d = n.GetInts("dilations");
            long group = n.GetInt("group", 1);
            return k[0] + "x" + k[1] + ", stride " + s[0] + "x" + s[1] + ", pads " + p[0] + "," + p[1] + "," + p[2] + "," + p[3]
                + (d[0] * d[1] != 1 ? ", dilation " + d[0] + "x" + d[1] : "") + (group > 1 ? ", group " + group : "");
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
            using (w.Block("for (int n = 0; n < " + I(batch) + "; n++)"))
            using (w.Block("for (int m = 0; m < " + I(filters) + "; m++)"))
            {
                w.Line("var plane = y.Slice((" + Expr.Sum(0, Expr.Mul("n", filters), "m") + ") * " + I(outH * outW) + ", " + I(outH * outW) + ");");
                w.Line(context.HasInput(2) ? "plane.Fill(b[m]);" : "plane.Clear();");
                w.Line("int firstChannel = " + (group == 1 ? "0" : Expr.Mul("(m / " + I(filtersPerGroup) + ")", channelsPerGroup)) + ";");
                using (w.Block("for (int c = firstChannel; c < firstChannel + " + I(channelsPerGroup) + "; c++)"))
                {
                    w.Line("var input = x.Slice((" + Expr.Sum(0, Expr.Mul("n", channels), "c") + ") * " + I(inH * inW) + ", " + I(inH * inW) + ");");
                    w.Line("var taps = w.Slice((" + Expr.Sum(0, Expr.Mul("c", filtersPerGroup), filtersPerGroup == 1 ? "0" : "m % " + I(filtersPerGroup)) + ") * " + I(k[0] * k[1]) + ", " + I(k[0] * k[1]) + ");");
                    using (w.Block("for (int kh = 0; kh < " + I(k[0]) + "; kh++)"))
                    {
                        // Input rows whose output row ih*stride + rowOffset lies inside the output.
                        w.Line("int rowOffset = " + Expr.Sum(-p[0], Expr.Mul("kh", d[0])) + ";");
                        w.Line("int ih0 = rowOffset >= 0 ? 0 : (-rowOffset + " + I(s[0] - 1) + ") / " + I(s[0]) + ";");
                        w.Line("int ih1 = " + I(outH - 1) + " - rowOffset < 0 ? 0 : global::System.Math.Min(" + I(inH) + ", (" + I(outH - 1) + " - rowOffset) / " + I(s[0]) + " + 1);");
                        using (w.Block("for (int kw = 0; kw < " + I(k[1]) + "; kw++)"))
                        {
                            w.Line("float weight = taps[kh * " + I(k[1]) + " + kw];");
                            w.Line("int colOffset = " + Expr.Sum(-p[1], Expr.Mul("kw", d[1])) + ";");
                            w.Line("int iw0 = colOffset >= 0 ? 0 : (-colOffset + " + I(s[1] - 1) + ") / " + I(s[1]) + ";");
                            w.Line("int iw1 = " + I(outW - 1) + " - colOffset < 0 ? 0 : global::System.Math.Min(" + I(inW) + ", (" + I(outW - 1) + " - colOffset) / " + I(s[1]) + " + 1);");
                            using (w.Block("for (int ih = ih0; ih < ih1; ih++)"))
                            {
                                w.Line("var inRow = input.Slice(ih * " + I(inW) + ", " + I(inW) + ");");
                                w.Line("var outRow = plane.Slice((" + Expr.Sum(0, Expr.Mul("ih", s[0]), "rowOffset") + ") * " + I(outW) + ", " + I(outW) + ");");
                                w.Line("for (int iw = iw0; iw < iw1; iw++) outRow[" + Expr.Sum(0, Expr.Mul("iw", s[1]), "colOffset") + "] += weight * inRow[iw];");
                            }
                        }
                    }
                }
            }
        }
    }
}
