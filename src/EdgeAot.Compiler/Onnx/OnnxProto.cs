using System.Collections.Generic;

namespace EdgeAot.Compiler.Onnx
{
    // The subset of onnx.proto EdgeAot reads, parsed straight from the wire format. Field
    // numbers are those of the ONNX specification; unknown fields are skipped.

    internal sealed class ModelProto
    {
        public long IrVersion;
        public string ProducerName = "";
        public string ProducerVersion = "";
        public GraphProto? Graph;
        public readonly List<(string Domain, long Version)> OpsetImports = new();

        public static ModelProto Parse(byte[] bytes, int maxNesting)
        {
            var model = new ModelProto();
            var r = new ProtoReader(bytes);
            while (r.Next(out int field, out int wire))
            {
                switch (field)
                {
                    case 1 when wire == ProtoReader.Varint: model.IrVersion = r.ReadInt64(); break;
                    case 2 when wire == ProtoReader.LengthDelimited: model.ProducerName = r.ReadString(); break;
                    case 3 when wire == ProtoReader.LengthDelimited: model.ProducerVersion = r.ReadString(); break;
                    case 7 when wire == ProtoReader.LengthDelimited: model.Graph = GraphProto.Parse(r.ReadMessage(), maxNesting, 0); break;
                    case 8 when wire == ProtoReader.LengthDelimited:
                        var opset = r.ReadMessage();
                        string domain = "";
                        long version = 0;
                        while (opset.Next(out int f, out int w))
                        {
                            if (f == 1 && w == ProtoReader.LengthDelimited) domain = opset.ReadString();
                            else if (f == 2 && w == ProtoReader.Varint) version = opset.ReadInt64();
                            else opset.Skip(w);
                        }
                        model.OpsetImports.Add((domain, version));
                        break;
                    default: r.Skip(wire); break;
                }
            }
            return model;
        }
    }

    internal sealed class GraphProto
    {
        public string Name = "";
        public readonly List<NodeProto> Nodes = new();
        public readonly List<TensorProto> Initializers = new();
        public readonly List<ValueInfoProto> Inputs = new();
        public readonly List<ValueInfoProto> Outputs = new();
        public bool HasSparseInitializers;

        public static GraphProto Parse(ProtoReader r, int maxNesting, int depth)
        {
            if (depth > maxNesting) throw new Diagnostics.ModelException(Diagnostics.DiagnosticCatalog.SizeLimit,
                "subgraphs are nested deeper than the limit (" + maxNesting + ").");
            var graph = new GraphProto();
            while (r.Next(out int field, out int wire))
            {
                if (wire != ProtoReader.LengthDelimited)
                {
                    r.Skip(wire);
                    continue;
                }
                switch (field)
                {
                    case 1: graph.Nodes.Add(NodeProto.Parse(r.ReadMessage(), maxNesting, depth)); break;
                    case 2: graph.Name = r.ReadString(); break;
                    case 5: graph.Initializers.Add(TensorProto.Parse(r.ReadMessage())); break;
                    case 11: graph.Inputs.Add(ValueInfoProto.Parse(r.ReadMessage())); break;
                    case 12: graph.Outputs.Add(ValueInfoProto.Parse(r.ReadMessage())); break;
                    case 15: graph.HasSparseInitializers = true; r.Skip(wire); break;
                    default: r.Skip(wire); break;
                }
            }
            return graph;
        }
    }

    internal sealed class NodeProto
    {
        public readonly List<string> Inputs = new();
        public readonly List<string> Outputs = new();
        public string Name = "";
        public string OpType = "";
        public string Domain = "";
        public readonly List<AttributeProto> Attributes = new();

        public static NodeProto Parse(ProtoReader r, int maxNesting, int depth)
        {
            var node = new NodeProto();
            while (r.Next(out int field, out int wire))
            {
                if (wire != ProtoReader.LengthDelimited)
                {
                    r.Skip(wire);
                    continue;
                }
                switch (field)
                {
                    case 1: node.Inputs.Add(r.ReadString()); break;
                    case 2: node.Outputs.Add(r.ReadString()); break;
                    case 3: node.Name = r.ReadString(); break;
                    case 4: node.OpType = r.ReadString(); break;
                    case 5: node.Attributes.Add(AttributeProto.Parse(r.ReadMessage(), maxNesting, depth)); break;
                    case 7: node.Domain = r.ReadString(); break;
                    default: r.Skip(wire); break;
                }
            }
            return node;
        }
    }

    internal sealed class AttributeProto
    {
        public string Name = "";
        public int Type;
        public float F;
        public long I;
        public byte[] S = System.Array.Empty<byte>();
        public TensorProto? T;
        public bool HasGraph;
        public readonly List<float> Floats = new();
        public readonly List<long> Ints = new();
        public readonly List<byte[]> Strings = new();
        public string RefAttrName = "";

