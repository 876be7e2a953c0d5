using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Comparisons (Equal, Greater, Less, GreaterOrEqual, LessOrEqual → bool) and logic (Not, And,
    /// Or, Xor on bool), with numpy broadcasting. Floats compare as IEEE (NaN is unequal to all).
    /// </summary>
    public sealed class ComparisonOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "Not", "And", "Or", "Xor" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        /// <summary>Not exists from opset 1; the binary ops are gated at 7 in <see cref="Lower"/> (before 7 they had a legacy 'broadcast' attribute).</summary>
        public override int MinOpset => 1;

        public static bool IsLogical(string opType) => opType is "Not" or "And" or "Or" or "Xor";

        public override void Lower(Node node, LoweringContext context)
        {
            if (node.OpType != "Not" && node.OpsetVersion < 7)
                throw new Diagnostics.ModelException(Diagnostics.DiagnosticCatalog.UnsupportedOpset, node.OpType + " at opset " + node.OpsetVersion + " (legacy broadcast attribute) is not supported (minimum 7).", node.Name);
            var a = context.Required(node, 0);
            bool logical = IsLogical(node.OpType);
            if (logical ? a.Type != DataType.Bool : !DataTypes.IsSupported(a.Type)) throw context.UnsupportedType(node, a.Type);
            if (node.OpType == "Not")
            {
                context.SetOutput(node, 0, DataType.Bool, a.Shape);
                return;
            }
            var b = context.Required(node, 1);
            if (b.Type != a.Type) throw context.Fail(node, "both inputs must have the same element type.");
            var shape = Shape.Broadcast(a.Shape, b.Shape) ?? throw context.Fail(node, "input shapes " + Shape.Format(a.Shape) + " and " + Shape.Format(b.Shape) + " do not broadcast.");
            node.Attributes.Remove("broadcast");
            context.SetOutput(node, 0, DataType.Bool, shape);
        }

        public override bool CanRunInPlace(Node node) => node.OpType == "Not";

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var output = node.Outputs[0];
            var a = node.Inputs[0]!;
            var b = node.OpType == "Not" ? a : node.Inputs[1]!;
            long[] aStrides = ExpandOperator.BroadcastStrides(a.Shape, output.Shape), bStrides = ExpandOperator.BroadcastStrides(b.Shape, output.Shape);
            long count = Shape.ElementCount(output.Shape);
            var data = new byte[count];
            var index = new long[output.Rank];
            for (long k = 0; k < count; k++)
            {
                long i = ElementCopy.Linear(index, aStrides), j = ElementCopy.Linear(index, bStrides);
                data[k] = Compare(node.OpType, a, i, b, j) ? (byte)1 : (byte)0;
                for (int d = output.Rank - 1; d >= 0; d--)
                {
                    if (++index[d] < output.Shape[d]) break;
                    index[d] = 0;
                }
            }
            output.Data = data;
        }

        private static bool Compare(string op, Value a, long i, Value b, long j)
        {
            int order;
            if (DataTypes.IsFloat(a.Type))
            {
                double x = TensorData.ReadAsDouble(a.Data!, a.Type, i), y = TensorData.ReadAsDouble(b.Data!, b.Type, j);
                if (double.IsNaN(x) || double.IsNaN(y)) return false;
                order = x.CompareTo(y);
            }
            else if (a.Type == DataType.UInt64)
                order = ((ulong)TensorData.ReadAsInt64(a.Data!, a.Type, i)).CompareTo((ulong)TensorData.ReadAsInt64(b.Data!, b.Type, j));
            else
            {
                long x = TensorData.ReadAsInt64(a.Data!, a.Type, i), y = TensorData.ReadAsInt64(b.Data!, b.Type, j);
                switch (op)
                {
                    case "Not": return x == 0;
                    case "And": return x != 0 && y != 0;
                    case "Or": return x != 0 || y != 0;
                    case "Xor": return (x != 0) != (y != 0);
                }
                order = x.CompareTo(y);
            }
            return op switch
            {
                "Equal" => order == 0,
                "Greater" => order > 0,
                "Less" => order < 0,
                "GreaterOrEqual" => order >= 0,
                "LessOrEqual" => order <= 0,
                _ => throw new InvalidOperationException(op),
            };
        }
    }
}
