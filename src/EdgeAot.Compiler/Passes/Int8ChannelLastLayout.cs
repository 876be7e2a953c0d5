using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Passes
{
    /// <summary>
    /// Chooses the channel-last (NHWC) layout for int8 activations that flow only between integer
    /// convolutions and whole-plane average pools, such as the depthwise + pointwise chain of a
    /// DS-CNN. In NCHW each channel of a small plane (KWS: 25×5) costs a copy in, a copy out and a
    /// requantization of padded rows; in NHWC a pointwise layer is a product of activation rows with
    /// build-time packed weights and a depthwise layer works on all channels of a pixel at once.
    /// </summary>
    /// <remarks>
    /// A tensor goes channel-last when its producer can write it that way and every consumer can read
    /// it: only the kernels <see cref="ConvKernels.ChannelLastGemm"/> and
    /// <see cref="ConvKernels.ChannelLastDepthwise"/> write it, and they, plus the whole-plane pools, read it.
    /// Graph inputs and outputs keep their ONNX layout, so the layout changes only inside a chain:
    /// the first convolution reads NCHW (gathering its patch) and writes NHWC, the pool reads NHWC and
    /// writes a 1×1 map, which is the same in both layouts. A channel-last tensor also stores each
    /// int8 value x as the byte x + 128 (x ^ 0x80): the unsigned operand of the 4-byte dot products
    /// (vpdpbusd), so no consumer flips its input. Node attributes record the choice:
    /// <c>x_channels_last</c> = 1 on a reader, <c>y_channels_last</c> = 1 on a writer. The tensor's
    /// shape stays the logical NCHW one; only the generated kernels see the byte order.
    /// </remarks>
    public static class Int8ChannelLastLayout
    {
        public const string InputAttribute = "x_channels_last";
        public const string OutputAttribute = "y_channels_last";

        public static void Run(Graph graph, bool enabled)
        {
            if (!enabled) return;
            var consumers = graph.Consumers();
            var candidates = new HashSet<Value>();
            foreach (var node in graph.Nodes)
            {
                if (!CanWrite(node, consumers)) continue;
                var y = node.Outputs[0];
                if (graph.IsGraphOutput(y) || !consumers.TryGetValue(y, out var readers) || readers.Count == 0) continue;
                if (readers.TrueForAll(r => CanRead(r, y, consumers))) candidates.Add(y);
            }

            // A convolution that reads NHWC also writes NHWC, and a depthwise layer needs NHWC on both
            // sides: drop tensors until both rules hold everywhere.
            bool changed = true;
            while (changed)
            {
                changed = false;
                foreach (var node in graph.Nodes)
                {
                    if (node.OpType != "QLinearConv") continue;
                    var x = node.Inputs[0]!;
                    var y = node.Outputs[0];
                    bool depthwise = IsDepthwise(node);
                    if (candidates.Contains(x) && !candidates.Contains(y)) changed |= candidates.Remove(x);
                    if (depthwise && candidates.Contains(y) && !candidates.Contains(x)) changed |= candidates.Remove(y);
                    // Only a pointwise layer reads NHWC rows directly; the patch gather of other layers reads NCHW.
                    if (candidates.Contains(x) && !depthwise && !ConvOperator.Geometry(node).IsPointwise) changed |= candidates.Remove(x);
                }
            }

            foreach (var node in graph.Nodes)
            {
                if (node.Inputs.Count > 0 && node.Inputs[0] is { } x && candidates.Contains(x)) node.Attributes.Set(Attribute.FromInt(InputAttribute, 1));
                if (candidates.Contains(node.Outputs[0])) node.Attributes.Set(Attribute.FromInt(OutputAttribute, 1));
            }
        }

        public static bool ReadsChannelLast(Node node) => node.Attributes.GetInt(InputAttribute, 0) != 0;

        public static bool WritesChannelLast(Node node) => node.Attributes.GetInt(OutputAttribute, 0) != 0;

        /// <summary>The node of a plan reads a channel-last input (its <c>x_channels_last</c> attribute).</summary>
        public static bool ReadsChannelLast(Plan.NodePlan node) => node.GetInt(InputAttribute, 0) != 0;

        private static bool IsDepthwise(Node node) => ConvOperator.Geometry(node).ChannelsPerGroup == 1 && node.Attributes.GetInt("group", 1) > 1;

        /// <summary>A QLinearConv whose channel-last kernel applies (see <see cref="ConvKernels.ChannelLastKernel"/>).</summary>
        private static bool CanWrite(Node node, Dictionary<Value, List<Node>> consumers)
        {
            if (node.OpType != "QLinearConv" || node.Inputs.Count < 2 || node.Inputs[0]!.Rank != 4) return false;
            var w = node.Inputs[1]!;
            var bias = node.Input(2);
            bool ownsWeights = w.IsConstant && consumers.TryGetValue(w, out var readers) && readers.Count == 1;
            return ownsWeights && (bias is null || bias.IsConstant) && ConvKernels.ChannelLastKernel(node) is not null;
        }

        private static bool CanRead(Node reader, Value x, Dictionary<Value, List<Node>> consumers)
        {
            if (reader.Inputs.Count == 0 || reader.Inputs[0] != x) return false;
            for (int i = 1; i < reader.Inputs.Count; i++) if (reader.Inputs[i] == x) return false;
            if (reader.OpType == "QLinearConv") return CanWrite(reader, consumers);
            return IsWholePlanePool(reader);
        }

        /// <summary>
        /// QLinearGlobalAveragePool, or a QLinearAveragePool whose one window is the unpadded plane
        /// (per channel a sum over all pixels, whatever their order), int8, channels a multiple of 8.
        /// </summary>
        public static bool IsWholePlanePool(Node node)
        {
            var x = node.Inputs[0];
            if (x is null || x.Rank != 4 || x.Type != DataType.Int8 || node.Outputs[0].Type != DataType.Int8) return false;
            // The channel-last pool sums eight channels at a time in int32 lanes.
            if (x.Shape[1] % 8 != 0 || 255 * x.Shape[2] * x.Shape[3] > int.MaxValue) return false;
            if (node.OpType == "QLinearGlobalAveragePool") return true;
            if (node.OpType != "QLinearAveragePool") return false;
            long[]? k = node.Attributes.GetInts("kernel_shape"), p = node.Attributes.GetInts("pads"), d = node.Attributes.GetInts("dilations");
            var ys = node.Outputs[0].Shape;
            return k is { Length: 2 } && p is { Length: 4 } && d is { Length: 2 } && ys.Length == 4 && ys[2] * ys[3] == 1
                && k[0] == x.Shape[2] && k[1] == x.Shape[3] && p[0] + p[1] + p[2] + p[3] == 0 && d[0] == 1 && d[1] == 1;
        }
    }
}
