using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Index inputs shared by the element-wise gather and scatter ops: int32/int64, negative values
    /// count from the end. A constant index tensor is checked and made non-negative at build time
    /// (out of range is EAOT0011) and the node gets indices_checked=1, so the kernel skips the test.
    /// </summary>
    internal static class IndexInput
    {
        public static void Check(Node node, LoweringContext context, int input, Func<long, long> boundOf)
        {
            var indices = context.Required(node, input);
            if (indices.Type is not (DataType.Int32 or DataType.Int64)) throw context.UnsupportedType(node, indices.Type);
            if (!indices.IsConstant)
            {
                node.Attributes.Remove("indices_checked");
                return;
            }
            long[] values = TensorData.ToInt64(indices);
            for (long i = 0; i < values.Length; i++)
            {
                long v = values[i], n = boundOf(i);
                if (v < -n || v >= n) throw context.Fail(node, "constant index " + v + " is out of range for a dimension of size " + n + ".");
                values[i] = v < 0 ? v + n : v;
            }
            node.Inputs[input] = new Value(indices.Name, DataType.Int64, indices.Shape, TensorData.FromInt64(values));
            NodeAttributes.SetInt(node, "indices_checked", 1);
        }

        /// <summary>Row-major coordinates of flat index <paramref name="flat"/> in <paramref name="shape"/>.</summary>
        public static long[] Coordinates(long flat, long[] shape)
        {
            var c = new long[shape.Length];
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                c[d] = flat % shape[d];
                flat /= shape[d];
            }
            return c;
        }

        /// <summary>Reads element <paramref name="i"/> of a constant index tensor, adding <paramref name="n"/> when negative.</summary>
        public static long Read(Value indices, long i, long n)
        {
            long v = TensorData.ReadAsInt64(indices.Data!, indices.Type, i);
            return v < 0 ? v + n : v;
        }
    }

    /// <summary>
    /// GatherElements: output element i reads data at i's coordinates with the axis coordinate
    /// replaced by indices[i]. Lowered attributes: axis (non-negative), indices_checked.
    /// </summary>
    public sealed class GatherElementsOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "GatherElements" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override int MinOpset => 11;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            var indices = context.Required(node, 1);
            if (!ElementCopy.IsCopyable(x.Type)) throw context.UnsupportedType(node, x.Type);
            int axis = ElementAxis(node, context, x, indices);
            IndexInput.Check(node, context, 1, _ => x.Shape[axis]);
            NodeAttributes.SetInt(node, "axis", axis);
            context.SetOutput(node, 0, x.Type, indices.Shape);
        }

        /// <summary>The normalized axis of GatherElements/ScatterElements, checking that indices fit inside data.</summary>
        internal static int ElementAxis(Node node, LoweringContext context, Value data, Value indices)
        {
            if (data.Rank == 0) throw context.Fail(node, "data must have rank 1 or more.");
            if (indices.Rank != data.Rank) throw context.Fail(node, "indices must have the same rank as data.");
            int axis = Shape.NormalizeAxis(node.Attributes.GetInt("axis", 0), data.Rank);
            if (axis < 0) throw context.Fail(node, "axis is out of range.");
            for (int d = 0; d < data.Rank; d++)
            {
                if (d != axis && indices.Shape[d] > data.Shape[d]) throw context.Fail(node, "indices dimension " + d + " is larger than the data's.");
            }
            return axis;
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            Value x = node.Inputs[0]!, indices = node.Inputs[1]!;
            int axis = (int)node.Attributes.GetInt("axis", 0);
            long[] strides = Shape.Strides(x.Shape), indexStrides = Shape.Strides(indices.Shape);
            node.Outputs[0].Data = ElementCopy.Map(x, indices.Shape, o =>
            {
                long s = 0;
                for (int d = 0; d < o.Length; d++)
                    s += (d == axis ? IndexInput.Read(indices, ElementCopy.Linear(o, indexStrides), x.Shape[axis]) : o[d]) * strides[d];
                return s;
            });
        }
    }

    /// <summary>
    /// GatherND: each index tuple (the last dimension of indices) selects a slice of data after
    /// batch_dims shared leading dimensions. Lowered attributes: batch_dims, indices_checked.
    /// </summary>
    public sealed class GatherNDOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "GatherND" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override int MinOpset => 11;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            var indices = context.Required(node, 1);
            if (!ElementCopy.IsCopyable(x.Type)) throw context.UnsupportedType(node, x.Type);
            int b = (int)node.Attributes.GetInt("batch_dims", 0);
            if (indices.Rank < 1 || x.Rank < 1) throw context.Fail(node, "data and indices must have rank 1 or more.");
            if (b < 0 || b >= Math.Min(x.Rank, indices.Rank)) throw context.Fail(node, "batch_dims must be less than the ranks of data and indices.");
            long m = indices.Shape[indices.Rank - 1];
            if (m < 1 || m > x.Rank - b) throw context.Fail(node, "the last dimension of indices must be between 1 and rank(data) - batch_dims.");
            for (int d = 0; d < b; d++)
            {
                if (indices.Shape[d] != x.Shape[d]) throw context.Fail(node, "the batch dimensions of data and indices differ.");
            }
            IndexInput.Check(node, context, 1, i => x.Shape[b + (int)(i % m)]);
            var shape = new List<long>();
            for (int d = 0; d < indices.Rank - 1; d++) shape.Add(indices.Shape[d]);
            for (int d = b + (int)m; d < x.Rank; d++) shape.Add(x.Shape[d]);
            NodeAttributes.SetInt(node, "batch_dims", b);
            context.SetOutput(node, 0, x.Type, shape.ToArray());
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            Value x = node.Inputs[0]!, indices = node.Inputs[1]!;
            int b = (int)node.Attributes.GetInt("batch_dims", 0);
            int m = (int)indices.Shape[indices.Rank - 1];
            long[] strides = Shape.Strides(x.Shape);
            long slice = NodeAttributes.Product(x.Shape, b + m, x.Rank);
            long tuples = NodeAttributes.Product(indices.Shape, b, indices.Rank - 1);
            long[] outStrides = Shape.Strides(node.Outputs[0].Shape);
            node.Outputs[0].Data = ElementCopy.Map(x, node.Outputs[0].Shape, o =>
            {
                long flat = ElementCopy.Linear(o, outStrides);
                long tuple = flat / slice, within = flat % slice;
                long batch = tuple / tuples;
                long s = batch * (b == 0 ? 0 : strides[b - 1]) + within;
                for (int j = 0; j < m; j++) s += IndexInput.Read(indices, tuple * m + j, x.Shape[b + j]) * strides[b + j];
                return s;
            });
        }
    }

    /// <summary>
    /// ScatterElements (and its older name Scatter): a copy of data where each update is written
    /// (or combined by reduction add/mul/max/min) at its own coordinates with the axis coordinate
    /// replaced by its index. Updates apply in row-major order, so with duplicate indices and no
    /// reduction the last one wins. Lowered attributes: axis, reduction, indices_checked.
    /// </summary>
    public sealed class ScatterElementsOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "ScatterElements", "Scatter" };

        /// <summary>A plain overwrite copies elements; a reduction adds or multiplies them, in float32.</summary>
        public override Float16Handling Float16(Node node)
            => node.Attributes.GetString("reduction", "none") == "none" ? Float16Handling.Native : Float16Handling.ComputeInFloat32;

        public override int MinOpset => 9;

        public override void Lower(Node node, LoweringContext context)
        {
            if (node.OpType == "Scatter" && node.OpsetVersion >= 11) throw context.Fail(node, "Scatter was removed in opset 11; use ScatterElements.");
            var x = context.Required(node, 0);
            var indices = context.Required(node, 1);
            var updates = context.Required(node, 2);
            if (!ElementCopy.IsCopyable(x.Type)) throw context.UnsupportedType(node, x.Type);
            if (updates.Type != x.Type) throw context.Fail(node, "updates must have the element type of data.");
            if (!Shape.SameAs(indices.Shape, updates.Shape)) throw context.Fail(node, "indices and updates must have the same shape.");
            int axis = GatherElementsOperator.ElementAxis(node, context, x, indices);
            string reduction = ScatterReduction.Resolve(node, context, x.Type);
            IndexInput.Check(node, context, 1, _ => x.Shape[axis]);
            NodeAttributes.SetInt(node, "axis", axis);
            context.SetOutput(node, 0, x.Type, x.Shape);
        }

        /// <summary>Folds only the plain overwrite (shape subgraphs do not scatter with reductions).</summary>
        public override bool CanEvaluate(Node node) => node.Attributes.GetString("reduction", "none") == "none";

        public override void Evaluate(Node node, LoweringContext context)
        {
            Value x = node.Inputs[0]!, indices = node.Inputs[1]!, updates = node.Inputs[2]!;
            int axis = (int)node.Attributes.GetInt("axis", 0);
            long[] strides = Shape.Strides(x.Shape);
            var result = (byte[])x.Data!.Clone();
            int size = DataTypes.SizeOf(x.Type);
            for (long i = 0; i < updates.ElementCount; i++)
            {
                long[] c = IndexInput.Coordinates(i, updates.Shape);
                c[axis] = IndexInput.Read(indices, i, x.Shape[axis]);
                Buffer.BlockCopy(updates.Data!, checked((int)(i * size)), result, checked((int)(ElementCopy.Linear(c, strides) * size)), size);
            }
            node.Outputs[0].Data = result;
        }
    }

    /// <summary>
    /// ScatterND: a copy of data where each index tuple (last dimension of indices) selects a slice
    /// that receives (or is combined with) the matching slice of updates, in row-major order.
    /// Lowered attributes: reduction, indices_checked.
    /// </summary>
    public sealed class ScatterNDOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "ScatterND" };

        /// <summary>A plain overwrite copies elements; a reduction adds or multiplies them, in float32.</summary>
        public override Float16Handling Float16(Node node)
            => node.Attributes.GetString("reduction", "none") == "none" ? Float16Handling.Native : Float16Handling.ComputeInFloat32;

        public override int MinOpset => 11;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            var indices = context.Required(node, 1);
            var updates = context.Required(node, 2);
            if (!ElementCopy.IsCopyable(x.Type)) throw context.UnsupportedType(node, x.Type);
            if (updates.Type != x.Type) throw context.Fail(node, "updates must have the element type of data.");
            if (indices.Rank < 1 || x.Rank < 1) throw context.Fail(node, "data and indices must have rank 1 or more.");
            long m = indices.Shape[indices.Rank - 1];
            if (m < 1 || m > x.Rank) throw context.Fail(node, "the last dimension of indices must be between 1 and rank(data).");
            var expected = new List<long>();
            for (int d = 0; d < indices.Rank - 1; d++) expected.Add(indices.Shape[d]);
            for (int d = (int)m; d < x.Rank; d++) expected.Add(x.Shape[d]);
            if (!Shape.SameAs(expected.ToArray(), updates.Shape)) throw context.Fail(node, "updates must have shape " + Shape.Format(expected.ToArray()) + ".");
            ScatterReduction.Resolve(node, context, x.Type);
            IndexInput.Check(node, context, 1, i => x.Shape[(int)(i % m)]);
            context.SetOutput(node, 0, x.Type, x.Shape);
        }

        /// <summary>Folds only the plain overwrite (shape subgraphs do not scatter with reductions).</summary>
        public override bool CanEvaluate(Node node) => node.Attributes.GetString("reduction", "none") == "none";

        public override void Evaluate(Node node, LoweringContext context)
        {
            Value x = node.Inputs[0]!, indices = node.Inputs[1]!, updates = node.Inputs[2]!;
            int m = (int)indices.Shape[indices.Rank - 1];
            long[] strides = Shape.Strides(x.Shape);
            long slice = NodeAttributes.Product(x.Shape, m, x.Rank);
            long tuples = indices.ElementCount / m;
            var result = (byte[])x.Data!.Clone();
            int size = DataTypes.SizeOf(x.Type);
            for (long t = 0; t < tuples; t++)
            {
                long start = 0;
                for (int j = 0; j < m; j++) start += IndexInput.Read(indices, t * m + j, x.Shape[j]) * strides[j];
                Buffer.BlockCopy(updates.Data!, checked((int)(t * slice * size)), result, checked((int)(start * size)), checked((int)(slice * size)));
            }
            node.Outputs[0].Data = result;
        }
    }

    /// <summary>
    /// TensorScatter (KV-cache update): a copy of past_cache where, for every position before the
    /// sequence axis, the update's sequence_length rows are written starting at
    /// write_indices[batch] (0 when absent), wrapping around max_sequence_length in circular mode.
    /// Lowered attributes: axis (non-negative, not 0), mode.
    /// </summary>
    public sealed class TensorScatterOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "TensorScatter" };

        public override int MinOpset => 24;

        public override void Lower(Node node, LoweringContext context)
        {
            var past = context.Required(node, 0);
            var update = context.Required(node, 1);
            if (!ElementCopy.IsCopyable(past.Type)) throw context.UnsupportedType(node, past.Type);
            if (update.Type != past.Type) throw context.Fail(node, "update must have the element type of past_cache.");
            if (past.Rank < 2 || update.Rank != past.Rank) throw context.Fail(node, "past_cache and update must have the same rank, 2 or more.");
            int axis = Shape.NormalizeAxis(node.Attributes.GetInt("axis", -2), past.Rank);
            if (axis < 1) throw context.Fail(node, "axis must be a valid dimension other than the batch dimension 0.");
            for (int d = 0; d < past.Rank; d++)
            {
                if (d == axis ? update.Shape[d] > past.Shape[d] : update.Shape[d] != past.Shape[d])
                    throw context.Fail(node, "update " + Shape.Format(update.Shape) + " does not fit past_cache " + Shape.Format(past.Shape) + " along axis " + axis + ".");
            }
            var indices = node.Input(2);
            if (indices is not null)
            {
                if (indices.Type != DataType.Int64) throw context.UnsupportedType(node, indices.Type);
                if (!Shape.SameAs(indices.Shape, new[] { past.Shape[0] })) throw context.Fail(node, "write_indices must have shape [batch_size].");
            }
            string mode = node.Attributes.GetString("mode", "linear");
            if (mode is not ("linear" or "circular")) throw context.Fail(node, "mode must be linear or circular.");
            NodeAttributes.KeepOnly(node);
            NodeAttributes.SetInt(node, "axis", axis);
            node.Attributes.Set(Ir.Attribute.FromString("mode", mode));
            context.SetOutput(node, 0, past.Type, past.Shape);
        }
    }

    internal static class ScatterReduction
    {
        /// <summary>Validates the reduction attribute for the opset and element type and writes it back filled in.</summary>
        public static string Resolve(Node node, LoweringContext context, DataType type)
        {
            string reduction = node.Attributes.GetString("reduction", "none");
            int minOpset = reduction switch { "none" => 1, "add" or "mul" => 16, "max" or "min" => 18, _ => -1 };
            if (minOpset < 0) throw context.Fail(node, "reduction must be none, add, mul, max or min.");
            if (node.OpsetVersion < minOpset) throw context.Fail(node, "reduction '" + reduction + "' needs opset " + minOpset + ".");
            if (reduction != "none" && type == DataType.Bool) throw context.UnsupportedType(node, type);
            node.Attributes.Set(Ir.Attribute.FromString("reduction", reduction));
            return reduction;
        }
    }

    /// <summary>
    /// ReverseSequence: for each batch entry b, the first sequence_lens[b] steps along time_axis are
    /// reversed and the rest copied. Lowered attributes: batch_axis and time_axis (0 or 1).
    /// </summary>
    public sealed class ReverseSequenceOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "ReverseSequence" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override int MinOpset => 10;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            var lens = context.Required(node, 1);
            if (!ElementCopy.IsCopyable(x.Type)) throw context.UnsupportedType(node, x.Type);
            if (lens.Type != DataType.Int64) throw context.UnsupportedType(node, lens.Type);
            if (x.Rank < 2) throw context.Fail(node, "input must have rank 2 or more.");
            long batchAxis = node.Attributes.GetInt("batch_axis", 1), timeAxis = node.Attributes.GetInt("time_axis", 0);
            if (!((batchAxis == 0 && timeAxis == 1) || (batchAxis == 1 && timeAxis == 0))) throw context.Fail(node, "batch_axis and time_axis must be 0 and 1 in some order.");
            if (lens.Rank != 1 || lens.Shape[0] != x.Shape[batchAxis]) throw context.Fail(node, "sequence_lens must be 1-D with one entry per batch element.");
            NodeAttributes.SetInt(node, "batch_axis", batchAxis);
            NodeAttributes.SetInt(node, "time_axis", timeAxis);
            context.SetOutput(node, 0, x.Type, x.Shape);
        }
    }
}
