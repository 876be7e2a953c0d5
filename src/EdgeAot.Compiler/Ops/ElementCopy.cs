using System;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Build-time evaluation of data-movement operators (Slice, Pad, Gather, Expand, Tile, Split,
    /// DepthToSpace, ...): every output element is a copy of one source element, so evaluation is a
    /// byte copy driven by an index mapping, whatever the element type.
    /// </summary>
    internal static class ElementCopy
    {
        /// <summary>
        /// Builds the bytes of a tensor of <paramref name="outShape"/> whose element at multi-index
        /// <c>o</c> is source element <paramref name="sourceIndex"/>(o), or <paramref name="fill"/>
        /// (one element's bytes) where the mapping returns −1.
        /// </summary>
        public static byte[] Map(Value source, long[] outShape, Func<long[], long> sourceIndex, byte[]? fill = null)
        {
            byte[] data = source.Data ?? throw new InvalidOperationException("Not a constant.");
            int size = DataTypes.SizeOf(source.Type);
            long count = Shape.ElementCount(outShape);
            var result = new byte[checked(count * size)];
            var index = new long[outShape.Length];
            for (long k = 0; k < count; k++)
            {
                long s = sourceIndex(index);
                if (s >= 0) Buffer.BlockCopy(data, checked((int)(s * size)), result, checked((int)(k * size)), size);
                else if (fill is not null) Buffer.BlockCopy(fill, 0, result, checked((int)(k * size)), size);
                for (int d = outShape.Length - 1; d >= 0; d--)
                {
                    if (++index[d] < outShape[d]) break;
                    index[d] = 0;
                }
            }
            return result;
        }

        /// <summary>Linear index of a multi-index under row-major <paramref name="strides"/>.</summary>
        public static long Linear(long[] index, long[] strides)
        {
            long s = 0;
            for (int d = 0; d < index.Length; d++) s += index[d] * strides[d];
            return s;
        }

        /// <summary>Element <paramref name="index"/> of a constant as its raw bytes.</summary>
        public static byte[] ElementBytes(Value value, long index)
        {
            int size = DataTypes.SizeOf(value.Type);
            var bytes = new byte[size];
            Buffer.BlockCopy(value.Data!, checked((int)(index * size)), bytes, 0, size);
            return bytes;
        }

        /// <summary>
        /// Stores one scalar of <paramref name="type"/> as attribute <paramref name="name"/>:
        /// a float attribute for float32, the bit pattern as an int for float64 and float16, the value as an int otherwise.
        /// </summary>
        public static Ir.Attribute ScalarAttribute(string name, DataType type, byte[] bytes)
        {
            return type switch
            {
                DataType.Float32 => Ir.Attribute.FromFloat(name, BitConverter.ToSingle(bytes, 0)),
                DataType.Float64 => Ir.Attribute.FromInt(name, BitConverter.ToInt64(bytes, 0)),
                DataType.Float16 => Ir.Attribute.FromInt(name, BitConverter.ToUInt16(bytes, 0)),
                _ => Ir.Attribute.FromInt(name, TensorData.ReadAsInt64(bytes, type, 0)),
            };
        }

        /// <summary>Inverse of <see cref="ScalarAttribute"/>: the element's bytes.</summary>
        public static byte[] ScalarBytes(AttributeSet attributes, string name, DataType type)
        {
            var bytes = new byte[DataTypes.SizeOf(type)];
            if (type == DataType.Float32) Array.Copy(BitConverter.GetBytes(attributes.GetFloat(name, 0)), bytes, 4);
            else if (type == DataType.Float64) Array.Copy(BitConverter.GetBytes(attributes.GetInt(name, 0)), bytes, 8);
            else if (type == DataType.Float16) Array.Copy(BitConverter.GetBytes((ushort)attributes.GetInt(name, 0)), bytes, 2);
            else TensorData.WriteInt64(bytes, type, 0, attributes.GetInt(name, 0));
            return bytes;
        }

        /// <summary>Whether the type is one the data-movement kernels copy (any type generated code can hold).</summary>
        public static bool IsCopyable(DataType type) => DataTypes.IsSupported(type);
    }
}
