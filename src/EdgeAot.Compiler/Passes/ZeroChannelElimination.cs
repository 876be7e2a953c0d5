using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Passes
{
    /// <summary>
    /// Removes the output channels of a float Conv that are identically zero — every weight of the
    /// channel is 0 and its bias is 0 after the fused activation, as structured pruning leaves them —
    /// when every consumer is a group-1 float Conv with constant weights. The channel leaves the
    /// producer's weights, bias and output, and the matching input channel leaves each consumer's
    /// weights, so both layers' MACs drop. Exact: a zero input channel adds nothing to a convolution,
    /// zero-padded borders included. Runs after <see cref="ActivationFusion"/>, which decides the
    /// activation a channel's bias goes through.
    /// </summary>
    public static class ZeroChannelElimination
    {
        public static void Run(Graph graph)
        {
            var consumers = graph.Consumers();
            foreach (var conv in graph.Nodes)
            {
                if (!IsConstantFloatGroupOneConv(conv)) continue;
                var y = conv.Outputs[0];
                if (graph.IsGraphOutput(y) || !consumers.TryGetValue(y, out var readers) || readers.Count == 0) continue;
                if (!readers.TrueForAll(r => IsConstantFloatGroupOneConv(r) && r.Inputs[0] == y)) continue;

                bool[] zero = ZeroChannels(conv);
                int kept = 0;
                foreach (bool z in zero) kept += z ? 0 : 1;
                if (kept == zero.Length || kept == 0) continue; // nothing to drop, or nothing would be left

                conv.Inputs[1] = KeepSlices(conv.Inputs[1]!, 0, zero);
                if (conv.Input(2) is { } bias) conv.Inputs[2] = KeepSlices(bias, 0, zero);
                var shape = (long[])y.Shape.Clone();
                shape[1] = kept;
                y.Shape = shape;
                foreach (var reader in readers) reader.Inputs[1] = KeepSlices(reader.Inputs[1]!, 1, zero);
            }
        }

        /// <summary>A float Conv over all input channels whose weights and bias are plain constants (not integer weights seen through Dequantize).</summary>
        private static bool IsConstantFloatGroupOneConv(Node node)
            => node.OpType == "Conv" && node.Domain.Length == 0 && node.Attributes.GetInt("group", 1) == 1
               && node.Inputs[0] is { Type: DataType.Float32, Rank: >= 3 }
               && node.Input(1) is { IsConstant: true, Type: DataType.Float32, Quantized: null }
               && node.Input(2) is null or { IsConstant: true, Type: DataType.Float32, Quantized: null };

        /// <summary>Channels whose output is 0 everywhere: all weights 0 and activation(bias) = 0.</summary>
        private static bool[] ZeroChannels(Node conv)
        {
            var w = conv.Inputs[1]!;
            float[] weights = TensorData.ToFloat32(w);
            float[] bias = conv.Input(2) is { } b ? TensorData.ToFloat32(b) : new float[w.Shape[0]];
            long perChannel = weights.Length / w.Shape[0];
            var zero = new bool[w.Shape[0]];
            for (int c = 0; c < zero.Length; c++)
            {
                bool allZero = ActivatedBias(conv, bias[c]) == 0;
                for (long j = c * perChannel; allZero && j < (c + 1) * perChannel; j++) allZero = weights[j] == 0;
                zero[c] = allZero;
            }
            return zero;
        }

        /// <summary>The channel's constant output when its weights are all 0; NaN when the activation is not one this pass evaluates.</summary>
        private static float ActivatedBias(Node conv, float bias)
        {
            switch (conv.Attributes.GetString("activation", ""))
            {
                case "":
                    return bias;
                case "Clip":
                    float min = conv.Attributes.GetFloat("activation_min", float.NegativeInfinity);
                    float max = conv.Attributes.GetFloat("activation_max", float.PositiveInfinity);
                    return bias < min ? min : bias > max ? max : bias;
                case "Tanh":
                    return bias == 0 ? 0 : float.NaN;
                default:
                    return float.NaN;
            }
        }

        /// <summary>A copy of <paramref name="value"/> without the slices along <paramref name="axis"/> that <paramref name="drop"/> marks.</summary>
        private static Value KeepSlices(Value value, int axis, bool[] drop)
        {
            long outer = 1, inner = 1;
            for (int d = 0; d < axis; d++) outer *= value.Shape[d];
            for (int d = axis + 1; d < value.Rank; d++) inner *= value.Shape[d];
            int keptCount = 0;
            foreach (bool d in drop) keptCount += d ? 0 : 1;
            long slice = inner * DataTypes.SizeOf(value.Type);
            byte[] data = value.Data!;
            var kept = new byte[outer * keptCount * slice];
            long at = 0;
            for (long o = 0; o < outer; o++)
            {
                for (int c = 0; c < drop.Length; c++)
                {
                    if (drop[c]) continue;
                    System.Array.Copy(data, (o * drop.Length + c) * slice, kept, at, slice);
                    at += slice;
                }
            }
            var shape = (long[])value.Shape.Clone();
            shape[axis] = keptCount;
            // A new constant: the original may be shared with nodes this pass does not change.
            return new Value(value.Name, value.Type, shape, kept);
        }
    }
}
