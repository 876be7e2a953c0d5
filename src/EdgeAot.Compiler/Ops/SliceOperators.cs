using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Slice (opset 1 attributes; opset ≥ 10 constant starts/ends/axes/steps inputs, negative steps,
    /// clamping as the spec describes). Lowered attributes: starts and steps per dimension of x
    /// (already clamped, so output element o of dimension d reads x at starts[d] + o·steps[d]).
    /// </summary>
    public sealed class SliceOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Slice" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (!ElementCopy.IsCopyable(x.Type)) throw context.UnsupportedType(node, x.Type);
            long[] starts, ends;
            long[]? axes, steps = null;
            if (node.OpsetVersion < 10)
            {
                starts = node.Attributes.GetInts("starts") ?? throw context.Fail(node, "attribute 'starts' is required.");
                ends = node.Attributes.GetInts("ends") ?? throw context.Fail(node, "attribute 'ends' is required.");
                axes = node.Attributes.GetInts("axes");
            }
            else
            {
                starts = context.ConstantInts(node, 1);
                ends = context.ConstantInts(node, 2);
                axes = node.Input(3) is null ? null : context.ConstantInts(node, 3);
                steps = node.Input(4) is null ? null : context.ConstantInts(node, 4);
            }
            if (ends.Length != starts.Length || axes is not null && axes.Length != starts.Length || steps is not null && steps.Length != starts.Length)
                throw context.Fail(node, "starts, ends, axes and steps must have the same length.");

            int rank = x.Rank;
            var outStarts = new long[rank];
            var outSteps = new long[rank];
            var shape = (long[])x.Shape.Clone();
            for (int d = 0; d < rank; d++) outSteps[d] = 1;
            var seen = new bool[rank];
            for (int i = 0; i < starts.Length; i++)
            {
                int axis = Shape.NormalizeAxis(axes is null ? i : axes[i], rank);
                if (axis < 0 || seen[axis]) throw context.Fail(node, "axes must be distinct and within the rank of the input.");
                seen[axis] = true;
                long step = steps is null ? 1 : steps[i];
                if (step == 0) throw context.Fail(node, "steps must not be 0.");
                long dim = x.Shape[axis], start = starts[i], end = ends[i];
                if (start < 0) start += dim;
                if (end < 0) end += dim;
                long count;
                if (step > 0)
                {
                    start = Math.Max(0, Math.Min(start, dim));
                    end = Math.Max(0, Math.Min(end, dim));
                    count = end > start ? (end - start + step - 1) / step : 0;
                }
                else
                {
                    start = Math.Max(0, Math.Min(start, dim - 1));
                    end = Math.Max(-1, Math.Min(end, dim - 1));
                    count = start > end ? (start - end - step - 1) / -step : 0;
                }
                outStarts[axis] = count == 0 ? 0 : start;
                outSteps[axis] = step;
                shape[axis] = count;
            }
            node.Inputs.RemoveRange(1, node.Inputs.Count - 1);
            node.Attributes.Remove("ends");
            node.Attributes.Remove("axes");
            node.Attributes.Set(Ir.Attribute.FromInts("starts", outStarts));
            node.Attributes.Set(Ir.Attribute.FromInts("steps", outSteps));
            context.SetOutput(node, 0, x.Type, shape);
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var x = node.Inputs[0]!;
            long[] starts = node.Attributes.GetInts("starts")!, steps = node.Attributes.GetInts("steps")!;
            long[] strides = Shape.Strides(x.Shape);
            node.Outputs[0].Data = ElementCopy.Map(x, node.Outputs[0].Shape, o =>
            {
                long s = 0;
                for (int d = 0; d < o.Length; d++) s += (starts[d] + o[d] * steps[d]) * strides[d];
                return s;
            });
        }
    }

    /// <summary>
    /// Split along one axis: sizes from the 'split' attribute (opset &lt; 13) or constant input
    /// (opset ≥ 13), or equal parts (num_outputs at opset 18, the last part smaller).
    /// Lowered attributes: axis (non-negative), split (one size per output).
    /// </summary>
    public sealed class SplitOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Split" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (!ElementCopy.IsCopyable(x.Type)) throw context.UnsupportedType(node, x.Type);
            int axis = Shape.NormalizeAxis(node.Attributes.GetInt("axis", 0), x.Rank);
            if (axis < 0) throw context.Fail(node, "axis is out of range.");
            long dim = x.Shape[axis];
            int parts = node.Outputs.Count;
            long[]? split = node.Input(1) is not null ? context.ConstantInts(node, 1) : node.Attributes.GetInts("split");
            if (split is null)
            {
                long numOutputs = node.Attributes.GetInt("num_outputs", parts);
                if (numOutputs != parts) throw context.Fail(node, "num_outputs does not match the number of outputs.");
                split = new long[parts];
                long chunk = (dim + parts - 1) / parts;
                if (!node.Attributes.Contains("num_outputs") && dim % parts != 0)
                    throw context.Fail(node, "dimension " + dim + " cannot be split into " + parts + " equal parts.");
                for (int i = 0; i < parts; i++) split[i] = Math.Max(0, Math.Min(chunk, dim - i * chunk));
            }
            if (split.Length != parts) throw context.Fail(node, "'split' has " + split.Length + " sizes for " + parts + " outputs.");
            long total = 0;
            foreach (long s in split)
            {
                if (s < 0) throw context.Fail(node, "split sizes must not be negative.");
                total += s;
            }
            if (total != dim) throw context.Fail(node, "split sizes add up to " + total + ", not the dimension " + dim + ".");

            node.Inputs.RemoveRange(1, node.Inputs.Count - 1);
            node.Attributes.Remove("num_outputs");
            node.Attributes.Set(Ir.Attribute.FromInt("axis", axis));
            node.Attributes.Set(Ir.Attribute.FromInts("split", split));
            for (int i = 0; i < parts; i++)
            {
                var shape = (long[])x.Shape.Clone();
                shape[axis] = split[i];
                context.SetOutput(node, i, x.Type, shape);
            }
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var x = node.Inputs[0]!;
            int axis = (int)node.Attributes.GetInt("axis", 0);
            long[] split = node.Attributes.GetInts("split")!;
            long[] strides = Shape.Strides(x.Shape);
            long offset = 0;
            for (int i = 0; i < split.Length; i++)
            {
                long first = offset;
                node.Outputs[i].Data = ElementCopy.Map(x, node.Outputs[i].Shape, o => ElementCopy.Linear(o, strides) + first * strides[axis]);
                offset += split[i];
            }
        }
    }

    /// <summary>
    /// Pad with modes constant, reflect, edge and wrap; pads may be negative (cropping). Pads and
    /// value are attributes before opset 11, constant inputs after, with an axes input at opset 18.
    /// Lowered attributes: pads (begin and end for every dimension of x), mode, value (constant
    /// mode; float for float32, bit pattern for float64, integer otherwise).
    /// </summary>
    public sealed class PadOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Pad" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (!ElementCopy.IsCopyable(x.Type)) throw context.UnsupportedType(node, x.Type);
            int rank = x.Rank;
            string mode = node.Attributes.GetString("mode", "constant");
            if (mode is not ("constant" or "reflect" or "edge" or "wrap")) throw context.Fail(node, "unknown mode '" + Diagnostics.ModelDiagnostic.Printable(mode, 40) + "'.");
            long[] given;
            long[]? axes = null;
            byte[] value = new byte[DataTypes.SizeOf(x.Type)];
            if (node.OpsetVersion < 11)
            {
                given = node.Attributes.GetInts(node.OpsetVersion < 2 ? "paddings" : "pads") ?? throw context.Fail(node, "attribute 'pads' is required.");
                TensorData.Write(value, x.Type, 0, node.Attributes.GetFloat("value", 0));
            }
            else
            {
                given = context.ConstantInts(node, 1);
                if (node.Input(2) is { } constant)
                {
                    if (constant.Data is null) throw context.Unsupported(node, "input 2 (constant_value) must be a constant at build time.");
                    if (constant.Type != x.Type) throw context.Fail(node, "constant_value must have the element type of the data.");
                    if (constant.ElementCount != 1) throw context.Fail(node, "constant_value must be a scalar.");
                    value = ElementCopy.ElementBytes(constant, 0);
                }
                if (node.Input(3) is not null) axes = context.ConstantInts(node, 3);
            }
            int count = axes?.Length ?? rank;
            if (given.Length != 2 * count) throw context.Fail(node, "pads has " + given.Length + " values, expected " + 2 * count + ".");
            var pads = new long[2 * rank];
            for (int i = 0; i < count; i++)
            {
                int axis = axes is null ? i : Shape.NormalizeAxis(axes[i], rank);
                if (axis < 0) throw context.Fail(node, "axes are out of range.");
                pads[axis] = given[i];
                pads[axis + rank] = given[i + count];
            }
            var shape = new long[rank];
            for (int d = 0; d < rank; d++)
            {
                if (Math.Abs((decimal)pads[d]) > int.MaxValue || Math.Abs((decimal)pads[d + rank]) > int.MaxValue)
                    throw context.Fail(node, "pads for dimension " + d + " are beyond the 32-bit range generated code indexes with.");
                shape[d] = x.Shape[d] + pads[d] + pads[d + rank]; // cannot overflow: each term is below 2^32 in magnitude
                if (shape[d] < 0) throw context.Fail(node, "negative pads remove more than dimension " + d + " holds.");
                if (mode != "constant" && x.Shape[d] == 0 && shape[d] > 0) throw context.Fail(node, "mode " + mode + " cannot pad an empty dimension.");
            }
            node.Inputs.RemoveRange(1, node.Inputs.Count - 1);
            node.Attributes.Remove("paddings");
            node.Attributes.Set(Ir.Attribute.FromInts("pads", pads));
            node.Attributes.Set(Ir.Attribute.FromString("mode", mode));
            if (mode == "constant") node.Attributes.Set(ElementCopy.ScalarAttribute("value", x.Type, value));
            else node.Attributes.Remove("value");
            context.SetOutput(node, 0, x.Type, shape);
        }

        /// <summary>The source coordinate for coordinate <paramref name="s"/> (output minus begin pad) of a dimension of size <paramref name="n"/>; −1 means the pad value.</summary>
        public static long SourceCoordinate(long s, long n, string mode)
        {
            if (s >= 0 && s < n) return s;
            switch (mode)
            {
                case "edge": return s < 0 ? 0 : n - 1;
                case "wrap": return (s % n + n) % n;
                case "reflect":
                    if (n == 1) return 0;
                    long period = 2 * (n - 1);
                    long t = (s % period + period) % period;
                    return t < n ? t : period - t;
                default: return -1;
            }
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var x = node.Inputs[0]!;
            long[] pads = node.Attributes.GetInts("pads")!;
            string mode = node.Attributes.GetString("mode", "constant");
            byte[] fill = ElementCopy.ScalarBytes(node.Attributes, "value", x.Type);
            long[] strides = Shape.Strides(x.Shape);
            int rank = x.Rank;
            node.Outputs[0].Data = ElementCopy.Map(x, node.Outputs[0].Shape, o =>
            {
                long s = 0;
                for (int d = 0; d < rank; d++)
                {
                    long c = SourceCoordinate(o[d] - pads[d], x.Shape[d], mode);
                    if (c < 0) return -1;
                    s += c * strides[d];
                }
                return s;
            }, fill);
        }
    }
}
