using System;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Plan
{
    // The lowered model as the source generator sees it. These records are the incremental
    // generator's cache boundary: primitives, strings, enums and EquatableArray only, so an
    // unchanged plan file yields an equal ModelPlan and every later step stays cached.

    /// <summary>Where a tensor's elements live at run time.</summary>
    public enum TensorStorage
    {
        /// <summary>A Run parameter (ReadOnlySpan); <see cref="TensorPlan.Offset"/> is the parameter index.</summary>
        Input,

        /// <summary>A Run parameter (Span); <see cref="TensorPlan.Offset"/> is the parameter index.</summary>
        Output,

        /// <summary>A slice of the instance arena at <see cref="TensorPlan.Offset"/> bytes.</summary>
        Arena,

        /// <summary>Constant data compiled into the binary (<see cref="TensorPlan.Data"/>).</summary>
        Weight,
    }

    public sealed record TensorPlan(
        int Id,
        string Name,
        DataType Type,
        EquatableArray<long> Shape,
        TensorStorage Storage,
        long Offset,
        long ByteLength,
        EquatableArray<byte> Data)
    {
        public long ElementCount => Ir.Shape.ElementCount(Shape.ToArray());
    }

    public sealed record AttributePlan(
        string Name,
        AttributeKind Kind,
        long Int,
        float Float,
        string Text,
        EquatableArray<long> Ints,
        EquatableArray<float> Floats);

    /// <summary>
    /// A kernel scratch buffer of one node: <see cref="Elements"/> values of <see cref="Type"/> at
    /// <see cref="Offset"/> bytes into the arena, live only while the node runs. <see cref="Name"/>
    /// is the kernel's local variable for it.
    /// </summary>
    public sealed record ScratchPlan(string Name, DataType Type, long Elements, long Offset)
    {
        public long ByteLength => Elements * DataTypes.SizeOf(Type);
    }

    public sealed record NodePlan(
        int Index,
        string Name,
        string OpType,
        EquatableArray<int> Inputs,
        EquatableArray<int> Outputs,
        EquatableArray<AttributePlan> Attributes,
        EquatableArray<string> FusedFrom)
    {
        /// <summary>The node's kernel scratch in the arena (planned by the compiler), in the kernel's order.</summary>
        public EquatableArray<ScratchPlan> Scratch { get; init; } = EquatableArray<ScratchPlan>.Empty;

        /// <summary>Tensor id of input <paramref name="index"/>, or -1 when absent.</summary>
        public int Input(int index) => index < Inputs.Count ? Inputs[index] : -1;

        public AttributePlan? Attribute(string name)
        {
            foreach (var a in Attributes)
            {
                if (string.Equals(a.Name, name, StringComparison.Ordinal)) return a;
            }
            return null;
        }

        public long GetInt(string name, long defaultValue) => Attribute(name) is { Kind: AttributeKind.Int } a ? a.Int : defaultValue;

        public float GetFloat(string name, float defaultValue) => Attribute(name) is { Kind: AttributeKind.Float } a ? a.Float : defaultValue;

        public string GetString(string name, string defaultValue) => Attribute(name) is { Kind: AttributeKind.String } a ? a.Text : defaultValue;

        public long[] GetInts(string name) => Attribute(name) is { Kind: AttributeKind.Ints } a ? a.Ints.ToArray() : Array.Empty<long>();

        public float[] GetFloats(string name) => Attribute(name) is { Kind: AttributeKind.Floats } a ? a.Floats.ToArray() : Array.Empty<float>();
    }

    public sealed record ModelPlan(
        string ModelFile,
        string Sha256,
        string ClassName,
        string Namespace,
        string Producer,
        long OpsetVersion,
        long ArenaBytes,
        long WeightBytes,
        EquatableArray<TensorPlan> Tensors,
        EquatableArray<int> Inputs,
        EquatableArray<int> Outputs,
        EquatableArray<NodePlan> Nodes)
    {
        public TensorPlan Tensor(int id) => Tensors[id];

        /// <summary>Largest generated source in characters (EdgeAotMaxSourceBytes); 0 = no limit.</summary>
        public long MaxSourceBytes { get; init; }

        /// <summary>What the kernels were chosen for (the plan's <c>optimize=speed</c>; absent = Memory).</summary>
        public OptimizationGoal OptimizeFor { get; init; }
    }
}
