using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// Gemm and MatMul. A·B runs the shared register-blocked Gemm kernel (4 rows × one vector of
    /// columns in registers, see Kernels/FloatKernels.cs); A·B^T (B rows contiguous, the usual
    /// fully-connected weight layout) runs one vector Dot per output; A^T keeps a scalar loop.
    /// A constant 2-D B (or B^T) that only this node reads is stored packed in column panels of 128
    /// (see PacksB), so B^T also runs the blocked Gemm and every panel streams contiguously; with one
    /// row of A the kernel keeps eight vectors of columns in flight (GemmRow8x*).
    /// The epilogue applies alpha, beta·C (broadcast) and the fused activation.
    /// MatMul runs the same kernel once per (broadcast) batch matrix.
    /// </summary>
    internal sealed class GemmEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Gemm", "MatMul" };

        public override string InputName(NodePlan node, int index) => index switch { 0 => "a", 1 => "b", _ => "c" };

        public override string Describe(EmitContext context)
        {
            var n = context.Node;
            string product = (n.GetInt("transA", 0) != 0 ? "A^T" : "A") + " * " + (n.GetInt("transB", 0) != 0 ? "B^T" : "B");
            return product + ActivationEpilogue.Describe(n);
        }

        public override void EmitBody(EmitContext context)
        {
            var node = context.Node;
            long[] a = context.InputShape(0), b = context.InputShape(1);
            bool isGemm = node.OpType == "Gemm";
            bool transA = node.GetInt("transA", 0) != 0, transB = node.GetInt("transB", 0) != 0;
            long[] a2 = a.Length == 1 ? new[] { 1L, a[0] } : a;
            long[] b2 = b.Length == 1 ? new[] { b[0], 1L } : b;
            long m = transA ? a2[a2.Length - 1] : a2[a2.Length - 2];
            long k = transA ? a2[a2.Length - 2] : a2[a2.Length - 1];
            long n = transB ? b2[b2.Length - 2] : b2[b2.Length - 1];
            string I(long v) => Literals.Int(v);
            var w = context.Writer;

            // Batch loop (MatMul only): output batch index → A and B matrix offsets with broadcasting.
            long[] outBatch = BatchShape(a2, b2);
            long batchCount = 1;
            foreach (long d in outBatch) batchCount *= d;
            if (batchCount > 1)
            {
                w.Line("for (int batch = 0; batch < " + I(batchCount) + "; batch++)");
                w.Line("{");
                w.Indent++;
                w.Line("int aOffset = " + BatchOffset(outBatch, a2, m * k) + ";");
                w.Line("int bOffset = " + BatchOffset(outBatch, b2, k * n) + ";");
                w.Line("var A = a.Slice(aOffset, " + I(m * k) + ");");
                w.Line("var B = b.Slice(bOffset, " + I(k * n) + ");");
                w.Line("var Y = y.Slice(batch * " + I(m * n) + ", " + I(m * n) + ");");
            }
            else
            {
                w.Line("var A = a;");
                w.Line("var B = b;");
                w.Line("var Y = y;");
            }

            string AIndex(string i, string kk) => transA ? kk + " * " + I(m) + " + " + i : i + " * " + I(k) + " + " + kk;
            // Rows of a constant, finite B whose A value is 0 add nothing (0·b = 0): the one-row kernels skip them.
            string skip = IsFiniteConstant(context.Plan, node.Inputs[1]) ? ", skipZeroA: true" : "";
            if (PacksB(context.Plan, node))
            {
                w.Line("// B packed at build time in column panels of " + I(PanelColumns) + ": panel p0 holds B[kk, p0 + j] at p0 * " + I(k) + " + kk * width + j (contiguous per panel).");
                using (w.Block("for (int p0 = 0; p0 < " + I(n) + "; p0 += " + I(PanelColumns) + ")"))
                {
                    w.Line("int width = global::System.Math.Min(" + I(PanelColumns) + ", " + I(n) + " - p0);");
                    w.Line("Gemm(" + I(m) + ", width, " + I(k) + ", ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in A[0]), " + I(k)
                        + ", ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in B[p0 * " + I(k) + "]), width, ref Y[p0], " + I(n) + ", default" + skip + ");");
                }
            }
            else if (!transA && !transB)
            {
                w.Line("Gemm(" + I(m) + ", " + I(n) + ", " + I(k) + ", ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in A[0]), " + I(k)
                    + ", ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in B[0]), " + I(n) + ", ref Y[0], " + I(n) + ", default" + skip + ");");
            }
            else if (!transA)
            {
                using (w.Block("for (int i = 0; i < " + I(m) + "; i++)"))
                {
                    w.Line("ref float aRow = ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in A[i * " + I(k) + "]);");
                    w.Line("for (int j = 0; j < " + I(n) + "; j++) Y[i * " + I(n) + " + j] = Dot(ref aRow, ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in B[j * " + I(k) + "]), " + I(k) + ");");
                }
            }
            else
            {
                using (w.Block("for (int i = 0; i < " + I(m) + "; i++)"))
                {
                    w.Line("var row = Y.Slice(i * " + I(n) + ", " + I(n) + ");");
                    if (transB)
                    {
                        using (w.Block("for (int j = 0; j < " + I(n) + "; j++)"))
                        {
                            w.Line("var column = B.Slice(j * " + I(k) + ", " + I(k) + ");");
                            w.Line("float sum = 0f;");
                            w.Line("for (int kk = 0; kk < " + I(k) + "; kk++) sum += A[" + AIndex("i", "kk") + "] * column[kk];");
                            w.Line("row[j] = sum;");
                        }
                    }
                    else
                    {
                        w.Line("row.Clear();");
                        using (w.Block("for (int kk = 0; kk < " + I(k) + "; kk++)"))
                        {
                            w.Line("float scale = A[" + AIndex("i", "kk") + "];");
                            w.Line("var bRow = B.Slice(kk * " + I(n) + ", " + I(n) + ");");
                            w.Line("for (int j = 0; j < " + I(n) + "; j++) row[j] += scale * bRow[j];");
                        }
                    }
                }
            }
            if (HasEpilogue(context, isGemm))
            {
                using (w.Block("for (int i = 0; i < " + I(m) + "; i++)"))
                {
                    w.Line("var row = Y.Slice(i * " + I(n) + ", " + I(n) + ");");
                    EmitEpilogue(context, isGemm, m, n);
                }
            }
            if (batchCount > 1)
            {
                w.Indent--;
                w.Line("}");
            }
        }

        /// <summary>Index into C broadcast to [M, N] (scalar, [N], [1,N], [M,1], [M,N]) inside loops over i (rows) and j (columns); shared by the Gemm variants.</summary>
        internal static string BroadcastCIndex(long[] c)
        {
            long rows = c.Length == 2 ? c[0] : 1;
            long cols = c.Length == 0 ? 1 : c[c.Length - 1];
            string row = rows == 1 ? "" : "i * " + Literals.Int(cols);
            string col = cols == 1 ? "" : "j";
            if (row.Length == 0 && col.Length == 0) return "0";
            return row.Length == 0 ? col : col.Length == 0 ? row : row + " + " + col;
        }

        /// <summary>A float32 weight with no infinity or NaN: a zero times any of its values is zero.</summary>
        private static bool IsFiniteConstant(ModelPlan plan, int id)
        {
            var t = plan.Tensor(id);
            if (t.Storage != TensorStorage.Weight || t.Type != DataType.Float32) return false;
            byte[] bytes = t.Data.ToArray();
            for (int i = 0; i + 4 <= bytes.Length; i += 4)
            {
                float v = System.BitConverter.ToSingle(bytes, i);
                if (float.IsNaN(v) || float.IsInfinity(v)) return false;
            }
            return true;
        }

        /// <summary>Columns per build-time panel of a packed B: eight Vector512 (one GemmRow8x16 block).</summary>
        internal const long PanelColumns = 128;

        /// <summary>
        /// A constant B only this node reads is stored in column panels (see <see cref="PackConstantInput"/>)
        /// when that changes its layout: always for B^T (the product then runs the register-blocked Gemm
        /// instead of one dot product per output), and for B with more than one panel of columns (each
        /// panel's rows are then contiguous, one stream per panel instead of strided row pieces).
        /// </summary>
        private static bool PacksB(ModelPlan plan, NodePlan node)
        {
            if (node.Inputs.Count < 2 || !WeightLayout.IsOnlyReader(plan, node, 1)) return false;
            var a = plan.Tensor(node.Input(0));
            var b = plan.Tensor(node.Input(1));
            var y = plan.Tensor(node.Outputs[0]);
            if (a.Type != EdgeAot.Compiler.Ir.DataType.Float32 || b.Type != EdgeAot.Compiler.Ir.DataType.Float32 || y.Type != EdgeAot.Compiler.Ir.DataType.Float32) return false;
            if (b.Shape.Count != 2 || a.Shape.Count != 2 || node.GetInt("transA", 0) != 0) return false;
            bool transB = node.GetInt("transB", 0) != 0;
            long n = transB ? b.Shape[0] : b.Shape[1];
            return n > 0 && b.Shape[0] * b.Shape[1] > 0 && (transB || n > PanelColumns);
        }

        public override byte[]? PackConstantInput(ModelPlan plan, NodePlan node, int index)
        {
            if (index != 1 || !PacksB(plan, node)) return null;
            var b = plan.Tensor(node.Input(1));
            bool transB = node.GetInt("transB", 0) != 0;
            long k = transB ? b.Shape[1] : b.Shape[0], n = transB ? b.Shape[0] : b.Shape[1];
            return PackColumnPanels(b.Data.ToArray(), k, n, transB);
        }

        /// <summary>
        /// Float B[k, n] (or, <paramref name="transposed"/>, given as its transpose [n, k]) as column panels
        /// of <see cref="PanelColumns"/>: panel p0 holds B[kk, p0 + j] at p0·k + kk·width + j.
        /// </summary>
        internal static byte[] PackColumnPanels(byte[] data, long k, long n, bool transposed)
        {
            var packed = new byte[k * n * 4];
            for (long p0 = 0; p0 < n; p0 += PanelColumns)
            {
                long width = System.Math.Min(PanelColumns, n - p0);
                for (long kk = 0; kk < k; kk++)
                    for (long j = 0; j < width; j++)
                    {
                        long source = transposed ? (p0 + j) * k + kk : kk * n + p0 + j;
                        System.Array.Copy(data, source * 4, packed, (p0 * k + kk * width + j) * 4, 4);
                    }
            }
            return packed;
        }

        private static bool HasEpilogue(EmitContext context, bool isGemm)
        {
            var node = context.Node;
            bool hasC = isGemm && context.HasInput(2) && node.GetFloat("beta", 1f) != 0f;
            return (isGemm && node.GetFloat("alpha", 1f) != 1f) || hasC || ActivationEpilogue.IsPresent(node);
        }

        private static void EmitEpilogue(EmitContext context, bool isGemm, long m, long n)
        {
            var node = context.Node;
            float alpha = isGemm ? node.GetFloat("alpha", 1f) : 1f;
            float beta = isGemm ? node.GetFloat("beta", 1f) : 1f;
            bool hasC = isGemm && context.HasInput(2) && beta != 0f;
            if (alpha == 1f && !hasC && !ActivationEpilogue.IsPresent(node)) return;
            string activation = node.GetString("activation", "");
            long[] cShape = hasC ? context.InputShape(2) : System.Array.Empty<long>();
            if (alpha == 1f && beta == 1f && hasC && (activation == "" || activation == "Clip") && cShape.Length >= 1 && cShape[cShape.Length - 1] == n && (cShape.Length == 1 || (cShape.Length == 2 && cShape[0] == 1)))
            {
                // C is one row broadcast down the output: one vector pass adds it and applies a Relu / Clip.
                float min = activation == "Clip" ? node.GetFloat("activation_min", float.NegativeInfinity) : float.NegativeInfinity;
                float max = activation == "Clip" ? node.GetFloat("activation_max", float.PositiveInfinity) : float.PositiveInfinity;
                context.Line("AddRowClamp(row, c, " + Literals.Float(min) + ", " + Literals.Float(max) + ");");
                return;
            }
            string value = alpha == 1f ? "row[j]" : Literals.Float(alpha) + " * row[j]";
            if (hasC)
            {
                string c = BroadcastCIndex(context.InputShape(2));
                value += " + " + (beta == 1f ? "" : Literals.Float(beta) + " * ") + "c[" + c + "]";
            }
            context.Line("for (int j = 0; j < " + Literals.Int(n) + "; j++) row[j] = " + ActivationEpilogue.Apply(node, value) + ";");
        }

        /// <summary>Index into C broadcast to [M, N] from its own shape (scalar, [N], [1,N], [M,1], [M,N]).</summary>
        private static long[] BatchShape(long[] a, long[] b)
        {
            int rank = System.Math.Max(a.Length, b.Length) - 2;
            var shape = new long[rank];
            for (int i = 0; i < rank; i++)
            {
                long da = Dim(a, i, rank), db = Dim(b, i, rank);
                shape[i] = System.Math.Max(da, db);
            }
            return shape;
        }

        private static long Dim(long[] shape, int i, int rank)
        {
            int index = i - (rank - (shape.Length - 2));
            return index < 0 ? 1 : shape[index];
        }

        /// <summary>C# expression for the element offset of the operand's matrix for output batch index "batch".</summary>
        private static string BatchOffset(long[] outBatch, long[] operand, long matrixSize)
        {
            int rank = outBatch.Length;
            var terms = new List<string>();
            long outStride = 1, operandStride = matrixSize;
            for (int i = rank - 1; i >= 0; i--)
            {
                long dim = Dim(operand, i, rank);
                if (dim != 1)
                    terms.Add("batch / " + Literals.Int(outStride) + " % " + Literals.Int(outBatch[i]) + " * " + Literals.Int(operandStride));
                outStride *= outBatch[i];
                operandStride *= dim;
            }
            return terms.Count == 0 ? "0" : string.Join(" + ", terms);
        }
    }
}
