using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Gather along one axis with constant or run-time int32/int64 indices. Constant indices are
    /// checked (out of range is EAOT0011) and made non-negative at build time. Lowered attributes:
    /// axis (non-negative), indices_checked (1 when the indices input is a checked constant).
    /// </summary>
    public sealed class GatherOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Gather" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            var indices = context.Required(node, 1);
            if (!ElementCopy.IsCopyable(x.Type)) throw context.UnsupportedType(node, x.Type);
            if (indices.Type is not (DataType.Int32 or DataType.Int64)) throw context.UnsupportedType(node, indices.Type);
            if (x.Rank == 0) throw context.Fail(node, "data must have rank 1 or more.");
            int axis = Shape.NormalizeAxis(node.Attributes.GetInt("axis", 0), x.Rank);
            if (axis < 0) throw context.Fail(node, "axis is out of range.");
            long n = x.Shape[axis];
            if (indices.IsConstant)
            {
                long[] values = TensorData.ToInt64(indices);
                for (int i = 0; i < values.Length; i++)
                {
                    long v = values[i];
                    if (v < -n || v >= n) throw context.Fail(node, "constant index " + v + " is out of range for dimension " + axis + " of size " + n + ".");
                    values[i] = v < 0 ? v + n : v;
                }
                node.Inputs[1] = new Value(indices.Name, DataType.Int64, indices.Shape, TensorData.FromInt64(values));
                node.Attributes.Set(Ir.Attribute.FromInt("indices_checked", 1));
            }
            else node.Attributes.Remove("indices_checked");
            var shape = new List<long>();
            for (int d = 0; d < axis; d++) shape.Add(x.Shape[d]);
            shape.AddRange(indices.Shape);
            for (int d = axis + 1; d < x.Rank; d++) shape.Add(x.Shape[d]);
            node.Attributes.Set(Ir.Attribute.FromInt("axis", axis));
            context.SetOutput(node, 0, x.Type, shape.ToArray());
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var x = node.Inputs[0]!;
            long[] indices = TensorData.ToInt64(node.Inputs[1]!);
            int axis = (int)node.Attributes.GetInt("axis", 0);
            int indexRank = node.Inputs[1]!.Rank;
            long[] strides = Shape.Strides(x.Shape);
            long[] indexStrides = Shape.Strides(node.Inputs[1]!.Shape);
            node.Outputs[0].Data = ElementCopy.Map(x, node.Outputs[0].Shape, o =>
            {
                long s = 0;
                for (int d = 0; d < axis; d++) s += o[d] * strides[d];
                long j = 0;
                for (int d = 0; d < indexRank; d++) j += o[axis + d] * indexStrides[d];
                s += indices[j] * strides[axis];
                for (int d = axis + 1; d < x.Rank; d++) s += o[d - 1 + indexRank] * strides[d];
                return s;
            });
        }
    }

    /// <summary>Expand to a constant shape (numpy broadcasting). Lowered: the shape input becomes the output shape.</summary>
    public sealed class ExpandOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Expand" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override int MinOpset => 8;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (!ElementCopy.IsCopyable(x.Type)) throw context.UnsupportedType(node, x.Type);
            long[] target = context.ConstantInts(node, 1);
            var shape = Shape.Broadcast(x.Shape, target) ?? throw context.Fail(node, "shape " + Shape.Format(target) + " does not broadcast with input " + Shape.Format(x.Shape) + ".");
            node.Inputs.RemoveRange(1, node.Inputs.Count - 1);
            context.SetOutput(node, 0, x.Type, shape);
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var x = node.Inputs[0]!;
            long[] strides = BroadcastStrides(x.Shape, node.Outputs[0].Shape);
            node.Outputs[0].Data = ElementCopy.Map(x, node.Outputs[0].Shape, o => ElementCopy.Linear(o, strides));
        }

        /// <summary>Strides of <paramref name="input"/> per dimension of the broadcast <paramref name="output"/> shape (0 where broadcast).</summary>
        public static long[] BroadcastStrides(long[] input, long[] output)
        {
            long[] inputStrides = Shape.Strides(input);
            var strides = new long[output.Length];
            int shift = output.Length - input.Length;
            for (int d = shift; d < output.Length; d++) strides[d] = input[d - shift] == 1 ? 0 : inputStrides[d - shift];
            return strides;
        }
    }

    /// <summary>Tile with constant repeats. Lowered attributes: repeats.</summary>
    public sealed class TileOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Tile" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override int MinOpset => 6;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (!ElementCopy.IsCopyable(x.Type)) throw context.UnsupportedType(node, x.Type);
            long[] repeats = context.ConstantInts(node, 1);
            if (repeats.Length != x.Rank) throw context.Fail(node, "repeats must have one value per dimension of the input.");
            var shape = new long[x.Rank];
            for (int d = 0; d < x.Rank; d++)
            {
                if (repeats[d] < 0) throw context.Fail(node, "repeats must not be negative.");
                // Checked: 4 * 2^62 would wrap to an empty dimension instead of exceeding the limits.
                shape[d] = x.Shape[d] == 0 ? 0 : repeats[d] > long.MaxValue / x.Shape[d]
                    ? throw new Diagnostics.ModelException(Diagnostics.DiagnosticCatalog.SizeLimit, "Tile: output dimension " + d + " overflows 64 bits.", node.Name)
                    : x.Shape[d] * repeats[d];
            }
            node.Inputs.RemoveRange(1, node.Inputs.Count - 1);
            node.Attributes.Set(Ir.Attribute.FromInts("repeats", repeats));
            context.SetOutput(node, 0, x.Type, shape);
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var x = node.Inputs[0]!;
            long[] strides = Shape.Strides(x.Shape);
            node.Outputs[0].Data = ElementCopy.Map(x, node.Outputs[0].Shape, o =>
            {
                long s = 0;
                for (int d = 0; d < o.Length; d++) s += o[d] % x.Shape[d] * strides[d];
                return s;
            });
        }
    }

    /// <summary>Where(condition, x, y) with numpy broadcasting of all three.</summary>
    public sealed class WhereOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Where" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override int MinOpset => 9;

        public override void Lower(Node node, LoweringContext context)
        {
            var condition = context.Required(node, 0);
            var a = context.Required(node, 1);
            var b = context.Required(node, 2);
            if (condition.Type != DataType.Bool) throw context.Fail(node, "condition must be a bool tensor.");
            if (!ElementCopy.IsCopyable(a.Type)) throw context.UnsupportedType(node, a.Type);
            if (a.Type != b.Type) throw context.Fail(node, "X and Y must have the same element type.");
            var shape = Shape.Broadcast(condition.Shape, a.Shape) is { } s ? Shape.Broadcast(s, b.Shape) : null;
            if (shape is null) throw context.Fail(node, "condition, X and Y do not broadcast together.");
            context.SetOutput(node, 0, a.Type, shape);
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            Value condition = node.Inputs[0]!, a = node.Inputs[1]!, b = node.Inputs[2]!;
            long[] shape = node.Outputs[0].Shape;
            long[] cs = ExpandOperator.BroadcastStrides(condition.Shape, shape), aStrides = ExpandOperator.BroadcastStrides(a.Shape, shape), bStrides = ExpandOperator.BroadcastStrides(b.Shape, shape);
            byte[] fromA = ElementCopy.Map(a, shape, o => condition.Data![ElementCopy.Linear(o, cs)] != 0 ? ElementCopy.Linear(o, aStrides) : -1);
            byte[] fromB = ElementCopy.Map(b, shape, o => condition.Data![ElementCopy.Linear(o, cs)] != 0 ? -1 : ElementCopy.Linear(o, bStrides));
            for (int i = 0; i < fromA.Length; i++) fromA[i] |= fromB[i];
            node.Outputs[0].Data = fromA;
        }
    }

    /// <summary>
    /// DepthToSpace (DCR and CRD) and SpaceToDepth: both are a reshape to 6-D, a transpose and a
    /// reshape back, so the kernel is one strided copy over a 6-D view of the output.
    /// Lowered attributes: blocksize, mode (DepthToSpace).
    /// </summary>
    public sealed class DepthSpaceOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "DepthToSpace", "SpaceToDepth" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (!ElementCopy.IsCopyable(x.Type)) throw context.UnsupportedType(node, x.Type);
            if (x.Rank != 4) throw context.Fail(node, "input must be 4-D (NCHW).");
            long b = node.Attributes.GetInt("blocksize", 0);
            if (b <= 0) throw context.Fail(node, "blocksize must be positive.");
            long n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
            if (node.OpType == "DepthToSpace")
            {
                string mode = node.Attributes.GetString("mode", "DCR");
                if (mode is not ("DCR" or "CRD")) throw context.Fail(node, "mode must be DCR or CRD.");
                if (c % (b * b) != 0) throw context.Fail(node, "channels must be a multiple of blocksize².");
                node.Attributes.Set(Ir.Attribute.FromString("mode", mode));
                context.SetOutput(node, 0, x.Type, new[] { n, c / (b * b), h * b, w * b });
            }
            else
            {
                if (h % b != 0 || w % b != 0) throw context.Fail(node, "height and width must be multiples of blocksize.");
                context.SetOutput(node, 0, x.Type, new[] { n, c * b * b, h / b, w / b });
            }
        }

        /// <summary>The output as a 6-D row-major view and, per view dimension, the stride of the input element it reads.</summary>
        public static (long[] View, long[] SourceStrides) Layout(string opType, long[] input, long blocksize, string mode)
        {
            long b = blocksize, n = input[0], c = input[1], h = input[2], w = input[3];
            long sn = c * h * w, sc = h * w, sh = w;
            if (opType == "DepthToSpace")
            {
                long cOut = c / (b * b);
                // Output (n, c, h, i, w, j) reads channel (i·b + j)·C' + c (DCR) or c·b² + i·b + j (CRD).
                var view = new[] { n, cOut, h, b, w, b };
                return mode == "CRD"
                    ? (view, new[] { sn, b * b * sc, sh, b * sc, 1, sc })
                    : (view, new[] { sn, sc, sh, b * cOut * sc, 1, cOut * sc });
            }
            // Output channel (i·b + j)·C + c, position (h', w') reads input (c, h'·b + i, w'·b + j).
            return (new[] { n, b, b, c, h / b, w / b }, new[] { sn, sh, 1, sc, b * sh, b });
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var x = node.Inputs[0]!;
            var (view, strides) = Layout(node.OpType, x.Shape, node.Attributes.GetInt("blocksize", 1), node.Attributes.GetString("mode", "DCR"));
            node.Outputs[0].Data = ElementCopy.Map(x, view, o => ElementCopy.Linear(o, strides));
        }
    }
}
