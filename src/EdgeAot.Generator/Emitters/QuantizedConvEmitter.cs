using System.Collections.Generic;
using System.Text;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// Integer convolution (QLinearConv, ConvInteger, fused QDQ Conv): per output value an integer
    /// accumulator of (x − x_zero)·(w − w_zero) over the window, plus the int32 bias; for
    /// QLinearConv a fixed-point requantization (multiplier and shift per output channel,
    /// rounding half to even) and a clamp that also applies any fused Relu/Clip. No floating
    /// point at run time.
    /// </summary>
    internal sealed class QuantizedConvEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "QLinearConv", "ConvInteger" };

        public override string InputName(NodePlan node, int index) => index switch { 0 => "x", 1 => "w", _ => "bias" };

        public override string Describe(EmitContext context)
        {
            var n = context.Node;
            long[] k = n.GetInts("kernel_shape"), s = n.GetInts("strides");
            string integer = context.Input(0).Type.ToString().ToLowerInvariant() + " x " + context.Input(1).Type.ToString().ToLowerInvariant();
            return "integer " + integer + ", " + k[0] + "x" + k[1] + ", stride " + s[0] + "x" + s[1] + ", group " + n.GetInt("group", 1)
                + (n.GetInt("wide", 0) != 0 ? ", 64-bit accumulator" : "");
        }

        public override void EmitBody(EmitContext context)
        {
            var n = context.Node;
            long[] xs = context.InputShape(0), ys = context.OutputShape(0);
            long[] k = n.GetInts("kernel_shape"), s = n.GetInts("strides"), p = n.GetInts("pads"), d = n.GetInts("dilations");
            long batch = xs[0], channels = xs[1], filters = ys[1], group = n.GetInt("group", 1);
            long inH = xs.Length == 4 ? xs[2] : 1, inW = xs[xs.Length - 1];
            long outH = ys.Length == 4 ? ys[2] : 1, outW = ys[ys.Length - 1];
            long cg = channels / group, fg = filters / group;
            bool requantize = n.OpType == "QLinearConv";
            bool wide = n.GetInt("wide", 0) != 0;
            long[] wZero = n.GetInts("w_zero_points");
            string acc = wide ? "long" : "int";
            string I(long v) => Literals.Int(v);
            var w = context.Writer;

            if (requantize)
            {
                w.Line("global::System.ReadOnlySpan<int> multipliers = " + context.ConstantTable("multipliers", "int", n.GetInts("multipliers")) + ";");
                w.Line("global::System.ReadOnlySpan<byte> shifts = " + context.ConstantTable("shifts", "byte", n.GetInts("shifts")) + ";");
            }
            if (wZero.Length > 1) w.Line("global::System.ReadOnlySpan<int> wZero = " + context.ConstantTable("wZero", "int", wZero) + ";");
            using (w.Block("for (int n = 0; n < " + I(batch) + "; n++)"))
            using (w.Block("for (int m = 0; m < " + I(filters) + "; m++)"))
            {
                w.Line("int firstChannel = " + Expr.Sum(0, Expr.Mul("n", channels), group == 1 ? "0" : Expr.Mul("m / " + I(fg), cg)) + ";");
                w.Line("var taps = w.Slice(m * " + I(cg * k[0] * k[1]) + ", " + I(cg * k[0] * k[1]) + ");");
                string wz = wZero.Length > 1 ? "wZero[m]" : I(wZero[0]);
                using (w.Block("for (int oh = 0; oh < " + I(outH) + "; oh++)"))
                using (w.Block("for (int ow = 0; ow < " + I(outW) + "; ow++)"))
                {
                    w.Line(acc + " acc = " + (context.HasInput(2) ? "bias[m]" : "0") + ";");
                    using (w.Block("for (int c = 0; c < " + I(cg) + "; c++)"))
                    {
                        w.Line("var input = x.Slice((firstChannel + c) * " + I(inH * inW) + ", " + I(inH * inW) + ");");
                        using (w.Block("for (int kh = 0; kh < " + I(k[0]) + "; kh++)"))
                        {
                            w.Line("int ih = " + Expr.Sum(-p[0], Expr.Mul("oh", s[0]), Expr.Mul("kh", d[0])) + ";");
                            w.Line("if (ih < 0 || ih >= " + I(inH) + ") continue;");
                            using (w.Block("for (int kw = 0; kw < " + I(k[1]) + "; kw++)"))
                            {
                                w.Line("int iw = " + Expr.Sum(-p[1], Expr.Mul("ow", s[1]), Expr.Mul("kw", d[1])) + ";");
                                w.Line("if (iw < 0 || iw >= " + I(inW) + ") continue;");
                                w.Line("acc += (input[ih * " + I(inW) + " + iw] - " + I(n.GetInt("x_zero_point", 0)) + ") * (taps[(c * " + I(k[0]) + " + kh) * " + I(k[1]) + " + kw] - " + wz + ");");
                            }
                        }
                    }
                    string index = "((n * " + I(filters) + " + m) * " + I(outH) + " + oh) * " + I(outW) + " + ow";
                    if (requantize)
                    {
                        string type = EmitContext.ElementType(context.Output(0));
                        w.Line("long q = Requantize(acc, multipliers[m], shifts[m]) + " + I(n.GetInt("y_zero_point", 0)) + ";");
                        w.Line("y[" + index + "] = (" + type + ")global::System.Math.Clamp(q, " + I(n.GetInt("output_min", 0)) + ", " + I(n.GetInt("output_max", 0)) + ");");
                    }
                    else w.Line("y[" + index + "] = unchecked((int)acc);");
                }
            }
            if (requantize)
            {
                w.Line();
                foreach (string line in Requantization.CSharpSource.Split('\n')) w.Line(line);
            }
        }

        internal static string IntList(long[] values)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < values.Length; i++) sb.Append(i > 0 ? ", " : "").Append(Literals.Int(values[i]));
            return sb.ToString();
        }
    }
}
