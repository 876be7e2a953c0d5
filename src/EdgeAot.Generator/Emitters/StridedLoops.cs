using System.Collections.Generic;
using System.Text;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// Nested loops over an output shape where each operand is read with its own constant element
    /// strides (0 on a broadcast dimension). Shared by the broadcasting elementwise kernels and
    /// Transpose.
    /// </summary>
    internal static class StridedLoops
    {
        /// <summary>
        /// Drops size-1 dimensions and merges a dimension into the next one when every operand
        /// walks both contiguously (stride[d] == stride[d+1] * dims[d+1]), so [1,16,8,8] + [16,1,1]
        /// becomes two loops [16,64] instead of four.
        /// </summary>
        public static (long[] Dims, long[][] Strides) Collapse(long[] dims, long[][] strides)
        {
            var outDims = new List<long>();
            var outStrides = new List<long>[strides.Length];
            for (int k = 0; k < strides.Length; k++) outStrides[k] = new List<long>();
            for (int d = 0; d < dims.Length; d++)
            {
                if (dims[d] == 1) continue;
                int last = outDims.Count - 1;
                bool merge = last >= 0;
                for (int k = 0; k < strides.Length && merge; k++) merge = outStrides[k][last] == strides[k][d] * dims[d];
                if (merge)
                {
                    outDims[last] *= dims[d];
                    for (int k = 0; k < strides.Length; k++) outStrides[k][last] = strides[k][d];
                    continue;
                }
                outDims.Add(dims[d]);
                for (int k = 0; k < strides.Length; k++) outStrides[k].Add(strides[k][d]);
            }
            var result = new long[strides.Length][];
            for (int k = 0; k < strides.Length; k++) result[k] = outStrides[k].ToArray();
            return (outDims.ToArray(), result);
        }

        /// <summary>Loop variable of dimension <paramref name="d"/>.</summary>
        public static string Var(int d) => "i" + Literals.Int(d);

        /// <summary>
        /// The index expression Σ i_d * stride_d over dimensions [0, <paramref name="count"/>),
        /// with zero terms dropped and unit strides written bare: <c>i0 * 64 + i1</c>.
        /// </summary>
        public static string Index(long[] strides, int count)
        {
            var sb = new StringBuilder();
            for (int d = 0; d < count; d++)
            {
                if (strides[d] == 0) continue;
                if (sb.Length > 0) sb.Append(" + ");
                sb.Append(Var(d));
                if (strides[d] != 1) sb.Append(" * ").Append(Literals.Int(strides[d]));
            }
            return sb.Length == 0 ? "0" : sb.ToString();
        }

        /// <summary>Strides written as "(48, 16, 1)" for comments.</summary>
        public static string Format(long[] values)
        {
            var sb = new StringBuilder("(");
            for (int i = 0; i < values.Length; i++) sb.Append(i > 0 ? ", " : "").Append(Literals.Int(values[i]));
            return sb.Append(')').ToString();
        }

        /// <summary>Opens <c>for (int iD = 0; iD &lt; n; iD++)</c>.</summary>
        public static SourceWriter.BlockScope For(EmitContext context, int d, long count)
            => context.Block("for (int " + Var(d) + " = 0; " + Var(d) + " < " + Literals.Int(count) + "; " + Var(d) + "++)");
    }
}
