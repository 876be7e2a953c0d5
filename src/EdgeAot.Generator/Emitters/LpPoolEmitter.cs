using System.Collections.Generic;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>LpPool over 2-D windows (1-D arrives as height 1), NCHW: taps in the padding add nothing.</summary>
    internal sealed class LpPoolEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "LpPool" };

        public override string Describe(EmitContext context)
        {
            var n = context.Node;
            long[] k = n.GetInts("kernel_shape"), s = n.GetInts("strides"), p = n.GetInts("pads");
            return "p " + n.GetInt("p", 2) + ", " + k[0] + "x" + k[1] + ", stride " + s[0] + "x" + s[1] + ", pads " + p[0] + "," + p[1] + "," + p[2] + "," + p[3];
        }

        public override void EmitBody(EmitContext context)
        {
            var node = context.Node;
            long power = node.GetInt("p", 2);
            long[] xs = context.InputShape(0), ys = context.OutputShape(0);
            long[] k = node.GetInts("kernel_shape"), s = node.GetInts("strides"), p = node.GetInts("pads"), d = node.GetInts("dilations");
            long planes = xs[0] * xs[1];
            long inH = xs.Length == 4 ? xs[2] : 1, inW = xs[xs.Length - 1];
            long outH = ys.Length == 4 ? ys[2] : 1, outW = ys[ys.Length - 1];
            if (planes * outH * outW == 0) return;
            string I(long v) => Literals.Int(v);
            string accumulate = power switch
            {
                1 => "acc += global::System.MathF.Abs(v);",
                2 => "acc += v * v;",
                _ => "acc += global::System.MathF.Pow(global::System.MathF.Abs(v), " + Literals.Float(power) + ");",
            };
            string result = power switch
            {
                1 => "acc",
                2 => "global::System.MathF.Sqrt(acc)",
                _ => "global::System.MathF.Pow(acc, " + Literals.Float(1f / power) + ")",
            };
            var w = context.Writer;
            using (w.Block("for (int plane = 0; plane < " + I(planes) + "; plane++)"))
            {
                w.Line("var input = x.Slice(plane * " + I(inH * inW) + ", " + I(inH * inW) + ");");
                w.Line("var output = y.Slice(plane * " + I(outH * outW) + ", " + I(outH * outW) + ");");
                using (w.Block("for (int oh = 0; oh < " + I(outH) + "; oh++)"))
                using (w.Block("for (int ow = 0; ow < " + I(outW) + "; ow++)"))
                {
                    w.Line("float acc = 0f;");
                    using (w.Block("for (int kh = 0; kh < " + I(k[0]) + "; kh++)"))
                    {
                        w.Line("int ih = " + Expr.Sum(-p[0], Expr.Mul("oh", s[0]), Expr.Mul("kh", d[0])) + ";");
                        w.Line("if (ih < 0 || ih >= " + I(inH) + ") continue;");
                        using (w.Block("for (int kw = 0; kw < " + I(k[1]) + "; kw++)"))
                        {
                            w.Line("int iw = " + Expr.Sum(-p[1], Expr.Mul("ow", s[1]), Expr.Mul("kw", d[1])) + ";");
                            w.Line("if (iw < 0 || iw >= " + I(inW) + ") continue;");
                            w.Line("float v = input[ih * " + I(inW) + " + iw];");
                            w.Line(accumulate);
                        }
                    }
                    w.Line("output[oh * " + I(outW) + " + ow] = " + result + ";");
                }
            }
        }
    }
}
