using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// DequantizeLinear: y = (x − zero_point) · scale, per tensor, per axis or in blocks along an axis
    /// (<see cref="BlockedQuantization"/>). On constant weights (weight-only int8 models) it folds to float
    /// weights at build time. Lowered attributes: axis, and block_size when blocked.
    /// </summary>
    public sealed class DequantizeLinearOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "DequantizeLinear" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override int MinOpset => 10;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            var scale = context.Required(node, 1);
            var zeroPoint = node.Input(2);
            if (x.Type is not (DataType.Int8 or DataType.UInt8 or DataType.Int16 or DataType.UInt16 or DataType.Int32)) throw context.UnsupportedType(node, x.Type);
            if (scale.Type != DataType.Float32) throw context.UnsupportedType(node, scale.Type);
            if (zeroPoint is not null && zeroPoint.Type != x.Type) throw context.Fail(node, "x_zero_point must have the type of x.");
            long blockSize = node.Attributes.GetInt("block_size", 0);
            node.Attributes.Remove("block_size");
            node.Attributes.Remove("output_dtype");
            if (blockSize != 0)
            {
                BlockedQuantization.Lower(node, context, x, scale, zeroPoint, blockSize);
                context.SetOutput(node, 0, DataType.Float32, x.Shape);
                return;
            }
            long axis = 0;
            if (scale.ElementCount != 1 || scale.Rank > 0 && !(scale.Rank == 1 && scale.Shape[0] == 1))
            {
                if (scale.Rank != 1) throw context.Fail(node, "x_scale must be a scalar or 1-D.");
                axis = Shape.NormalizeAxis(node.Attributes.GetInt("axis", 1), x.Rank);
                if (axis < 0 || x.Shape[axis] != scale.Shape[0]) throw context.Fail(node, "x_scale length does not match x along the axis.");
                if (zeroPoint is not null && !Shape.SameAs(zeroPoint.Shape, scale.Shape)) throw context.Fail(node, "x_zero_point must have the shape of x_scale.");
            }
            node.Attributes.Set(Attribute.FromInt("axis", axis));
            context.SetOutput(node, 0, DataType.Float32, x.Shape);
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var x = node.Inputs[0]!;
            float[] scale = TensorData.ToFloat32(node.Inputs[1]!);
            long[] zeroPoint = node.Input(2) is { } zp ? TensorData.ToInt64(zp) : new long[scale.Length];
            long[] values = TensorData.ToInt64(x);
            int axis = (int)node.Attributes.GetInt("axis", 0);
            long inner = BlockedQuantization.Inner(x.Shape, axis);
            long blockSize = node.Attributes.GetInt("block_size", 0);
            long channels = scale.Length;
            var result = new float[values.Length];
            for (long i = 0; i < values.Length; i++)
            {
                long c = blockSize > 0 ? BlockedQuantization.ParameterIndex(i, x.Shape[axis], inner, blockSize)
                    : channels == 1 ? 0 : i / inner % channels;
                result[i] = (values[i] - zeroPoint[c]) * scale[c];
            }
            node.Outputs[0].Data = TensorData.FromFloat32(result);
            // QuantizedOrigin describes per-tensor or per-axis parameters only, which is what the integer
            // Conv/MatMul fusions read; blocked weights stay plain float constants and those nodes stay float.
            if (blockSize == 0) node.Outputs[0].Quantized = new QuantizedOrigin(x.Type, values, scale, zeroPoint, axis);
        }
    }
}
