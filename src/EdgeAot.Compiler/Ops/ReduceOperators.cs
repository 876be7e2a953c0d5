using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// ReduceMean/Sum/Max/Min/Prod/L1/L2/SumSquare/LogSum/LogSumExp. The axes come from the
    /// attribute (before opset 13 for ReduceSum, before 18 for the others) or from a constant
    /// input. Lowered attributes: axes (non-negative, ascending; empty means "copy the input",
    /// which is what noop_with_empty_axes=1 asks for) and keepdims (0/1); the axes input is removed.
    /// </summary>
    public sealed class ReduceOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[]
        {
            "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd",
            "ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp",
        };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            CheckType(node, context, x.Type);
            int rank = x.Rank;
            bool axesAsInput = node.OpsetVersion >= (node.OpType == "ReduceSum" ? 13 : 18);
            long[]? raw;
            if (axesAsInput)
            {
                // An axes input with no elements is known at build time even when it is a graph input.
                var axesInput = node.Input(1);
                raw = axesInput is null ? null : axesInput.ElementCount == 0 ? Array.Empty<long>() : context.ConstantInts(node, 1);
                if (node.Inputs.Count > 1) node.Inputs[1] = null;
            }
            else
            {
                raw = node.Attributes.GetInts("axes");
            }
            bool noop = axesAsInput && node.Attributes.GetInt("noop_with_empty_axes", 0) != 0;
            var axes = new List<int>();
            if (raw is null || raw.Length == 0)
            {
                if (!noop)
                {
                    for (int i = 0; i < rank; i++) axes.Add(i);
                }
            }
            else
            {
                foreach (long a in raw)
                {
                    int axis = Shape.NormalizeAxis(a, rank);
                    if (axis < 0) throw context.Fail(node, "axis " + a + " is out of range for an input of rank " + rank + ".");
                    if (axes.Contains(axis)) throw context.Fail(node, "axis " + a + " is listed twice.");
                    axes.Add(axis);
                }
                axes.Sort();
            }
            bool keepDims = node.Attributes.GetInt("keepdims", 1) != 0;

            var shape = new List<long>();
            for (int i = 0; i < rank; i++)
            {
                if (!axes.Contains(i)) shape.Add(x.Shape[i]);
                else if (keepDims) shape.Add(1);
            }
            var axesLong = new long[axes.Count];
            for (int i = 0; i < axesLong.Length; i++) axesLong[i] = axes[i];
            node.Attributes.Remove("noop_with_empty_axes");
            node.Attributes.Set(Attribute.FromInts("axes", axesLong));
            node.Attributes.Set(Attribute.FromInt("keepdims", keepDims ? 1 : 0));
            context.SetOutput(node, 0, x.Type, shape.ToArray());
        }

        private static void CheckType(Node node, LoweringContext context, DataType type)
        {
            bool ok = node.OpType switch
            {
                "ReduceMax" or "ReduceMin" => type is DataType.Float32 or DataType.Float64 or DataType.Int32 or DataType.Int64
                    or DataType.Int8 or DataType.UInt8 or DataType.Bool,
                "ReduceSum" or "ReduceMean" or "ReduceProd" or "ReduceL1" or "ReduceSumSquare" =>
                    type is DataType.Float32 or DataType.Float64 or DataType.Int32 or DataType.Int64,
                _ => type is DataType.Float32 or DataType.Float64,
            };
            if (!ok) throw context.UnsupportedType(node, type);
        }

        public override long CountMacs(Node node) => node.Inputs[0]!.ElementCount;
    }

    /// <summary>
    /// ArgMax/ArgMin. Lowered attributes: axis (non-negative), keepdims and select_last_index (0/1).
    /// The output is int64.
    /// </summary>
    public sealed class ArgReduceOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "ArgMax", "ArgMin" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (x.Type is not (DataType.Float32 or DataType.Float64 or DataType.Int32 or DataType.Int64 or DataType.Int8 or DataType.UInt8))
                throw context.UnsupportedType(node, x.Type);
            long rawAxis = node.Attributes.GetInt("axis", 0);
            int axis = Shape.NormalizeAxis(rawAxis, x.Rank);
            if (axis < 0) throw context.Fail(node, "axis " + rawAxis + " is out of range for an input of rank " + x.Rank + ".");
            if (x.Shape[axis] == 0) throw context.Fail(node, "cannot take the " + node.OpType + " of an empty axis.");
            bool keepDims = node.Attributes.GetInt("keepdims", 1) != 0;
            bool last = node.Attributes.GetInt("select_last_index", 0) != 0;
            var shape = new List<long>();
            for (int i = 0; i < x.Rank; i++)
            {
                if (i != axis) shape.Add(x.Shape[i]);
                else if (keepDims) shape.Add(1);
            }
            node.Attributes.Set(Attribute.FromInt("axis", axis));
            node.Attributes.Set(Attribute.FromInt("keepdims", keepDims ? 1 : 0));
            node.Attributes.Set(Attribute.FromInt("select_last_index", last ? 1 : 0));
            context.SetOutput(node, 0, DataType.Int64, shape.ToArray());
        }
    }
}
