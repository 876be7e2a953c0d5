using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Softmax (float32). Before opset 13 the input is coerced to 2-D at <c>axis</c> (default 1)
    /// and each row of the flattened trailing block is normalized; from opset 13 the softmax runs
    /// along the single dimension <c>axis</c> (default -1).
    /// </summary>
    /// <remarks>
    /// Plan attributes: <c>axis</c> (non-negative, for the description) and the explicit loop
    /// sizes <c>outer</c> × <c>size</c> × <c>inner</c>: the softmax runs over <c>size</c> elements
    /// <c>inner</c> apart, for each of <c>outer</c> × <c>inner</c> starting points.
    /// </remarks>
    public sealed class SoftmaxOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Softmax" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override void Lower(Node node, LoweringContext context)
        {
            if (node.Inputs.Count != 1) throw context.Fail(node, "expects 1 input, got " + node.Inputs.Count + ".");
            var x = context.Required(node, 0);
            if (x.Type != DataType.Float32) throw context.UnsupportedType(node, x.Type);
            if (x.Rank == 0) throw context.Fail(node, "the input must have rank 1 or more.");
            bool coerce2D = node.OpsetVersion < 13;
            long requested = node.Attributes.GetInt("axis", coerce2D ? 1 : -1);
            int axis = Shape.NormalizeAxis(requested, x.Rank);
            if (axis < 0) throw context.Fail(node, "axis " + requested + " is out of range for rank " + x.Rank + ".");

            long outer = NodeAttributes.Product(x.Shape, 0, axis);
            long size = coerce2D ? NodeAttributes.Product(x.Shape, axis, x.Rank) : x.Shape[axis];
            long inner = coerce2D ? 1 : NodeAttributes.Product(x.Shape, axis + 1, x.Rank);
            NodeAttributes.KeepOnly(node);
            NodeAttributes.SetInt(node, "axis", axis);
            NodeAttributes.SetInt(node, "outer", outer);
            NodeAttributes.SetInt(node, "size", size);
            NodeAttributes.SetInt(node, "inner", inner);
            context.SetOutput(node, 0, x.Type, (long[])x.Shape.Clone());
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var x = TensorData.ToFloat32(node.Inputs[0]!);
            long outer = node.Attributes.GetInt("outer", 1), size = node.Attributes.GetInt("size", 1), inner = node.Attributes.GetInt("inner", 1);
            var y = new float[x.Length];
            for (long o = 0; o < outer; o++)
            {
                for (long j = 0; j < inner; j++)
                {
                    long start = o * size * inner + j;
                    float max = float.NegativeInfinity;
                    for (long k = 0; k < size; k++) max = System.Math.Max(max, x[start + k * inner]);
                    double sum = 0;
                    for (long k = 0; k < size; k++) sum += System.Math.Exp(x[start + k * inner] - max);
                    for (long k = 0; k < size; k++) y[start + k * inner] = (float)(System.Math.Exp(x[start + k * inner] - max) / sum);
                }
            }
            node.Outputs[0].Data = TensorData.FromFloat32(y);
        }

        /// <summary>Each row is read completely (max) before its outputs are written, element by element.</summary>
        public override bool CanRunInPlace(Node node) => true;
    }
}
