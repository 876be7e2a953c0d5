using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Passes
{
    /// <summary>
    /// Gemm / 2-D MatMul in float whose weights B are a build-time constant with many zeros (pruned
    /// here or elsewhere, e.g. torch.nn.utils.prune) becomes a <c>SparseGemm</c> when that pays:
    /// per output column the nonzero weights are stored as runs of consecutive rows (start row +
    /// packed values), so the kernel multiplies only nonzero weights, with vector dot products over
    /// each run. Inputs after the pass: A, values (f32 [nnz]), run starts (u16 or i32 [runs]),
    /// run offsets into values (i32 [runs+1]), column offsets into runs (i32 [N+1]), C (optional).
    /// Attributes: m, n, k, nonzeros, runs, alpha, beta, activation.
    /// </summary>
    public static class SparseGemmLowering
    {
        public const string OpType = "SparseGemm";

        /// <summary>Domain of the internal op, so a model cannot name it in the default domain.</summary>
        public const string Domain = "ai.edgeaot.internal";

        /// <summary>
        /// The sparse form is chosen only when it moves at most this share of the dense weight bytes
        /// (dense Gemm is bound by weight bandwidth) ...
        /// </summary>
        public const double MaxByteShare = 0.75;

        /// <summary>
        /// ... and its runs average at least this many weights: scattered single weights leave the
        /// kernel scalar, which loses to the dense SIMD kernel even at 90% zeros (measured on ad01:
        /// 50% unstructured sparsity ran 2.7x slower than dense). Block pruning (prune --block 8)
        /// produces long runs.
        /// </summary>
        public const double MinAverageRun = 4;

        public static void Run(Graph graph)
        {
            for (int i = 0; i < graph.Nodes.Count; i++)
            {
                var node = graph.Nodes[i];
                if (node.OpType is not ("Gemm" or "MatMul") || node.Domain.Length > 0) continue;
                var sparse = TryConvert(node);
                if (sparse is not null) graph.Nodes[i] = sparse;
            }
        }

        private static Node? TryConvert(Node node)
        {
            var a = node.Inputs[0];
            var b = node.Input(1);
            if (a is null || b is null || !b.IsConstant || b.Rank != 2 || a.Type != DataType.Float32 || b.Type != DataType.Float32) return null;
            if (a.Rank != 2 || node.Outputs[0].Type != DataType.Float32) return null;
            var attrs = node.Attributes;
            bool isGemm = node.OpType == "Gemm";
            if (isGemm && attrs.GetInt("transA", 0) != 0) return null;
            bool transB = isGemm && attrs.GetInt("transB", 0) != 0;
            long m = a.Shape[0], k = a.Shape[1];
            long n = transB ? b.Shape[0] : b.Shape[1];
            if ((transB ? b.Shape[1] : b.Shape[0]) != k || k > int.MaxValue || n > int.MaxValue || k == 0 || n == 0) return null;

            float[] w = TensorData.ToFloat32(b);
            float Weight(long t, long j) => transB ? w[j * k + t] : w[t * n + j];
            var values = new List<float>();
            var starts = new List<long>();
            var runOffsets = new List<long>();
            var columnOffsets = new long[n + 1];
            for (long j = 0; j < n; j++)
            {
                columnOffsets[j] = starts.Count;
                for (long t = 0; t < k; t++)
                {
                    if (Weight(t, j) == 0f) continue;
                    if (t == 0 || Weight(t - 1, j) == 0f)
                    {
                        starts.Add(t);
                        runOffsets.Add(values.Count);
                    }
                    values.Add(Weight(t, j));
                }
            }
            columnOffsets[n] = starts.Count;
            runOffsets.Add(values.Count);

            long nnz = values.Count, runs = starts.Count;
            DataType startType = k <= ushort.MaxValue + 1 ? DataType.UInt16 : DataType.Int32;
            long sparseBytes = nnz * 4 + runs * (DataTypes.SizeOf(startType) + 4) + (n + 1) * 4;
            if (sparseBytes > MaxByteShare * w.Length * 4 || (runs > 0 && (double)nnz / runs < MinAverageRun)) return null;

            var inputs = new List<Value?>
            {
                a,
                Constant(b.Name + "_nonzero_values", DataType.Float32, values.ConvertAll(v => (double)v)),
                Constant(b.Name + "_run_starts", startType, starts.ConvertAll(v => (double)v)),
                Constant(b.Name + "_run_offsets", DataType.Int32, runOffsets.ConvertAll(v => (double)v)),
                Constant(b.Name + "_column_offsets", DataType.Int32, new List<long>(columnOffsets).ConvertAll(v => (double)v)),
                isGemm ? node.Input(2) : null,
            };
            var sparse = new Node(node.Name, OpType, Domain, inputs, new List<Value>(node.Outputs), new AttributeSet()) { OpsetVersion = node.OpsetVersion };
            sparse.FusedFrom.AddRange(node.FusedFrom);
            sparse.Attributes.Set(Attribute.FromInt("m", m));
            sparse.Attributes.Set(Attribute.FromInt("n", n));
            sparse.Attributes.Set(Attribute.FromInt("k", k));
            sparse.Attributes.Set(Attribute.FromInt("nonzeros", nnz));
            sparse.Attributes.Set(Attribute.FromInt("runs", runs));
            sparse.Attributes.Set(Attribute.FromFloat("alpha", isGemm ? attrs.GetFloat("alpha", 1f) : 1f));
            sparse.Attributes.Set(Attribute.FromFloat("beta", isGemm ? attrs.GetFloat("beta", 1f) : 1f));
            foreach (string name in new[] { "activation", "activation_min", "activation_max" })
            {
                if (attrs.Find(name) is { } activation) sparse.Attributes.Set(activation);
            }
            return sparse;
        }

        /// <summary>A 1-D constant (at least one element, so an all-zero layer still has valid spans).</summary>
        private static Value Constant(string name, DataType type, List<double> values)
        {
            long count = Math.Max(1, values.Count);
            var data = new byte[count * DataTypes.SizeOf(type)];
            for (int i = 0; i < values.Count; i++) TensorData.Write(data, type, i, values[i]);
            return new Value(name, type, new[] { count }, data);
        }
    }
}
