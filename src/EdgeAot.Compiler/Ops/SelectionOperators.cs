using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// TopK with a build-time k (the attribute before opset 10, a constant input after): the k
    /// largest (or smallest) values along an axis, sorted, equal values in order of their index.
    /// Outputs Values and Indices (int64). Lowered attributes: axis (non-negative), k, largest; the
    /// K input is removed.
    /// </summary>
    public sealed class TopKOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "TopK" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (x.Type is DataType.Bool || !DataTypes.IsSupported(x.Type)) throw context.UnsupportedType(node, x.Type);
            if (x.Rank == 0) throw context.Fail(node, "input must have rank 1 or more.");
            if (node.Outputs.Count != 2) throw context.Fail(node, "TopK has two outputs.");
            int axis = Shape.NormalizeAxis(node.Attributes.GetInt("axis", -1), x.Rank);
            if (axis < 0) throw context.Fail(node, "axis is out of range.");
            long k;
            if (node.OpsetVersion >= 10)
            {
                long[] ks = context.ConstantInts(node, 1);
                if (ks.Length != 1) throw context.Fail(node, "K must hold one value.");
                k = ks[0];
                node.Inputs[1] = null;
            }
            else k = node.Attributes.GetInt("k", -1);
            if (k < 0 || k > x.Shape[axis]) throw context.Fail(node, "k " + k + " must be between 0 and the axis size " + x.Shape[axis] + ".");
            bool largest = node.OpsetVersion < 11 || node.Attributes.GetInt("largest", 1) != 0;
            NodeAttributes.KeepOnly(node);
            NodeAttributes.SetInt(node, "axis", axis);
            NodeAttributes.SetInt(node, "k", k);
            NodeAttributes.SetInt(node, "largest", largest ? 1 : 0);
            var shape = (long[])x.Shape.Clone();
            shape[axis] = k;
            context.SetOutput(node, 0, x.Type, shape);
            context.SetOutput(node, 1, DataType.Int64, shape);
        }
    }

    /// <summary>
    /// Hardmax: 1 at the first maximum, 0 elsewhere. From opset 13 along one axis (default -1);
    /// before, over the input flattened to 2-D at axis (default 1). Lowered attributes: outer, size,
    /// inner (the row-major split around the reduced extent).
    /// </summary>
    public sealed class HardmaxOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Hardmax" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (x.Type is not (DataType.Float32 or DataType.Float64)) throw context.UnsupportedType(node, x.Type);
            bool single = node.OpsetVersion >= 13;
            long rawAxis = node.Attributes.GetInt("axis", single ? -1 : 1);
            int axis = Shape.NormalizeAxis(rawAxis, x.Rank);
            if (axis < 0) throw context.Fail(node, "axis is out of range.");
            long outer = NodeAttributes.Product(x.Shape, 0, axis);
            long size = single ? x.Shape[axis] : NodeAttributes.Product(x.Shape, axis, x.Rank);
            long inner = single ? NodeAttributes.Product(x.Shape, axis + 1, x.Rank) : 1;
            NodeAttributes.KeepOnly(node);
            NodeAttributes.SetInt(node, "outer", outer);
            NodeAttributes.SetInt(node, "size", size);
            NodeAttributes.SetInt(node, "inner", inner);
            context.SetOutput(node, 0, x.Type, x.Shape);
        }
    }

    /// <summary>
    /// Compress with a constant condition: the selected positions along an axis (or of the
    /// flattened input when axis is absent). Lowered attributes: axis (-1 for flattened), selected
    /// (the kept positions); the condition input is removed.
    /// </summary>
    public sealed class CompressOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Compress" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override int MinOpset => 9;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            var condition = context.Required(node, 1);
            if (!ElementCopy.IsCopyable(x.Type)) throw context.UnsupportedType(node, x.Type);
            if (condition.Type != DataType.Bool) throw context.Fail(node, "condition must be a bool tensor.");
            if (condition.Rank != 1) throw context.Fail(node, "condition must be 1-D.");
            if (!condition.IsConstant) throw context.Unsupported(node, "input 1 must be a constant at build time (it determines the output shape).");
            var axisAttribute = node.Attributes.Find("axis");
            int axis = -1;
            long extent = x.ElementCount;
            if (axisAttribute is not null)
            {
                axis = Shape.NormalizeAxis(axisAttribute.Int, x.Rank);
                if (axis < 0) throw context.Fail(node, "axis is out of range.");
                extent = x.Shape[axis];
            }
            if (condition.ElementCount > extent) throw context.Fail(node, "condition is longer than the compressed extent.");
            var selected = new List<long>();
            for (long i = 0; i < condition.ElementCount; i++)
            {
                if (condition.Data![i] != 0) selected.Add(i);
            }
            node.Inputs.RemoveRange(1, node.Inputs.Count - 1);
            NodeAttributes.KeepOnly(node);
            NodeAttributes.SetInt(node, "axis", axis);
            NodeAttributes.SetInts(node, "selected", selected.ToArray());
            long[] shape;
            if (axis < 0) shape = new long[] { selected.Count };
            else
            {
                shape = (long[])x.Shape.Clone();
                shape[axis] = selected.Count;
            }
            context.SetOutput(node, 0, x.Type, shape);
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var x = node.Inputs[0]!;
            int axis = (int)node.Attributes.GetInt("axis", -1);
            long[] selected = node.Attributes.GetInts("selected")!;
            long[] strides = Shape.Strides(x.Shape);
            node.Outputs[0].Data = ElementCopy.Map(x, node.Outputs[0].Shape, o =>
            {
                if (axis < 0) return selected[o[0]];
                long s = 0;
                for (int d = 0; d < o.Length; d++) s += (d == axis ? selected[o[d]] : o[d]) * strides[d];
                return s;
            });
        }
    }

    /// <summary>
    /// NonZero: its output shape depends on the data, so it is supported only on a constant input,
    /// where it folds to a constant [rank, count] int64 tensor of coordinates.
    /// </summary>
    public sealed class NonZeroOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "NonZero" };

        public override int MinOpset => 9;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (!DataTypes.IsSupported(x.Type)) throw context.UnsupportedType(node, x.Type);
            if (x.Rank == 0) throw context.Unsupported(node, "a scalar input is not supported.");
            if (!x.IsConstant) throw context.Unsupported(node, "input 0 must be a constant at build time (it determines the output shape).");
            long count = 0;
            for (long i = 0; i < x.ElementCount; i++)
            {
                if (TensorData.ReadAsDouble(x.Data!, x.Type, i) != 0) count++;
            }
            context.SetOutput(node, 0, DataType.Int64, new long[] { x.Rank, count });
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var x = node.Inputs[0]!;
            long count = node.Outputs[0].Shape[1];
            var result = new long[x.Rank * count];
            long found = 0;
            for (long i = 0; i < x.ElementCount; i++)
            {
                if (TensorData.ReadAsDouble(x.Data!, x.Type, i) == 0) continue;
                long[] c = IndexInput.Coordinates(i, x.Shape);
                for (int d = 0; d < x.Rank; d++) result[d * count + found] = c[d];
                found++;
            }
            node.Outputs[0].Data = TensorData.FromInt64(result);
        }
    }
}
