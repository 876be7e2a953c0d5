using System;
using System.Collections.Generic;
using System.Text;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Onnx
{
    /// <summary>
    /// Builds ONNX model bytes in code, for tests, sample models and model rewriting. Values are
    /// referred to by name; methods return the names they define. For deliberately broken models,
    /// <see cref="Model"/> and <see cref="Graph"/> expose the protobuf objects to change freely.
    /// </summary>
    /// <example>
    /// var b = new OnnxModelBuilder("tiny", opset: 13);
    /// string x = b.Input("x", DataType.Float32, 1, 4);
    /// string w = b.Initializer("w", new long[] { 4, 2 }, new float[8]);
    /// string y = b.Node("MatMul", new[] { x, w });
    /// b.Output(y, DataType.Float32, 1, 2);
    /// byte[] bytes = b.ToBytes();
    /// </example>
    public sealed class OnnxModelBuilder
    {
        private int _generatedNames;

        public OnnxModelBuilder(string graphName, int opset, long irVersion = 8)
        {
            Model = new ModelProto { IrVersion = irVersion, ProducerName = "EdgeAot", Graph = new GraphProto { Name = graphName } };
            Model.OpsetImport.Add(new OperatorSetIdProto("", opset));
        }

        /// <summary>The model being built (raw access).</summary>
        public ModelProto Model { get; }

        /// <summary>The main graph being built (raw access).</summary>
        public GraphProto Graph => Model.Graph!;

        public OnnxModelBuilder Producer(string name, string version = "")
        {
            Model.ProducerName = name;
            Model.ProducerVersion = version;
            return this;
        }

        /// <summary>Imports an opset for another domain (e.g. "com.microsoft").</summary>
        public OnnxModelBuilder Opset(string domain, int version)
        {
            Model.OpsetImport.Add(new OperatorSetIdProto(domain, version));
            return this;
        }

        public string Input(string name, DataType type, params long[] shape)
        {
            Graph.Input.Add(new ValueInfoProto(name, TypeProto.Tensor(type, shape)));
            return name;
        }

        public void Output(string name, DataType type, params long[] shape)
            => Graph.Output.Add(new ValueInfoProto(name, TypeProto.Tensor(type, shape)));

        public string Initializer(string name, long[] shape, float[] values) => Initializer(Tensor(name, shape, values));

        public string Initializer(string name, long[] shape, long[] values) => Initializer(Tensor(name, shape, values));

        public string Initializer(string name, long[] shape, int[] values) => Initializer(Tensor(name, shape, values));

        public string Initializer(string name, long[] shape, sbyte[] values) => Initializer(Tensor(name, shape, values));

        public string Initializer(string name, long[] shape, byte[] values) => Initializer(Tensor(name, shape, values));

        /// <summary>Adds any tensor as an initializer (including one whose data does not match its shape).</summary>
        public string Initializer(TensorProto tensor)
        {
            Graph.Initializer.Add(tensor);
            return tensor.Name;
        }

        /// <summary>Adds a single-output node in the default domain; returns its output name.</summary>
        public string Node(string opType, string?[] inputs, params OnnxAttribute[] attributes)
            => Node(opType, inputs, 1, attributes)[0];

        /// <summary>Adds a node with <paramref name="outputCount"/> outputs; returns their names.</summary>
        public string[] Node(string opType, string?[] inputs, int outputCount, params OnnxAttribute[] attributes)
        {
            string name = opType + "_" + (_generatedNames++).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var outputs = new string[outputCount];
            for (int i = 0; i < outputs.Length; i++) outputs[i] = outputCount == 1 ? name + "_out" : name + "_out" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var node = AddNode(opType, inputs, outputs, attributes);
            node.Name = name;
            return outputs;
        }

        /// <summary>
        /// Adds a node with exactly the given input and output names (null or "" = absent) and
        /// returns it, so callers can also set its name or domain.
        /// </summary>
        public NodeProto AddNode(string opType, string?[] inputs, string[] outputs, params OnnxAttribute[] attributes)
        {
            var node = new NodeProto { OpType = opType };
            foreach (string? input in inputs) node.Input.Add(input ?? "");
            node.Output.AddRange(outputs);
            foreach (var attribute in attributes) node.Attribute.Add(attribute.Proto);
            Graph.Node.Add(node);
            return node;
        }

        public byte[] ToBytes() => OnnxWriter.Write(Model);

        // Tensor factories, for initializers and tensor attributes.

        public static TensorProto Tensor(string name, long[] shape, float[] values)
        {
            var t = NewTensor(name, shape, DataType.Float32);
            t.FloatData.AddRange(values);
            return t;
        }

        public static TensorProto Tensor(string name, long[] shape, long[] values)
        {
            var t = NewTensor(name, shape, DataType.Int64);
            t.Int64Data.AddRange(values);
            return t;
        }

        public static TensorProto Tensor(string name, long[] shape, int[] values)
        {
            var t = NewTensor(name, shape, DataType.Int32);
            t.Int32Data.AddRange(values);
            return t;
        }

        public static TensorProto Tensor(string name, long[] shape, sbyte[] values)
        {
            var bytes = new byte[values.Length];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            return RawTensor(name, DataType.Int8, shape, bytes);
        }

        public static TensorProto Tensor(string name, long[] shape, byte[] values)
            => RawTensor(name, DataType.UInt8, shape, (byte[])values.Clone());

        /// <summary>A tensor whose raw_data is exactly <paramref name="rawData"/>, whatever the shape says.</summary>
        public static TensorProto RawTensor(string name, DataType type, long[] shape, byte[] rawData)
        {
            var t = NewTensor(name, shape, type);
            t.RawData = rawData;
            return t;
        }

        /// <summary>A tensor whose data lives in a file next to the model (external_data entries as given).</summary>
        public static TensorProto ExternalTensor(string name, DataType type, long[] shape, string location, long? offset = null, long? length = null)
        {
            var t = NewTensor(name, shape, type);
            t.DataLocation = TensorDataLocation.External;
            t.ExternalData.Add(new StringStringEntryProto("location", location));
            if (offset is long o) t.ExternalData.Add(new StringStringEntryProto("offset", o.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (length is long l) t.ExternalData.Add(new StringStringEntryProto("length", l.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return t;
        }

        private static TensorProto NewTensor(string name, long[] shape, DataType type)
        {
            var t = new TensorProto { Name = name, DataType = (int)type };
            t.Dims.AddRange(shape);
            return t;
        }
    }

    /// <summary>A node attribute for <see cref="OnnxModelBuilder"/>.</summary>
    public sealed class OnnxAttribute
    {
        private OnnxAttribute(AttributeProto proto) => Proto = proto;

        public AttributeProto Proto { get; }

        public static OnnxAttribute Int(string name, long value)
            => new OnnxAttribute(new AttributeProto { Name = name, Type = AttributeProtoType.Int, I = value, HasI = true });

        public static OnnxAttribute Float(string name, float value)
            => new OnnxAttribute(new AttributeProto { Name = name, Type = AttributeProtoType.Float, F = value, HasF = true });

        public static OnnxAttribute String(string name, string value)
            => new OnnxAttribute(new AttributeProto { Name = name, Type = AttributeProtoType.String, S = Encoding.UTF8.GetBytes(value), HasS = true });

        public static OnnxAttribute Ints(string name, params long[] values)
        {
            var proto = new AttributeProto { Name = name, Type = AttributeProtoType.Ints };
            proto.Ints.AddRange(values);
            return new OnnxAttribute(proto);
        }

        public static OnnxAttribute Floats(string name, params float[] values)
        {
            var proto = new AttributeProto { Name = name, Type = AttributeProtoType.Floats };
            proto.Floats.AddRange(values);
            return new OnnxAttribute(proto);
        }

        public static OnnxAttribute Strings(string name, params string[] values)
        {
            var proto = new AttributeProto { Name = name, Type = AttributeProtoType.Strings };
            foreach (string v in values) proto.Strings.Add(Encoding.UTF8.GetBytes(v));
            return new OnnxAttribute(proto);
        }

        public static OnnxAttribute Tensor(string name, TensorProto value)
            => new OnnxAttribute(new AttributeProto { Name = name, Type = AttributeProtoType.Tensor, T = value });

        public static OnnxAttribute Graph(string name, GraphProto value)
            => new OnnxAttribute(new AttributeProto { Name = name, Type = AttributeProtoType.Graph, G = value });
    }
}
