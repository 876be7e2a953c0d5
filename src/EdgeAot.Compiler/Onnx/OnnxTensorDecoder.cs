using System;
using System.Collections.Generic;
using System.Globalization;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Onnx
{
    /// <summary>A TensorProto's element type, shape and little-endian element bytes.</summary>
    internal readonly struct DecodedTensor
    {
        public DecodedTensor(DataType type, long[] dims, byte[] data)
        {
            Type = type;
            Dims = dims;
            Data = data;
        }

        public DataType Type { get; }

        public long[] Dims { get; }

        public byte[] Data { get; }
    }

    /// <summary>
    /// Turns a TensorProto into raw little-endian bytes, whichever field holds its data, after
    /// checking that the declared shape and the data agree and that the size is within limits.
    /// 4-bit and 2-bit types keep ONNX's packing (two or four elements per byte, lowest bits first). String tensors,
    /// which only the conformance-test reader needs, are encoded as a 4-byte little-endian byte
    /// length followed by the UTF-8 bytes, per element.
    /// </summary>
    internal static class OnnxTensorDecoder
    {
        public static DecodedTensor Decode(TensorProto tensor, string label, CompileOptions options, string? node)
        {
            var type = (DataType)tensor.DataType;
            if (type == DataType.Undefined || !Enum.IsDefined(typeof(DataType), type))
                throw new ModelException(DiagnosticCatalog.UnsupportedDataType, label + " has unknown element type " + tensor.DataType.ToString(CultureInfo.InvariantCulture) + ".", node);
            if (tensor.HasSegment)
                throw new ModelException(DiagnosticCatalog.MalformedModel, label + " is split into segments, which EdgeAot does not support.", node);

            long[] dims = tensor.Dims.ToArray();
            foreach (long d in dims)
            {
                if (d < 0) throw new ModelException(DiagnosticCatalog.InitializerSizeMismatch, label + " has a negative dimension in shape " + Shape.Format(dims) + ".", node);
            }
            long count = Shape.ElementCount(dims);
            long byteSize = count < 0 ? -1 : StorageBytes(type, count);
            if (byteSize < 0)
                throw new ModelException(DiagnosticCatalog.SizeLimit, label + " has shape " + Shape.Format(dims) + ", whose size overflows 64 bits.", node);
            if (byteSize > options.MaxTensorBytes)
            {
                throw new ModelException(DiagnosticCatalog.SizeLimit,
                    label + " needs " + byteSize.ToString(CultureInfo.InvariantCulture) + " bytes, more than the limit of "
                    + options.MaxTensorBytes.ToString(CultureInfo.InvariantCulture) + " (EdgeAotMaxTensorBytes).", node);
            }
            if (count > Math.Min(options.MaxTensorElements, int.MaxValue))
            {
                throw new ModelException(DiagnosticCatalog.SizeLimit,
                    label + " of shape " + Shape.Format(dims) + " has " + count.ToString(CultureInfo.InvariantCulture) + " elements, more than the limit of "
                    + Math.Min(options.MaxTensorElements, int.MaxValue).ToString(CultureInfo.InvariantCulture) + " (EdgeAotMaxTensorElements).", node);
            }

            byte[] data;
            if (tensor.DataLocation == TensorDataLocation.External)
            {
                if (type == DataType.String) throw Mismatch(label, "string tensors cannot use external data", node);
                data = ExternalTensorData.Read(tensor, byteSize, label, options, node);
            }
            else if (tensor.DataLocation != TensorDataLocation.Default)
            {
                throw new ModelException(DiagnosticCatalog.MalformedModel, label + " has unknown data_location " + ((int)tensor.DataLocation).ToString(CultureInfo.InvariantCulture) + ".", node);
            }
            else if (tensor.RawData.Length > 0)
            {
                if (type == DataType.String) throw Mismatch(label, "string tensors cannot use raw_data", node);
                if (tensor.RawData.LongLength != byteSize)
                    throw Mismatch(label, "declares shape " + Shape.Format(dims) + " (" + byteSize.ToString(CultureInfo.InvariantCulture) + " bytes of " + type + ") but raw_data has " + tensor.RawData.Length.ToString(CultureInfo.InvariantCulture) + " bytes", node);
                data = tensor.RawData;
            }
            else
            {
                data = FromTypedField(tensor, type, count, byteSize, label, node);
            }
            return new DecodedTensor(type, dims, data);
        }

        /// <summary>Bytes needed for <paramref name="count"/> elements; -1 on overflow; 0 for strings, whose size only the data tells.</summary>
        private static long StorageBytes(DataType type, long count)
        {
            switch (type)
            {
                case DataType.String:
                    return 0; // real size known only from the data, which the parser already bounded
                case DataType.Int4:
                case DataType.UInt4:
                case DataType.Float4E2M1:
                    return count / 2 + count % 2;
                case DataType.Int2:
                case DataType.UInt2:
                    return count / 4 + (count % 4 != 0 ? 1 : 0);
                default:
                    try
                    {
                        return checked(count * DataTypes.SizeOf(type));
                    }
                    catch (OverflowException)
                    {
                        return -1;
                    }
            }
        }

        private static byte[] FromTypedField(TensorProto tensor, DataType type, long count, long byteSize, string label, string? node)
        {
            // Each ONNX type has one typed field (see TensorProto's comments in onnx.proto); complex
            // types store real and imaginary parts as two values.
            switch (type)
            {
                case DataType.Float32:
                case DataType.Complex64:
                {
                    Expect(tensor.FloatData.Count, type == DataType.Complex64 ? count * 2 : count, "float_data", label, node);
                    return Copy(tensor.FloatData.ToArray(), byteSize);
                }
                case DataType.Float64:
                case DataType.Complex128:
                {
                    Expect(tensor.DoubleData.Count, type == DataType.Complex128 ? count * 2 : count, "double_data", label, node);
                    return Copy(tensor.DoubleData.ToArray(), byteSize);
                }
                case DataType.Int64:
                    Expect(tensor.Int64Data.Count, count, "int64_data", label, node);
                    return Copy(tensor.Int64Data.ToArray(), byteSize);
                case DataType.UInt64:
                    Expect(tensor.UInt64Data.Count, count, "uint64_data", label, node);
                    return Copy(tensor.UInt64Data.ToArray(), byteSize);
                case DataType.UInt32:
                {
                    Expect(tensor.UInt64Data.Count, count, "uint64_data", label, node);
                    var values = new uint[count];
                    for (int i = 0; i < values.Length; i++) values[i] = unchecked((uint)tensor.UInt64Data[i]);
                    return Copy(values, byteSize);
                }
                case DataType.Int32:
                    Expect(tensor.Int32Data.Count, count, "int32_data", label, node);
                    return Copy(tensor.Int32Data.ToArray(), byteSize);
                case DataType.String:
                    Expect(tensor.StringData.Count, count, "string_data", label, node);
                    return EncodeStrings(tensor.StringData);
                case DataType.Bool:
                {
                    Expect(tensor.Int32Data.Count, count, "int32_data", label, node);
                    var bytes = new byte[count];
                    for (int i = 0; i < bytes.Length; i++) bytes[i] = tensor.Int32Data[i] != 0 ? (byte)1 : (byte)0;
                    return bytes;
                }
                case DataType.Int4:
                case DataType.UInt4:
                case DataType.Float4E2M1:
                case DataType.Int2:
                case DataType.UInt2:
                    // int32_data holds one packed byte (two or four elements) per entry.
                    Expect(tensor.Int32Data.Count, byteSize, "int32_data", label, node);
                    return LowBytes(tensor.Int32Data, 1);
                default:
                    // int8/uint8/int16/uint16/float16/bfloat16/float8: the bit pattern sits in the low bytes of each int32.
                    Expect(tensor.Int32Data.Count, count, "int32_data", label, node);
                    return LowBytes(tensor.Int32Data, DataTypes.SizeOf(type));
            }
        }

        private static void Expect(int present, long expected, string field, string label, string? node)
        {
            if (present != expected)
            {
                throw Mismatch(label, "declares " + expected.ToString(CultureInfo.InvariantCulture) + " values but " + field + " holds "
                    + present.ToString(CultureInfo.InvariantCulture) + " (raw_data is empty)", node);
            }
        }

        private static ModelException Mismatch(string label, string detail, string? node)
            => new ModelException(DiagnosticCatalog.InitializerSizeMismatch, label + " " + detail + ".", node);

        private static byte[] Copy(Array values, long byteSize)
        {
            var bytes = new byte[byteSize];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            return bytes;
        }

        private static byte[] LowBytes(List<int> values, int width)
        {
            var bytes = new byte[values.Count * width];
            for (int i = 0; i < values.Count; i++)
            {
                for (int b = 0; b < width; b++) bytes[i * width + b] = (byte)(values[i] >> (8 * b));
            }
            return bytes;
        }

        private static byte[] EncodeStrings(List<byte[]> strings)
        {
            long total = 0;
            foreach (byte[] s in strings) total += 4 + s.Length;
            var bytes = new byte[total];
            int at = 0;
            foreach (byte[] s in strings)
            {
                Array.Copy(BitConverter.GetBytes(s.Length), 0, bytes, at, 4);
                Buffer.BlockCopy(s, 0, bytes, at + 4, s.Length);
                at += 4 + s.Length;
            }
            return bytes;
        }
    }
}
