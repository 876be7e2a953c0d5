using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// The run-time-parameter variants of the integer convolution and matrix product, for graphs
    /// that feed scales or zero points as graph inputs (or computed tensors) instead of
    /// initializers. QLinearConv / ConvInteger / QLinearMatMul / MatMulInteger nodes whose
    /// parameters are not all build-time constants are rewritten here to internal op types
    /// (<c>QLinearConvRuntime</c>, <c>ConvIntegerRuntime</c>, <c>QLinearMatMulRuntime</c>,
    /// <c>MatMulIntegerRuntime</c>). Their kernels read the zero points at run time and derive the
    /// fixed-point multiplier and shift once per call with <see cref="MultiplierCSharpSource"/>, the
    /// same rounding as <see cref="Requantization.FromScale"/>; the inner loop stays integer.
    /// Lowered input layout (absent ones null): [x, w, x_zero, w_zero, x_scale, w_scale, y_scale,
    /// y_zero, bias]; attributes accumulator_bound (worst case over all values of the operand types),
    /// wide, and the conv window / group, or the matmul batch_offsets_a / batch_offsets_b.
    /// </summary>
    public sealed class RuntimeQuantizedOperator : OperatorDefinition
    {
        public const string Conv = "QLinearConvRuntime";
        public const string ConvInteger = "ConvIntegerRuntime";
        public const string MatMul = "QLinearMatMulRuntime";
        public const string MatMulInteger = "MatMulIntegerRuntime";

        /// <summary>Per-channel multipliers are derived into arena scratch of this many entries at most.</summary>
        public const long MaxChannels = 8192;

        public override IReadOnlyList<string> OpTypes { get; } = new[] { Conv, ConvInteger, MatMul, MatMulInteger };

        // These op types exist only after lowering; a model that names one directly is refused.
        public override void Lower(Node node, LoweringContext context)
            => throw context.Unsupported(node, "this operator name is internal to EdgeAot.");

        /// <summary>The fixed-point multiplier and shift per output channel (one when the weight scale is per tensor), derived each call.</summary>
        public override IReadOnlyList<ScratchBuffer> Scratch(Node node)
        {
            if (node.OpType is not (Conv or MatMul)) return ScratchBuffer.None;
            var output = node.Outputs[0];
            long channels = node.Input(5)!.ElementCount > 1 ? output.Shape[node.OpType == Conv ? 1 : output.Rank - 1] : 1;
            return new[] { new ScratchBuffer("multipliers", DataType.Int64, channels), new ScratchBuffer("shifts", DataType.Int32, channels) };
        }

        public override long CountMacs(Node node)
        {
            var w = node.Inputs[1]!;
            if (node.OpType is Conv or ConvInteger)
                return Shape.ElementCount(node.Outputs[0].Shape) * (Shape.ElementCount(w.Shape) / w.Shape[0]);
            var a = node.Inputs[0]!;
            return Shape.ElementCount(node.Outputs[0].Shape) * a.Shape[a.Rank - 1];
        }

        /// <summary>True when any of the given inputs is present and not a build-time constant.</summary>
        public static bool AnyRuntime(Node node, params int[] indices)
        {
            foreach (int i in indices)
            {
                if (node.Input(i) is { IsConstant: false }) return true;
            }
            return false;
        }

        /// <summary>Lowers QLinearConv (inputs x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B) or ConvInteger (x, w, x_zp, w_zp).</summary>
        public static void LowerConv(Node node, LoweringContext context)
        {
            bool requantize = node.OpType == "QLinearConv";
            var x = context.Required(node, 0);
            var w = context.Required(node, requantize ? 3 : 1);
            var xZero = node.Input(2);
            var wZero = node.Input(requantize ? 5 : 3);
            var xScale = requantize ? context.Required(node, 1) : null;
            var wScale = requantize ? context.Required(node, 4) : null;
            var yScale = requantize ? context.Required(node, 6) : null;
            var yZero = requantize ? node.Input(7) : null;
            var bias = requantize ? node.Input(8) : null;

            if (x.Type is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, x.Type);
            if (w.Type is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, w.Type);
            if (x.Rank is not (3 or 4) || w.Rank != x.Rank) throw context.Unsupported(node, "only 1-D and 2-D convolutions are supported (x and w of rank 3 or 4).");
            long group = node.Attributes.GetInt("group", 1);
            long channels = x.Shape[1], filters = w.Shape[0];
            if (group < 1 || channels % group != 0 || filters % group != 0 || w.Shape[1] * group != channels)
                throw context.Fail(node, "group " + group + " is inconsistent with x " + Shape.Format(x.Shape) + " and w " + Shape.Format(w.Shape) + ".");
            if (filters > MaxChannels) throw context.Unsupported(node, "more than " + MaxChannels + " output channels with run-time scales.");
            CheckZero(node, context, xZero, x.Type, 1, "x_zero_point");
            CheckZero(node, context, wZero, w.Type, filters, "w_zero_point");
            DataType yType = DataType.Int32;
            if (requantize)
            {
                CheckScale(node, context, xScale!, 1, "x_scale");
                CheckScale(node, context, wScale!, filters, "w_scale");
                CheckScale(node, context, yScale!, 1, "y_scale");
                yType = yZero?.Type ?? DataType.UInt8;
                if (yType is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, yType);
                CheckZero(node, context, yZero, yType, 1, "y_zero_point");
                if (bias is not null && bias.Type != DataType.Int32) throw context.UnsupportedType(node, bias.Type);
                if (bias is not null && (bias.Rank != 1 || bias.ElementCount != filters)) throw context.Fail(node, "B must be 1-D with " + filters + " elements.");
            }

            int spatialRank = x.Rank - 2;
            var spatial = new long[spatialRank];
            var kernel = new long[spatialRank];
            for (int i = 0; i < spatialRank; i++)
            {
                spatial[i] = x.Shape[i + 2];
                kernel[i] = w.Shape[i + 2];
            }
            var window = SpatialWindow.Resolve(node, context, spatial, kernel, ceilMode: false);
            var attrs = node.Attributes;
            foreach (var a in new List<Attribute>(attrs.All)) attrs.Remove(a.Name);
            window.WriteTo(attrs);
            attrs.Set(Attribute.FromInt("group", group));
            long perFilter = Shape.ElementCount(w.Shape) / filters;
            SetBound(node, context, perFilter, bias is not null);

            Rewrite(node, requantize ? Conv : ConvInteger, x, w, xZero, wZero, xScale, wScale, yScale, yZero, bias);
            var shape = new List<long> { x.Shape[0], filters };
            shape.AddRange(window.OutputShape(spatialRank));
            context.SetOutput(node, 0, yType, shape.ToArray());
        }

        /// <summary>Lowers QLinearMatMul (a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp) or MatMulInteger (A, B, a_zp, b_zp) with numpy batch broadcasting.</summary>
        public static void LowerMatMul(Node node, LoweringContext context)
        {
            bool requantize = node.OpType == "QLinearMatMul";
            var a = context.Required(node, 0);
            var b = context.Required(node, requantize ? 3 : 1);
            var aZero = node.Input(2);
            var bZero = node.Input(requantize ? 5 : 3);
            var aScale = requantize ? context.Required(node, 1) : null;
            var bScale = requantize ? context.Required(node, 4) : null;
            var yScale = requantize ? context.Required(node, 6) : null;
            var yZero = requantize ? node.Input(7) : null;

            if (a.Type is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, a.Type);
            if (b.Type is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, b.Type);
            if (a.Rank < 2 || b.Rank < 2) throw context.Unsupported(node, "1-D operands are not supported with run-time parameters.");
            long m = a.Shape[a.Rank - 2], k = a.Shape[a.Rank - 1], n = b.Shape[b.Rank - 1];
            if (b.Shape[b.Rank - 2] != k) throw context.Fail(node, "inner dimensions differ: A " + Shape.Format(a.Shape) + ", B " + Shape.Format(b.Shape) + ".");
            if (n > MaxChannels) throw context.Unsupported(node, "more than " + MaxChannels + " columns with run-time scales.");
            CheckZero(node, context, aZero, a.Type, m, "a_zero_point");
            CheckZero(node, context, bZero, b.Type, n, "b_zero_point");
            DataType yType = DataType.Int32;
            if (requantize)
            {
                CheckScale(node, context, aScale!, 1, "a_scale");
                CheckScale(node, context, bScale!, n, "b_scale");
                CheckScale(node, context, yScale!, 1, "y_scale");
                yType = yZero?.Type ?? DataType.UInt8;
                if (yType is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, yType);
                CheckZero(node, context, yZero, yType, 1, "y_zero_point");
            }

            // Batch dimensions broadcast numpy-style; each output matrix reads one A and one B matrix.
            int batchRank = Math.Max(a.Rank, b.Rank) - 2;
            var aBatch = Broadcasting.Align(Slice(a.Shape, a.Rank - 2), batchRank, batchRank - (a.Rank - 2));
            var bBatch = Broadcasting.Align(Slice(b.Shape, b.Rank - 2), batchRank, batchRank - (b.Rank - 2));
            var batch = new long[batchRank];
            for (int i = 0; i < batchRank; i++)
            {
                if (aBatch[i] != bBatch[i] && aBatch[i] != 1 && bBatch[i] != 1)
                    throw context.Fail(node, "batch dimensions do not broadcast: A " + Shape.Format(a.Shape) + ", B " + Shape.Format(b.Shape) + ".");
                batch[i] = Math.Max(aBatch[i], bBatch[i]);
            }
            long batches = Shape.ElementCount(batch);
            if (batches > 65536) throw context.Unsupported(node, "more than 65536 batched matrices.");
            var aStrides = Broadcasting.Strides(aBatch, batch);
            var bStrides = Broadcasting.Strides(bBatch, batch);
            var aOffsets = new long[batches];
            var bOffsets = new long[batches];
            for (long i = 0; i < batches; i++)
            {
                aOffsets[i] = Broadcasting.Offset(i, batch, aStrides) * m * k;
                bOffsets[i] = Broadcasting.Offset(i, batch, bStrides) * k * n;
            }

            var attrs = node.Attributes;
            foreach (var attribute in new List<Attribute>(attrs.All)) attrs.Remove(attribute.Name);
            attrs.Set(Attribute.FromInts("batch_offsets_a", aOffsets));
            attrs.Set(Attribute.FromInts("batch_offsets_b", bOffsets));
            SetBound(node, context, k, hasBias: false);

            Rewrite(node, requantize ? MatMul : MatMulInteger, a, b, aZero, bZero, aScale, bScale, yScale, yZero, null);
            var shape = new List<long>(batch) { m, n };
            context.SetOutput(node, 0, yType, shape.ToArray());
        }

        /// <summary>
        /// Worst-case accumulator magnitude over every value the operand types allow (the weights
        /// and zero points are unknown at build time): 255·255 per product, plus any int32 bias.
        /// </summary>
        private static void SetBound(Node node, LoweringContext context, long products, bool hasBias)
        {
            long bound = 255L * 255L * products + (hasBias ? int.MaxValue + 1L : 0);
            if (products > (1L << 40) || bound >= 1L << 54) throw context.Unsupported(node, "the reduction is too long for a 64-bit accumulator.");
            node.Attributes.Set(Attribute.FromInt("accumulator_bound", bound));
            node.Attributes.Set(Attribute.FromInt("wide", bound > int.MaxValue ? 1 : 0));
        }

        private static void Rewrite(Node node, string opType, Value x, Value w, Value? xZero, Value? wZero, Value? xScale, Value? wScale, Value? yScale, Value? yZero, Value? bias)
        {
            node.OpType = opType;
            node.Inputs.Clear();
            node.Inputs.AddRange(new[] { x, w, xZero, wZero, xScale, wScale, yScale, yZero, bias });
            while (node.Inputs.Count > 0 && node.Inputs[node.Inputs.Count - 1] is null) node.Inputs.RemoveAt(node.Inputs.Count - 1);
        }

        private static void CheckZero(Node node, LoweringContext context, Value? zero, DataType type, long perAxis, string name)
        {
            if (zero is null) return;
            if (zero.Type != type) throw context.Fail(node, name + " must have the element type of its operand (" + type + ").");
            if (zero.Rank > 1 || zero.ElementCount != 1 && zero.ElementCount != perAxis)
                throw context.Unsupported(node, name + " must be a scalar" + (perAxis > 1 ? " or have " + perAxis + " elements" : "") + ".");
        }

        private static void CheckScale(Node node, LoweringContext context, Value scale, long perAxis, string name)
        {
            if (scale.Type != DataType.Float32) throw context.UnsupportedType(node, scale.Type);
            if (scale.Rank > 1 || scale.ElementCount != 1 && scale.ElementCount != perAxis)
                throw context.Unsupported(node, name + " must be a scalar" + (perAxis > 1 ? " or have " + perAxis + " elements" : "") + ".");
        }

        private static long[] Slice(long[] shape, int count)
        {
            var result = new long[count];
            Array.Copy(shape, result, count);
            return result;
        }

        /// <summary>
        /// C# text of the run-time twin of <see cref="Requantization.FromScale"/> for generated kernels:
        /// the same normalization and rounding (tests compare the two), but a scale the build-time path
        /// would refuse gives multiplier 0 (not positive/finite: the output is the zero point) or the
        /// largest multiplier with shift 1 (too large: any nonzero accumulator saturates).
        /// </summary>
        public const string MultiplierCSharpSource =
            "static (long Multiplier, int Shift) QuantizationMultiplier(double scale, long accumulatorBound)\n" +
            "{\n" +
            "    if (!(scale > 0) || double.IsInfinity(scale)) return (0, 1);\n" +
            "    int boundBits = 1;\n" +
            "    while (boundBits < 63 && (1L << boundBits) <= accumulatorBound) boundBits++;\n" +
            "    int bits = global::System.Math.Min(31, 62 - boundBits);\n" +
            "    int exponent = 0;\n" +
            "    double mantissa = scale;\n" +
            "    while (mantissa >= 1) { mantissa /= 2; exponent++; }\n" +
            "    while (mantissa < 0.5) { mantissa *= 2; exponent--; }\n" +
            "    long multiplier = (long)global::System.Math.Round(mantissa * (1L << bits), global::System.MidpointRounding.ToEven);\n" +
            "    if (multiplier == 1L << bits) { multiplier >>= 1; exponent++; }\n" +
            "    int shift = bits - exponent;\n" +
            "    if (shift < 1) return ((1L << bits) - 1, 1);\n" +
            "    return (multiplier, global::System.Math.Min(shift, 63));\n" +
            "}";
    }
}
