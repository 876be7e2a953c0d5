using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Trilu: keeps the upper (j − i ≥ k) or lower (j − i ≤ k) triangle of each matrix in the last
    /// two dimensions and zeroes the rest. A constant k becomes attribute k (the input removed); a
    /// run-time k stays input 1 (it does not change the output shape). Lowered attributes: upper, k.
    /// </summary>
    public sealed class TriluOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Trilu" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override int MinOpset => 14;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (!ElementCopy.IsCopyable(x.Type)) throw context.UnsupportedType(node, x.Type);
            if (x.Rank < 2) throw context.Fail(node, "input must have rank 2 or more.");
            long k = 0;
            var kInput = node.Input(1);
            if (kInput is not null)
            {
                if (kInput.Type != DataType.Int64) throw context.UnsupportedType(node, kInput.Type);
                if (kInput.ElementCount != 1) throw context.Fail(node, "k must hold one value.");
                if (kInput.IsConstant)
                {
                    k = TensorData.ToInt64(kInput)[0];
                    node.Inputs.RemoveRange(1, node.Inputs.Count - 1);
                }
            }
            else if (node.Inputs.Count > 1) node.Inputs.RemoveRange(1, node.Inputs.Count - 1);
            NodeAttributes.SetInt(node, "upper", node.Attributes.GetInt("upper", 1) != 0 ? 1 : 0);
            NodeAttributes.SetInt(node, "k", k);
            context.SetOutput(node, 0, x.Type, x.Shape);
        }

        public override bool CanEvaluate(Node node) => node.Input(1) is null;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var x = node.Inputs[0]!;
            bool upper = node.Attributes.GetInt("upper", 1) != 0;
            long k = node.Attributes.GetInt("k", 0);
            int r = x.Rank;
            long[] strides = Shape.Strides(x.Shape);
            node.Outputs[0].Data = ElementCopy.Map(x, x.Shape, o =>
            {
                long diagonal = o[r - 1] - o[r - 2];
                bool keep = upper ? diagonal >= k : diagonal <= k;
                return keep ? ElementCopy.Linear(o, strides) : -1;
            }, new byte[DataTypes.SizeOf(x.Type)]);
        }
    }

    /// <summary>
    /// EyeLike: a 2-D tensor of the input's shape with ones on diagonal k. Lowered attributes: k;
    /// dtype is resolved into the output type.
    /// </summary>
    public sealed class EyeLikeOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "EyeLike" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override int MinOpset => 9;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (x.Rank != 2) throw context.Fail(node, "input must be 2-D.");
            var type = node.Attributes.Find("dtype") is { } dtype ? (DataType)dtype.Int : x.Type;
            if (!DataTypes.IsSupported(type)) throw context.UnsupportedType(node, type);
            long k = node.Attributes.GetInt("k", 0);
            NodeAttributes.KeepOnly(node);
            NodeAttributes.SetInt(node, "k", k);
            context.SetOutput(node, 0, type, x.Shape);
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var y = node.Outputs[0];
            long k = node.Attributes.GetInt("k", 0);
            long rows = y.Shape[0], cols = y.Shape[1];
            var data = new byte[Shape.ByteSize(y.Shape, y.Type)];
            for (long i = 0; i < rows; i++)
            {
                long j = i + k;
                if (j >= 0 && j < cols) TensorData.WriteInt64(data, y.Type, i * cols + j, 1);
            }
            y.Data = data;
        }
    }

    /// <summary>
    /// OneHot with a build-time depth: output[..., d, ...] = on where d equals the (wrapped) index,
    /// off elsewhere; values [off, on] stay an input. Lowered attributes: axis (non-negative, in the
    /// output's rank), depth; the depth input is removed.
    /// </summary>
    public sealed class OneHotOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "OneHot" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override int MinOpset => 9;

        public override void Lower(Node node, LoweringContext context)
        {
            var indices = context.Required(node, 0);
            var values = context.Required(node, 2);
            if (indices.Type == DataType.Bool || !DataTypes.IsSupported(indices.Type)) throw context.UnsupportedType(node, indices.Type);
            if (!DataTypes.IsSupported(values.Type)) throw context.UnsupportedType(node, values.Type);
            if (values.ElementCount != 2) throw context.Fail(node, "values must hold [off_value, on_value].");
            long[] depths = context.ConstantInts(node, 1);
            if (depths.Length != 1 || depths[0] < 1) throw context.Fail(node, "depth must be one positive value.");
            int axis = Shape.NormalizeAxis(node.Attributes.GetInt("axis", -1), indices.Rank + 1);
            if (axis < 0) throw context.Fail(node, "axis is out of range.");
            node.Inputs[1] = null;
            NodeAttributes.SetInt(node, "axis", axis);
            NodeAttributes.SetInt(node, "depth", depths[0]);
            var shape = new List<long>(indices.Shape);
            shape.Insert(axis, depths[0]);
            context.SetOutput(node, 0, values.Type, shape.ToArray());
        }
    }

    /// <summary>
    /// CumSum (and CumProd, the same with products and 1 as the empty value) along one axis,
    /// optionally exclusive and/or reversed. A constant axis becomes
    /// attribute axis (non-negative; the input removed); a run-time axis stays input 1 and the
    /// kernel switches between the per-axis loops. Lowered attributes: exclusive, reverse, axis.
    /// </summary>
    public sealed class CumSumOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "CumSum", "CumProd" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override int MinOpset => 11;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            var axisInput = context.Required(node, 1);
            if (x.Type is not (DataType.Float32 or DataType.Float64 or DataType.Int32 or DataType.Int64 or DataType.UInt32 or DataType.UInt64))
                throw context.UnsupportedType(node, x.Type);
            if (axisInput.Type is not (DataType.Int32 or DataType.Int64)) throw context.UnsupportedType(node, axisInput.Type);
            if (axisInput.ElementCount != 1) throw context.Fail(node, "axis must hold one value.");
            if (x.Rank == 0) throw context.Fail(node, "input must have rank 1 or more.");
            if (axisInput.IsConstant)
            {
                long raw = TensorData.ToInt64(axisInput)[0];
                int axis = Shape.NormalizeAxis(raw, x.Rank);
                if (axis < 0) throw context.Fail(node, "axis " + raw + " is out of range.");
                NodeAttributes.SetInt(node, "axis", axis);
                node.Inputs.RemoveRange(1, node.Inputs.Count - 1);
            }
            else node.Attributes.Remove("axis");
            NodeAttributes.SetInt(node, "exclusive", node.Attributes.GetInt("exclusive", 0) != 0 ? 1 : 0);
            NodeAttributes.SetInt(node, "reverse", node.Attributes.GetInt("reverse", 0) != 0 ? 1 : 0);
            context.SetOutput(node, 0, x.Type, x.Shape);
        }

        public override bool CanEvaluate(Node node) => node.Input(1) is null;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var x = node.Inputs[0]!;
            int axis = (int)node.Attributes.GetInt("axis", 0);
            bool exclusive = node.Attributes.GetInt("exclusive", 0) != 0, reverse = node.Attributes.GetInt("reverse", 0) != 0;
            long outer = NodeAttributes.Product(x.Shape, 0, axis), n = x.Shape[axis], inner = NodeAttributes.Product(x.Shape, axis + 1, x.Rank);
            bool isFloat = x.Type is DataType.Float32 or DataType.Float64;
            bool product = node.OpType == "CumProd";
            var data = new byte[x.Data!.Length];
            for (long o = 0; o < outer; o++)
            {
                for (long i = 0; i < inner; i++)
                {
                    double sum = product ? 1 : 0;
                    long intSum = product ? 1 : 0;
                    for (long s = 0; s < n; s++)
                    {
                        long at = (o * n + (reverse ? n - 1 - s : s)) * inner + i;
                        if (exclusive) Store(data, x.Type, at, sum, intSum, isFloat);
                        if (isFloat)
                        {
                            double v = TensorData.ReadAsDouble(x.Data, x.Type, at);
                            sum = product ? sum * v : sum + v;
                            if (x.Type == DataType.Float32) sum = (float)sum;
                        }
                        else
                        {
                            long v = TensorData.ReadAsInt64(x.Data, x.Type, at);
                            intSum = product ? unchecked(intSum * v) : unchecked(intSum + v);
                        }
                        if (!exclusive) Store(data, x.Type, at, sum, intSum, isFloat);
                    }
                }
            }
            node.Outputs[0].Data = data;
        }

        private static void Store(byte[] data, DataType type, long at, double sum, long intSum, bool isFloat)
        {
            if (isFloat) TensorData.Write(data, type, at, sum);
            else if (DataTypes.SizeOf(type) == 4) System.Array.Copy(System.BitConverter.GetBytes(unchecked((uint)intSum)), 0, data, checked((int)at * 4), 4);
            else TensorData.WriteInt64(data, type, at, intSum);
        }
    }
}
