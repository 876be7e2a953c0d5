using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Integer matrix product: QLinearMatMul (requantized int8/uint8 out) and MatMulInteger (int32
    /// out); QDQ MatMul/Gemm patterns are rewritten to QLinearMatMul by <see cref="Passes.QdqFusion"/>.
    /// A's leading dimensions are flattened into rows; B is 2-D ([K, N], or [N, K] with transB).
    /// Lowered form: inputs [a, b, bias?]; attributes transB, a_zero_point, b_zero_points (1 or N),
    /// and for QLinearMatMul multipliers, shifts (1 or N), y_zero_point, output_min, output_max; wide.
    /// </summary>
    public sealed class QuantizedMatMulOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "QLinearMatMul", "MatMulInteger" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override int MinOpset => 10;

        public override void Lower(Node node, LoweringContext context)
        {
            bool requantize = node.OpType == "QLinearMatMul";
            var a = context.Required(node, 0);
            var b = context.Required(node, requantize ? 3 : 1);
            // Run-time scales or zero points, per-row a zero points and batched B take the run-time-parameter kernel.
            if ((requantize ? RuntimeQuantizedOperator.AnyRuntime(node, 1, 2, 4, 5, 6, 7) : RuntimeQuantizedOperator.AnyRuntime(node, 2, 3))
                || b.Rank != 2 || node.Input(2) is { ElementCount: > 1 })
            {
                RuntimeQuantizedOperator.LowerMatMul(node, context);
                return;
            }
            long aZero = QuantizedConvOperator.ScalarInt(node, context, requantize ? 2 : 2, 0);
            long[] bZero = node.Input(requantize ? 5 : 3) is not null ? context.ConstantInts(node, requantize ? 5 : 3) : new long[] { 0 };
            if (requantize)
            {
                double aScale = QuantizedConvOperator.ScalarFloat(node, context, 1);
                float[] bScales = context.ConstantFloats(node, 4);
                double yScale = QuantizedConvOperator.ScalarFloat(node, context, 6);
                var yZeroValue = node.Input(7);
                long yZero = yZeroValue is null ? 0 : QuantizedConvOperator.ScalarInt(node, context, 7, 0);
                Configure(node, context, a, aZero, b, transB: false, bZero, null, aScale, bScales, yScale, yZero, yZeroValue?.Type ?? DataType.UInt8, float.NegativeInfinity, float.PositiveInfinity);
            }
            else Configure(node, context, a, aZero, b, transB: false, bZero, null, 0, Array.Empty<float>(), 0, 0, DataType.Int32, 0, 0);
        }

        public static void Configure(Node node, LoweringContext context, Value a, long aZero, Value b, bool transB, long[] bZero, Value? bias,
            double aScale, float[] bScales, double yScale, long yZero, DataType yType, float clampMin, float clampMax)
        {
            bool requantize = yType != DataType.Int32;
            if (a.Type is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, a.Type);
            if (b.Type is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, b.Type);
            if (requantize && yType is not (DataType.Int8 or DataType.UInt8)) throw context.UnsupportedType(node, yType);
            if (b.Rank != 2) throw context.Unsupported(node, "B must be 2-D (batched B is not supported).");
            if (a.Rank < 1) throw context.Fail(node, "A must have rank 1 or more.");
            long k = a.Shape[a.Rank - 1];
            long kb = transB ? b.Shape[1] : b.Shape[0], n = transB ? b.Shape[0] : b.Shape[1];
            if (k != kb) throw context.Fail(node, "inner dimensions differ: A " + Shape.Format(a.Shape) + ", B " + Shape.Format(b.Shape) + ".");
            if (bZero.Length != 1 && bZero.Length != n) throw context.Fail(node, "b_zero_point must be per tensor or per column.");
            if (requantize && bScales.Length != 1 && bScales.Length != n) throw context.Fail(node, "b_scale must be per tensor or per column.");
            if (bias is not null && (bias.Type != DataType.Int32 || bias.ElementCount != n)) throw context.Fail(node, "the bias must be int32 with " + n + " elements.");
            if (!transB && b.IsConstant && a.Type == DataType.Int8 && b.Type == DataType.Int8)
            {
                // Constant int8 B is stored as [N, K]: each output is one contiguous dot product, so the
                // kernel needs no row of partial sums in the arena.
                b = Transposed(b, k, n);
                transB = true;
            }

            var (aMin, aMax) = QuantizeLinearOperator.Range(a.Type);
            long aReach = Math.Max(aZero - aMin, aMax - aZero);
            long[]? weights = b.IsConstant ? TensorData.ToInt64(b) : null;
            long[]? biases = bias is { IsConstant: true } ? TensorData.ToInt64(bias) : null;
            var bounds = new long[n];
            long worst = 0;
            for (long j = 0; j < n; j++)
            {
                long zero = bZero[bZero.Length == 1 ? 0 : j], sum = 0;
                for (long i = 0; i < k; i++) sum += weights is null ? 255 : Math.Abs(weights[transB ? j * k + i : i * n + j] - zero);
                bounds[j] = sum * aReach + (biases is null ? (bias is null ? 0 : int.MaxValue) : Math.Abs(biases[j]));
                worst = Math.Max(worst, bounds[j]);
            }

            var attrs = node.Attributes;
            foreach (var attribute in new List<Attribute>(attrs.All)) attrs.Remove(attribute.Name);
            attrs.Set(Attribute.FromInt("transB", transB ? 1 : 0));
            attrs.Set(Attribute.FromInt("a_zero_point", aZero));
            attrs.Set(Attribute.FromInts("b_zero_points", bZero));
            attrs.Set(Attribute.FromInt("wide", worst > int.MaxValue ? 1 : 0));
            if (requantize)
            {
                int channels = bScales.Length;
                var multipliers = new long[channels];
                var shifts = new long[channels];
                for (int j = 0; j < channels; j++)
                {
                    long bound = channels == 1 ? worst : bounds[j];
                    var (multiplier, shift) = Requantization.FromScale(aScale * bScales[j] / yScale, Math.Max(1, bound));
                    multipliers[j] = multiplier;
                    shifts[j] = shift;
                }
                attrs.Set(Attribute.FromInts("multipliers", multipliers));
                attrs.Set(Attribute.FromInts("shifts", shifts));
                attrs.Set(Attribute.FromInt("y_zero_point", yZero));
                var (lo, hi) = QuantizedConvOperator.OutputClamp(yType, yScale, yZero, clampMin, clampMax);
                attrs.Set(Attribute.FromInt("output_min", lo));
                attrs.Set(Attribute.FromInt("output_max", hi));
            }
            node.Inputs.Clear();
            node.Inputs.Add(a);
            node.Inputs.Add(b);
            if (bias is not null) node.Inputs.Add(bias);
            var shape = new List<long>();
            for (int i = 0; i < a.Rank - 1; i++) shape.Add(a.Shape[i]);
            shape.Add(n);
            context.SetOutput(node, 0, yType, shape.ToArray());
        }

        private static Value Transposed(Value b, long k, long n)
        {
            byte[] data = b.Data!, transposed = new byte[data.Length];
            for (long i = 0; i < k; i++)
                for (long j = 0; j < n; j++) transposed[j * k + i] = data[i * n + j];
            return new Value(b.Name + "_transposed", b.Type, new[] { n, k }, transposed);
        }

        /// <summary>int8 × int8 with an int32 accumulator and at most 4,096 columns runs the vector kernel (zero points expanded).</summary>
        public static bool UsesVectorKernel(DataType aType, DataType bType, bool wide, long columns)
            => !wide && aType == DataType.Int8 && bType == DataType.Int8 && columns <= 4096;

        /// <summary>
        /// The vector kernel keeps a row of int32 sums when B is [K, N] (rows of B added into it) and,
        /// when B or the bias is computed at run time, the per-column zero-point base.
        /// </summary>
        public override IReadOnlyList<ScratchBuffer> Scratch(Node node)
        {
            var a = node.Inputs[0]!;
            var b = node.Inputs[1]!;
            var bias = node.Input(2);
            bool transB = node.Attributes.GetInt("transB", 0) != 0;
            long n = transB ? b.Shape[0] : b.Shape[1];
            if (!UsesVectorKernel(a.Type, b.Type, node.Attributes.GetInt("wide", 0) != 0, n)) return ScratchBuffer.None;
            var parts = new List<ScratchBuffer>();
            if (!b.IsConstant || (bias is not null && !bias.IsConstant)) parts.Add(new ScratchBuffer("columnBase", DataType.Int32, n));
            if (!transB) parts.Add(new ScratchBuffer("sums", DataType.Int32, n));
            return parts;
        }

        public override long CountMacs(Node node)
        {
            var a = node.Inputs[0]!;
            return Shape.ElementCount(node.Outputs[0].Shape) * a.Shape[a.Rank - 1];
        }
    }
}
