using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Shape (start/end at opset 15) and Size. Shapes are static, so both always fold to int64
    /// constants: lowering records the answer and drops the data input.
    /// Lowered attributes: dims (the output values).
    /// </summary>
    public sealed class ShapeOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Shape", "Size" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            long[] dims;
            if (node.OpType == "Size") dims = new[] { x.ElementCount };
            else
            {
                int rank = x.Rank;
                long start = Clamp(node.Attributes.GetInt("start", 0), rank), end = Clamp(node.Attributes.GetInt("end", rank), rank);
                dims = new long[Math.Max(0, end - start)];
                Array.Copy(x.Shape, start, dims, 0, dims.Length);
            }
            node.Inputs.Clear();
            node.Attributes.Remove("start");
            node.Attributes.Remove("end");
            node.Attributes.Set(Ir.Attribute.FromInts("dims", dims));
            context.SetOutput(node, 0, DataType.Int64, node.OpType == "Size" ? Array.Empty<long>() : new long[] { dims.Length });
        }

        private static long Clamp(long axis, int rank)
        {
            if (axis < 0) axis += rank;
            return Math.Max(0, Math.Min(axis, rank));
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
            => node.Outputs[0].Data = TensorData.FromInt64(node.Attributes.GetInts("dims")!);
    }

    /// <summary>
    /// ConstantOfShape with a constant shape input. Small results fold to constants (shape
    /// arithmetic); large ones are filled at run time rather than stored as weights.
    /// Lowered attributes: value (see <see cref="ElementCopy.ScalarAttribute"/>).
    /// </summary>
    public sealed class ConstantOfShapeOperator : OperatorDefinition
    {
        /// <summary>Largest output folded to a constant; anything larger costs weight bytes for no gain.</summary>
        public const long MaxFoldedOutputBytes = 4096;

        public override IReadOnlyList<string> OpTypes { get; } = new[] { "ConstantOfShape" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override int MinOpset => 9;

        public override void Lower(Node node, LoweringContext context)
        {
            long[] shape = context.ConstantInts(node, 0);
            foreach (long d in shape)
            {
                if (d < 0) throw context.Fail(node, "shape " + Shape.Format(shape) + " has a negative dimension.");
            }
            DataType type = DataType.Float32;
            byte[] value = new byte[4];
            if (node.Attributes.Find("value") is { Kind: AttributeKind.Tensor, Tensor: { } tensor })
            {
                if (!DataTypes.IsSupported(tensor.Type)) throw context.UnsupportedType(node, tensor.Type);
                if (tensor.ElementCount != 1 || tensor.Data is null) throw context.Fail(node, "value must be a one-element tensor.");
                type = tensor.Type;
                value = ElementCopy.ElementBytes(tensor, 0);
            }
            node.Inputs.Clear();
            node.Attributes.Set(ElementCopy.ScalarAttribute("value", type, value));
            context.SetOutput(node, 0, type, shape);
        }

        public override bool CanEvaluate(Node node)
            => Shape.ByteSize(node.Outputs[0].Shape, node.Outputs[0].Type) is var bytes && bytes >= 0 && bytes <= MaxFoldedOutputBytes;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var output = node.Outputs[0];
            byte[] value = ElementCopy.ScalarBytes(node.Attributes, "value", output.Type);
            var data = new byte[Shape.ByteSize(output.Shape, output.Type)];
            for (int i = 0; i < data.Length; i += value.Length) Buffer.BlockCopy(value, 0, data, i, value.Length);
            output.Data = data;
        }
    }

    /// <summary>Range with constant start, limit and delta: always folded at build time.</summary>
    public sealed class RangeOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Range" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override int MinOpset => 11;

        public override void Lower(Node node, LoweringContext context)
        {
            var start = context.Required(node, 0);
            var type = start.Type;
            if (type is not (DataType.Float32 or DataType.Float64 or DataType.Float16 or DataType.Int16 or DataType.Int32 or DataType.Int64)) throw context.UnsupportedType(node, type);
            for (int i = 0; i < 3; i++)
            {
                var input = context.Required(node, i);
                if (input.Type != type) throw context.Fail(node, "start, limit and delta must have the same type.");
                if (input.ElementCount != 1) throw context.Fail(node, "start, limit and delta must be scalars.");
                if (!input.IsConstant) throw context.Unsupported(node, "input " + i + " must be a constant at build time.");
            }
            long count;
            if (DataTypes.IsFloat(type))
            {
                double s = Scalar(node, 0), l = Scalar(node, 1), d = Scalar(node, 2);
                if (d == 0 || double.IsNaN(s) || double.IsNaN(l) || double.IsNaN(d) || double.IsInfinity(s) || double.IsInfinity(l)) throw context.Fail(node, "start, limit and delta must be finite and delta non-zero.");
                double n = Math.Ceiling((l - s) / d);
                if (n > Options(context)) throw context.Fail(node, "the range has too many elements.");
                count = Math.Max(0, (long)n);
            }
            else
            {
                long s = context.ConstantInts(node, 0)[0], l = context.ConstantInts(node, 1)[0], d = context.ConstantInts(node, 2)[0];
                if (d == 0) throw context.Fail(node, "delta must not be 0.");
                decimal n = Math.Ceiling(((decimal)l - s) / d);
                count = n <= 0 ? 0 : n > Options(context) ? throw context.Fail(node, "the range has too many elements.") : (long)n;
            }
            context.SetOutput(node, 0, type, new[] { count });
        }

        private static long Options(LoweringContext context) => context.Options.MaxTensorBytes;

        private static double Scalar(Node node, int index) => TensorData.ReadAsDouble(node.Inputs[index]!.Data!, node.Inputs[index]!.Type, 0);

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var output = node.Outputs[0];
            long count = output.Shape[0];
            var data = new byte[Shape.ByteSize(output.Shape, output.Type)];
            if (DataTypes.IsFloat(output.Type))
            {
                double s = Scalar(node, 0), d = Scalar(node, 2);
                for (long i = 0; i < count; i++) TensorData.Write(data, output.Type, i, output.Type == DataType.Float32 ? (float)s + i * (float)d : s + i * d);
            }
            else
            {
                long s = TensorData.ReadAsInt64(node.Inputs[0]!.Data!, output.Type, 0), d = TensorData.ReadAsInt64(node.Inputs[2]!.Data!, output.Type, 0);
                for (long i = 0; i < count; i++) TensorData.WriteInt64(data, output.Type, i, s + i * d);
            }
            output.Data = data;
        }
    }

    /// <summary>
    /// Cast between float32/float64, 8/16/32/64-bit integers and bool. Float to integer truncates
    /// toward zero and saturates at the target's range (NaN → 0), the spec leaving out-of-range
    /// values undefined; integer to narrower integer wraps (two's complement); anything to bool is
    /// "≠ 0". Lowered attributes: to.
    /// </summary>
    public sealed class CastOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Cast" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override int MinOpset => 6;

        public static bool IsCastable(DataType type) => DataTypes.IsSupported(type);

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (!IsCastable(x.Type)) throw context.UnsupportedType(node, x.Type);
            var to = (DataType)node.Attributes.GetInt("to", 0);
            if (!IsCastable(to)) throw context.UnsupportedType(node, to);
            node.Attributes.Remove("saturate");
            node.Attributes.Remove("round_mode");
            node.Attributes.Set(Ir.Attribute.FromInt("to", (long)to));
            context.SetOutput(node, 0, to, x.Shape);
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var x = node.Inputs[0]!;
            var output = node.Outputs[0];
            var data = new byte[Shape.ByteSize(output.Shape, output.Type)];
            long count = x.ElementCount;
            for (long i = 0; i < count; i++)
            {
                if (DataTypes.IsFloat(x.Type))
                {
                    double v = TensorData.ReadAsDouble(x.Data!, x.Type, i);
                    if (output.Type == DataType.Bool) data[i] = v != 0 || double.IsNaN(v) ? (byte)1 : (byte)0;
                    else if (DataTypes.IsFloat(output.Type)) TensorData.Write(data, output.Type, i, v);
                    else WriteWrapped(data, output.Type, i, SaturatingTruncate(v, output.Type));
                }
                else
                {
                    long v = TensorData.ReadAsInt64(x.Data!, x.Type, i);
                    if (output.Type == DataType.Bool) data[i] = v != 0 ? (byte)1 : (byte)0;
                    else if (DataTypes.IsFloat(output.Type)) TensorData.Write(data, output.Type, i, x.Type == DataType.UInt64 ? (double)(ulong)v : v);
                    else WriteWrapped(data, output.Type, i, v);
                }
            }
            output.Data = data;
        }

        /// <summary>Truncation toward zero, saturated to the range of <paramref name="type"/>, NaN → 0 (as a 64-bit pattern).</summary>
        public static long SaturatingTruncate(double v, DataType type)
        {
            if (double.IsNaN(v)) return 0;
            if (type == DataType.UInt64)
            {
                if (v <= 0) return 0;
                return v >= 18446744073709551615.0 ? unchecked((long)ulong.MaxValue) : unchecked((long)(ulong)v);
            }
            var (min, max) = Range(type);
            if (v <= min) return min;
            if (v >= max) return max;
            return (long)v;
        }

        /// <summary>Value range of an integer type other than uint64.</summary>
        public static (long Min, long Max) Range(DataType type) => type switch
        {
            DataType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
            DataType.UInt8 => (byte.MinValue, byte.MaxValue),
            DataType.Int16 => (short.MinValue, short.MaxValue),
            DataType.UInt16 => (ushort.MinValue, ushort.MaxValue),
            DataType.Int32 => (int.MinValue, int.MaxValue),
            DataType.UInt32 => (uint.MinValue, uint.MaxValue),
            DataType.Int64 => (long.MinValue, long.MaxValue),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not an integer type."),
        };

        private static void WriteWrapped(byte[] data, DataType type, long index, long value)
        {
            int size = DataTypes.SizeOf(type);
            Buffer.BlockCopy(BitConverter.GetBytes(value), 0, data, checked((int)(index * size)), size);
        }
    }
}
