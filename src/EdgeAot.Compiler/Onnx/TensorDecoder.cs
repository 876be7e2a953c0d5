using System;
using System.IO;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Onnx
{
    /// <summary>Turns a TensorProto's data (raw, typed fields or external file) into checked little-endian bytes.</summary>
    internal static class TensorDecoder
    {
        public static Value Decode(TensorProto t, CompileOptions options, string? node = null)
        {
            var type = (DataType)t.DataType;
            string name = t.Name;
            if (t.HasSegment) throw Fail(DiagnosticCatalog.UnsupportedDataType, "tensor '" + P(name) + "' is segmented, which is not supported.", node);
            if (type == DataType.String || t.StringDataCount > 0)
                throw Fail(DiagnosticCatalog.UnsupportedDataType, "tensor '" + P(name) + "' holds strings (string type is not supported).", node);
            if (!DataTypes.IsSupported(type) && type != DataType.Float16)
                throw Fail(DiagnosticCatalog.UnsupportedDataType, "tensor '" + P(name) + "' has element type " + type + ", which EdgeAot does not support.", node);
            long[] dims = t.Dims.ToArray();
            foreach (long d in dims)
            {
                if (d < 0) throw Fail(DiagnosticCatalog.InitializerSizeMismatch, "tensor '" + P(name) + "' has a negative dimension " + Shape.Format(dims) + ".", node);
            }
            long count = Shape.ElementCount(dims);
            long bytes = Shape.ByteSize(dims, type);
            if (count < 0 || bytes < 0)
                throw Fail(DiagnosticCatalog.SizeLimit, "tensor '" + P(name) + "' of shape " + Shape.Format(dims) + " has a byte size that overflows 64 bits.", node);
            if (bytes > options.MaxTensorBytes)
                throw Fail(DiagnosticCatalog.SizeLimit, "tensor '" + P(name) + "' has " + bytes + " bytes, more than the limit (EdgeAotMaxTensorBytes=" + options.MaxTensorBytes + ").", node);

            byte[] data;
            if (t.External) data = ExternalData.Read(t, bytes, options, node);
            else if (t.RawData is not null) data = t.RawData;
            else data = FromTypedFields(t, type, count, node);
            if (data.LongLength != bytes)
                throw Fail(DiagnosticCatalog.InitializerSizeMismatch, "tensor '" + P(name) + "' of shape " + Shape.Format(dims) + " declares " + bytes + " bytes of " + type + " but holds " + data.LongLength + ".", node);
            if (type == DataType.Float16) return new Value(name, DataType.Float32, dims, HalfToSingle(data));
            return new Value(name, type, dims, data);
        }

        private static byte[] FromTypedFields(TensorProto t, DataType type, long count, string? node)
        {
            int size = DataTypes.SizeOf(type);
            long present = type switch
            {
                DataType.Float32 => t.FloatData.Count,
                DataType.Int64 => t.Int64Data.Count,
                DataType.Float64 => t.DoubleData.Count,
                DataType.UInt64 or DataType.UInt32 => t.UInt64Data.Count,
                _ => t.Int32Data.Count,
            };
            if (present != count)
                throw Fail(DiagnosticCatalog.InitializerSizeMismatch, "tensor '" + P(t.Name) + "' declares " + count + " elements but holds " + present + ".", node);
            var data = new byte[count * size];
            for (int i = 0; i < count; i++)
            {
                switch (type)
                {
                    case DataType.Float32: Buffer.BlockCopy(BitConverter.GetBytes(t.FloatData[i]), 0, data, i * 4, 4); break;
                    case DataType.Int64: Buffer.BlockCopy(BitConverter.GetBytes(t.Int64Data[i]), 0, data, i * 8, 8); break;
                    case DataType.Float64: Buffer.BlockCopy(BitConverter.GetBytes(t.DoubleData[i]), 0, data, i * 8, 8); break;
                    case DataType.UInt64: Buffer.BlockCopy(BitConverter.GetBytes(t.UInt64Data[i]), 0, data, i * 8, 8); break;
                    case DataType.UInt32: Buffer.BlockCopy(BitConverter.GetBytes((uint)t.UInt64Data[i]), 0, data, i * 4, 4); break;
                    case DataType.Int32: Buffer.BlockCopy(BitConverter.GetBytes((int)t.Int32Data[i]), 0, data, i * 4, 4); break;
                    case DataType.Int16:
                    case DataType.UInt16:
                    case DataType.Float16:
                        Buffer.BlockCopy(BitConverter.GetBytes((ushort)t.Int32Data[i]), 0, data, i * 2, 2);
                        break;
                    default: data[i] = (byte)t.Int32Data[i]; break; // int8, uint8, bool
                }
            }
            return data;
        }

        /// <summary>IEEE half → single; float16 weights are widened at import (the kernels compute in float).</summary>
        private static byte[] HalfToSingle(byte[] half)
        {
            var result = new byte[half.Length * 2];
            for (int i = 0; i < half.Length / 2; i++)
            {
                int h = half[2 * i] | half[2 * i + 1] << 8;
                int sign = (h >> 15) & 1, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
                float value = exponent == 0 ? (float)(mantissa * Math.Pow(2, -24))
                    : exponent == 31 ? (mantissa == 0 ? float.PositiveInfinity : float.NaN)
                    : (float)((1 + mantissa / 1024.0) * Math.Pow(2, exponent - 15));
                Buffer.BlockCopy(BitConverter.GetBytes(sign == 1 ? -value : value), 0, result, i * 4, 4);
            }
            return result;
        }

        private static string P(string s) => ModelDiagnostic.Printable(s, 100);

        private static ModelException Fail(DiagnosticDescriptor d, string message, string? node) => new ModelException(d, message, node);
    }

    /// <summary>
    /// Reads tensor data stored beside the model. The location must be a plain relative path
    /// that stays inside the model's folder: no rooted paths, no "..", no symbolic links on the
    /// way (CVE-2022-25882, CVE-2024-27318 and their link bypasses). Hard links cannot be told
    /// apart from ordinary files through netstandard2.0's API; they are accepted.
    /// </summary>
    internal static class ExternalData
    {
        public static byte[] Read(TensorProto t, long expectedBytes, CompileOptions options, string? node)
        {
            string location = "";
            long offset = 0, length = -1;
            foreach (var (key, value) in t.ExternalData)
            {
                switch (key)
                {
                    case "location": location = value; break;
                    case "offset": offset = ParseLong(value, "offset", t, node); break;
                    case "length": length = ParseLong(value, "length", t, node); break;
                }
            }
            string tensor = ModelDiagnostic.Printable(t.Name, 100);
            if (options.ModelDirectory is null) throw Refuse("tensor '" + tensor + "' uses external data, which is only read for models compiled from a file.", node);
            if (location.Length == 0) throw Refuse("tensor '" + tensor + "' has external data without a location.", node);
            string shown = ModelDiagnostic.Printable(location, 200);
            if (location.IndexOf('\0') >= 0 || location.IndexOf(':') >= 0 || Path.IsPathRooted(location) || location.StartsWith("/", StringComparison.Ordinal) || location.StartsWith("\\", StringComparison.Ordinal))
                throw Refuse("external data location '" + shown + "' of tensor '" + tensor + "' is absolute; only paths inside the model's folder are allowed.", node);
            foreach (string segment in location.Split('/', '\\'))
            {
                if (segment == "..") throw Refuse("external data location '" + shown + "' of tensor '" + tensor + "' leaves the model's folder ('..').", node);
            }
            string root = Path.GetFullPath(options.ModelDirectory).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            string full = Path.GetFullPath(Path.Combine(root, location));
            if (!full.StartsWith(root, StringComparison.Ordinal))
                throw Refuse("external data location '" + shown + "' of tensor '" + tensor + "' resolves outside the model's folder.", node);
            // No symbolic link anywhere between the model folder and the file.
            for (string? path = full; path is not null && path.Length >= root.Length; path = Path.GetDirectoryName(path))
            {
                if ((File.Exists(path) || Directory.Exists(path)) && (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0)
                    throw Refuse("external data location '" + shown + "' of tensor '" + tensor + "' goes through a symbolic link.", node);
            }
            if (!File.Exists(full)) throw Refuse("external data file '" + shown + "' of tensor '" + tensor + "' does not exist.", node);
            long fileLength = new FileInfo(full).Length;
            if (length < 0) length = expectedBytes;
            if (offset < 0 || length < 0 || offset > fileLength || length > fileLength - offset)
                throw Refuse("external data of tensor '" + tensor + "' (offset " + offset + ", length " + length + ") lies outside its " + fileLength + "-byte file.", node);
            if (length != expectedBytes)
                throw new ModelException(DiagnosticCatalog.InitializerSizeMismatch, "tensor '" + tensor + "' declares " + expectedBytes + " bytes but its external data has " + length + ".", node);
            var data = new byte[length];
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read);
            stream.Position = offset;
            int read = 0;
            while (read < data.Length)
            {
                int n = stream.Read(data, read, data.Length - read);
                if (n <= 0) throw Refuse("external data file of tensor '" + tensor + "' is shorter than declared.", node);
                read += n;
            }
            return data;
        }

        private static long ParseLong(string text, string what, TensorProto t, string? node)
        {
            if (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long v))
                throw Refuse("external data " + what + " '" + ModelDiagnostic.Printable(text, 40) + "' of tensor '" + ModelDiagnostic.Printable(t.Name, 100) + "' is not a non-negative integer.", node);
            return v;
        }

        private static ModelException Refuse(string message, string? node) => new ModelException(DiagnosticCatalog.ExternalDataRefused, message, node);
    }
}
