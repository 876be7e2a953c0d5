using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Add, Sub, Mul, Div with multidirectional (numpy) broadcasting from opset 7, and the legacy
    /// opset 1-6 form where B is broadcast onto A only with <c>broadcast=1</c>, aligned at
    /// <c>axis</c> (default: trailing). Float semantics are IEEE; integer Div truncates toward zero
    /// and integer Add/Sub/Mul wrap around.
    /// </summary>
    /// <remarks>
    /// Plan attributes: <c>broadcast_axis</c> (only for legacy broadcasting that does not align
    /// B at the end): the output dimension where B's first dimension sits.
    /// </remarks>
    public sealed class BinaryElementwiseOperator : OperatorDefinition
    {
        public const string BroadcastAxis = "broadcast_axis";

        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Add", "Sub", "Mul", "Div" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public static bool IsSupportedType(DataType type)
            => type is DataType.Float32 or DataType.Float64 or DataType.Int32 or DataType.Int64;

        public override void Lower(Node node, LoweringContext context)
        {
            if (node.Inputs.Count != 2) throw context.Fail(node, "expects 2 inputs, got " + node.Inputs.Count + ".");
            var a = context.Required(node, 0);
            var b = context.Required(node, 1);
            if (a.Type != b.Type) throw context.Fail(node, "inputs have different element types (" + a.Type + ", " + b.Type + ").");
            if (!IsSupportedType(a.Type)) throw context.UnsupportedType(node, a.Type);
            // A zero in a constant integer divisor would throw DivideByZeroException in every Run.
            if (node.OpType == "Div" && !DataTypes.IsFloat(a.Type) && b.Data is not null && System.Array.IndexOf(TensorData.ToInt64(b), 0L) >= 0)
                throw context.Fail(node, "the constant integer divisor contains zero.");

            long[] output;
            long? legacyAxis = null;
            if (node.OpsetVersion < 7)
            {
                // Legacy broadcasting: the output has A's shape; B's shape must match a contiguous
                // run of A's dimensions (1 broadcasts), starting at `axis` or aligned at the end.
                bool broadcast = node.Attributes.GetInt("broadcast", 0) != 0;
                if (!broadcast)
                {
                    if (!Shape.SameAs(a.Shape, b.Shape))
                        throw context.Fail(node, "input shapes " + Shape.Format(a.Shape) + " and " + Shape.Format(b.Shape) + " differ, and broadcast=0 (opset " + node.OpsetVersion + " requires equal shapes unless broadcast=1).");
                }
                else
                {
                    if (b.Rank > a.Rank)
                        throw context.Fail(node, "legacy broadcasting needs B's rank (" + b.Rank + ") at most A's rank (" + a.Rank + ").");
                    long axis = node.Attributes.Find("axis") is { Kind: AttributeKind.Int } attr ? attr.Int : a.Rank - b.Rank;
                    if (axis < 0) axis += a.Rank;
                    if (axis < 0 || axis > a.Rank - b.Rank)
                        throw context.Fail(node, "axis " + axis + " does not place B " + Shape.Format(b.Shape) + " inside A " + Shape.Format(a.Shape) + ".");
                    for (int i = 0; i < b.Rank; i++)
                    {
                        if (b.Shape[i] != 1 && b.Shape[i] != a.Shape[axis + i])
                            throw context.Fail(node, "B " + Shape.Format(b.Shape) + " does not broadcast onto A " + Shape.Format(a.Shape) + " at axis " + axis + ".");
                    }
                    if (axis != a.Rank - b.Rank) legacyAxis = axis;
                }
                output = a.Shape;
            }
            else
            {
                output = Shape.Broadcast(a.Shape, b.Shape)
                    ?? throw context.Fail(node, "input shapes " + Shape.Format(a.Shape) + " and " + Shape.Format(b.Shape) + " cannot be broadcast together.");
            }

            NodeAttributes.KeepOnly(node);
            if (legacyAxis is long la) NodeAttributes.SetInt(node, BroadcastAxis, la);
            context.SetOutput(node, 0, a.Type, (long[])output.Clone());
        }

        /// <summary>Row-major strides of input <paramref name="index"/> over the output shape (0 on broadcast dimensions).</summary>
        public static long[] InputStrides(long[] inputShape, long[] outputShape, int index, long? broadcastAxis)
        {
            int axis = index == 1 && broadcastAxis is long ba ? (int)ba : outputShape.Length - inputShape.Length;
            return Broadcasting.Strides(Broadcasting.Align(inputShape, outputShape.Length, axis), outputShape);
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var a = node.Inputs[0]!;
            var b = node.Inputs[1]!;
            var y = node.Outputs[0];
            long? axis = node.Attributes.Find(BroadcastAxis)?.Int;
            long[] sa = InputStrides(a.Shape, y.Shape, 0, axis);
            long[] sb = InputStrides(b.Shape, y.Shape, 1, axis);
            long n = y.ElementCount;
            var data = new byte[Shape.ByteSize(y.Shape, y.Type)];
            byte[] da = a.Data!, db = b.Data!;
            for (long i = 0; i < n; i++)
            {
                long ia = Broadcasting.Offset(i, y.Shape, sa);
                long ib = Broadcasting.Offset(i, y.Shape, sb);
                switch (y.Type)
                {
                    case DataType.Float32:
                        float fa = BitConverter.ToSingle(da, (int)ia * 4), fb = BitConverter.ToSingle(db, (int)ib * 4);
                        TensorData.Write(data, y.Type, i, Apply(node.OpType, fa, fb));
                        break;
                    case DataType.Float64:
                        TensorData.Write(data, y.Type, i, Apply(node.OpType, BitConverter.ToDouble(da, (int)ia * 8), BitConverter.ToDouble(db, (int)ib * 8)));
                        break;
                    case DataType.Int32:
                        TensorData.WriteInt64(data, y.Type, i, unchecked((int)Apply(node, context, TensorData.ReadAsInt64(da, y.Type, ia), TensorData.ReadAsInt64(db, y.Type, ib))));
                        break;
                    default:
                        TensorData.WriteInt64(data, y.Type, i, Apply(node, context, TensorData.ReadAsInt64(da, y.Type, ia), TensorData.ReadAsInt64(db, y.Type, ib)));
                        break;
                }
            }
            y.Data = data;
        }

        private static float Apply(string op, float a, float b) => op switch
        {
            "Add" => a + b,
            "Sub" => a - b,
            "Mul" => a * b,
            _ => a / b,
        };

        private static double Apply(string op, double a, double b) => op switch
        {
            "Add" => a + b,
            "Sub" => a - b,
            "Mul" => a * b,
            _ => a / b,
        };

        private static long Apply(Node node, LoweringContext context, long a, long b)
        {
            unchecked
            {
                switch (node.OpType)
                {
                    case "Add": return a + b;
                    case "Sub": return a - b;
                    case "Mul": return a * b;
                    default:
                        if (b == 0) throw context.Fail(node, "integer division by zero in a constant expression.");
                        return b == -1 ? -a : a / b;
                }
            }
        }

        public override bool CanRunInPlace(Node node)
        {
            var a = node.Inputs[0];
            var y = node.Outputs[0];
            return a is not null && a.Type == y.Type && Shape.SameAs(a.Shape, y.Shape);
        }
    }
}
