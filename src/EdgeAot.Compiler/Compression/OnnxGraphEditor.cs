using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;

namespace EdgeAot.Compiler.Compression
{
    /// <summary>
    /// Rewrites an ONNX graph in place at the protobuf level (names, initializers, node order), so
    /// a compressed model keeps everything the transformation did not touch. Compression writes
    /// ONNX, not the IR, because its output must also run in other runtimes.
    /// </summary>
    public sealed class OnnxGraphEditor
    {
        private readonly HashSet<string> _names = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<string, TensorProto> _initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        private readonly CompileOptions _options;

        public OnnxGraphEditor(byte[] modelBytes, CompileOptions options)
        {
            _options = options;
            Model = OnnxProtoParser.ParseModel(modelBytes, options.MaxNesting);
            Graph = Model.Graph ?? throw new ModelException(DiagnosticCatalog.EmptyGraph, "the model has no graph.");
            foreach (var t in Graph.Initializer)
            {
                _initializers[t.Name] = t;
                _names.Add(t.Name);
            }
            foreach (var v in Graph.Input) _names.Add(v.Name);
            foreach (var node in Graph.Node)
            {
                _names.Add(node.Name);
                foreach (string o in node.Output) _names.Add(o);
            }
        }

        public ModelProto Model { get; }

        public GraphProto Graph { get; }

        /// <summary>Opset of the default domain (0 when the model does not import it).</summary>
        public long DefaultOpset
        {
            get
            {
                foreach (var o in Model.OpsetImport)
                {
                    if (o.Domain.Length == 0 || o.Domain == "ai.onnx") return o.Version;
                }
                return 0;
            }
        }

        public byte[] ToBytes() => OnnxWriter.Write(Model);

        public string UniqueName(string baseName)
        {
            string name = baseName;
            for (int i = 1; !_names.Add(name); i++) name = baseName + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return name;
        }

        public bool IsGraphOutput(string name)
        {
            foreach (var o in Graph.Output)
            {
                if (o.Name == name) return true;
            }
            return false;
        }

        public bool IsGraphInput(string name)
        {
            foreach (var i in Graph.Input)
            {
                if (i.Name == name && !_initializers.ContainsKey(name)) return true;
            }
            return false;
        }

        public TensorProto? Initializer(string name) => name.Length > 0 && _initializers.TryGetValue(name, out var t) ? t : null;

        /// <summary>A float32 initializer's values and dims; null when the name is not a float32 initializer.</summary>
        public float[]? FloatInitializer(string name, out long[] dims)
        {
            dims = Array.Empty<long>();
            var t = Initializer(name);
            if (t is null || t.DataType != (int)DataType.Float32) return null;
            var decoded = OnnxTensorDecoder.Decode(t, "initializer", _options, null);
            dims = decoded.Dims;
            var values = new float[decoded.Data.Length / 4];
            Buffer.BlockCopy(decoded.Data, 0, values, 0, decoded.Data.Length);
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts are not supported.");
            return values;
        }

        /// <summary>Adds an initializer under a fresh name derived from <paramref name="baseName"/>; returns the name.</summary>
        public string AddInitializer(string baseName, DataType type, long[] dims, byte[] raw)
        {
            string name = UniqueName(baseName);
            var t = OnnxModelBuilder.RawTensor(name, type, dims, raw);
            Graph.Initializer.Add(t);
            _initializers[name] = t;
            return name;
        }

        public string AddFloats(string baseName, long[] dims, float[] values)
        {
            var raw = new byte[values.Length * 4];
            Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
            return AddInitializer(baseName, DataType.Float32, dims, raw);
        }

        /// <summary>Replaces a float initializer's values (same name, new dims).</summary>
        public void SetFloats(string name, long[] dims, float[] values)
        {
            var t = Initializer(name) ?? throw new InvalidOperationException("no initializer " + name);
            var raw = new byte[values.Length * 4];
            Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
            var replacement = OnnxModelBuilder.RawTensor(name, DataType.Float32, dims, raw);
            int index = Graph.Initializer.IndexOf(t);
            Graph.Initializer[index] = replacement;
            _initializers[name] = replacement;
        }

        /// <summary>Nodes that read <paramref name="name"/>.</summary>
        public List<NodeProto> Consumers(string name)
        {
            var list = new List<NodeProto>();
            foreach (var node in Graph.Node)
            {
                if (node.Input.Contains(name)) list.Add(node);
            }
            return list;
        }

        public NodeProto? Producer(string name)
        {
            foreach (var node in Graph.Node)
            {
                if (node.Output.Contains(name)) return node;
            }
            return null;
        }

        /// <summary>A new node in the default domain, placed right after <paramref name="after"/> (or first when null).</summary>
        public NodeProto InsertAfter(NodeProto? after, string opType, string nameBase, string[] inputs, string[] outputs, params OnnxAttribute[] attributes)
        {
            var node = new NodeProto { OpType = opType, Name = UniqueName(nameBase) };
            node.Input.AddRange(inputs);
            node.Output.AddRange(outputs);
            foreach (var a in attributes) node.Attribute.Add(a.Proto);
            int index = after is null ? 0 : Graph.Node.IndexOf(after) + 1;
            Graph.Node.Insert(index, node);
            return node;
        }

        /// <summary>Drops initializers no node reads any more (and their legacy graph-input entries).</summary>
        public void RemoveUnusedInitializers()
        {
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in Graph.Node)
            {
                foreach (string i in node.Input) used.Add(i);
            }
            foreach (var o in Graph.Output) used.Add(o.Name);
            for (int i = Graph.Initializer.Count - 1; i >= 0; i--)
            {
                string name = Graph.Initializer[i].Name;
                if (used.Contains(name)) continue;
                Graph.Initializer.RemoveAt(i);
                _initializers.Remove(name);
                Graph.Input.RemoveAll(v => v.Name == name);
            }
        }

        public static long AttributeInt(NodeProto node, string name, long defaultValue)
        {
            foreach (var a in node.Attribute)
            {
                if (a.Name == name) return a.I;
            }
            return defaultValue;
        }

        public static float AttributeFloat(NodeProto node, string name, float defaultValue)
        {
            foreach (var a in node.Attribute)
            {
                if (a.Name == name) return a.F;
            }
            return defaultValue;
        }
    }
}
