using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// QuantizeLinear: y = saturate(round_half_even(x / y_scale) + y_zero_point) to int8, uint8, int16 or uint16,
    /// per tensor, per axis or in blocks along an axis (<see cref="BlockedQuantization"/>). Lowered attributes: axis,
    /// and block_size when blocked.
    /// </summary>
    public sealed class QuantizeLinearOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "QuantizeLinear" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override int MinOpset => 10;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            var scale = context.Required(node, 1);
            var zeroPoint = node.Input(2);
            if (x.Type != DataType.Float32 && x.Type != DataType.Int32) throw context.UnsupportedType(node, x.Type);
            if (scale.Type != DataType.Float32) throw context.UnsupportedType(node, scale.Type);
            var outputType = zeroPoint?.Type ?? (DataType)node.Attributes.GetInt("output_dtype", (long)DataType.UInt8);
            if (outputType is not (DataType.Int8 or DataType.UInt8 or DataType.Int16 or DataType.UInt16)) throw context.UnsupportedType(node, outputType);
            long blockSize = node.Attributes.GetInt("block_size", 0);
            foreach (var name in new[] { "block_size", "output_dtype", "saturate" }) node.Attributes.Remove(name);
            if (blockSize != 0)
            {
                BlockedQuantization.Lower(node, context, x, scale, zeroPoint, blockSize);
                context.SetOutput(node, 0, outputType, x.Shape);
                return;
            }
            long axis = 0;
            if (scale.ElementCount != 1)
            {
                if (scale.Rank != 1) throw context.Fail(node, "y_scale must be a scalar or 1-D.");
                axis = Shape.NormalizeAxis(node.Attributes.GetInt("axis", 1), x.Rank);
                if (axis < 0 || x.Shape[axis] != scale.Shape[0]) throw context.Fail(node, "y_scale length does not match x along the axis.");
            }
            if (zeroPoint is not null && zeroPoint.ElementCount != scale.ElementCount) throw context.Fail(node, "y_zero_point must have the shape of y_scale.");
            node.Attributes.Set(Attribute.FromInt("axis", axis));
            context.SetOutput(node, 0, outputType, x.Shape);
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var x = node.Inputs[0]!;
            float[] values = TensorData.ToFloat32(x);
            float[] scale = TensorData.ToFloat32(node.Inputs[1]!);
            long[] zeroPoint = node.Input(2) is { } zp ? TensorData.ToInt64(zp) : new long[scale.Length];
            var output = node.Outputs[0];
            int axis = (int)node.Attributes.GetInt("axis", 0);
            long inner = BlockedQuantization.Inner(x.Shape, axis);
            long blockSize = node.Attributes.GetInt("block_size", 0);
            var data = new byte[values.Length * DataTypes.SizeOf(output.Type)];
            for (long i = 0; i < values.Length; i++)
            {
                long c = blockSize > 0 ? BlockedQuantization.ParameterIndex(i, x.Shape[axis], inner, blockSize)
                    : scale.Length == 1 ? 0 : i / inner % scale.Length;
                TensorData.WriteInt64(data, output.Type, i, Quantize(values[i], scale[c], zeroPoint[c], output.Type));
            }
            output.Data = data;
        }

        /// <summary>The scalar reference: float division, round half to even, add zero point, saturate.</summary>
        public static long Quantize(float value, float scale, long zeroPoint, DataType type)
        {
            float q = (float)System.Math.Round(value / scale, System.MidpointRounding.ToEven);
            double shifted = q + (double)zeroPoint;
            var (min, max) = Range(type);
            if (double.IsNaN(shifted)) return 0;
            return (long)System.Math.Max(min, System.Math.Min(max, shifted));
        }

        public static (long Min, long Max) Range(DataType type) => type switch
        {
            DataType.Int8 => (-128, 127),
            DataType.Int16 => (-32768, 32767),
            DataType.UInt16 => (0, 65535),
            _ => (0, 255),
        };
    }
}
