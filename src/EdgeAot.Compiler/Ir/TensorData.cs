using System;

namespace EdgeAot.Compiler.Ir
{
    /// <summary>Conversions between a constant's little-endian bytes and typed arrays.</summary>
    public static class TensorData
    {
        public static float[] ToFloat32(Value value)
        {
            byte[] data = value.Data ?? throw new InvalidOperationException("Not a constant.");
            long n = value.ElementCount;
            var result = new float[n];
            for (long i = 0; i < n; i++) result[i] = (float)ReadAsDouble(data, value.Type, i);
            return result;
        }

        public static long[] ToInt64(Value value)
        {
            byte[] data = value.Data ?? throw new InvalidOperationException("Not a constant.");
            long n = value.ElementCount;
            var result = new long[n];
            for (long i = 0; i < n; i++) result[i] = ReadAsInt64(data, value.Type, i);
            return result;
        }

        public static double ReadAsDouble(byte[] data, DataType type, long index) => type switch
        {
            DataType.Float32 => BitConverter.ToSingle(data, checked((int)(index * 4))),
            DataType.Float64 => BitConverter.ToDouble(data, checked((int)(index * 8))),
            DataType.Float16 => Binary16.ToDouble(BitConverter.ToUInt16(data, checked((int)(index * 2)))),
            _ => ReadAsInt64(data, type, index),
        };

        public static long ReadAsInt64(byte[] data, DataType type, long index)
        {
            int i = checked((int)index);
            return type switch
            {
                DataType.Int8 => (sbyte)data[i],
                DataType.UInt8 => data[i],
                DataType.Bool => data[i] != 0 ? 1 : 0,
                DataType.Int16 => BitConverter.ToInt16(data, i * 2),
                DataType.UInt16 => BitConverter.ToUInt16(data, i * 2),
                DataType.Int32 => BitConverter.ToInt32(data, i * 4),
                DataType.UInt32 => BitConverter.ToUInt32(data, i * 4),
                DataType.Int64 => BitConverter.ToInt64(data, i * 8),
                DataType.UInt64 => (long)BitConverter.ToUInt64(data, i * 8),
                DataType.Float32 => (long)BitConverter.ToSingle(data, i * 4),
                DataType.Float64 => (long)BitConverter.ToDouble(data, i * 8),
                DataType.Float16 => (long)Binary16.ToDouble(BitConverter.ToUInt16(data, i * 2)),
                _ => throw new NotSupportedException("Cannot read " + type + " as an integer."),
            };
        }

        public static byte[] FromFloat32(float[] values)
        {
            var bytes = new byte[values.Length * 4];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("EdgeAot compiles on little-endian hosts only.");
            return bytes;
        }

        public static byte[] FromInt64(long[] values)
        {
            var bytes = new byte[values.Length * 8];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            return bytes;
        }

        /// <summary>Writes a value converted to <paramref name="type"/> (saturation is the caller's business).</summary>
        public static void Write(byte[] data, DataType type, long index, double value)
        {
            int i = checked((int)index);
            switch (type)
            {
                case DataType.Float32: Array.Copy(BitConverter.GetBytes((float)value), 0, data, i * 4, 4); break;
                case DataType.Float64: Array.Copy(BitConverter.GetBytes(value), 0, data, i * 8, 8); break;
                case DataType.Float16: Array.Copy(BitConverter.GetBytes(Binary16.FromDouble(value)), 0, data, i * 2, 2); break;
                case DataType.Int8: data[i] = (byte)(sbyte)value; break;
                case DataType.UInt8: data[i] = (byte)value; break;
                case DataType.Bool: data[i] = value != 0 ? (byte)1 : (byte)0; break;
                case DataType.Int16: Array.Copy(BitConverter.GetBytes((short)value), 0, data, i * 2, 2); break;
                case DataType.UInt16: Array.Copy(BitConverter.GetBytes((ushort)value), 0, data, i * 2, 2); break;
                case DataType.Int32: Array.Copy(BitConverter.GetBytes((int)value), 0, data, i * 4, 4); break;
                case DataType.UInt32: Array.Copy(BitConverter.GetBytes((uint)value), 0, data, i * 4, 4); break;
                case DataType.Int64: Array.Copy(BitConverter.GetBytes((long)value), 0, data, i * 8, 8); break;
                case DataType.UInt64: Array.Copy(BitConverter.GetBytes((ulong)value), 0, data, i * 8, 8); break;
                default: throw new NotSupportedException("Cannot write " + type + ".");
            }
        }

        /// <summary>Writes an integer exactly (no detour through double for 64-bit values).</summary>
        public static void WriteInt64(byte[] data, DataType type, long index, long value)
        {
            int i = checked((int)index);
            switch (type)
            {
                case DataType.Int64: Array.Copy(BitConverter.GetBytes(value), 0, data, i * 8, 8); break;
                case DataType.UInt64: Array.Copy(BitConverter.GetBytes((ulong)value), 0, data, i * 8, 8); break;
                default: Write(data, type, index, value); break;
            }
        }
    }
}
