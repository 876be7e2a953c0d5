using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// DynamicQuantizeLinear: uint8 quantization of a float tensor with a scale and zero point
    /// computed from the data at run time (ONNX spec): the range [min(0, min x), max(0, max x)]
    /// maps onto [0, 255], the zero point is rounded half to even and saturated, then
    /// y = saturate(round_half_even(x / y_scale) + y_zero_point). Outputs y, y_scale (scalar
    /// float), y_zero_point (scalar uint8). No lowered attributes.
    /// </summary>
    public sealed class DynamicQuantizeLinearOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "DynamicQuantizeLinear" };

        public override int MinOpset => 11;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (x.Type != DataType.Float32) throw context.UnsupportedType(node, x.Type);
            if (node.Outputs.Count != 3) throw context.Fail(node, "expects the outputs y, y_scale and y_zero_point.");
            if (x.ElementCount < 1) throw context.Unsupported(node, "an empty input has no range to quantize.");
            node.Attributes.Remove("to");
            context.SetOutput(node, 0, DataType.UInt8, x.Shape);
            context.SetOutput(node, 1, DataType.Float32, new long[0]);
            context.SetOutput(node, 2, DataType.UInt8, new long[0]);
        }
    }
}
