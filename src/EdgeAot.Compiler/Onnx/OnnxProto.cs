using System;
using System.Collections.Generic;

// Plain mutable classes for the part of onnx.proto EdgeAot reads and writes. Field numbers are
// listed in OnnxProtoParser/OnnxWriter; everything else in a file is skipped when read.
namespace EdgeAot.Compiler.Onnx
{
    public sealed class ModelProto
    {
        public long IrVersion { get; set; }

        public List<OperatorSetIdProto> OpsetImport { get; } = new List<OperatorSetIdProto>();

        public string ProducerName { get; set; } = "";

        public string ProducerVersion { get; set; } = "";

        public string Domain { get; set; } = "";

        public long ModelVersion { get; set; }

        public GraphProto? Graph { get; set; }
    }

    public sealed class OperatorSetIdProto
    {
        public OperatorSetIdProto(string domain, long version)
        {
            Domain = domain;
            Version = version;
        }

        public string Domain { get; set; }

        public long Version { get; set; }
    }

    public sealed class GraphProto
    {
        public List<NodeProto> Node { get; } = new List<NodeProto>();

        public string Name { get; set; } = "";

        public List<TensorProto> Initializer { get; } = new List<TensorProto>();

        /// <summary>Sparse initializers are not supported; only their presence is recorded.</summary>
        public int SparseInitializerCount { get; set; }

        public List<ValueInfoProto> Input { get; } = new List<ValueInfoProto>();

        public List<ValueInfoProto> Output { get; } = new List<ValueInfoProto>();

        public List<ValueInfoProto> ValueInfo { get; } = new List<ValueInfoProto>();
    }

    public sealed class NodeProto
    {
        public List<string> Input { get; } = new List<string>();

        public List<string> Output { get; } = new List<string>();

        public string Name { get; set; } = "";

        public string OpType { get; set; } = "";

        public string Domain { get; set; } = "";

        public List<AttributeProto> Attribute { get; } = new List<AttributeProto>();
    }

    /// <summary>AttributeProto.AttributeType.</summary>
    public enum AttributeProtoType
    {
        Undefined = 0,
        Float = 1,
        Int = 2,
        String = 3,
        Tensor = 4,
        Graph = 5,
        Floats = 6,
        Ints = 7,
        Strings = 8,
        Tensors = 9,
        Graphs = 10,
        SparseTensor = 11,
        SparseTensors = 12,
        TypeProto = 13,
        TypeProtos = 14,
    }

    public sealed class AttributeProto
    {
        public string Name { get; set; } = "";

        /// <summary>Set only inside function bodies; a reference to the caller's attribute.</summary>
        public string RefAttrName { get; set; } = "";

        public AttributeProtoType Type { get; set; }

        public float F { get; set; }

        public long I { get; set; }

        public byte[] S { get; set; } = Array.Empty<byte>();

        public TensorProto? T { get; set; }

        public GraphProto? G { get; set; }

        public List<float> Floats { get; } = new List<float>();

        public List<long> Ints { get; } = new List<long>();

        public List<byte[]> Strings { get; } = new List<byte[]>();

        public List<TensorProto> Tensors { get; } = new List<TensorProto>();

        public List<GraphProto> Graphs { get; } = new List<GraphProto>();

        // Presence of the scalar fields, needed to infer the kind when Type is Undefined (IR version 1 files).
        public bool HasF { get; set; }

        public bool HasI { get; set; }

        public bool HasS { get; set; }

        /// <summary>True when a sparse tensor or type proto value was present (both unsupported).</summary>
        public bool HasUnsupportedValue { get; set; }
    }

    public enum TensorDataLocation
    {
        Default = 0,
        External = 1,
    }

    public sealed class StringStringEntryProto
    {
        public StringStringEntryProto(string key, string value)
        {
            Key = key;
            Value = value;
        }

        public string Key { get; set; }

        public string Value { get; set; }
    }

    public sealed class TensorProto
    {
        public List<long> Dims { get; } = new List<long>();

        /// <summary>A TensorProto.DataType number (see <see cref="Ir.DataType"/>); kept as int because files may hold any value.</summary>
        public int DataType { get; set; }

        /// <summary>True when the tensor was split into segments (unsupported).</summary>
        public bool HasSegment { get; set; }

        public List<float> FloatData { get; } = new List<float>();

        public List<int> Int32Data { get; } = new List<int>();

        public List<byte[]> StringData { get; } = new List<byte[]>();

        public List<long> Int64Data { get; } = new List<long>();

        public string Name { get; set; } = "";

        public byte[] RawData { get; set; } = Array.Empty<byte>();

        public List<double> DoubleData { get; } = new List<double>();

        public List<ulong> UInt64Data { get; } = new List<ulong>();

        public TensorDataLocation DataLocation { get; set; }

        public List<StringStringEntryProto> ExternalData { get; } = new List<StringStringEntryProto>();
    }

    public sealed class ValueInfoProto
    {
        public ValueInfoProto(string name, TypeProto? type = null)
        {
            Name = name;
            Type = type;
        }

        public string Name { get; set; }

        public TypeProto? Type { get; set; }
    }

    /// <summary>Which member of TypeProto's value oneof is set.</summary>
    public enum TypeProtoKind
    {
        None = 0,
        Tensor = 1,
        Sequence = 4,
        Map = 5,
        Opaque = 7,
        SparseTensor = 8,
        Optional = 9,
    }

    /// <summary>
    /// A value's type. Only tensor types are read in full; for the other kinds the kind alone is
    /// kept, which is all the importer needs to refuse them (and keeps parsing non-recursive).
    /// </summary>
    public sealed class TypeProto
    {
        public TypeProtoKind Kind { get; set; }

        /// <summary>Element type of a tensor type (a TensorProto.DataType number).</summary>
        public int ElemType { get; set; }

        /// <summary>Null when the tensor type has no shape (unknown rank).</summary>
        public TensorShapeProto? Shape { get; set; }

        public static TypeProto Tensor(Ir.DataType elemType, params long[] dims)
        {
            var shape = new TensorShapeProto();
            foreach (long d in dims) shape.Dim.Add(TensorShapeDimension.Fixed(d));
            return new TypeProto { Kind = TypeProtoKind.Tensor, ElemType = (int)elemType, Shape = shape };
        }
    }

    public sealed class TensorShapeProto
    {
        public List<TensorShapeDimension> Dim { get; } = new List<TensorShapeDimension>();
    }

    /// <summary>One dimension: a value, a symbolic name, or neither (unknown).</summary>
    public sealed class TensorShapeDimension
    {
        public long? Value { get; set; }

        public string? Param { get; set; }

        public static TensorShapeDimension Fixed(long value) => new TensorShapeDimension { Value = value };

        public static TensorShapeDimension Symbolic(string name) => new TensorShapeDimension { Param = name };

        public static TensorShapeDimension Unknown() => new TensorShapeDimension();
    }
}
