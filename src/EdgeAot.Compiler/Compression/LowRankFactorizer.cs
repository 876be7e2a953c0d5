using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Onnx;

namespace EdgeAot.Compiler.Compression
{
    /// <summary>
    /// Low-rank factorization: the weight matrix W (outputs × inputs) of a Gemm, a 2-D MatMul or a
    /// 1×1 Conv is replaced by its truncated SVD, W ≈ (U_r·S_r)·V_rᵀ, as two layers — inputs → r
    /// then r → outputs (bias on the second). A layer is replaced only when r·(inputs + outputs)
    /// is below inputs·outputs, i.e. when MACs and weights really drop.
    /// </summary>
    public static class LowRankFactorizer
    {
        /// <param name="rank">Fixed rank, or 0 to use <paramref name="energy"/>.</param>
        /// <param name="energy">Smallest share of Σσ² to keep, in (0, 1].</param>
        public static byte[] Factorize(byte[] modelBytes, int rank, double energy, CompileOptions options, List<string> notes)
        {
            if (rank < 0 || (rank == 0 && !(energy > 0 && energy <= 1)))
                throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, "factorize needs --rank R (R ≥ 1) or --energy E with 0 < E ≤ 1.");
            var editor = new OnnxGraphEditor(modelBytes, options);
            int replaced = 0;
            foreach (var node in editor.Graph.Node.ToArray())
            {
                if (node.Domain.Length > 0 || node.Input.Count < 2) continue;
                var w = editor.FloatInitializer(node.Input[1], out long[] dims);
                if (w is null || editor.Consumers(node.Input[1]).Count > 1) continue;
                double[,]? matrix = node.OpType switch
                {
                    "Gemm" when dims.Length == 2 && OnnxGraphEditor.AttributeInt(node, "transA", 0) == 0 && OnnxGraphEditor.AttributeFloat(node, "alpha", 1) == 1
                        => OnnxGraphEditor.AttributeInt(node, "transB", 0) != 0 ? Matrix(w, dims[0], dims[1], false) : Matrix(w, dims[0], dims[1], true),
                    "MatMul" when dims.Length == 2 => Matrix(w, dims[0], dims[1], true),
                    "Conv" when dims.Length == 4 && dims[2] == 1 && dims[3] == 1 && OnnxGraphEditor.AttributeInt(node, "group", 1) == 1
                        => Matrix(w, dims[0], dims[1], false),
                    _ => null,
                };
                if (matrix is null) continue;
                int outputs = matrix.GetLength(0), inputs = matrix.GetLength(1);
                var (u, s, v) = Svd(matrix);
                int r = rank > 0 ? Math.Min(rank, s.Length) : RankForEnergy(s, energy);
                if ((long)r * (inputs + outputs) >= (long)inputs * outputs)
                {
                    notes.Add(Pruner.Label(node) + ": rank " + r + " would not save MACs (" + outputs + "x" + inputs + "), kept");
                    continue;
                }
                // First layer: inputs → r with V_rᵀ; second: r → outputs with U_r·S_r.
                var first = new float[r * inputs];
                var second = new float[outputs * r];
                for (int i = 0; i < r; i++)
                {
                    for (int j = 0; j < inputs; j++) first[i * inputs + j] = (float)v[j, i];
                    for (int o = 0; o < outputs; o++) second[o * r + i] = (float)(u[o, i] * s[i]);
                }
                Rewrite(editor, node, first, second, r, inputs, outputs);
                notes.Add(Pruner.Label(node) + ": " + outputs + "x" + inputs + " -> rank " + r + " (" + (long)r * (inputs + outputs) + " instead of " + (long)inputs * outputs + " MACs per position)");
                replaced++;
            }
            if (replaced == 0) notes.Add("no layer was factorized");
            editor.RemoveUnusedInitializers();
            return editor.ToBytes();
        }

        /// <summary>The smallest rank whose singular values keep at least <paramref name="energy"/> of Σσ².</summary>
        public static int RankForEnergy(double[] s, double energy)
        {
            double total = 0;
            foreach (double x in s) total += x * x;
            if (total == 0) return 1;
            double kept = 0;
            for (int i = 0; i < s.Length; i++)
            {
                kept += s[i] * s[i];
                if (kept >= energy * total * (1 - 1e-12)) return i + 1;
            }
            return s.Length;
        }

