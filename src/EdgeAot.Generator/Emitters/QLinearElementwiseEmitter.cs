using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// QLinearAdd / QLinearMul (and fused QDQ Add/Mul): broadcasting loops over int8/uint8
    /// operands, zero points subtracted, one fixed-point rescale per element rounded half to
    /// even, then the output zero point and the saturating clamp. No floating point.
    /// </summary>
    internal sealed class QLinearBinaryEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "QLinearAdd", "QLinearMul" };

        public override string InputName(NodePlan node, int index) => index == 0 ? "a" : "b";

        public override string Describe(EmitContext context) => "integer " + context.Input(0).Type.ToString().ToLowerInvariant();

        public override void EmitBody(EmitContext context)
        {
            long[] y = context.OutputShape(0);
            var strides = new[]
            {
                Shape.Strides(y),
                BinaryElementwiseOperator.InputStrides(context.InputShape(0), y, 0, null),
                BinaryElementwiseOperator.InputStrides(context.InputShape(1), y, 1, null),
            };
            var (dims, collapsed) = StridedLoops.Collapse(y, strides);
            if (dims.Length == 0)
            {
                dims = new long[] { 1 };
                collapsed = new[] { new long[] { 0 }, new long[] { 0 }, new long[] { 0 } };
            }
            EmitLoops(context, dims, collapsed, 0);
            context.Line();
            foreach (string line in Requantization.CSharpSource.Split('\n')) context.Line(line);
        }

        private static void EmitLoops(EmitContext context, long[] dims, long[][] strides, int d)
        {
            using (StridedLoops.For(context, d, dims[d]))
            {
                if (d + 1 < dims.Length)
                {
                    EmitLoops(context, dims, strides, d + 1);
                    return;
                }
                var n = context.Node;
                string I(long v) => Literals.Int(v);
                int rank = dims.Length;
                string a = "(a[" + StridedLoops.Index(strides[1], rank) + "] - " + I(n.GetInt("a_zero_point", 0)) + ")";
                string b = "(b[" + StridedLoops.Index(strides[2], rank) + "] - " + I(n.GetInt("b_zero_point", 0)) + ")";
                if (n.OpType == "QLinearAdd")
                {
                    context.Line("long sum = (long)" + a + " * " + Literals.Long(n.GetInt("multiplier_a", 0)) + " + (long)" + b + " * " + Literals.Long(n.GetInt("multiplier_b", 0)) + ";");
                    context.Line("long q = Requantize(sum, 1, " + I(n.GetInt("shift", 1)) + ") + " + I(n.GetInt("y_zero_point", 0)) + ";");
                }
                else
                {
                    context.Line("long q = Requantize(" + a + " * " + b + ", " + Literals.Long(n.GetInt("multiplier", 0)) + ", " + I(n.GetInt("shift", 1)) + ") + " + I(n.GetInt("y_zero_point", 0)) + ";");
                }
                context.Line("y[" + StridedLoops.Index(strides[0], rank) + "] = (" + EmitContext.ElementType(context.Output(0)) + ")global::System.Math.Clamp(q, "
                    + I(n.GetInt("output_min", 0)) + ", " + I(n.GetInt("output_max", 0)) + ");");
            }
        }
    }

    /// <summary>
    /// QLinearAveragePool / QLinearGlobalAveragePool (and fused QDQ pools): integer window sums of
    /// x − x_zero, divided and rescaled in one fixed-point step whose multiplier is looked up by
    /// the number of taps counted (count_include_pad decides which). No floating point.
    /// </summary>
    internal sealed class QLinearPoolEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "QLinearAveragePool", "QLinearGlobalAveragePool" };

        public override string Describe(EmitContext context)
        {
            var n = context.Node;
            string type = "integer " + context.Input(0).Type.ToString().ToLowerInvariant();
            if (n.OpType == "QLinearGlobalAveragePool") return type;
            long[] k = n.GetInts("kernel_shape"), s = n.GetInts("strides"), p = n.GetInts("pads");
            return type + ", " + k[0] + "x" + k[1] + ", stride " + s[0] + "x" + s[1] + ", pads " + p[0] + "," + p[1] + "," + p[2] + "," + p[3];
        }

        public override void EmitBody(EmitContext context)
        {
            var n = context.Node;
            long[] xs = context.InputShape(0), ys = context.OutputShape(0);
            long planes = xs[0] * xs[1];
            string I(long v) => Literals.Int(v);
            string xZero = I(n.GetInt("x_zero_point", 0)), yZero = I(n.GetInt("y_zero_point", 0));
            string clamp = context.Output(0).Type == DataType.Int8 ? "-128, 127" : "0, 255";
            string type = EmitContext.ElementType(context.Output(0));
            long[] multipliers = n.GetInts("multipliers"), shifts = n.GetInts("shifts");
            var w = context.Writer;

            bool wholePlane = false;
            if (n.OpType != "QLinearGlobalAveragePool")
            {
                long[] k = n.GetInts("kernel_shape"), p = n.GetInts("pads"), d = n.GetInts("dilations");
                long inH = xs.Length == 4 ? xs[2] : 1, inW = xs[xs.Length - 1];
                long outCount = ys.Length == 4 ? ys[2] * ys[3] : ys[ys.Length - 1];
                // One window covering the unpadded plane (KWS's 25x5 pool): a global average with count = H·W.
                wholePlane = outCount == 1 && k[0] == inH && k[1] == inW && p[0] + p[1] + p[2] + p[3] == 0 && d[0] == 1 && d[1] == 1;
            }
            if (n.OpType == "QLinearGlobalAveragePool" || wholePlane)
            {
                long size = context.Input(0).ElementCount / planes;
                long multiplier = wholePlane ? multipliers[size] : multipliers[0], shift = wholePlane ? shifts[size] : shifts[0];
                if (wholePlane) w.Line("// The window is the whole plane: every output averages all " + I(size) + " values.");
                string acc = 255 * size > int.MaxValue ? "long" : "int";
                if (EdgeAot.Compiler.Passes.Int8ChannelLastLayout.ReadsChannelLast(n) && acc == "int")
                {
                    // Channel-last input (unsigned bytes x + 128, pixel rows of all channels): per-channel sums eight at a time.
                    long channels = xs[1];
                    w.Line("// Channel-last input: bytes x + 128 in pixel rows of " + I(channels) + " channels, summed eight channels at a time.");
                    using (w.Block("for (int n = 0; n < " + I(xs[0]) + "; n++)"))
                    using (w.Block("for (int c0 = 0; c0 < " + I(channels) + "; c0 += 8)"))
                    {
                        w.Line("var sums = ChannelSums8(ref global::System.Runtime.CompilerServices.Unsafe.As<sbyte, byte>(ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in x[n * " + I(channels * size) + "])), " + I(size) + ", " + I(channels) + ", c0);");
                        using (w.Block("for (int l = 0; l < 8; l++)"))
                        {
                            w.Line("int acc = global::System.Runtime.Intrinsics.Vector256.GetElement(sums, l) - " + I(size * (n.GetInt("x_zero_point", 0) + 128)) + ";");
                            w.Line("long q = Requantize(acc, " + Literals.Long(multiplier) + ", " + I(shift) + ") + " + yZero + ";");
                            w.Line("y[n * " + I(channels) + " + c0 + l] = (" + type + ")global::System.Math.Clamp(q, " + clamp + ");");
                        }
                    }
                    w.Line();
                    foreach (string line in Requantization.CSharpSource.Split('\n')) w.Line(line);
                    return;
                }
                using (w.Block("for (int plane = 0; plane < " + I(planes) + "; plane++)"))
                {
                    w.Line("var input = x.Slice(plane * " + I(size) + ", " + I(size) + ");");
                    w.Line(acc + " acc = 0;");
                    w.Line("for (int i = 0; i < input.Length; i++) acc += input[i];");
                    w.Line("acc -= " + I(size) + " * " + xZero + ";");
                    w.Line("long q = Requantize(acc, " + Literals.Long(multiplier) + ", " + I(shift) + ") + " + yZero + ";");
                    w.Line("y[plane] = (" + type + ")global::System.Math.Clamp(q, " + clamp + ");");
                }
            }
            else
            {
                bool includePad = n.GetInt("count_include_pad", 0) != 0;
                long[] k = n.GetInts("kernel_shape"), s = n.GetInts("strides"), p = n.GetInts("pads"), d = n.GetInts("dilations");
                long inH = xs.Length == 4 ? xs[2] : 1, inW = xs[xs.Length - 1];
                long outH = ys.Length == 4 ? ys[2] : 1, outW = ys[ys.Length - 1];
                // Entry c holds the multiplier and shift of x_scale / (y_scale · c); entry 0 (no tap) gives the zero point.
                w.Line("global::System.ReadOnlySpan<int> multipliers = " + context.ConstantTable("multipliers", "int", multipliers) + ";");
                w.Line("global::System.ReadOnlySpan<byte> shifts = new byte[] { " + QuantizedConvEmitter.IntList(shifts) + " };");
                using (w.Block("for (int plane = 0; plane < " + I(planes) + "; plane++)"))
                {
                    w.Line("var input = x.Slice(plane * " + I(inH * inW) + ", " + I(inH * inW) + ");");
                    w.Line("var output = y.Slice(plane * " + I(outH * outW) + ", " + I(outH * outW) + ");");
                    using (w.Block("for (int oh = 0; oh < " + I(outH) + "; oh++)"))
                    using (w.Block("for (int ow = 0; ow < " + I(outW) + "; ow++)"))
                    {
                        w.Line("int acc = 0, count = 0;");
                        using (w.Block("for (int kh = 0; kh < " + I(k[0]) + "; kh++)"))
                        {
                            w.Line("int ih = " + Expr.Sum(-p[0], Expr.Mul("oh", s[0]), Expr.Mul("kh", d[0])) + ";");
                            w.Line("if (ih < 0 || ih >= " + I(inH) + ") continue;");
                            using (w.Block("for (int kw = 0; kw < " + I(k[1]) + "; kw++)"))
                            {
                                w.Line("int iw = " + Expr.Sum(-p[1], Expr.Mul("ow", s[1]), Expr.Mul("kw", d[1])) + ";");
                                w.Line("if (iw < 0 || iw >= " + I(inW) + ") continue;");
                                w.Line("acc += input[ih * " + I(inW) + " + iw] - " + xZero + ";");
                                if (!includePad) w.Line("count++;");
                            }
                        }
                        if (includePad)
                        {
                            // Pad taps count (they hold the real value zero), taps past the end padding (ceil_mode overhang) do not.
                            w.Line("int hEnd = global::System.Math.Min(oh * " + I(s[0]) + " + " + I((k[0] - 1) * d[0] + 1) + ", " + I(inH + p[0] + p[2]) + ") - oh * " + I(s[0]) + ";");
                            w.Line("int wEnd = global::System.Math.Min(ow * " + I(s[1]) + " + " + I((k[1] - 1) * d[1] + 1) + ", " + I(inW + p[1] + p[3]) + ") - ow * " + I(s[1]) + ";");
                            w.Line("count = ((hEnd - 1) / " + I(d[0]) + " + 1) * ((wEnd - 1) / " + I(d[1]) + " + 1);");
                        }
                        w.Line("long q = Requantize(acc, multipliers[count], shifts[count]) + " + yZero + ";");
                        w.Line("output[oh * " + I(outW) + " + ow] = (" + type + ")global::System.Math.Clamp(q, " + clamp + ");");
                    }
                }
            }
            w.Line();
            foreach (string line in Requantization.CSharpSource.Split('\n')) w.Line(line);
        }
    }
}
