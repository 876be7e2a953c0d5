using System.Collections.Generic;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>MaxPool and AveragePool over 2-D windows (1-D arrives as height 1), NCHW.</summary>
    internal sealed class PoolEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "MaxPool", "AveragePool" };

        public override string Describe(EmitContext context)
        {
            var n = context.Node;
            long[] k = n.GetInts("kernel_shape"), s = n.GetInts("strides"), p = n.GetInts("pads");
            return k[0] + "x" + k[1] + ", stride " + s[0] + "x" + s[1] + ", pads " + p[0] + "," + p[1] + "," + p[2] + "," + p[3];
        }

        public override void EmitBody(EmitContext context)
        {
            var node = context.Node;
            bool max = node.OpType == "MaxPool";
            bool includePad = node.GetInt("count_include_pad", 0) != 0;
            long[] xs = context.InputShape(0), ys = context.OutputShape(0);
            long[] k = node.GetInts("kernel_shape"), s = node.GetInts("strides"), p = node.GetInts("pads"), d = node.GetInts("dilations");
            long planes = xs[0] * xs[1];
            long inH = xs.Length == 4 ? xs[2] : 1, inW = xs[xs.Length - 1];
            long outH = ys.Length == 4 ? ys[2] : 1, outW = ys[ys.Length - 1];
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            if (!max && outH * outW == 1 && k[0] == inH && k[1] == inW && p[0] + p[1] + p[2] + p[3] == 0 && d[0] * d[1] == 1)
            {
                // The window is the whole plane: a vector sum (SumOf) per plane.
                w.Line("for (int plane = 0; plane < " + I(planes) + "; plane++) y[plane] = SumOf(x.Slice(plane * " + I(inH * inW) + ", " + I(inH * inW) + ")) / " + I(inH * inW) + "f;");
                return;
            }
            using (w.Block("for (int plane = 0; plane < " + I(planes) + "; plane++)"))
            {
                w.Line("var input = x.Slice(plane * " + I(inH * inW) + ", " + I(inH * inW) + ");");
                w.Line("var output = y.Slice(plane * " + I(outH * outW) + ", " + I(outH * outW) + ");");
                using (w.Block("for (int oh = 0; oh < " + I(outH) + "; oh++)"))
                using (w.Block("for (int ow = 0; ow < " + I(outW) + "; ow++)"))
                {
                    w.Line(max ? "float acc = float.NegativeInfinity;" : "float acc = 0f;");
                    if (!max && !includePad) w.Line("int count = 0;");
                    using (w.Block("for (int kh = 0; kh < " + I(k[0]) + "; kh++)"))
                    {
                        w.Line("int ih = " + Expr.Sum(-p[0], Expr.Mul("oh", s[0]), Expr.Mul("kh", d[0])) + ";");
                        w.Line("if (ih < 0 || ih >= " + I(inH) + ") continue;");
                        using (w.Block("for (int kw = 0; kw < " + I(k[1]) + "; kw++)"))
                        {
                            w.Line("int iw = " + Expr.Sum(-p[1], Expr.Mul("ow", s[1]), Expr.Mul("kw", d[1])) + ";");
                            w.Line("if (iw < 0 || iw >= " + I(inW) + ") continue;");
                            w.Line("float v = input[ih * " + I(inW) + " + iw];");
                            if (max) w.Line("if (v > acc || float.IsNaN(v)) acc = v;");
                            else
                            {
                                w.Line("acc += v;");
                                if (!includePad) w.Line("count++;");
                            }
                        }
                    }
                    if (max) w.Line("output[oh * " + I(outW) + " + ow] = acc;");
                    else if (includePad)
                    {
                        // In padded coordinates: the divisor counts pad taps but not taps past the end padding (ceil_mode overhang).
                        w.Line("int hEnd = global::System.Math.Min(oh * " + I(s[0]) + " + " + I((k[0] - 1) * d[0] + 1) + ", " + I(inH + p[0] + p[2]) + ") - oh * " + I(s[0]) + ";");
                        w.Line("int wEnd = global::System.Math.Min(ow * " + I(s[1]) + " + " + I((k[1] - 1) * d[1] + 1) + ", " + I(inW + p[1] + p[3]) + ") - ow * " + I(s[1]) + ";");
                        w.Line("int hTaps = (hEnd - 1) / " + I(d[0]) + " + 1, wTaps = (wEnd - 1) / " + I(d[1]) + " + 1;");
                        w.Line("output[oh * " + I(outW) + " + ow] = acc / (hTaps * wTaps);");
                    }
                    else w.Line("output[oh * " + I(outW) + " + ow] = count == 0 ? 0f : acc / count;");
                }
            }
        }
    }

    /// <summary>GlobalAveragePool / GlobalMaxPool: reduce each channel plane to one value.</summary>
    internal sealed class GlobalPoolEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "GlobalAveragePool", "GlobalMaxPool" };

        public override void EmitBody(EmitContext context)
        {
            long[] xs = context.InputShape(0);
            long planes = xs[0] * xs[1];
            long size = 1;
            for (int i = 2; i < xs.Length; i++) size *= xs[i];
            bool max = context.Node.OpType == "GlobalMaxPool";
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            if (!max)
            {
                w.Line("for (int plane = 0; plane < " + I(planes) + "; plane++) y[plane] = SumOf(x.Slice(plane * " + I(size) + ", " + I(size) + ")) / " + I(size) + "f;");
                return;
            }
            using (w.Block("for (int plane = 0; plane < " + I(planes) + "; plane++)"))
            {
                w.Line("var input = x.Slice(plane * " + I(size) + ", " + I(size) + ");");
                w.Line(max ? "float acc = float.NegativeInfinity;" : "float acc = 0f;");
                w.Line(max
                    ? "foreach (float v in input) if (v > acc || float.IsNaN(v)) acc = v;"
                    : "foreach (float v in input) acc += v;");
                w.Line(max ? "y[plane] = acc;" : "y[plane] = acc / " + I(size) + "f;");
            }
        }
    }
}
