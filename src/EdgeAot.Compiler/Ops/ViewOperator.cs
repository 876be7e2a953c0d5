using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Ops whose output is input 0 with another shape: Reshape, Flatten, Squeeze, Unsqueeze,
    /// Identity and inference-mode Dropout. Lowering computes the output shape from attributes and
    /// constant inputs, then drops both: the plan keeps only the data input, and the memory
    /// planner lets the output share its storage.
    /// </summary>
    /// <remarks>
    /// Dropout is compiled for inference whatever its opset says (EdgeAot is an inference
    /// compiler): the output is the input, and a requested mask becomes a constant all-true
    /// tensor, so the node has a single output. A constant training_mode=true is refused.
    /// </remarks>
    public sealed class ViewOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            long[] output = node.OpType switch
            {
                "Reshape" => ReshapeShape(node, context, x),
                "Flatten" => FlattenShape(node, context, x),
                "Squeeze" => SqueezeShape(node, context, x),
                "Unsqueeze" => UnsqueezeShape(node, context, x),
                "Dropout" => DropoutShape(node, context, x),
                _ => (long[])x.Shape.Clone(),
            };
            if (node.OpType == "Identity" && node.Inputs.Count != 1) throw context.Fail(node, "expects 1 input, got " + node.Inputs.Count + ".");
            if (Shape.ElementCount(output) != x.ElementCount)
                throw context.Fail(node, "output shape " + Shape.Format(output) + " does not hold the " + x.ElementCount + " elements of input " + Shape.Format(x.Shape) + ".");
            // Shape-carrying inputs were read above; only the data input stays.
            while (node.Inputs.Count > 1) node.Inputs.RemoveAt(node.Inputs.Count - 1);
            NodeAttributes.KeepOnly(node);
            context.SetOutput(node, 0, x.Type, output);
        }

        private static long[] ReshapeShape(Node node, LoweringContext context, Value x)
        {
            long[] requested;
            if (node.OpsetVersion < 5)
            {
                requested = node.Attributes.GetInts("shape") ?? throw context.Fail(node, "attribute shape is required at opset " + node.OpsetVersion + ".");
            }
            else
            {
                if (node.Inputs.Count != 2) throw context.Fail(node, "expects 2 inputs (data, shape), got " + node.Inputs.Count + ".");
                var shape = context.Required(node, 1);
                if (shape.Type != DataType.Int64) throw context.Fail(node, "the shape input must be int64, got " + shape.Type + ".");
                if (shape.Rank != 1) throw context.Fail(node, "the shape input must be 1-D, got " + Shape.Format(shape.Shape) + ".");
                if (shape.Data is null)
                    throw context.Unsupported(node, "the target shape (input 1) is computed at run time and does not fold to a constant; EdgeAot compiles static shapes only.");
                requested = TensorData.ToInt64(shape);
            }
            bool allowZero = node.OpsetVersion >= 14 && node.Attributes.GetInt("allowzero", 0) != 0;
            var output = new long[requested.Length];
            int inferred = -1;
            long known = 1;
            for (int i = 0; i < requested.Length; i++)
            {
                long d = requested[i];
                if (d == -1)
                {
                    if (inferred >= 0) throw context.Fail(node, "shape " + Shape.Format(requested) + " has more than one -1.");
                    inferred = i;
                    continue;
                }
                if (d == 0 && !allowZero)
                {
                    if (i >= x.Rank) throw context.Fail(node, "shape " + Shape.Format(requested) + " copies dimension " + i + " (0) but the input has rank " + x.Rank + ".");
                    d = x.Shape[i];
                }
                if (d < 0) throw context.Fail(node, "shape " + Shape.Format(requested) + " has a negative dimension.");
                output[i] = d;
                if (known > 0 && d > 0 && known > long.MaxValue / d) throw context.Fail(node, "shape " + Shape.Format(requested) + " overflows.");
                known *= d;
            }
            if (inferred >= 0)
            {
                if (allowZero && known == 0) throw context.Fail(node, "shape " + Shape.Format(requested) + " has both 0 (with allowzero=1) and -1.");
                long count = x.ElementCount;
                if (known == 0 || count % known != 0)
                    throw context.Fail(node, "cannot infer the -1 in " + Shape.Format(requested) + " from input " + Shape.Format(x.Shape) + ".");
                output[inferred] = count / known;
            }
            return output;
        }

        private static long[] FlattenShape(Node node, LoweringContext context, Value x)
        {
            if (node.Inputs.Count != 1) throw context.Fail(node, "expects 1 input, got " + node.Inputs.Count + ".");
            long requested = node.Attributes.GetInt("axis", 1);
            long axis = requested < 0 ? requested + x.Rank : requested;
            if (axis < 0 || axis > x.Rank) throw context.Fail(node, "axis " + requested + " is out of range for rank " + x.Rank + ".");
            return new[] { NodeAttributes.Product(x.Shape, 0, (int)axis), NodeAttributes.Product(x.Shape, (int)axis, x.Rank) };
        }

        private static long[]? Axes(Node node, LoweringContext context, bool required)
        {
            if (node.OpsetVersion < 13)
            {
                if (node.Inputs.Count > 1) throw context.Fail(node, "opset " + node.OpsetVersion + " takes axes as an attribute, not an input.");
                var axes = node.Attributes.GetInts("axes");
                if (axes is null && required) throw context.Fail(node, "attribute axes is required.");
                return axes;
            }
            if (node.Inputs.Count > 2) throw context.Fail(node, "expects at most 2 inputs, got " + node.Inputs.Count + ".");
            if (node.Input(1) is null)
            {
                if (required) throw context.Fail(node, "input axes is required.");
                return null;
            }
            var value = node.Input(1)!;
            if (value.Type != DataType.Int64) throw context.Fail(node, "axes must be int64, got " + value.Type + ".");
            if (value.Data is null) throw context.Unsupported(node, "axes (input 1) is computed at run time; EdgeAot needs it to be a constant at build time.");
            return TensorData.ToInt64(value);
        }

        private static long[] SqueezeShape(Node node, LoweringContext context, Value x)
        {
            long[]? axes = Axes(node, context, required: false);
            var remove = new bool[x.Rank];
            if (axes is null)
            {
                for (int i = 0; i < x.Rank; i++) remove[i] = x.Shape[i] == 1;
            }
            else
            {
                foreach (long requested in axes)
                {
                    int axis = Shape.NormalizeAxis(requested, x.Rank);
                    if (axis < 0) throw context.Fail(node, "axis " + requested + " is out of range for rank " + x.Rank + ".");
                    if (remove[axis]) throw context.Fail(node, "axis " + requested + " is listed twice.");
                    if (x.Shape[axis] != 1) throw context.Fail(node, "cannot squeeze dimension " + axis + " of " + Shape.Format(x.Shape) + ": its size is not 1.");
                    remove[axis] = true;
                }
            }
            var output = new List<long>();
            for (int i = 0; i < x.Rank; i++)
            {
                if (!remove[i]) output.Add(x.Shape[i]);
            }
            return output.ToArray();
        }

        private static long[] UnsqueezeShape(Node node, LoweringContext context, Value x)
        {
            long[] axes = Axes(node, context, required: true)!;
            int rank = x.Rank + axes.Length;
            var inserted = new bool[rank];
            foreach (long requested in axes)
            {
                int axis = Shape.NormalizeAxis(requested, rank);
                if (axis < 0) throw context.Fail(node, "axis " + requested + " is out of range for output rank " + rank + ".");
                if (inserted[axis]) throw context.Fail(node, "axis " + requested + " is listed twice.");
                inserted[axis] = true;
            }
            var output = new long[rank];
            int source = 0;
            for (int i = 0; i < rank; i++) output[i] = inserted[i] ? 1 : x.Shape[source++];
            return output;
        }

        private static long[] DropoutShape(Node node, LoweringContext context, Value x)
        {
            if (node.Inputs.Count > 3) throw context.Fail(node, "expects at most 3 inputs, got " + node.Inputs.Count + ".");
            if (node.OpsetVersion >= 12 && node.Input(2) is Value training)
            {
                if (training.Data is null) throw context.Unsupported(node, "training_mode (input 2) is computed at run time; EdgeAot compiles inference only.");
                if (training.ElementCount != 1) throw context.Fail(node, "training_mode must be a scalar.");
                if (TensorData.ReadAsInt64(training.Data, training.Type, 0) != 0) throw context.Unsupported(node, "training_mode=true is not supported; EdgeAot compiles inference only.");
            }
            if (node.Outputs.Count > 2) throw context.Fail(node, "has " + node.Outputs.Count + " outputs, at most 2 expected.");
            if (node.Outputs.Count == 2)
            {
                // In inference every element is kept: the mask is a constant of ones.
                var mask = node.Outputs[1];
                mask.Type = node.OpsetVersion >= 10 ? DataType.Bool : x.Type;
                mask.Shape = (long[])x.Shape.Clone();
                long bytes = Shape.ByteSize(mask.Shape, mask.Type);
                context.ChargeFolded(node, bytes);
                var data = new byte[bytes];
                for (long i = 0; i < x.ElementCount; i++) TensorData.Write(data, mask.Type, i, 1);
                mask.Data = data;
                node.Outputs.RemoveAt(1);
            }
            return (long[])x.Shape.Clone();
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context) => node.Outputs[0].Data = node.Inputs[0]!.Data;

        public override bool IsView(Node node) => true;
    }
}
