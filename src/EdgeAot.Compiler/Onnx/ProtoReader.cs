using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using EdgeAot.Compiler.Diagnostics;

namespace EdgeAot.Compiler.Onnx
{
    /// <summary>Protobuf wire types (the low three bits of a field tag).</summary>
    public enum WireType
    {
        Varint = 0,
        Fixed64 = 1,
        LengthDelimited = 2,
        StartGroup = 3,
        EndGroup = 4,
        Fixed32 = 5,
    }

    /// <summary>
    /// Reads the protobuf wire format from a byte range. Model files are untrusted input: every
    /// length is checked against the bytes that remain before anything is allocated from it, and
    /// every problem becomes a <see cref="ModelException"/> with <see cref="DiagnosticCatalog.MalformedModel"/>.
    /// </summary>
    public sealed class ProtoReader
    {
        // Largest field number protobuf allows (2^29 - 1).
        private const ulong MaxFieldNumber = (1UL << 29) - 1;

        // Invalid UTF-8 becomes U+FFFD rather than an exception: names are only ever displayed.
        private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

        private readonly byte[] _buffer;
        private readonly int _end;
        private int _position;

        public ProtoReader(byte[] buffer)
            : this(buffer ?? throw new ArgumentNullException(nameof(buffer)), 0, buffer.Length)
        {
        }

        private ProtoReader(byte[] buffer, int start, int end)
        {
            _buffer = buffer;
            _position = start;
            _end = end;
        }

        public bool AtEnd => _position >= _end;

        /// <summary>Offset in the whole buffer (for messages).</summary>
        public int Position => _position;

        private int Remaining => _end - _position;

        /// <summary>Reads the next field tag; false at the end of the current message.</summary>
        public bool TryReadTag(out int fieldNumber, out WireType wireType)
        {
            if (AtEnd)
            {
                fieldNumber = 0;
                wireType = WireType.Varint;
                return false;
            }
            ulong tag = ReadVarint();
            ulong field = tag >> 3;
            if (field == 0 || field > MaxFieldNumber) throw Malformed("invalid field number " + field.ToString(CultureInfo.InvariantCulture));
            fieldNumber = (int)field;
            wireType = (WireType)(int)(tag & 7);
            return true;
        }

        public ulong ReadVarint()
        {
            ulong result = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                if (_position >= _end) throw Malformed("truncated varint");
                byte b = _buffer[_position++];
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return result;
            }
            throw Malformed("varint longer than 10 bytes");
        }

        public uint ReadFixed32()
        {
            if (Remaining < 4) throw Malformed("truncated fixed32");
            uint value = (uint)(_buffer[_position] | _buffer[_position + 1] << 8 | _buffer[_position + 2] << 16 | _buffer[_position + 3] << 24);
            _position += 4;
            return value;
        }

        public ulong ReadFixed64()
        {
            if (Remaining < 8) throw Malformed("truncated fixed64");
            ulong low = ReadFixed32();
            ulong high = ReadFixed32();
            return low | high << 32;
        }

        /// <summary>A reader over the next length-delimited field (a nested message or a packed array).</summary>
        public ProtoReader ReadMessage()
        {
            int length = ReadLength();
            var nested = new ProtoReader(_buffer, _position, _position + length);
            _position += length;
            return nested;
        }

        public byte[] ReadBytes()
        {
            int length = ReadLength();
            var bytes = new byte[length];
            Buffer.BlockCopy(_buffer, _position, bytes, 0, length);
            _position += length;
            return bytes;
        }

        public string ReadString()
        {
            int length = ReadLength();
            string text = Utf8.GetString(_buffer, _position, length);
            _position += length;
            return text;
        }

        /// <summary>Skips a field this reader does not use.</summary>
        public void Skip(WireType wireType)
        {
            switch (wireType)
            {
                case WireType.Varint:
                    ReadVarint();
                    break;
                case WireType.Fixed64:
                    Advance(8);
                    break;
                case WireType.Fixed32:
                    Advance(4);
                    break;
                case WireType.LengthDelimited:
                    Advance(ReadLength());
                    break;
                default:
                    // Groups are deprecated and never appear in ONNX; refusing them avoids unbounded skipping recursion.
                    throw Malformed("unexpected wire type " + (int)wireType);
            }
        }

        // Typed field readers: each checks that the wire type matches what onnx.proto declares.

