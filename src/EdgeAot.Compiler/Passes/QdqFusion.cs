using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;

namespace EdgeAot.Compiler.Passes
{
    /// <summary>
    /// Lowers QDQ patterns to integer kernels: DequantizeLinear(x_q) → Conv / MatMul / Gemm (weights
    /// folded from DequantizeLinear of int8 constants, optional bias, fused Relu/Clip) →
    /// QuantizeLinear becomes one QLinearConv or QLinearMatMul whose zero points, fixed-point
    /// multipliers and clamp are all build-time constants. Anything else between a DQ and a Q
    /// stays in float, as the graph says.
    /// </summary>
    public static class QdqFusion
    {
        public static void Run(Graph graph, LoweringContext context)
        {
            var producers = graph.Producers();
            var consumers = graph.Consumers();
            for (int i = 0; i < graph.Nodes.Count; i++)
            {
                var node = graph.Nodes[i];
                var fused = node.OpType is "Conv" or "MatMul" or "Gemm" ? TryFuse(node, graph, producers, consumers, context)
                    : QdqOperatorFusion.Handles(node.OpType) ? QdqOperatorFusion.TryFuse(node, graph, producers, consumers, context)
                    : null;
                if (fused is null) continue;
                var (replacement, quantize) = fused.Value;
                graph.Nodes[i] = replacement;
                graph.Nodes.Remove(quantize);
                producers = graph.Producers();
                consumers = graph.Consumers();
            }
        }

        private static (Node Replacement, Node Quantize)? TryFuse(Node node, Graph graph, Dictionary<Value, Node> producers,
            Dictionary<Value, List<Node>> consumers, LoweringContext context)
        {
            var output = node.Outputs[0];
            if (graph.IsGraphOutput(output) || !consumers.TryGetValue(output, out var readers) || readers.Count != 1) return null;
            var quantize = readers[0];
            if (quantize.OpType != "QuantizeLinear" || quantize.Inputs[0] != output) return null;
            if (!ScalarConstant(quantize.Input(1), out double yScale) || !ScalarZero(quantize.Input(2), out long yZero)) return null;
            var yType = quantize.Outputs[0].Type;

            var x = node.Inputs[0];
            if (x is null || !producers.TryGetValue(x, out var dequantize) || dequantize.OpType != "DequantizeLinear") return null;
            var xq = dequantize.Inputs[0]!;
            if (xq.Type is not (DataType.Int8 or DataType.UInt8)) return null;
            if (!ScalarConstant(dequantize.Input(1), out double xScale) || !ScalarZero(dequantize.Input(2), out long xZero)) return null;

            var weights = node.Input(1);
            if (weights?.Quantized is not { } wq || wq.Type is not (DataType.Int8 or DataType.UInt8)) return null;

            float clampMin = float.NegativeInfinity, clampMax = float.PositiveInfinity;
            string activation = node.Attributes.GetString("activation", "");
            if (activation == "Clip")
            {
                clampMin = node.Attributes.GetFloat("activation_min", float.NegativeInfinity);
                clampMax = node.Attributes.GetFloat("activation_max", float.PositiveInfinity);
            }
            else if (activation.Length > 0) return null;

            bool transB = false;
            int channelAxis;
            long channels;
            if (node.OpType == "Conv")
            {
                channelAxis = 0;
                channels = weights.Shape[0];
            }
            else
            {
                if (weights.Rank != 2) return null;
                if (node.OpType == "Gemm")
                {
                    var a = node.Attributes;
                    if (a.GetInt("transA", 0) != 0 || a.GetFloat("alpha", 1) != 1 || a.GetFloat("beta", 1) != 1) return null;
                    transB = a.GetInt("transB", 0) != 0;
                }
                channelAxis = transB ? 0 : 1;
                channels = weights.Shape[channelAxis];
            }
            if (wq.Scales.Length != 1 && (wq.Axis != channelAxis || wq.Scales.Length != channels)) return null;

            var wValue = new Value(weights.Name, wq.Type, weights.Shape, Narrow(wq.Values));
            Value? bias = null;
            var b = node.Input(2);
            if (b is not null)
            {
                if (!b.IsConstant || b.ElementCount != channels) return null;
                bias = QuantizedBias(b, xScale, wq.Scales, channels);
                if (bias is null) return null;
            }

            var fused = new Node(node.Name, node.OpType == "Conv" ? "QLinearConv" : "QLinearMatMul", "", new List<Value?>(), new List<Value> { quantize.Outputs[0] },
                node.OpType == "Conv" ? node.Attributes.Clone() : new AttributeSet()) { OpsetVersion = node.OpsetVersion };
            fused.FusedFrom.Add(dequantize.Name);
            fused.FusedFrom.AddRange(node.FusedFrom);
            fused.FusedFrom.Add(quantize.Name);
            if (node.OpType == "Conv")
            {
                // Conv's lowered window attributes (explicit 2-D pads etc.) are valid QLinearConv input.
                fused.Attributes.Remove("activation");
                fused.Attributes.Remove("activation_min");
                fused.Attributes.Remove("activation_max");
                if (xq.Rank == 3) return null; // 1-D windows were widened to 2-D attributes; keep those in float
                QuantizedConvOperator.Configure(fused, context, xq, xZero, wValue, wq.ZeroPoints, bias, xScale, wq.Scales, yScale, yZero, yType, clampMin, clampMax);
            }
            else
            {
                QuantizedMatMulOperator.Configure(fused, context, xq, xZero, wValue, transB, wq.ZeroPoints, bias, xScale, wq.Scales, yScale, yZero, yType, clampMin, clampMax);
            }
            return (fused, quantize);
        }

