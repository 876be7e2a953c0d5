using System;
using System.Text;

namespace EdgeAot.Compiler.Ir
{
    /// <summary>Helpers for static shapes, with every size computed in checked 64-bit arithmetic.</summary>
    public static class Shape
    {
        /// <summary>Element count, or -1 when it overflows 64 bits or a dimension is negative.</summary>
        public static long ElementCount(long[] dims)
        {
            long count = 1;
            foreach (long d in dims)
            {
                if (d < 0) return -1;
                try
                {
                    count = checked(count * d);
                }
                catch (OverflowException)
                {
                    return -1;
                }
            }
            return count;
        }

        /// <summary>Byte size, or -1 when it overflows 64 bits.</summary>
        public static long ByteSize(long[] dims, DataType type)
        {
            long count = ElementCount(dims);
            if (count < 0) return -1;
            try
            {
                return checked(count * DataTypes.SizeOf(type));
            }
            catch (OverflowException)
            {
                return -1;
            }
        }

        /// <summary>Row-major strides in elements.</summary>
        public static long[] Strides(long[] dims)
        {
            var strides = new long[dims.Length];
            long s = 1;
            for (int i = dims.Length - 1; i >= 0; i--)
            {
                strides[i] = s;
                s *= dims[i];
            }
            return strides;
        }

        public static bool SameAs(long[] a, long[] b)
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i]) return false;
            }
            return true;
        }

        /// <summary>Multidirectional (numpy) broadcasting; null when the shapes are incompatible.</summary>
        public static long[]? Broadcast(long[] a, long[] b)
        {
            int rank = Math.Max(a.Length, b.Length);
            var result = new long[rank];
            for (int i = 0; i < rank; i++)
            {
                long da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
                long db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
                if (da == db || db == 1) result[i] = da;
                else if (da == 1) result[i] = db;
                else return null;
            }
            return result;
        }

        public static string Format(long[] dims)
        {
            var sb = new StringBuilder("[");
            for (int i = 0; i < dims.Length; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append(dims[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            return sb.Append(']').ToString();
        }

        /// <summary>Normalizes a possibly negative axis; -1 when out of range.</summary>
        public static int NormalizeAxis(long axis, int rank)
        {
            long a = axis < 0 ? axis + rank : axis;
            return a < 0 || a >= rank ? -1 : (int)a;
        }
    }
}
