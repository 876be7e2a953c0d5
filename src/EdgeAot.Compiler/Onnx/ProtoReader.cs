using System;
using System.Text;
using EdgeAot.Compiler.Diagnostics;

namespace EdgeAot.Compiler.Onnx
{
    /// <summary>
    /// Protocol-buffers wire format reader over one message's bytes. Every length is checked
    /// against the bytes that remain before anything is allocated, so a hostile file can make it
    /// fail (EAOT0002) but never read out of bounds or allocate more than the file's size.
    /// </summary>
    internal struct ProtoReader
    {
        public const int Varint = 0;
        public const int Fixed64 = 1;
        public const int LengthDelimited = 2;
        public const int Fixed32 = 5;

        private readonly byte[] _buffer;
        private int _position;
        private readonly int _end;

        public ProtoReader(byte[] buffer)
            : this(buffer, 0, buffer.Length)
        {
        }

        private ProtoReader(byte[] buffer, int start, int end)
        {
            _buffer = buffer;
            _position = start;
            _end = end;
        }

        public bool AtEnd => _position >= _end;

        /// <summary>Reads the next field key; returns false at the end of the message.</summary>
        public bool Next(out int field, out int wireType)
        {
            if (AtEnd)
            {
                field = wireType = 0;
                return false;
            }
            ulong key = ReadVarint();
            field = (int)(key >> 3);
            wireType = (int)(key & 7);
            if (field <= 0 || key >> 3 > int.MaxValue) throw Malformed("invalid field number");
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

        public long ReadInt64() => (long)ReadVarint();

        public int ReadInt32() => (int)ReadVarint();

        public uint ReadFixed32()
        {
            Require(4);
            uint v = BitConverter.ToUInt32(_buffer, _position);
            _position += 4;
            return v;
        }

        public ulong ReadFixed64()
        {
            Require(8);
            ulong v = BitConverter.ToUInt64(_buffer, _position);
            _position += 8;
            return v;
        }

        public float ReadFloat() => BitConverter.ToSingle(BitConverter.GetBytes(ReadFixed32()), 0);

        public double ReadDouble() => BitConverter.Int64BitsToDouble((long)ReadFixed64());

        /// <summary>A reader over the next length-delimited field (a sub-message or packed array).</summary>
        public ProtoReader ReadMessage()
        {
            int length = ReadLength();
            var sub = new ProtoReader(_buffer, _position, _position + length);
            _position += length;
            return sub;
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
            string s = Encoding.UTF8.GetString(_buffer, _position, length);
            _position += length;
            return s;
        }

        /// <summary>Remaining bytes of this reader, for packed repeated fields.</summary>
        public int Remaining => _end - _position;

        public void Skip(int wireType)
        {
            switch (wireType)
            {
                case Varint: ReadVarint(); break;
                case Fixed64: Require(8); _position += 8; break;
                case LengthDelimited:
                    int length = ReadLength(); // read first: `_position += ReadLength()` would add to the old position
                    _position += length;
                    break;
                case Fixed32: Require(4); _position += 4; break;
                default: throw Malformed("unsupported wire type " + wireType);
            }
        }

        /// <summary>Appends a repeated varint field's values (packed or not) to <paramref name="into"/>.</summary>
        public void ReadVarints(int wireType, System.Collections.Generic.List<long> into)
        {
            if (wireType == LengthDelimited)
            {
                var packed = ReadMessage();
                while (!packed.AtEnd) into.Add(packed.ReadInt64());
            }
            else if (wireType == Varint) into.Add(ReadInt64());
            else throw Malformed("wire type " + wireType + " for a varint field");
        }

        /// <summary>Appends a repeated float field's values (packed or not).</summary>
        public void ReadFloats(int wireType, System.Collections.Generic.List<float> into)
        {
            if (wireType == LengthDelimited)
            {
                var packed = ReadMessage();
                while (!packed.AtEnd) into.Add(packed.ReadFloat());
            }
            else if (wireType == Fixed32) into.Add(ReadFloat());
            else throw Malformed("wire type " + wireType + " for a float field");
        }

        /// <summary>Appends a repeated 64-bit fixed field's raw values (double or uint64, packed or not).</summary>
        public void ReadFixed64s(int wireType, System.Collections.Generic.List<ulong> into)
        {
            if (wireType == LengthDelimited)
            {
                var packed = ReadMessage();
                while (!packed.AtEnd) into.Add(packed.ReadFixed64());
            }
            else if (wireType == Fixed64) into.Add(ReadFixed64());
            else throw Malformed("wire type " + wireType + " for a 64-bit field");
        }

        public static ModelException Malformed(string what)
            => new ModelException(DiagnosticCatalog.MalformedModel, "the file is not a valid ONNX protobuf (" + what + ").");

        private int ReadLength()
        {
            ulong length = ReadVarint();
            if (length > (ulong)(_end - _position)) throw Malformed("a field's length exceeds the bytes that remain");
            return (int)length;
        }

        private void Require(int count)
        {
            if (_end - _position < count) throw Malformed("truncated fixed-size field");
        }
    }
}