        public static AttributeProto Parse(ProtoReader r, int maxNesting, int depth)
        {
            var a = new AttributeProto();
            while (r.Next(out int field, out int wire))
            {
                switch (field)
                {
                    case 1 when wire == ProtoReader.LengthDelimited: a.Name = r.ReadString(); break;
                    case 2 when wire == ProtoReader.Fixed32: a.F = r.ReadFloat(); break;
                    case 3 when wire == ProtoReader.Varint: a.I = r.ReadInt64(); break;
                    case 4 when wire == ProtoReader.LengthDelimited: a.S = r.ReadBytes(); break;
                    case 5 when wire == ProtoReader.LengthDelimited: a.T = TensorProto.Parse(r.ReadMessage()); break;
                    case 6 when wire == ProtoReader.LengthDelimited:
                        // Subgraphs (control flow) are not compiled, but they are parsed under the
                        // nesting limit so a deep file fails with a diagnostic, not a stack overflow.
                        GraphProto.Parse(r.ReadMessage(), maxNesting, depth + 1);
                        a.HasGraph = true;
                        break;
                    case 7: r.ReadFloats(wire, a.Floats); break;
                    case 8: r.ReadVarints(wire, a.Ints); break;
                    case 9 when wire == ProtoReader.LengthDelimited: a.Strings.Add(r.ReadBytes()); break;
                    case 11 when wire == ProtoReader.LengthDelimited:
                        GraphProto.Parse(r.ReadMessage(), maxNesting, depth + 1);
                        a.HasGraph = true;
                        break;
                    case 20 when wire == ProtoReader.Varint: a.Type = r.ReadInt32(); break;
                    case 21 when wire == ProtoReader.LengthDelimited: a.RefAttrName = r.ReadString(); break;
                    default: r.Skip(wire); break;
                }
            }
            return a;
        }
    }

    internal sealed class TensorProto
    {
        public readonly List<long> Dims = new();
        public int DataType;
        public readonly List<float> FloatData = new();
        public readonly List<long> Int32Data = new();
        public int StringDataCount;
        public readonly List<long> Int64Data = new();
        public string Name = "";
        public byte[]? RawData;
        public readonly List<ulong> DoubleData = new();
        public readonly List<long> UInt64Data = new();
        public bool External;
        public readonly List<(string Key, string Value)> ExternalData = new();
        public bool HasSegment;

        public static TensorProto Parse(ProtoReader r)
        {
            var t = new TensorProto();
            while (r.Next(out int field, out int wire))
            {
                switch (field)
                {
                    case 1: r.ReadVarints(wire, t.Dims); break;
                    case 2 when wire == ProtoReader.Varint: t.DataType = r.ReadInt32(); break;
                    case 3: t.HasSegment = true; r.Skip(wire); break;
                    case 4: r.ReadFloats(wire, t.FloatData); break;
                    case 5: r.ReadVarints(wire, t.Int32Data); break;
                    case 6: t.StringDataCount++; r.Skip(wire); break;
                    case 7: r.ReadVarints(wire, t.Int64Data); break;
                    case 8 when wire == ProtoReader.LengthDelimited: t.Name = r.ReadString(); break;
                    case 9 when wire == ProtoReader.LengthDelimited: t.RawData = r.ReadBytes(); break;
                    case 10: r.ReadFixed64s(wire, t.DoubleData); break;
                    case 11: r.ReadVarints(wire, t.UInt64Data); break;
                    case 13 when wire == ProtoReader.LengthDelimited:
                        var entry = r.ReadMessage();
                        string key = "", value = "";
                        while (entry.Next(out int f, out int w))
                        {
                            if (f == 1 && w == ProtoReader.LengthDelimited) key = entry.ReadString();
                            else if (f == 2 && w == ProtoReader.LengthDelimited) value = entry.ReadString();
                            else entry.Skip(w);
                        }
                        t.ExternalData.Add((key, value));
                        break;
                    case 14 when wire == ProtoReader.Varint: t.External = r.ReadInt32() == 1; break;
                    default: r.Skip(wire); break;
                }
            }
            return t;
        }
    }

    internal sealed class ValueInfoProto
    {
        public string Name = "";

        /// <summary>"tensor", "sequence", "map", "optional", "sparse_tensor", or "" when no type is given.</summary>
        public string Kind = "";
        public int ElemType;
        public bool HasShape;

        /// <summary>Per dimension: its value, or null when symbolic or missing (dim_param or nothing).</summary>
        public readonly List<long?> Dims = new();

        public static ValueInfoProto Parse(ProtoReader r)
        {
            var v = new ValueInfoProto();
            while (r.Next(out int field, out int wire))
            {
                if (field == 1 && wire == ProtoReader.LengthDelimited) v.Name = r.ReadString();
                else if (field == 2 && wire == ProtoReader.LengthDelimited) ParseType(r.ReadMessage(), v);
                else r.Skip(wire);
            }
            return v;
        }

        private static void ParseType(ProtoReader r, ValueInfoProto v)
        {
            while (r.Next(out int field, out int wire))
            {
                if (wire != ProtoReader.LengthDelimited)
                {
                    r.Skip(wire);
                    continue;
                }
                switch (field)
                {
                    case 1:
                        v.Kind = "tensor";
                        var tensor = r.ReadMessage();
                        while (tensor.Next(out int f, out int w))
                        {
                            if (f == 1 && w == ProtoReader.Varint) v.ElemType = tensor.ReadInt32();
                            else if (f == 2 && w == ProtoReader.LengthDelimited) ParseShape(tensor.ReadMessage(), v);
                            else tensor.Skip(w);
                        }
                        break;
                    case 4: v.Kind = "sequence"; r.Skip(wire); break;
                    case 5: v.Kind = "map"; r.Skip(wire); break;
                    case 8: v.Kind = "sparse_tensor"; r.Skip(wire); break;
                    case 9: v.Kind = "optional"; r.Skip(wire); break;
                    default: r.Skip(wire); break;
                }
            }
        }

        private static void ParseShape(ProtoReader r, ValueInfoProto v)
        {
            v.HasShape = true;
            while (r.Next(out int field, out int wire))
            {
                if (field != 1 || wire != ProtoReader.LengthDelimited)
                {
                    r.Skip(wire);
                    continue;
                }
                var dim = r.ReadMessage();
                long? value = null;
                while (dim.Next(out int f, out int w))
                {
                    if (f == 1 && w == ProtoReader.Varint) value = dim.ReadInt64();
                    else
                    {
                        if (f == 2) value = null;
                        dim.Skip(w);
                    }
                }
                v.Dims.Add(value);
            }
        }
    }
}
