using System;
using System.Collections.Generic;

namespace EdgeAot.Compiler.Ir
{
    public enum AttributeKind
    {
        Int,
        Float,
        String,
        Ints,
        Floats,
        Strings,
        Tensor,
        Graph,
    }

    /// <summary>A node attribute as imported (ONNX AttributeProto reduced to what the compiler uses).</summary>
    public sealed class Attribute
    {
        private Attribute(string name, AttributeKind kind)
        {
            Name = name;
            Kind = kind;
        }

        public string Name { get; }

        public AttributeKind Kind { get; }

        public long Int { get; private set; }

        public float Float { get; private set; }

        public string String { get; private set; } = "";

        public long[] Ints { get; private set; } = Array.Empty<long>();

        public float[] Floats { get; private set; } = Array.Empty<float>();

        public string[] Strings { get; private set; } = Array.Empty<string>();

        public Value? Tensor { get; private set; }

        public static Attribute FromInt(string name, long value) => new Attribute(name, AttributeKind.Int) { Int = value };

        public static Attribute FromFloat(string name, float value) => new Attribute(name, AttributeKind.Float) { Float = value };

        public static Attribute FromString(string name, string value) => new Attribute(name, AttributeKind.String) { String = value };

        public static Attribute FromInts(string name, long[] value) => new Attribute(name, AttributeKind.Ints) { Ints = value };

        public static Attribute FromFloats(string name, float[] value) => new Attribute(name, AttributeKind.Floats) { Floats = value };

        public static Attribute FromStrings(string name, string[] value) => new Attribute(name, AttributeKind.Strings) { Strings = value };

        public static Attribute FromTensor(string name, Value value) => new Attribute(name, AttributeKind.Tensor) { Tensor = value };

        public static Attribute FromGraph(string name) => new Attribute(name, AttributeKind.Graph);
    }

    /// <summary>Attributes of one node, looked up by name (ordinal).</summary>
    public sealed class AttributeSet
    {
        private readonly Dictionary<string, Attribute> _byName = new Dictionary<string, Attribute>(StringComparer.Ordinal);

        public IEnumerable<Attribute> All => _byName.Values;

        public int Count => _byName.Count;

        public bool Contains(string name) => _byName.ContainsKey(name);

        public Attribute? Find(string name) => _byName.TryGetValue(name, out var a) ? a : null;

        /// <summary>Adds or replaces an attribute.</summary>
        public void Set(Attribute attribute) => _byName[attribute.Name] = attribute;

        public void Remove(string name) => _byName.Remove(name);

        public long GetInt(string name, long defaultValue) => Find(name) is { Kind: AttributeKind.Int } a ? a.Int : defaultValue;

        public float GetFloat(string name, float defaultValue) => Find(name) is { Kind: AttributeKind.Float } a ? a.Float : defaultValue;

        public string GetString(string name, string defaultValue) => Find(name) is { Kind: AttributeKind.String } a ? a.String : defaultValue;

        public long[]? GetInts(string name) => Find(name) is { Kind: AttributeKind.Ints } a ? a.Ints : null;

        public float[]? GetFloats(string name) => Find(name) is { Kind: AttributeKind.Floats } a ? a.Floats : null;

        public AttributeSet Clone()
        {
            var copy = new AttributeSet();
            foreach (var a in _byName.Values) copy.Set(a);
            return copy;
        }
    }
}
