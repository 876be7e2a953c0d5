using System.Collections.Generic;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// Integer average pooling (QLinearAveragePool, fused QDQ AveragePool/GlobalAveragePool), NCHW,
    /// 2-D windows (1-D arrives as height 1): an int sum of (x − x_zero) over the window, then
    /// fixed-point requantization by x_scale / (y_scale · count) and saturation. No floating point.
    /// </summary>
    internal sealed class QuantizedPoolEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "QLinearAveragePool" };

        public override string Describe(EmitContext context)
        {
            var n = context.Node;
            long[] k = n.GetInts("kernel_shape"), s = n.GetInts("strides"), p = n.GetInts("pads");
            return "integer " + context.Input(0).Type.ToString().ToLowerInvariant() + ", " + k[0] + "x" + k[1] + ", stride " + s[0] + "x" + s[1]
                + ", pads " + p[0] + "," + p[1] + "," + p[2] + "," + p[3];
        }

        public override void EmitBody(EmitContext context)
        {
            var node = context.Node;
            long[] xs = context.InputShape(0), ys = context.OutputShape(0);
            long[] k = node.GetInts("kernel_shape"), s = node.GetInts("strides"), p = node.GetInts("pads"), d = node.GetInts("dilations");
            long[] multipliers = node.GetInts("multipliers"), shifts = node.GetInts("shifts");
            bool uniform = multipliers.Length == 1;
            bool includePad = node.GetInt("count_include_pad", 0) != 0;
            long planes = xs[0] * xs[1];
            long inH = xs.Length == 4 ? xs[2] : 1, inW = xs[xs.Length - 1];
            long outH = ys.Length == 4 ? ys[2] : 1, outW = ys[ys.Length - 1];
            long xZero = node.GetInt("x_zero_point", 0);
            bool padded = p[0] + p[1] + p[2] + p[3] > 0;
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            if (!uniform)
            {
                w.Line("// Requantization by x_scale / (y_scale * count), indexed by the window's divisor.");
                w.Line("global::System.ReadOnlySpan<int> multipliers = " + context.ConstantTable("multipliers", "int", multipliers) + ";");
                w.Line("global::System.ReadOnlySpan<byte> shifts = " + context.ConstantTable("shifts", "byte", shifts) + ";");
            }
            using (w.Block("for (int plane = 0; plane < " + I(planes) + "; plane++)"))
            {
                w.Line("var input = x.Slice(plane * " + I(inH * inW) + ", " + I(inH * inW) + ");");
                w.Line("var output = y.Slice(plane * " + I(outH * outW) + ", " + I(outH * outW) + ");");
                using (w.Block("for (int oh = 0; oh < " + I(outH) + "; oh++)"))
                using (w.Block("for (int ow = 0; ow < " + I(outW) + "; ow++)"))
                {
                    w.Line("int acc = 0;");
                    if (!uniform && !includePad) w.Line("int count = 0;");
                    using (w.Block("for (int kh = 0; kh < " + I(k[0]) + "; kh++)"))
                    {
                        w.Line("int ih = " + Expr.Sum(-p[0], Expr.Mul("oh", s[0]), Expr.Mul("kh", d[0])) + ";");
                        if (padded) w.Line("if (ih < 0 || ih >= " + I(inH) + ") continue;");
                        using (w.Block("for (int kw = 0; kw < " + I(k[1]) + "; kw++)"))
                        {
                            w.Line("int iw = " + Expr.Sum(-p[1], Expr.Mul("ow", s[1]), Expr.Mul("kw", d[1])) + ";");
                            if (padded) w.Line("if (iw < 0 || iw >= " + I(inW) + ") continue;");
                            w.Line("acc += input[ih * " + I(inW) + " + iw] - " + I(xZero) + ";");
                            if (!uniform && !includePad) w.Line("count++;");
                        }
                    }
                    if (!uniform && includePad)
                    {
                        // Taps inside the padded extent (ceil_mode windows may overhang the end padding).
                        w.Line("int hEnd = global::System.Math.Min(oh * " + I(s[0]) + " + " + I((k[0] - 1) * d[0] + 1) + ", " + I(inH + p[0] + p[2]) + ") - oh * " + I(s[0]) + ";");
                        w.Line("int wEnd = global::System.Math.Min(ow * " + I(s[1]) + " + " + I((k[1] - 1) * d[1] + 1) + ", " + I(inW + p[1] + p[3]) + ") - ow * " + I(s[1]) + ";");
                        w.Line("int count = ((hEnd - 1) / " + I(d[0]) + " + 1) * ((wEnd - 1) / " + I(d[1]) + " + 1);");
                    }
                    string requantize = uniform
                        ? "Requantize(acc, " + Literals.Long(multipliers[0]) + ", " + I(shifts[0]) + ")"
                        : "Requantize(acc, multipliers[count], shifts[count])";
                    w.Line("long q = " + requantize + " + " + I(node.GetInt("y_zero_point", 0)) + ";");
                    w.Line("output[oh * " + I(outW) + " + ow] = (" + EmitContext.ElementType(context.Output(0)) + ")global::System.Math.Clamp(q, "
                        + I(node.GetInt("output_min", 0)) + ", " + I(node.GetInt("output_max", 0)) + ");");
                }
            }
            w.Line();
            foreach (string line in Requantization.CSharpSource.Split('\n')) w.Line(line);
        }
    }
}
