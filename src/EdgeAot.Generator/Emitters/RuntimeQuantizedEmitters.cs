using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// Run-time-parameter integer convolution (QLinearConv / ConvInteger whose scales or zero
    /// points are graph inputs): the zero points are read and the per-channel fixed-point
    /// multipliers derived once per call (the build-time rounding, see
    /// <see cref="RuntimeQuantizedOperator.MultiplierCSharpSource"/>); the loop itself is the same
    /// integer accumulation and requantization as the build-time kernel.
    /// </summary>
    internal sealed class RuntimeQuantizedConvEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { RuntimeQuantizedOperator.Conv, RuntimeQuantizedOperator.ConvInteger };

        public override string InputName(NodePlan node, int index) => RuntimeQuantizedNames.Input(index);

        public override string Describe(EmitContext context)
        {
            var n = context.Node;
            long[] k = n.GetInts("kernel_shape"), s = n.GetInts("strides");
            return "integer " + RuntimeQuantizedNames.Types(context) + ", " + k[0] + "x" + k[1] + ", stride " + s[0] + "x" + s[1] + ", group " + n.GetInt("group", 1)
                + ", run-time scales and zero points" + (n.GetInt("wide", 0) != 0 ? ", 64-bit accumulator" : "");
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
            bool requantize = n.OpType == RuntimeQuantizedOperator.Conv;
            string acc = n.GetInt("wide", 0) != 0 ? "long" : "int";
            string I(long v) => Literals.Int(v);
            var w = context.Writer;

            RuntimeQuantizedNames.EmitZeroPoint(context, 2, "xZeroPoint");
            string wz = RuntimeQuantizedNames.ZeroPointExpression(context, 3, "wZeroPoint", "m");
            string? channel = requantize ? RuntimeQuantizedNames.EmitMultipliers(context, filters, "m") : null;

            using (w.Block("for (int n = 0; n < " + I(batch) + "; n++)"))
            using (w.Block("for (int m = 0; m < " + I(filters) + "; m++)"))
            {
                w.Line("int firstChannel = " + Expr.Sum(0, Expr.Mul("n", channels), group == 1 ? "0" : Expr.Mul("m / " + I(fg), cg)) + ";");
                w.Line("var taps = w.Slice(m * " + I(cg * k[0] * k[1]) + ", " + I(cg * k[0] * k[1]) + ");");
                using (w.Block("for (int oh = 0; oh < " + I(outH) + "; oh++)"))
                using (w.Block("for (int ow = 0; ow < " + I(outW) + "; ow++)"))
                {
                    w.Line(acc + " acc = " + (context.HasInput(8) ? "bias[m]" : "0") + ";");
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
                                w.Line("acc += (input[ih * " + I(inW) + " + iw] - xZeroPoint) * (taps[(c * " + I(k[0]) + " + kh) * " + I(k[1]) + " + kw] - " + wz + ");");
                            }
                        }
                    }
                    string index = "((n * " + I(filters) + " + m) * " + I(outH) + " + oh) * " + I(outW) + " + ow";
                    RuntimeQuantizedNames.EmitStore(context, "y[" + index + "]", channel);
                }
            }
            RuntimeQuantizedNames.EmitHelpers(context, requantize);
        }
    }

    /// <summary>
    /// Run-time-parameter integer matrix product (QLinearMatMul / MatMulInteger with run-time
    /// scales or zero points, per-row A zero points, or batched B): numpy batch broadcasting through
    /// constant per-batch offsets, integer dot products, multipliers derived once per call.
    /// </summary>
    internal sealed class RuntimeQuantizedMatMulEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { RuntimeQuantizedOperator.MatMul, RuntimeQuantizedOperator.MatMulInteger };

        public override string InputName(NodePlan node, int index) => RuntimeQuantizedNames.MatMulInput(index);

        public override string Describe(EmitContext context)
            => "integer " + RuntimeQuantizedNames.Types(context) + ", run-time scales and zero points" + (context.Node.GetInt("wide", 0) != 0 ? ", 64-bit accumulator" : "");

        public override void EmitBody(EmitContext context)
        {
            var node = context.Node;
            long[] a = context.InputShape(0), b = context.InputShape(1);
            long m = a[a.Length - 2], k = a[a.Length - 1], n = b[b.Length - 1];
            long[] aOffsets = node.GetInts("batch_offsets_a"), bOffsets = node.GetInts("batch_offsets_b");
            bool requantize = node.OpType == RuntimeQuantizedOperator.MatMul;
            string acc = node.GetInt("wide", 0) != 0 ? "long" : "int";
            string I(long v) => Literals.Int(v);
            var w = context.Writer;

            string az = RuntimeQuantizedNames.ZeroPointExpression(context, 2, "aZeroPoint", "i");
            string bz = RuntimeQuantizedNames.ZeroPointExpression(context, 3, "bZeroPoint", "j");
            string? channel = requantize ? RuntimeQuantizedNames.EmitMultipliers(context, n, "j") : null;
            if (aOffsets.Length > 1)
            {
                w.Line("global::System.ReadOnlySpan<int> aOffsets = " + context.ConstantTable("aOffsets", "int", aOffsets) + ";");
                w.Line("global::System.ReadOnlySpan<int> bOffsets = " + context.ConstantTable("bOffsets", "int", bOffsets) + ";");
            }
            using (w.Block("for (int batch = 0; batch < " + I(aOffsets.Length) + "; batch++)"))
            {
                w.Line("var aMatrix = a.Slice(" + (aOffsets.Length > 1 ? "aOffsets[batch]" : "0") + ", " + I(m * k) + ");");
                w.Line("var bMatrix = b.Slice(" + (aOffsets.Length > 1 ? "bOffsets[batch]" : "0") + ", " + I(k * n) + ");");
                using (w.Block("for (int i = 0; i < " + I(m) + "; i++)"))
                {
                    w.Line("var row = aMatrix.Slice(i * " + I(k) + ", " + I(k) + ");");
                    using (w.Block("for (int j = 0; j < " + I(n) + "; j++)"))
                    {
                        w.Line(acc + " acc = 0;");
                        w.Line("for (int t = 0; t < " + I(k) + "; t++) acc += (row[t] - " + az + ") * (bMatrix[t * " + I(n) + " + j] - " + bz + ");");
                        RuntimeQuantizedNames.EmitStore(context, "y[(batch * " + I(m) + " + i) * " + I(n) + " + j]", channel);
                    }
                }
            }
            RuntimeQuantizedNames.EmitHelpers(context, requantize);
        }
    }

    /// <summary>DynamicQuantizeLinear: the uint8 range, scale and zero point come from the data (ONNX spec, float arithmetic).</summary>
    internal sealed class DynamicQuantizeLinearEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "DynamicQuantizeLinear" };

        public override string InputName(NodePlan node, int index) => "x";

        public override string OutputName(NodePlan node, int index) => index switch { 0 => "y", 1 => "yScale", _ => "yZeroPoint" };

        public override string Describe(EmitContext context) => "uint8, scale and zero point from the data range";

        public override void EmitBody(EmitContext context)
        {
            string count = Literals.Int(context.Input(0).ElementCount);
            var w = context.Writer;
            w.Line("float max = 0f, min = 0f; // the range always includes zero");
            using (w.Block("for (int i = 0; i < " + count + "; i++)"))
            {
                w.Line("max = global::System.MathF.Max(max, x[i]);");
                w.Line("min = global::System.MathF.Min(min, x[i]);");
            }
            w.Line("float scale = (max == min ? 1f : max - min) / 255f;");
            w.Line("float zeroPoint = global::System.MathF.Round(global::System.Math.Clamp(0f - min / scale, 0f, 255f), global::System.MidpointRounding.ToEven);");
            w.Line("yScale[0] = scale;");
            w.Line("yZeroPoint[0] = (byte)zeroPoint;");
            w.Line("for (int i = 0; i < " + count + "; i++) y[i] = (byte)global::System.Math.Clamp(global::System.MathF.Round(x[i] / scale, global::System.MidpointRounding.ToEven) + zeroPoint, 0f, 255f);");
        }
    }

    /// <summary>Code shared by the run-time-parameter integer kernels (input layout of <see cref="RuntimeQuantizedOperator"/>).</summary>
    internal static class RuntimeQuantizedNames
    {
        private static readonly string[] Names = { "x", "w", "xZero", "wZero", "xScale", "wScale", "yScale", "yZero", "bias" };
        private static readonly string[] MatMulNames = { "a", "b", "aZero", "bZero", "aScale", "bScale", "yScale", "yZero", "bias" };

        public static string Input(int index) => Names[index];

        public static string MatMulInput(int index) => MatMulNames[index];

        public static string Types(EmitContext context)
            => context.Input(0).Type.ToString().ToLowerInvariant() + " x " + context.Input(1).Type.ToString().ToLowerInvariant();

        private static string Name(EmitContext context, int index)
            => context.Node.OpType is RuntimeQuantizedOperator.MatMul or RuntimeQuantizedOperator.MatMulInteger ? MatMulNames[index] : Names[index];

        /// <summary>Declares <paramref name="local"/> as the scalar zero point of input <paramref name="index"/> (0 when absent).</summary>
        public static void EmitZeroPoint(EmitContext context, int index, string local)
            => context.Line("int " + local + " = " + (context.HasInput(index) ? Name(context, index) + "[0]" : "0") + ";");

        /// <summary>The expression for a zero point that may be per row/column (indexed by <paramref name="axis"/>) or scalar.</summary>
        public static string ZeroPointExpression(EmitContext context, int index, string local, string axis)
        {
            if (context.HasInput(index) && context.Input(index).ElementCount > 1) return Name(context, index) + "[" + axis + "]";
            EmitZeroPoint(context, index, local);
            return local;
        }

        /// <summary>Derives one multiplier and shift per output channel into arena scratch (channels ≤ <see cref="RuntimeQuantizedOperator.MaxChannels"/>).</summary>
        public static string EmitMultipliers(EmitContext context, long channels, string axis)
        {
            var w = context.Writer;
            string xScale = Name(context, 4), wScale = Name(context, 5);
            bool perChannel = context.Input(5).ElementCount > 1;
            long bound = context.Node.GetInt("accumulator_bound", 0);
            EmitZeroPoint(context, 7, "yZeroPoint");
            w.Line("// The fixed-point multipliers follow the scales fed at run time; derived once per call.");
            context.DeclareScratch("multipliers", perChannel ? channels : 1);
            context.DeclareScratch("shifts", perChannel ? channels : 1);
            using (w.Block("for (int c = 0; c < " + Literals.Int(perChannel ? channels : 1) + "; c++)"))
            {
                w.Line("var (multiplier, shift) = QuantizationMultiplier((double)" + xScale + "[0] * " + wScale + "[c] / yScale[0], " + Literals.Long(bound) + ");");
                w.Line("multipliers[c] = multiplier;");
                w.Line("shifts[c] = shift;");
            }
            return perChannel ? axis : "0";
        }

        /// <summary>Writes the accumulator to <paramref name="target"/>: requantized and saturated, or as int32.</summary>
        public static void EmitStore(EmitContext context, string target, string? channel)
        {
            if (channel is null)
            {
                context.Line(target + " = unchecked((int)acc);");
                return;
            }
            var output = context.Output(0);
            string range = output.Type == DataType.Int8 ? "-128, 127" : "0, 255";
            string c = channel;
            context.Line("long q = Requantize(acc, multipliers[" + c + "], shifts[" + c + "]) + yZeroPoint;");
            context.Line(target + " = (" + EmitContext.ElementType(output) + ")global::System.Math.Clamp(q, " + range + ");");
        }

        public static void EmitHelpers(EmitContext context, bool requantize)
        {
            if (!requantize) return;
            context.Line();
            foreach (string line in Requantization.CSharpSource.Split('\n')) context.Line(line);
            context.Line();
            foreach (string line in RuntimeQuantizedOperator.MultiplierCSharpSource.Split('\n')) context.Line(line);
        }
    }
}
