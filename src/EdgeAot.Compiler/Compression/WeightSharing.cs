using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;

namespace EdgeAot.Compiler.Compression
{
    /// <summary>
    /// Weight sharing: the float weights of each Conv, Gemm and MatMul are clustered by 1-D
    /// k-means (Lloyd's iterations from evenly spaced centroids, so the result is deterministic)
    /// into at most 16 or 256 centroids. The ONNX model stores a uint8 index per weight plus the
    /// float codebook, decoded by Cast → Gather, which every ONNX runtime executes. EdgeAot's compiler
    /// recognises the few distinct weight values of a Gemm/MatMul and keeps 4- or 8-bit indices plus
    /// the codebook in the generated class, decoded inside the kernel
    /// (<see cref="Passes.CompressedWeightLowering"/>); Conv weights are still decoded at build time.
    /// </summary>
    public static class WeightSharing
    {
        public static byte[] Share(byte[] modelBytes, int clusters, CompileOptions options, List<string> notes)
        {
            if (clusters is not (16 or 256)) throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, "weight sharing uses 16 or 256 centroids.");
            var editor = new OnnxGraphEditor(modelBytes, options);
            int shared = 0;
            foreach (var node in editor.Graph.Node.ToArray())
            {
                if (node.Domain.Length > 0 || node.OpType is not ("Conv" or "Gemm" or "MatMul") || node.Input.Count < 2) continue;
                string name = node.Input[1];
                var w = editor.FloatInitializer(name, out long[] dims);
                if (w is null || w.Length <= clusters || editor.Consumers(name).Count > 1) continue;
                var (codebook, indices) = Cluster(w, clusters);
                string book = editor.AddFloats(name + "_codebook", new long[] { codebook.Length }, codebook);
                string idx = editor.AddInitializer(name + "_indices", DataType.UInt8, dims, indices);
                string wide = editor.UniqueName(name + "_indices_int32");
                string decoded = editor.UniqueName(name + "_shared");
                int at = editor.Graph.Node.IndexOf(node);
                var before = at > 0 ? editor.Graph.Node[at - 1] : null;
                var cast = editor.InsertAfter(before, "Cast", name + "_Cast", new[] { idx }, new[] { wide }, OnnxAttribute.Int("to", (long)DataType.Int32));
                editor.InsertAfter(cast, "Gather", name + "_Gather", new[] { book, wide }, new[] { decoded }, OnnxAttribute.Int("axis", 0));
                node.Input[1] = decoded;
                notes.Add(Pruner.Label(node) + ": " + w.Length + " weights -> " + codebook.Length + " centroids");
                shared++;
            }
            if (shared == 0) throw new ModelException(DiagnosticCatalog.CompressionUnsupported, "no Conv, Gemm or MatMul weights larger than the codebook to share.");
            editor.RemoveUnusedInitializers();
            return editor.ToBytes();
        }

        /// <summary>1-D k-means: the codebook (ascending, unused centroids dropped) and each value's index.</summary>
        public static (float[] Codebook, byte[] Indices) Cluster(float[] values, int clusters)
        {
            float min = float.PositiveInfinity, max = float.NegativeInfinity;
            foreach (float v in values)
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
            var centroids = new double[clusters];
            for (int c = 0; c < clusters; c++) centroids[c] = clusters == 1 ? min : min + (max - min) * c / (clusters - 1);
            var assignment = new int[values.Length];
            for (int iteration = 0; iteration < 50; iteration++)
            {
                bool changed = iteration == 0;
                for (int i = 0; i < values.Length; i++)
                {
                    int best = Nearest(centroids, values[i]);
                    if (best != assignment[i]) changed = true;
                    assignment[i] = best;
                }
                var sums = new double[clusters];
                var counts = new long[clusters];
                for (int i = 0; i < values.Length; i++)
                {
                    sums[assignment[i]] += values[i];
                    counts[assignment[i]]++;
                }
                for (int c = 0; c < clusters; c++)
                {
                    if (counts[c] > 0) centroids[c] = sums[c] / counts[c];
                }
                Array.Sort(centroids);
                if (!changed) break;
            }
            for (int i = 0; i < values.Length; i++) assignment[i] = Nearest(centroids, values[i]);
            // Keep only used centroids, in ascending order.
            var used = new bool[clusters];
            foreach (int a in assignment) used[a] = true;
            var remap = new int[clusters];
            var book = new List<float>();
            for (int c = 0; c < clusters; c++)
            {
                if (!used[c]) continue;
                remap[c] = book.Count;
                book.Add((float)centroids[c]);
            }
            var indices = new byte[values.Length];
            for (int i = 0; i < values.Length; i++) indices[i] = (byte)remap[assignment[i]];
            return (book.ToArray(), indices);
        }

        private static int Nearest(double[] sorted, double v)
        {
            int lo = 0, hi = sorted.Length - 1;
            while (lo < hi)
            {
                int mid = (lo + hi) / 2;
                if (v > (sorted[mid] + sorted[mid + 1]) / 2) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }
    }
}
