using System;
using System.Collections.Generic;
using System.Text;

namespace EdgeAot.Compiler.Onnx
{
    /// <summary>Writes the protobuf wire format into a growing buffer. Output depends only on the calls made.</summary>
    public sealed class ProtoWriter
    {
        private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

        private byte[] _buffer = new byte[256];
        private int _length;

        public int Length => _length;

        public byte[] ToArray()
        {
            var result = new byte[_length];
            Buffer.BlockCopy(_buffer, 0, result, 0, _length);
            return result;
        }

        public void WriteTag(int fieldNumber, WireType wireType) => WriteVarint(((ulong)(uint)fieldNumber << 3) | (uint)wireType);

        public void WriteVarint(ulong value)
        {
            while (value >= 0x80)
            {
                WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            WriteByte((byte)value);
        }

        public void WriteFixed32(uint value)
        {
            for (int i = 0; i < 4; i++) WriteByte((byte)(value >> (8 * i)));
        }

        public void WriteFixed64(ulong value)
        {
            for (int i = 0; i < 8; i++) WriteByte((byte)(value >> (8 * i)));
        }

        // Field writers.

        public void WriteInt64(int fieldNumber, long value)
        {
            WriteTag(fieldNumber, WireType.Varint);
            WriteVarint((ulong)value);
        }

        public void WriteFloat(int fieldNumber, float value)
        {
            WriteTag(fieldNumber, WireType.Fixed32);
            WriteFixed32(BitConverter.ToUInt32(BitConverter.GetBytes(value), 0));
        }

        public void WriteBytes(int fieldNumber, byte[] value) => WriteBytes(fieldNumber, value, 0, value.Length);

        public void WriteString(int fieldNumber, string value) => WriteBytes(fieldNumber, Utf8.GetBytes(value));

        /// <summary>Writes a nested message; <paramref name="body"/> writes its fields into a fresh writer.</summary>
        public void WriteMessage(int fieldNumber, Action<ProtoWriter> body)
        {
            var nested = new ProtoWriter();
            body(nested);
            WriteBytes(fieldNumber, nested._buffer, 0, nested._length);
        }

        public void WritePackedVarints(int fieldNumber, IReadOnlyList<long> values)
        {
            if (values.Count == 0) return;
            WriteMessage(fieldNumber, w =>
            {
                foreach (long v in values) w.WriteVarint((ulong)v);
            });
        }

        public void WritePackedVarints(int fieldNumber, IReadOnlyList<ulong> values)
        {
            if (values.Count == 0) return;
            WriteMessage(fieldNumber, w =>
            {
                foreach (ulong v in values) w.WriteVarint(v);
            });
        }

        public void WritePackedFloats(int fieldNumber, IReadOnlyList<float> values)
        {
            if (values.Count == 0) return;
            WriteMessage(fieldNumber, w =>
            {
                foreach (float v in values) w.WriteFixed32(BitConverter.ToUInt32(BitConverter.GetBytes(v), 0));
            });
        }

        public void WritePackedDoubles(int fieldNumber, IReadOnlyList<double> values)
        {
            if (values.Count == 0) return;
            WriteMessage(fieldNumber, w =>
            {
                foreach (double v in values) w.WriteFixed64((ulong)BitConverter.DoubleToInt64Bits(v));
            });
        }

        private void WriteBytes(int fieldNumber, byte[] source, int offset, int count)
        {
            WriteTag(fieldNumber, WireType.LengthDelimited);
            WriteVarint((ulong)count);
            Ensure(count);
            Buffer.BlockCopy(source, offset, _buffer, _length, count);
            _length += count;
        }

        private void WriteByte(byte value)
        {
            Ensure(1);
            _buffer[_length++] = value;
        }

        private void Ensure(int extra)
        {
            int needed = checked(_length + extra);
            if (needed <= _buffer.Length) return;
            int size = _buffer.Length;
            while (size < needed) size = size > int.MaxValue / 2 ? int.MaxValue : size * 2;
            Array.Resize(ref _buffer, size);
        }
    }
}
