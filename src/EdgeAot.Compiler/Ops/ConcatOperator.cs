using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>Concat of any element type along a non-negative <c>axis</c> (default 1 before opset 4, required after).</summary>
    public sealed class ConcatOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Concat" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override void Lower(Node node, LoweringContext context)
        {
            if (node.Inputs.Count == 0) throw context.Fail(node, "expects at least 1 input.");
            var first = context.Required(node, 0);
            var axisAttribute = node.Attributes.Find("axis");
            if (axisAttribute is null && node.OpsetVersion >= 4) throw context.Fail(node, "attribute axis is required.");
            long requested = axisAttribute?.Int ?? 1;
            if (first.Rank == 0) throw context.Fail(node, "inputs must have rank 1 or more.");
            int axis = Shape.NormalizeAxis(requested, first.Rank);
            if (axis < 0) throw context.Fail(node, "axis " + requested + " is out of range for rank " + first.Rank + ".");

            var output = (long[])first.Shape.Clone();
            output[axis] = 0;
            for (int i = 0; i < node.Inputs.Count; i++)
            {
                var x = context.Required(node, i);
                if (x.Type != first.Type) throw context.Fail(node, "input " + i + " has type " + x.Type + ", input 0 has " + first.Type + ".");
                if (x.Rank != first.Rank) throw context.Fail(node, "input " + i + " has rank " + x.Rank + ", input 0 has rank " + first.Rank + ".");
                for (int d = 0; d < x.Rank; d++)
                {
                    if (d != axis && x.Shape[d] != first.Shape[d])
                        throw context.Fail(node, "input " + i + " " + Shape.Format(x.Shape) + " differs from input 0 " + Shape.Format(first.Shape) + " outside axis " + axis + ".");
                }
                output[axis] += x.Shape[axis];
            }
            NodeAttributes.KeepOnly(node);
            NodeAttributes.SetInt(node, "axis", axis);
            context.SetOutput(node, 0, first.Type, output);
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var y = node.Outputs[0];
            int axis = (int)node.Attributes.GetInt("axis", 0);
            int size = DataTypes.SizeOf(y.Type);
            long outer = NodeAttributes.Product(y.Shape, 0, axis);
            long inner = NodeAttributes.Product(y.Shape, axis + 1, y.Rank);
            long rowBytes = y.Shape[axis] * inner * size;
            var data = new byte[Shape.ByteSize(y.Shape, y.Type)];
            long offset = 0;
            foreach (var x in node.Inputs)
            {
                long block = x!.Shape[axis] * inner * size;
                for (long o = 0; o < outer; o++) Buffer.BlockCopy(x.Data!, (int)(o * block), data, (int)(o * rowBytes + offset), (int)block);
                offset += block;
            }
            y.Data = data;
        }
    }
}