        /// <summary>The bias as int32 in units of x_scale·w_scale: the folded int32 tensor when it already is one, else quantized here.</summary>
        private static Value? QuantizedBias(Value b, double xScale, float[] wScales, long channels)
        {
            var result = new byte[channels * 4];
            if (b.Quantized is { Type: DataType.Int32 } q && Matches(q, xScale, wScales))
            {
                for (int c = 0; c < channels; c++) TensorData.WriteInt64(result, DataType.Int32, c, q.Values[c] - q.ZeroPoints[q.ZeroPoints.Length == 1 ? 0 : c]);
                return new Value(b.Name, DataType.Int32, new[] { channels }, result);
            }
            float[] values = TensorData.ToFloat32(b);
            for (int c = 0; c < channels; c++)
            {
                double scaled = Math.Round(values[c] / (xScale * wScales[wScales.Length == 1 ? 0 : c]), MidpointRounding.ToEven);
                if (double.IsNaN(scaled) || Math.Abs(scaled) > int.MaxValue) return null;
                TensorData.WriteInt64(result, DataType.Int32, c, (long)scaled);
            }
            return new Value(b.Name, DataType.Int32, new[] { channels }, result);
        }

        private static bool Matches(QuantizedOrigin bias, double xScale, float[] wScales)
        {
            for (int c = 0; c < bias.Scales.Length; c++)
            {
                double expected = xScale * wScales[wScales.Length == 1 ? 0 : c];
                if (Math.Abs(bias.Scales[c] - expected) > 1e-6 * expected) return false;
            }
            return true;
        }

        private static byte[] Narrow(long[] values)
        {
            var bytes = new byte[values.Length];
            for (int i = 0; i < values.Length; i++) bytes[i] = unchecked((byte)values[i]);
            return bytes;
        }

        internal static bool ScalarConstant(Value? value, out double scalar)
        {
            scalar = 0;
            if (value is null || !value.IsConstant || value.ElementCount != 1 || value.Type != DataType.Float32) return false;
            scalar = TensorData.ToFloat32(value)[0];
            return scalar > 0 && !double.IsInfinity(scalar);
        }

        internal static bool ScalarZero(Value? value, out long zero)
        {
            zero = 0;
            if (value is null) return true;
            if (!value.IsConstant || value.ElementCount != 1) return false;
            zero = TensorData.ToInt64(value)[0];
            return true;
        }
    }
}
