using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// QLinearAdd and QLinearMul (com.microsoft, the ONNX Runtime quantizer's QOperator form; QDQ
    /// Add/Mul patterns are rewritten to them by <see cref="Passes.QdqFusion"/>):
    /// C = quantize(dequantize(A) op dequantize(B)) with numpy broadcasting, computed in integers.
    /// Add: round_half_even(((a − a_zero)·m_a + (b − b_zero)·m_b) / 2^shift) + c_zero, where
    /// m_a / 2^shift ≈ a_scale / c_scale and m_b / 2^shift ≈ b_scale / c_scale share one shift.
    /// Mul: round_half_even((a − a_zero)(b − b_zero)·m / 2^shift) + c_zero, m / 2^shift ≈ a_scale·b_scale / c_scale.
    /// Inputs A, A_scale, A_zero_point?, B, B_scale, B_zero_point?, C_scale, C_zero_point?; the
    /// scales and zero points must be per-tensor build-time constants. Lowered form: inputs [A, B];
    /// attributes a_zero_point, b_zero_point, y_zero_point, multiplier_a, multiplier_b (Add) or
    /// multiplier (Mul), shift, output_min, output_max.
    /// </summary>
    public sealed class QLinearBinaryOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "QLinearAdd", "QLinearMul" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override string Domain => "com.microsoft";

        public override void Lower(Node node, LoweringContext context)
        {
            var a = context.Required(node, 0);
            var b = context.Required(node, 3);
            double aScale = QuantizedConvOperator.ScalarFloat(node, context, 1);
            long aZero = QuantizedConvOperator.ScalarInt(node, context, 2, 0);
            double bScale = QuantizedConvOperator.ScalarFloat(node, context, 4);
            long bZero = QuantizedConvOperator.ScalarInt(node, context, 5, 0);
            double cScale = QuantizedConvOperator.ScalarFloat(node, context, 6);
            long cZero = QuantizedConvOperator.ScalarInt(node, context, 7, 0);
            if (node.Input(7) is { } cz && cz.Type != a.Type) throw context.Fail(node, "C_zero_point must have the element type of A.");
            Configure(node, context, node.OpType == "QLinearAdd", a, aScale, aZero, b, bScale, bZero, cScale, cZero, a.Type, float.NegativeInfinity, float.PositiveInfinity);
        }

        /// <summary>Validates and writes the lowered form; shared with QDQ fusion.</summary>
        public static void Configure(Node node, LoweringContext context, bool add, Value a, double aScale, long aZero, Value b, double bScale, long bZero,
            double yScale, long yZero, DataType yType, float clampMin, float clampMax)
        {
            if (a.Type is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, a.Type);
            if (b.Type != a.Type) throw context.Fail(node, "A and B must have the same element type.");
            if (yType is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, yType);
            var output = Shape.Broadcast(a.Shape, b.Shape)
                ?? throw context.Fail(node, "input shapes " + Shape.Format(a.Shape) + " and " + Shape.Format(b.Shape) + " cannot be broadcast together.");
            var attrs = node.Attributes;
            foreach (var attribute in new List<Attribute>(attrs.All)) attrs.Remove(attribute.Name);
            attrs.Set(Attribute.FromInt("a_zero_point", aZero));
            attrs.Set(Attribute.FromInt("b_zero_point", bZero));
            attrs.Set(Attribute.FromInt("y_zero_point", yZero));
            try
            {
                if (add)
                {
                    var (ma, mb, shift) = SharedShift(aScale / yScale, bScale / yScale, 2 * 255);
                    attrs.Set(Attribute.FromInt("multiplier_a", ma));
                    attrs.Set(Attribute.FromInt("multiplier_b", mb));
                    attrs.Set(Attribute.FromInt("shift", shift));
                }
                else
                {
                    var (m, shift) = Requantization.FromScale(aScale * bScale / yScale, 255 * 255);
                    attrs.Set(Attribute.FromInt("multiplier", m));
                    attrs.Set(Attribute.FromInt("shift", shift));
                }
            }
            catch (ArgumentOutOfRangeException)
            {
                throw context.Unsupported(node, "the ratio of the scales is outside the fixed-point range.");
            }
            var (lo, hi) = QuantizedConvOperator.OutputClamp(yType, yScale, yZero, clampMin, clampMax);
            attrs.Set(Attribute.FromInt("output_min", lo));
            attrs.Set(Attribute.FromInt("output_max", hi));
            node.Inputs.Clear();
            node.Inputs.Add(a);
            node.Inputs.Add(b);
            context.SetOutput(node, 0, yType, (long[])output.Clone());
        }

        /// <summary>
        /// Two ratios as multipliers over one power of two: the larger gets the full multiplier
        /// precision of <see cref="Requantization.FromScale"/> (for a sum bounded by
        /// <paramref name="bound"/>), the smaller the same shift, so the sum is rounded once.
        /// </summary>
        public static (long MultiplierA, long MultiplierB, int Shift) SharedShift(double ratioA, double ratioB, long bound)
        {
            var (_, shift) = Requantization.FromScale(Math.Max(ratioA, ratioB), bound);
            double power = Math.Pow(2, shift);
            return ((long)Math.Round(ratioA * power, MidpointRounding.ToEven), (long)Math.Round(ratioB * power, MidpointRounding.ToEven), shift);
        }
    }

    /// <summary>
    /// QLinearAveragePool and QLinearGlobalAveragePool (com.microsoft; QDQ AveragePool /
    /// GlobalAveragePool patterns are rewritten to them): y = round_half_even(Σ(x − x_zero)·s / count)
    /// + y_zero with s = x_scale / y_scale, NCHW only (channels_last = 0), 1-D or 2-D windows.
    /// The per-window divisor is folded into a table of fixed-point multipliers indexed by the
    /// number of taps counted. Lowered form: input [X]; attributes x_zero_point, y_zero_point,
    /// multipliers, shifts (index = count; for the global pool one entry), and for the windowed pool
    /// kernel_shape, strides, dilations, pads, count_include_pad.
    /// </summary>
    public sealed class QLinearPoolOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "QLinearAveragePool", "QLinearGlobalAveragePool" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override string Domain => "com.microsoft";

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            double xScale = QuantizedConvOperator.ScalarFloat(node, context, 1);
            long xZero = QuantizedConvOperator.ScalarInt(node, context, 2, 0);
            double yScale = QuantizedConvOperator.ScalarFloat(node, context, 3);
            long yZero = QuantizedConvOperator.ScalarInt(node, context, 4, 0);
            if (node.Input(4) is { } yz && yz.Type != x.Type) throw context.Fail(node, "y_zero_point must have the element type of X.");
            if (node.Attributes.GetInt("channels_last", 0) != 0) throw context.Unsupported(node, "channels_last=1 (NHWC) is not supported.");
            Configure(node, context, node.OpType == "QLinearGlobalAveragePool", x, xScale, xZero, yScale, yZero, x.Type, null);
        }

        /// <summary>
        /// Validates and writes the lowered form. <paramref name="loweredOutputShape"/> is set by QDQ
        /// fusion, whose float AveragePool already carries the resolved 2-D window attributes.
        /// </summary>
        public static void Configure(Node node, LoweringContext context, bool global, Value x, double xScale, long xZero, double yScale, long yZero, DataType yType,
            long[]? loweredOutputShape)
        {
            if (x.Type is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, x.Type);
            if (yType is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, yType);
            if (x.Rank < 3) throw context.Fail(node, "X must have rank 3 or more.");
            var attrs = node.Attributes;
            var shape = new List<long> { x.Shape[0], x.Shape[1] };
            long maxCount;
            if (global)
            {
                maxCount = 1;
                for (int i = 2; i < x.Rank; i++)
                {
                    maxCount *= x.Shape[i];
                    shape.Add(1);
                }
                foreach (var a in new List<Attribute>(attrs.All)) attrs.Remove(a.Name);
            }
            else if (loweredOutputShape is not null)
            {
                long[] kernel = attrs.GetInts("kernel_shape")!;
                maxCount = kernel[0] * kernel[1];
                shape = new List<long>(loweredOutputShape);
            }
            else
            {
                if (x.Rank > 4) throw context.Unsupported(node, (x.Rank - 2) + "-D windows are not supported (only 1-D and 2-D).");
                var spatial = new long[x.Rank - 2];
                for (int i = 0; i < spatial.Length; i++) spatial[i] = x.Shape[i + 2];
                bool ceilMode = attrs.GetInt("ceil_mode", 0) != 0;
                long includePad = attrs.GetInt("count_include_pad", 0) != 0 ? 1 : 0;
                var window = SpatialWindow.Resolve(node, context, spatial, null, ceilMode);
                foreach (var a in new List<Attribute>(attrs.All)) attrs.Remove(a.Name);
                window.WriteTo(attrs);
                attrs.Set(Attribute.FromInt("count_include_pad", includePad));
                maxCount = window.Kernel[0] * window.Kernel[1];
                shape.AddRange(window.OutputShape(spatial.Length));
            }
            // The windowed pool keeps one multiplier per possible tap count in a table.
            if (maxCount > (global ? 1L << 40 : 65536)) throw context.Unsupported(node, "the pooling window has too many elements (" + maxCount + ").");
            var multipliers = new long[global ? 1 : maxCount + 1];
            var shifts = new long[multipliers.Length];
            shifts[0] = 1; // the windowed pool's entry 0 (no tap counted) has multiplier 0: the output is the zero point
            try
            {
                for (long count = global ? maxCount : 1; count <= maxCount; count++)
                {
                    var (m, shift) = Requantization.FromScale(xScale / yScale / count, 255 * count);
                    int slot = global ? 0 : (int)count;
                    multipliers[slot] = m;
                    shifts[slot] = shift;
                }
            }
            catch (ArgumentOutOfRangeException)
            {
                throw context.Unsupported(node, "the ratio of the scales is outside the fixed-point range.");
            }
            attrs.Set(Attribute.FromInt("x_zero_point", xZero));
            attrs.Set(Attribute.FromInt("y_zero_point", yZero));
            attrs.Set(Attribute.FromInts("multipliers", multipliers));
            attrs.Set(Attribute.FromInts("shifts", shifts));
            node.Inputs.Clear();
            node.Inputs.Add(x);
            context.SetOutput(node, 0, yType, shape.ToArray());
        }
    }
}