        private static void Rewrite(OnnxGraphEditor editor, NodeProto node, float[] first, float[] second, int r, int inputs, int outputs)
        {
            string hidden = editor.UniqueName(node.Output[0] + "_low_rank");
            string name = node.Name.Length > 0 ? node.Name : node.Output[0];
            var before = editor.Graph.Node.IndexOf(node) > 0 ? editor.Graph.Node[editor.Graph.Node.IndexOf(node) - 1] : null;
            if (node.OpType == "Conv")
            {
                string w1 = editor.AddFloats(node.Input[1] + "_factor1", new long[] { r, inputs, 1, 1 }, first);
                string w2 = editor.AddFloats(node.Input[1] + "_factor2", new long[] { outputs, r, 1, 1 }, second);
                // The first 1×1 Conv keeps the window (strides, pads); the second is pointwise.
                var conv1 = editor.InsertAfter(before, "Conv", name + "_factor1", new[] { node.Input[0], w1 }, new[] { hidden });
                foreach (var a in node.Attribute) conv1.Attribute.Add(a);
                node.Input[0] = hidden;
                node.Input[1] = w2;
                node.Attribute.RemoveAll(a => a.Name is "strides" or "pads" or "auto_pad" or "dilations");
                return;
            }
            // W1 as a MatMul right operand [inputs, r]; W2 [r, outputs] with transB = 0.
            var right1 = new float[inputs * r];
            for (int i = 0; i < r; i++)
                for (int j = 0; j < inputs; j++) right1[j * r + i] = first[i * inputs + j];
            var right2 = new float[r * outputs];
            for (int o = 0; o < outputs; o++)
                for (int i = 0; i < r; i++) right2[i * outputs + o] = second[o * r + i];
            string b1 = editor.AddFloats(node.Input[1] + "_factor1", new long[] { inputs, r }, right1);
            string b2 = editor.AddFloats(node.Input[1] + "_factor2", new long[] { r, outputs }, right2);
            editor.InsertAfter(before, "MatMul", name + "_factor1", new[] { node.Input[0], b1 }, new[] { hidden });
            node.Input[0] = hidden;
            node.Input[1] = b2;
            node.Attribute.RemoveAll(a => a.Name == "transB");
        }

        /// <summary>W as outputs × inputs: from [out, in] directly, or transposed from [in, out].</summary>
        private static double[,] Matrix(float[] w, long rows, long cols, bool transpose)
        {
            var m = transpose ? new double[cols, rows] : new double[rows, cols];
            for (long i = 0; i < rows; i++)
                for (long j = 0; j < cols; j++)
                {
                    if (transpose) m[j, i] = w[i * cols + j];
                    else m[i, j] = w[i * cols + j];
                }
            return m;
        }

        /// <summary>
        /// Thin SVD by one-sided Jacobi rotations (Hestenes) in double: A (m×n) = U·diag(S)·Vᵀ with
        /// U m×p, V n×p, p = min(m, n), singular values in descending order.
        /// </summary>
        public static (double[,] U, double[] S, double[,] V) Svd(double[,] a)
        {
            int m = a.GetLength(0), n = a.GetLength(1);
            if (n > m)
            {
                var t = new double[n, m];
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) t[j, i] = a[i, j];
                var (ut, st, vt) = Svd(t);
                return (vt, st, ut);
            }
            var work = (double[,])a.Clone();
            var v = new double[n, n];
            for (int i = 0; i < n; i++) v[i, i] = 1;
            for (int sweep = 0; sweep < 60; sweep++)
            {
                double off = 0;
                for (int p = 0; p < n - 1; p++)
                {
                    for (int q = p + 1; q < n; q++)
                    {
                        double alpha = 0, beta = 0, gamma = 0;
                        for (int i = 0; i < m; i++)
                        {
                            alpha += work[i, p] * work[i, p];
                            beta += work[i, q] * work[i, q];
                            gamma += work[i, p] * work[i, q];
                        }
                        if (gamma == 0 || Math.Abs(gamma) <= 1e-15 * Math.Sqrt(alpha * beta)) continue;
                        off = Math.Max(off, Math.Abs(gamma) / Math.Sqrt(alpha * beta));
                        double zeta = (beta - alpha) / (2 * gamma);
                        double tan = Math.Sign(zeta == 0 ? 1 : zeta) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
                        double cos = 1 / Math.Sqrt(1 + tan * tan), sin = cos * tan;
                        for (int i = 0; i < m; i++)
                        {
                            double x = work[i, p], y = work[i, q];
                            work[i, p] = cos * x - sin * y;
                            work[i, q] = sin * x + cos * y;
                        }
                        for (int i = 0; i < n; i++)
                        {
                            double x = v[i, p], y = v[i, q];
                            v[i, p] = cos * x - sin * y;
                            v[i, q] = sin * x + cos * y;
                        }
                    }
                }
                if (off < 1e-12) break;
            }
            var s = new double[n];
            for (int j = 0; j < n; j++)
            {
                double norm = 0;
                for (int i = 0; i < m; i++) norm += work[i, j] * work[i, j];
                s[j] = Math.Sqrt(norm);
            }
            var order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            Array.Sort(order, (x, y) => s[y].CompareTo(s[x]) != 0 ? s[y].CompareTo(s[x]) : x.CompareTo(y));
            var u = new double[m, n];
            var vs = new double[n, n];
            var ss = new double[n];
            for (int k = 0; k < n; k++)
            {
                int j = order[k];
                ss[k] = s[j];
                for (int i = 0; i < m; i++) u[i, k] = s[j] > 0 ? work[i, j] / s[j] : 0;
                for (int i = 0; i < n; i++) vs[i, k] = v[i, j];
            }
            return (u, ss, vs);
        }
    }
}
