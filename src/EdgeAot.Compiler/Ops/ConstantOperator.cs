using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Constant: the output is a build-time constant taken from exactly one of <c>value</c>,
    /// <c>value_float</c>, <c>value_floats</c>, <c>value_int</c>, <c>value_ints</c>. The node
    /// always folds away, so it never reaches the plan or the generator.
    /// </summary>
    public sealed class ConstantOperator : OperatorDefinition
    {
        private static readonly string[] Supported = { "value", "value_float", "value_floats", "value_int", "value_ints" };
        private static readonly string[] Refused = { "sparse_value", "value_string", "value_strings" };

        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Constant" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override void Lower(Node node, LoweringContext context)
        {
            if (node.Inputs.Count != 0) throw context.Fail(node, "takes no inputs, got " + node.Inputs.Count + ".");
            foreach (var name in Refused)
            {
                if (node.Attributes.Contains(name)) throw context.Unsupported(node, "attribute " + name + " is not supported.");
            }
            Attribute? source = null;
            foreach (var name in Supported)
            {
                if (node.Attributes.Find(name) is not { } a) continue;
                if (source is not null) throw context.Fail(node, "has both " + source.Name + " and " + name + "; exactly one value attribute is allowed.");
                source = a;
            }
            if (source is null) throw context.Fail(node, "has no value attribute.");

            var (type, shape) = source.Name switch
            {
                "value" when source.Kind == AttributeKind.Tensor && source.Tensor is { } t => (t.Type, (long[])t.Shape.Clone()),
                "value_float" when source.Kind == AttributeKind.Float => (DataType.Float32, new long[0]),
                "value_floats" when source.Kind == AttributeKind.Floats => (DataType.Float32, new long[] { source.Floats.Length }),
                "value_int" when source.Kind == AttributeKind.Int => (DataType.Int64, new long[0]),
                "value_ints" when source.Kind == AttributeKind.Ints => (DataType.Int64, new long[] { source.Ints.Length }),
                _ => throw context.Fail(node, "attribute " + source.Name + " has the wrong kind (" + source.Kind + ")."),
            };
            if (source.Name == "value")
            {
                var t = source.Tensor!;
                if (!DataTypes.IsSupported(t.Type)) throw context.UnsupportedType(node, t.Type);
                if (t.Data is null || t.Data.Length != Shape.ByteSize(t.Shape, t.Type))
                    throw context.Fail(node, "the value tensor's data does not match its shape " + Shape.Format(t.Shape) + ".");
            }
            NodeAttributes.KeepOnly(node, source.Name);
            context.SetOutput(node, 0, type, shape);
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var source = node.Attributes.All.GetEnumerator();
            source.MoveNext();
            var a = source.Current;
            node.Outputs[0].Data = a.Name switch
            {
                "value" => a.Tensor!.Data,
                "value_float" => TensorData.FromFloat32(new[] { a.Float }),
                "value_floats" => TensorData.FromFloat32(a.Floats),
                "value_int" => TensorData.FromInt64(new[] { a.Int }),
                _ => TensorData.FromInt64(a.Ints),
            };
            // The attribute held the data; the folded node leaves nothing behind in the plan.
            node.Attributes.Remove(a.Name);
        }
    }
}
