using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Onnx;

namespace EdgeAot.Compiler.Compression
{
    /// <summary>
    /// Magnitude pruning of the float weights of Conv, Gemm and MatMul (constant initializers):
    /// <list type="bullet">
    /// <item>unstructured: in each layer the weights of smallest magnitude become 0 until the
    /// layer has the target sparsity (ties broken by position, so the result is deterministic);</item>
    /// <item>structured: the output channels with the smallest L1 norm lose all their weights and
    /// their bias, so a following layer sees a constant channel and the compiler can skip it.</item>
    /// </list>
    /// Pruning only writes zeros; the compiler exploits them (the sparse Gemm path skips them).
    /// </summary>
    public static class Pruner
    {
        public static byte[] Prune(byte[] modelBytes, double sparsity, double channelFraction, CompileOptions options, List<string> notes, int block = 1)
        {
            if (block < 1 || block > 4096) throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, "the pruning block size must be between 1 and 4096.");
            if (!(sparsity >= 0 && sparsity < 1)) throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, "the target sparsity must be in [0, 1).");
            if (!(channelFraction >= 0 && channelFraction < 1)) throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, "the fraction of channels to prune must be in [0, 1).");
            var editor = new OnnxGraphEditor(modelBytes, options);
            var done = new HashSet<string>(StringComparer.Ordinal);
            int layers = 0;
            foreach (var node in editor.Graph.Node)
            {
                if (node.Domain.Length > 0 || node.OpType is not ("Conv" or "Gemm" or "MatMul") || node.Input.Count < 2) continue;
                string wName = node.Input[1];
                if (done.Contains(wName) || editor.FloatInitializer(wName, out long[] dims) is not { } w) continue;
                if (dims.Length < 2) continue;
                if (editor.Consumers(wName).Count > 1)
                {
                    notes.Add(Label(node) + ": weights shared with other nodes are not pruned.");
                    continue;
                }
                done.Add(wName);
                layers++;
                int axis = node.OpType == "Conv" || (node.OpType == "Gemm" && OnnxGraphEditor.AttributeInt(node, "transB", 0) != 0) ? 0 : 1;
                if (channelFraction > 0 && ReachesGraphOutput(editor, node.Output[0]))
                {
                    notes.Add(Label(node) + ": output channels not pruned: they reach a graph output (they are the model's predictions, not features).");
                }
                else if (channelFraction > 0)
                {
                    var pruned = PruneChannels(w, dims, axis, channelFraction);
                    string bias = node.Input.Count > 2 ? node.Input[2] : "";
                    if (bias.Length > 0 && editor.FloatInitializer(bias, out long[] bDims) is { } b && b.Length == dims[axis] && editor.Consumers(bias).Count == 1)
                    {
                        foreach (int c in pruned) b[c] = 0;
                        editor.SetFloats(bias, bDims, b);
                    }
                    notes.Add(Label(node) + ": " + pruned.Count + " of " + dims[axis] + " output channels pruned");
                }
                if (sparsity > 0 && block == 1) PruneMagnitude(w, sparsity);
                else if (sparsity > 0) PruneBlocks(w, dims, axis, sparsity, block);
                editor.SetFloats(wName, dims, w);
                if (sparsity > 0) notes.Add(Label(node) + ": " + Zeros(w) + " of " + w.Length + " weights are zero");
            }
            if (layers == 0) throw new ModelException(DiagnosticCatalog.CompressionUnsupported, "no Conv, Gemm or MatMul with constant float weights to prune.");
            return editor.ToBytes();
        }

        /// <summary>Whether <paramref name="value"/> reaches a graph output without first passing through another Conv, Gemm or MatMul.</summary>
        private static bool ReachesGraphOutput(OnnxGraphEditor editor, string value)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>();
            pending.Push(value);
            while (pending.Count > 0)
            {
                string name = pending.Pop();
                if (!seen.Add(name)) continue;
                if (editor.IsGraphOutput(name)) return true;
                foreach (var consumer in editor.Consumers(name))
                {
                    if (consumer.OpType is "Conv" or "Gemm" or "MatMul") continue;
                    foreach (string output in consumer.Output) pending.Push(output);
                }
            }
            return false;
        }

        /// <summary>Zeroes the smallest-magnitude weights so that at least <paramref name="sparsity"/> of them are 0.</summary>
        public static void PruneMagnitude(float[] w, double sparsity)
        {
            int target = (int)Math.Round(w.Length * sparsity, MidpointRounding.AwayFromZero);
            var order = new int[w.Length];
            for (int i = 0; i < order.Length; i++) order[i] = i;
            Array.Sort(order, (x, y) =>
            {
                int c = Math.Abs(w[x]).CompareTo(Math.Abs(w[y]));
                return c != 0 ? c : x.CompareTo(y);
            });
            for (int i = 0; i < target; i++) w[order[i]] = 0;
        }

        /// <summary>
        /// Magnitude pruning in blocks of <paramref name="block"/> consecutive weights along the
        /// reduction (input) dimension of one output channel: the blocks of smallest L1 norm become 0
        /// until the target sparsity is reached. The zeros then form long runs that the compiler's
        /// sparse kernel multiplies with vector instructions.
        /// </summary>
        public static void PruneBlocks(float[] w, long[] dims, int axis, double sparsity, int block)
        {
            long channels = dims[axis];
            long reduction = w.Length / channels;
            if (axis != 0 && !(axis == 1 && dims.Length == 2)) throw new ArgumentException("blocks follow the output axis 0, or axis 1 of a 2-D [K, N] matrix.");
            // Element r of channel c's reduction vector: axis 0 → c·reduction + r; axis 1 of [K, N] → r·N + c.
            long Index(long c, long r) => axis == 0 ? c * reduction + r : r * channels + c;
            long perChannel = (reduction + block - 1) / block;
            var scores = new double[channels * perChannel];
            for (long c = 0; c < channels; c++)
            {
                for (long r = 0; r < reduction; r++) scores[c * perChannel + r / block] += Math.Abs(w[Index(c, r)]);
            }
            var order = new long[scores.Length];
            for (long i = 0; i < order.Length; i++) order[i] = i;
            Array.Sort(order, (x, y) =>
            {
                int cmp = scores[x].CompareTo(scores[y]);
                return cmp != 0 ? cmp : x.CompareTo(y);
            });
            long target = (long)Math.Round(w.Length * sparsity, MidpointRounding.AwayFromZero), zeroed = 0;
            foreach (long b in order)
            {
                if (zeroed >= target) break;
                long c = b / perChannel, first = b % perChannel * block;
                for (long r = first; r < Math.Min(reduction, first + block); r++)
                {
                    w[Index(c, r)] = 0;
                    zeroed++;
                }
            }
        }

        /// <summary>Zeroes whole output channels (smallest L1 norm first); returns the pruned channel indices.</summary>
        public static List<int> PruneChannels(float[] w, long[] dims, int axis, double fraction)
        {
            long channels = dims[axis];
            long inner = 1;
            for (int i = axis + 1; i < dims.Length; i++) inner *= dims[i];
            var norms = new double[channels];
            for (long i = 0; i < w.Length; i++) norms[i / inner % channels] += Math.Abs(w[i]);
            var order = new int[channels];
            for (int i = 0; i < order.Length; i++) order[i] = i;
            Array.Sort(order, (x, y) =>
            {
                int c = norms[x].CompareTo(norms[y]);
                return c != 0 ? c : x.CompareTo(y);
            });
            int count = (int)Math.Round(channels * fraction, MidpointRounding.AwayFromZero);
            var pruned = new List<int>();
            var set = new bool[channels];
            for (int i = 0; i < count; i++)
            {
                set[order[i]] = true;
                pruned.Add(order[i]);
            }
            for (long i = 0; i < w.Length; i++)
            {
                if (set[i / inner % channels]) w[i] = 0;
            }
            pruned.Sort();
            return pruned;
        }

        /// <summary>Op type and node name, or the output name when the node has none.</summary>
        public static string Label(NodeProto node)
            => node.OpType + " '" + (node.Name.Length > 0 ? node.Name : node.Output.Count > 0 ? node.Output[0] : "") + "'";

        private static int Zeros(float[] w)
        {
            int z = 0;
            foreach (float v in w) if (v == 0) z++;
            return z;
        }
    }
}