        public long ReadInt64(WireType wireType)
        {
            Expect(wireType, WireType.Varint);
            return (long)ReadVarint();
        }

        public int ReadInt32(WireType wireType)
        {
            Expect(wireType, WireType.Varint);
            return unchecked((int)ReadVarint()); // negative int32 is sign-extended to 64 bits on the wire
        }

        public float ReadFloat(WireType wireType)
        {
            Expect(wireType, WireType.Fixed32);
            if (Remaining < 4) throw Malformed("truncated float");
            float value = BitConverter.ToSingle(_buffer, _position); // hosts are little-endian, like the wire
            _position += 4;
            return value;
        }

        public string ReadString(WireType wireType)
        {
            Expect(wireType, WireType.LengthDelimited);
            return ReadString();
        }

        public byte[] ReadBytes(WireType wireType)
        {
            Expect(wireType, WireType.LengthDelimited);
            return ReadBytes();
        }

        public ProtoReader ReadMessage(WireType wireType)
        {
            Expect(wireType, WireType.LengthDelimited);
            return ReadMessage();
        }

        // Repeated scalars: accepted both packed (one length-delimited run) and unpacked (one tag per element).

        public void ReadRepeatedVarint(WireType wireType, List<long> into)
        {
            if (wireType == WireType.LengthDelimited)
            {
                var packed = ReadMessage();
                while (!packed.AtEnd) into.Add((long)packed.ReadVarint());
            }
            else
            {
                into.Add(ReadInt64(wireType));
            }
        }

        public void ReadRepeatedInt32(WireType wireType, List<int> into)
        {
            if (wireType == WireType.LengthDelimited)
            {
                var packed = ReadMessage();
                while (!packed.AtEnd) into.Add(unchecked((int)packed.ReadVarint()));
            }
            else
            {
                into.Add(ReadInt32(wireType));
            }
        }

        public void ReadRepeatedUInt64(WireType wireType, List<ulong> into)
        {
            if (wireType == WireType.LengthDelimited)
            {
                var packed = ReadMessage();
                while (!packed.AtEnd) into.Add(packed.ReadVarint());
            }
            else
            {
                Expect(wireType, WireType.Varint);
                into.Add(ReadVarint());
            }
        }

        public void ReadRepeatedFloat(WireType wireType, List<float> into)
        {
            if (wireType == WireType.LengthDelimited)
            {
                var packed = ReadMessage();
                if (packed.Remaining % 4 != 0) throw Malformed("packed float array length is not a multiple of 4");
                into.Capacity = checked(into.Count + packed.Remaining / 4);
                while (!packed.AtEnd) into.Add(packed.ReadFloat(WireType.Fixed32));
            }
            else
            {
                into.Add(ReadFloat(wireType));
            }
        }

        public void ReadRepeatedDouble(WireType wireType, List<double> into)
        {
            if (wireType == WireType.LengthDelimited)
            {
                var packed = ReadMessage();
                if (packed.Remaining % 8 != 0) throw Malformed("packed double array length is not a multiple of 8");
                into.Capacity = checked(into.Count + packed.Remaining / 8);
                while (!packed.AtEnd) into.Add(BitConverter.Int64BitsToDouble((long)packed.ReadFixed64()));
            }
            else
            {
                Expect(wireType, WireType.Fixed64);
                into.Add(BitConverter.Int64BitsToDouble((long)ReadFixed64()));
            }
        }

        public ModelException Malformed(string reason)
            => new ModelException(DiagnosticCatalog.MalformedModel,
                "the file is not a valid ONNX protobuf (" + reason + " at byte " + _position.ToString(CultureInfo.InvariantCulture) + ").");

        private void Expect(WireType actual, WireType expected)
        {
            if (actual != expected) throw Malformed("wire type " + (int)actual + " where " + (int)expected + " was expected");
        }

        private int ReadLength()
        {
            ulong length = ReadVarint();
            if (length > (ulong)Remaining)
                throw Malformed("length " + length.ToString(CultureInfo.InvariantCulture) + " exceeds the remaining " + Remaining.ToString(CultureInfo.InvariantCulture) + " bytes");
            return (int)length;
        }

        private void Advance(int count)
        {
            if (count > Remaining) throw Malformed("truncated field");
            _position += count;
        }
    }
}
