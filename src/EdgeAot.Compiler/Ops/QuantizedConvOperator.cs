using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Integer convolution: QLinearConv (int8/uint8 in and out, requantized) and ConvInteger
    /// (int32 out). QDQ Conv patterns are rewritten to QLinearConv by <see cref="Passes.QdqFusion"/>.
    /// Lowered form: inputs [x, w, bias?]; attributes group, kernel_shape, strides, pads,
    /// dilations, x_zero_point, w_zero_points, and for QLinearConv multipliers, shifts,
    /// y_zero_point, output_min, output_max (the fused activation), plus wide = 1 when the
    /// accumulator bound proven from the weights does not fit int32.
    /// </summary>
    public sealed class QuantizedConvOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "QLinearConv", "ConvInteger" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override int MinOpset => 10;

        public override void Lower(Node node, LoweringContext context)
        {
            bool requantize = node.OpType == "QLinearConv";
            if (requantize ? RuntimeQuantizedOperator.AnyRuntime(node, 1, 2, 4, 5, 6, 7) : RuntimeQuantizedOperator.AnyRuntime(node, 2, 3))
            {
                RuntimeQuantizedOperator.LowerConv(node, context);
                return;
            }
            var x = context.Required(node, 0);
            var w = context.Required(node, requantize ? 3 : 1);
            Value? bias = requantize ? node.Input(8) : null;
            long xZero = ScalarInt(node, context, requantize ? 2 : 2, 0);
            long[] wZero = node.Input(requantize ? 5 : 3) is { } wz ? context.ConstantInts(node, requantize ? 5 : 3) : new long[] { 0 };
            if (requantize)
            {
                double xScale = ScalarFloat(node, context, 1);
                float[] wScales = context.ConstantFloats(node, 4);
                double yScale = ScalarFloat(node, context, 6);
                var yZeroValue = node.Input(7);
                long yZero = yZeroValue is null ? 0 : ScalarInt(node, context, 7, 0);
                var yType = yZeroValue?.Type ?? DataType.UInt8;
                Configure(node, context, x, xZero, w, wZero, bias, xScale, wScales, yScale, yZero, yType, float.NegativeInfinity, float.PositiveInfinity);
            }
            else Configure(node, context, x, xZero, w, wZero, null, 0, Array.Empty<float>(), 0, 0, DataType.Int32, 0, 0);
        }

        /// <summary>Validates and writes the lowered form; shared with QDQ fusion.</summary>
        public static void Configure(Node node, LoweringContext context, Value x, long xZero, Value w, long[] wZero, Value? bias,
            double xScale, float[] wScales, double yScale, long yZero, DataType yType, float clampMin, float clampMax)
        {
            bool requantize = yType != DataType.Int32;
            if (x.Type is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, x.Type);
            if (w.Type is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, w.Type);
            if (bias is not null && bias.Type != DataType.Int32) throw context.UnsupportedType(node, bias.Type);
            if (requantize && yType is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, yType);
            if (x.Rank < 3 || w.Rank != x.Rank) throw context.Fail(node, "x and w must have the same rank of at least 3.");
            long group = node.Attributes.GetInt("group", 1);
            long channels = x.Shape[1], filters = w.Shape[0];
            if (group < 1 || channels % group != 0 || filters % group != 0 || w.Shape[1] * group != channels)
                throw context.Fail(node, "group " + group + " is inconsistent with x " + Shape.Format(x.Shape) + " and w " + Shape.Format(w.Shape) + ".");
            if (wZero.Length != 1 && wZero.Length != filters) throw context.Fail(node, "w_zero_point must be per tensor or per output channel.");
            if (requantize && wScales.Length != 1 && wScales.Length != filters) throw context.Fail(node, "w_scale must be per tensor or per output channel.");
            if (bias is not null && bias.ElementCount != filters) throw context.Fail(node, "B must have " + filters + " elements.");

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
            attrs.Set(Attribute.FromInt("x_zero_point", xZero));
            attrs.Set(Attribute.FromInts("w_zero_points", wZero));

            // Accumulator bound per output channel, proven from the constant weights.
            long perFilter = Shape.ElementCount(w.Shape) / filters;
            var (xMin, xMax) = QuantizeLinearOperator.Range(x.Type);
            long xReach = Math.Max(xZero - xMin, xMax - xZero);
            long[]? weights = w.IsConstant ? TensorData.ToInt64(w) : null;
            long[]? biases = bias is { IsConstant: true } ? TensorData.ToInt64(bias) : null;
            long worst = 0;
            var bounds = new long[filters];
            for (long m = 0; m < filters; m++)
            {
                long zero = wZero[wZero.Length == 1 ? 0 : m];
                long sum = 0;
                for (long k = 0; k < perFilter; k++) sum += weights is null ? 255 : Math.Abs(weights[m * perFilter + k] - zero);
                bounds[m] = sum * xReach + (biases is null ? (bias is null ? 0 : int.MaxValue) : Math.Abs(biases[m]));
                worst = Math.Max(worst, bounds[m]);
            }
            attrs.Set(Attribute.FromInt("wide", worst > int.MaxValue ? 1 : 0));

            if (requantize)
            {
                var multipliers = new long[filters];
                var shifts = new long[filters];
                for (long m = 0; m < filters; m++)
                {
                    double scale = xScale * wScales[wScales.Length == 1 ? 0 : m] / yScale;
                    var (multiplier, shift) = Requantization.FromScale(scale, Math.Max(1, bounds[m]));
                    multipliers[m] = multiplier;
                    shifts[m] = shift;
                }
                attrs.Set(Attribute.FromInts("multipliers", multipliers));
                attrs.Set(Attribute.FromInts("shifts", shifts));
                attrs.Set(Attribute.FromInt("y_zero_point", yZero));
                var (lo, hi) = OutputClamp(yType, yScale, yZero, clampMin, clampMax);
                attrs.Set(Attribute.FromInt("output_min", lo));
                attrs.Set(Attribute.FromInt("output_max", hi));
            }

            node.Inputs.Clear();
            node.Inputs.Add(x);
            node.Inputs.Add(w);
            if (bias is not null) node.Inputs.Add(bias);
            var shape = new List<long> { x.Shape[0], filters };
            shape.AddRange(window.OutputShape(spatialRank));
            context.SetOutput(node, 0, yType, shape.ToArray());
        }

        /// <summary>The saturation range of the output type narrowed by a fused Relu/Clip, in the quantized domain.</summary>
        public static (long Min, long Max) OutputClamp(DataType yType, double yScale, long yZero, float clampMin, float clampMax)
        {
            var (lo, hi) = QuantizeLinearOperator.Range(yType);
            if (!float.IsNegativeInfinity(clampMin)) lo = Math.Max(lo, yZero + (long)Math.Round(clampMin / yScale, MidpointRounding.ToEven));
            if (!float.IsPositiveInfinity(clampMax)) hi = Math.Min(hi, yZero + (long)Math.Round(clampMax / yScale, MidpointRounding.ToEven));
            return (lo, Math.Max(lo, hi));
        }

        public override bool CanRunInPlaceWhenSmaller(Node node)
            => Kernel(node) == ConvKernels.DepthwisePlane
               && Shape.ByteSize(node.Inputs[0]!.Shape, node.Inputs[0]!.Type) == Shape.ByteSize(node.Outputs[0].Shape, node.Outputs[0].Type);

        public override void SelectKernel(Node node, long scratchBudgetBytes)
        {
            string kernel = Kernel(node);
            node.Attributes.Set(Attribute.FromString("kernel", kernel));
            if (kernel == ConvKernels.PackedGemm) node.Attributes.Set(Attribute.FromInt("tile", ConvKernels.IntegerTile(ConvOperator.Geometry(node), scratchBudgetBytes)));
            else if (kernel == ConvKernels.ChannelLastGemm && !Passes.Int8ChannelLastLayout.ReadsChannelLast(node))
                node.Attributes.Set(Attribute.FromInt("tile", ConvKernels.ChannelLastTile(ConvOperator.Geometry(node), scratchBudgetBytes)));
            else node.Attributes.Remove("tile");
        }

        public override IReadOnlyList<ScratchBuffer> Scratch(Node node)
        {
            var bias = node.Input(2);
            return ConvKernels.IntegerScratch(ConvOperator.Geometry(node), node.Attributes.GetString("kernel", ""), node.Attributes.GetInt("tile", 0),
                VectorRequantize(node), node.Inputs[1]!.IsConstant, bias is null || bias.IsConstant);
        }

        /// <summary>QLinearConv with int8 output requantizes whole rows with the vector helper; uint8 keeps the scalar store.</summary>
        public static bool VectorRequantize(Node node) => node.OpType == "QLinearConv" && node.Outputs[0].Type == DataType.Int8;

        private static string Kernel(Node node)
            => Passes.Int8ChannelLastLayout.WritesChannelLast(node) ? ConvKernels.ChannelLastKernel(node)!
            : ConvKernels.ChooseInteger(ConvOperator.Geometry(node), node.Inputs[0]!.Type, node.Inputs[1]!.Type,
                node.Attributes.GetInt("wide", 0) != 0, node.Attributes.GetInts("w_zero_points") ?? new long[] { 0 });

        public override long CountMacs(Node node)
        {
            var w = node.Inputs[1]!;
            return Shape.ElementCount(node.Outputs[0].Shape) * (Shape.ElementCount(w.Shape) / w.Shape[0]);
        }

        internal static long ScalarInt(Node node, LoweringContext context, int index, long absent)
        {
            if (node.Input(index) is null) return absent;
            long[] v = context.ConstantInts(node, index);
            if (v.Length != 1) throw context.Unsupported(node, "input " + index + " must be a scalar (per-tensor) constant.");
            return v[0];
        }

        internal static double ScalarFloat(Node node, LoweringContext context, int index)
        {
            float[] v = context.ConstantFloats(node, index);
            if (v.Length != 1) throw context.Unsupported(node, "input " + index + " must be a scalar (per-tensor) constant.");
            if (!(v[0] > 0) || float.IsInfinity(v[0])) throw context.Fail(node, "scales must be positive and finite.");
            return v[0];
        }
    }
}
