using System;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Index arithmetic for elementwise broadcasting, shared by the build-time evaluator and the
    /// emitter so both read operands the same way.
    /// </summary>
    public static class Broadcasting
    {
        /// <summary>
        /// <paramref name="shape"/> padded with 1s to <paramref name="rank"/> dimensions, its own
        /// dimensions starting at <paramref name="axis"/> (numpy rules align at the end:
        /// axis = rank - shape.Length; legacy opset &lt; 7 broadcasting may align elsewhere).
        /// </summary>
        public static long[] Align(long[] shape, int rank, int axis)
        {
            var aligned = new long[rank];
            for (int i = 0; i < rank; i++) aligned[i] = 1;
            for (int i = 0; i < shape.Length; i++) aligned[axis + i] = shape[i];
            return aligned;
        }

        /// <summary>
        /// Element strides of an operand with <paramref name="aligned"/> shape read at each index of
        /// <paramref name="output"/>: row-major strides, 0 where the operand is broadcast (size 1).
        /// </summary>
        public static long[] Strides(long[] aligned, long[] output)
        {
            if (aligned.Length != output.Length) throw new ArgumentException("Rank mismatch.", nameof(aligned));
            var strides = Ir.Shape.Strides(aligned);
            for (int i = 0; i < aligned.Length; i++)
            {
                if (aligned[i] == 1 && output[i] != 1) strides[i] = 0;
            }
            return strides;
        }

        /// <summary>Offset of the element at row-major <paramref name="index"/> of <paramref name="output"/> in an operand with <paramref name="strides"/>.</summary>
        public static long Offset(long index, long[] output, long[] strides)
        {
            long offset = 0;
            for (int d = output.Length - 1; d >= 0; d--)
            {
                long dim = output[d];
                if (dim == 0) return 0;
                offset += index % dim * strides[d];
                index /= dim;
            }
            return offset;
        }
    }
}
