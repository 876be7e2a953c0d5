using System.Collections.Generic;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;

namespace EdgeAot.Compiler.Passes
{
    /// <summary>
    /// The QDQ patterns of <see cref="QdqFusion"/> beyond Conv/MatMul/Gemm: DequantizeLinear → Add,
    /// Mul, AveragePool or GlobalAveragePool → QuantizeLinear (per-tensor scales and zero points,
    /// build-time constants) becomes QLinearAdd / QLinearMul / QLinearAveragePool /
    /// QLinearGlobalAveragePool. An operand may also be a constant that a DequantizeLinear of int8
    /// data produced (folded at build time). Any pattern the integer kernel cannot take stays float.
    /// </summary>
    internal static class QdqOperatorFusion
    {
        public static bool Handles(string opType) => opType is "Add" or "Mul" or "AveragePool" or "GlobalAveragePool" || MovesData(opType);

        /// <summary>Ops that only move elements: with the same scale and zero point on both sides they run on the integers unchanged.</summary>
        private static bool MovesData(string opType) => opType is "Reshape" or "Flatten" or "Squeeze" or "Unsqueeze" or "Transpose" or "Concat";

        public static (Node Replacement, Node Quantize)? TryFuse(Node node, Graph graph, Dictionary<Value, Node> producers,
            Dictionary<Value, List<Node>> consumers, LoweringContext context)
        {
            var output = node.Outputs[0];
            if (node.Attributes.Contains("activation") || node.Attributes.Contains(BinaryElementwiseOperator.BroadcastAxis)) return null;
            if (graph.IsGraphOutput(output) || !consumers.TryGetValue(output, out var readers) || readers.Count != 1) return null;
            var quantize = readers[0];
            if (quantize.OpType != "QuantizeLinear" || quantize.Inputs[0] != output) return null;
            if (!QdqFusion.ScalarConstant(quantize.Input(1), out double yScale) || !QdqFusion.ScalarZero(quantize.Input(2), out long yZero)) return null;
            var yType = quantize.Outputs[0].Type;
            if (yType is not (DataType.Int8 or DataType.UInt8)) return null;

            if (MovesData(node.OpType)) return RetypeDataMovement(node, producers, quantize, yScale, yZero, yType);

            bool binary = node.OpType is "Add" or "Mul";
            var operands = new List<(Value Q, double Scale, long Zero, string? Dequantize)>();
            for (int i = 0; i < (binary ? 2 : 1); i++)
            {
                var operand = Operand(node.Input(i), producers);
                if (operand is null) return null;
                operands.Add(operand.Value);
            }
            if (binary && operands[0].Q.Type != operands[1].Q.Type) return null;
            if (!binary && operands[0].Q.Type != yType) return null;

            string opType = node.OpType switch
            {
                "Add" => "QLinearAdd",
                "Mul" => "QLinearMul",
                "AveragePool" => "QLinearAveragePool",
                _ => "QLinearGlobalAveragePool",
            };
            var fused = new Node(node.Name, opType, "com.microsoft", new List<Value?>(), new List<Value> { quantize.Outputs[0] },
                binary ? new AttributeSet() : node.Attributes.Clone()) { OpsetVersion = 1 };
            foreach (var o in operands) if (o.Dequantize is not null) fused.FusedFrom.Add(o.Dequantize);
            fused.FusedFrom.AddRange(node.FusedFrom);
            fused.FusedFrom.Add(quantize.Name);
            try
            {
                if (binary)
                {
                    QLinearBinaryOperator.Configure(fused, context, node.OpType == "Add", operands[0].Q, operands[0].Scale, operands[0].Zero,
                        operands[1].Q, operands[1].Scale, operands[1].Zero, yScale, yZero, yType, float.NegativeInfinity, float.PositiveInfinity);
                }
                else
                {
                    var x = operands[0].Q;
                    if (node.OpType == "AveragePool" && x.Rank != 4) return null; // 1-D windows were widened to 2-D attributes
                    QLinearPoolOperator.Configure(fused, context, node.OpType == "GlobalAveragePool", x, operands[0].Scale, operands[0].Zero, yScale, yZero, yType,
                        node.OpType == "AveragePool" ? output.Shape : null);
                }
            }
            catch (ModelException)
            {
                return null; // e.g. a scale ratio outside the fixed-point range: keep the float path the graph describes
            }
            return (fused, quantize);
        }

        /// <summary>
        /// DQ → Reshape/Concat/... → Q where every DQ has the Q's type, scale and zero point: Q(DQ(x)) = x
        /// exactly (|x − zero| ≤ 255, so the float round trip cannot move it by a step), so the op
        /// moves the integers themselves. Differing parameters would need a requantization: float stays.
        /// </summary>
        private static (Node Replacement, Node Quantize)? RetypeDataMovement(Node node, Dictionary<Value, Node> producers, Node quantize, double yScale, long yZero, DataType yType)
        {
            var inputs = new List<Value?>(node.Inputs);
            int dataInputs = node.OpType == "Concat" ? node.Inputs.Count : 1;
            var dequantizers = new List<string>();
            for (int i = 0; i < dataInputs; i++)
            {
                var operand = Operand(node.Input(i), producers);
                if (operand is not { } o || o.Q.Type != yType || o.Scale != yScale || o.Zero != yZero) return null;
                inputs[i] = o.Q;
                if (o.Dequantize is not null) dequantizers.Add(o.Dequantize);
            }
            var moved = new Node(node.Name, node.OpType, node.Domain, inputs, new List<Value> { quantize.Outputs[0] }, node.Attributes.Clone()) { OpsetVersion = node.OpsetVersion };
            moved.FusedFrom.AddRange(dequantizers);
            moved.FusedFrom.AddRange(node.FusedFrom);
            moved.FusedFrom.Add(quantize.Name);
            return (moved, quantize);
        }

        /// <summary>An int8/uint8 tensor with per-tensor constant scale and zero point behind a float operand.</summary>
        private static (Value Q, double Scale, long Zero, string? Dequantize)? Operand(Value? value, Dictionary<Value, Node> producers)
        {
            if (value is null) return null;
            if (producers.TryGetValue(value, out var dequantize))
            {
                if (dequantize.OpType != "DequantizeLinear") return null;
                var q = dequantize.Inputs[0]!;
                if (q.Type is not (DataType.Int8 or DataType.UInt8)) return null;
                if (!QdqFusion.ScalarConstant(dequantize.Input(1), out double scale) || !QdqFusion.ScalarZero(dequantize.Input(2), out long zero)) return null;
                return (q, scale, zero, dequantize.Name);
            }
            if (value.IsConstant && value.Quantized is { } origin && origin.Type is DataType.Int8 or DataType.UInt8 && origin.Scales.Length == 1
                && origin.Scales[0] > 0 && !float.IsInfinity(origin.Scales[0]))
            {
                var bytes = new byte[origin.Values.Length];
                for (int i = 0; i < bytes.Length; i++) bytes[i] = unchecked((byte)origin.Values[i]);
                return (new Value(value.Name, origin.Type, value.Shape, bytes), origin.Scales[0], origin.ZeroPoints[0], null);
            }
            return null;
        }
    }
}
