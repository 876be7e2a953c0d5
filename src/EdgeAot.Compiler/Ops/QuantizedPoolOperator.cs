using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Integer average pooling: QLinearAveragePool and QLinearGlobalAveragePool (com.microsoft,
    /// NCHW only), and the QDQ pattern DequantizeLinear → AveragePool / GlobalAveragePool →
    /// QuantizeLinear rewritten by <see cref="Passes.QdqFusion"/>. Per output an integer sum of
    /// (x − x_zero) over the window, then y = round_half_even(sum · x_scale / (y_scale · count)) +
    /// y_zero, saturated, where count is the window's divisor; the real factor is a build-time
    /// fixed-point multiplier and shift per possible count, so no floating point runs.
    /// Lowered form: op type QLinearAveragePool, inputs [x]; attributes kernel_shape, strides,
    /// dilations, pads (2-D), count_include_pad, x_zero_point, y_zero_point, output_min,
    /// output_max, and multipliers/shifts indexed by count (entry 0 unused), or a single entry
    /// when every output has the same divisor.
    /// </summary>
    public sealed class QuantizedPoolOperator : OperatorDefinition
    {
        /// <summary>Largest window (taps) the per-count requantization table is built for.</summary>
        public const long MaxWindow = 1 << 16;

        public override IReadOnlyList<string> OpTypes { get; } = new[] { "QLinearAveragePool", "QLinearGlobalAveragePool" };

        public override string Domain => "com.microsoft";

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (node.Attributes.GetInt("channels_last", 0) != 0) throw context.Unsupported(node, "channels_last=1 is not supported.");
            double xScale = QuantizedConvOperator.ScalarFloat(node, context, 1);
            long xZero = QuantizedConvOperator.ScalarInt(node, context, 2, 0);
            double yScale = QuantizedConvOperator.ScalarFloat(node, context, 3);
            long yZero = QuantizedConvOperator.ScalarInt(node, context, 4, 0);
            if (node.Input(4) is { } yz && yz.Type != x.Type) throw context.Fail(node, "y_zero_point must have the element type of X.");
            if (x.Type is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, x.Type);
            if (x.Rank < 3) throw context.Fail(node, "X must have rank 3 or more.");
            var spatial = new long[x.Rank - 2];
            for (int i = 0; i < spatial.Length; i++) spatial[i] = x.Shape[i + 2];
            bool includePad;
            if (node.OpType == "QLinearGlobalAveragePool")
            {
                if (spatial.Length > 2) throw context.Unsupported(node, spatial.Length + "-D inputs are not supported (only 1-D and 2-D).");
                foreach (var a in new List<Attribute>(node.Attributes.All)) node.Attributes.Remove(a.Name);
                node.Attributes.Set(Attribute.FromInts("kernel_shape", spatial));
                includePad = false;
            }
            else includePad = node.Attributes.GetInt("count_include_pad", 0) != 0;
            var window = SpatialWindow.Resolve(node, context, spatial, null, node.Attributes.GetInt("ceil_mode", 0) != 0);
            var attrs = node.Attributes;
            foreach (var a in new List<Attribute>(attrs.All)) attrs.Remove(a.Name);
            window.WriteTo(attrs);
            node.OpType = "QLinearAveragePool";
            Configure(node, context, x, window.OutputShape(spatial.Length), xZero, xScale, yScale, yZero, x.Type, includePad);
        }

        /// <summary>
        /// Completes a node whose window attributes (kernel_shape, strides, dilations, 2-D pads) are
        /// already explicit: requantization table, zero points, clamp, output. Shared with QDQ fusion.
        /// </summary>
        public static void Configure(Node node, LoweringContext context, Value x, long[] outputSpatial, long xZero, double xScale, double yScale, long yZero, DataType yType, bool countIncludePad)
        {
            if (x.Type is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, x.Type);
            if (yType is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, yType);
            var a = node.Attributes;
            long[] k = a.GetInts("kernel_shape")!, s = a.GetInts("strides")!, d = a.GetInts("dilations")!, p = a.GetInts("pads")!;
            long inH = x.Rank == 4 ? x.Shape[2] : 1, inW = x.Shape[x.Rank - 1];
            long taps = k[0] * k[1];
            if (taps > MaxWindow) throw context.Unsupported(node, "windows of more than " + MaxWindow + " elements are not supported.");
            long outH = outputSpatial.Length == 2 ? outputSpatial[0] : 1, outW = outputSpatial[outputSpatial.Length - 1];

            // The divisor of every output position, as the float AveragePool computes it.
            var counts = new SortedSet<long>();
            for (long oh = 0; oh < outH; oh++)
            {
                for (long ow = 0; ow < outW; ow++)
                    counts.Add(Divisor(oh, s[0], k[0], d[0], p[0], p[2], inH, countIncludePad) * Divisor(ow, s[1], k[1], d[1], p[1], p[3], inW, countIncludePad));
            }
            var (xMin, xMax) = QuantizeLinearOperator.Range(x.Type);
            long bound = Math.Max(1, taps * Math.Max(xZero - xMin, xMax - xZero));
            // One entry when all outputs share a divisor (no padding, or padding counted), else one per count.
            bool uniform = counts.Count == 1;
            var multipliers = new long[uniform ? 1 : taps + 1];
            var shifts = new long[multipliers.Length];
            for (int i = 0; i < shifts.Length; i++) shifts[i] = 1; // unused entries (and count 0) requantize to zero
            foreach (long count in counts)
            {
                if (count == 0) continue; // a window entirely in the padding: the output is y_zero
                var (m, shift) = Requantization.FromScale(xScale / (yScale * count), bound);
                int slot = uniform ? 0 : (int)count;
                multipliers[slot] = m;
                shifts[slot] = shift;
            }
            a.Set(Attribute.FromInt("count_include_pad", countIncludePad ? 1 : 0));
            a.Set(Attribute.FromInt("x_zero_point", xZero));
            a.Set(Attribute.FromInt("y_zero_point", yZero));
            a.Set(Attribute.FromInts("multipliers", multipliers));
            a.Set(Attribute.FromInts("shifts", shifts));
            var (lo, hi) = QuantizeLinearOperator.Range(yType);
            a.Set(Attribute.FromInt("output_min", lo));
            a.Set(Attribute.FromInt("output_max", hi));
            node.Inputs.Clear();
            node.Inputs.Add(x);
            var shape = new List<long> { x.Shape[0], x.Shape[1] };
            shape.AddRange(outputSpatial);
            context.SetOutput(node, 0, yType, shape.ToArray());
        }

        /// <summary>Taps counted along one axis for output <paramref name="o"/>: in-bounds taps, or with count_include_pad every tap inside the padded extent.</summary>
        public static long Divisor(long o, long stride, long kernel, long dilation, long padBegin, long padEnd, long size, bool includePad)
        {
            long n = 0;
            for (long t = 0; t < kernel; t++)
            {
                long i = o * stride + t * dilation - padBegin;
                if (includePad ? i < size + padEnd : i >= 0 && i < size) n++;
            }
            return n;
        }

        public override long CountMacs(Node node) => 0;
    }
}
