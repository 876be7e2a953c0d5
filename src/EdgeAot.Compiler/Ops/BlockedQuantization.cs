using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Blocked quantization of QuantizeLinear / DequantizeLinear (opset 21 <c>block_size</c> B &gt; 0): the scale
    /// and zero point have x's rank and shape except along <c>axis</c>, where they hold ceil(x.shape[axis] / B)
    /// entries; element i along the axis uses entry i / B. Lowered attributes: axis and block_size.
    /// </summary>
    public static class BlockedQuantization
    {
        /// <summary>Validates a blocked node's scale and zero point shapes and writes the lowered axis and block_size.</summary>
        public static void Lower(Node node, LoweringContext context, Value x, Value scale, Value? zeroPoint, long blockSize)
        {
            if (blockSize < 0) throw context.Fail(node, "block_size must not be negative.");
            if (node.OpsetVersion < 21) throw context.Fail(node, "block_size requires opset 21 or later.");
            int axis = Shape.NormalizeAxis(node.Attributes.GetInt("axis", 1), x.Rank);
            if (axis < 0) throw context.Fail(node, "axis is out of range for x.");
            if (scale.Rank != x.Rank) throw context.Fail(node, "with block_size, the scale must have the rank of x.");
            for (int d = 0; d < x.Rank; d++)
            {
                long expected = d == axis ? Blocks(x.Shape[d], blockSize) : x.Shape[d];
                if (scale.Shape[d] != expected)
                {
                    throw context.Fail(node, "with block_size " + blockSize.ToString(System.Globalization.CultureInfo.InvariantCulture)
                        + ", the scale shape " + Shape.Format(scale.Shape) + " does not match x " + Shape.Format(x.Shape) + " along axis "
                        + axis.ToString(System.Globalization.CultureInfo.InvariantCulture) + " (expected " + Shape.Format(ExpectedShape(x.Shape, axis, blockSize)) + ").");
                }
            }
            if (zeroPoint is not null && !Shape.SameAs(zeroPoint.Shape, scale.Shape)) throw context.Fail(node, "the zero point must have the shape of the scale.");
            node.Attributes.Set(Attribute.FromInt("axis", axis));
            node.Attributes.Set(Attribute.FromInt("block_size", blockSize));
        }

        /// <summary>ceil(length / blockSize): the number of blocks along the axis.</summary>
        public static long Blocks(long length, long blockSize) => length / blockSize + (length % blockSize == 0 ? 0 : 1);

        /// <summary>The index into the scale and zero point of x's flat element <paramref name="i"/>.</summary>
        public static long ParameterIndex(long i, long axisLength, long inner, long blockSize)
        {
            long outer = i / (axisLength * inner), along = i / inner % axisLength, within = i % inner;
            return (outer * Blocks(axisLength, blockSize) + along / blockSize) * inner + within;
        }

        /// <summary>The lengths of x's dimensions after <paramref name="axis"/> multiplied together.</summary>
        public static long Inner(long[] shape, int axis)
        {
            long inner = 1;
            for (int d = axis + 1; d < shape.Length; d++) inner *= shape[d];
            return inner;
        }

        private static long[] ExpectedShape(long[] shape, int axis, long blockSize)
        {
            var expected = (long[])shape.Clone();
            expected[axis] = Blocks(shape[axis], blockSize);
            return expected;
        }
    }
}
