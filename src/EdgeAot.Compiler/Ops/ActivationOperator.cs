using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Unary activations: Relu (float32, int32, int64), Clip, Sigmoid, Tanh (float32).
    /// Clip always leaves lowering with explicit float attributes <c>min</c> and <c>max</c>:
    /// before opset 11 they are attributes (defaults ±3.402823e+38, as the spec states); from
    /// opset 11 they are optional scalar inputs that must be build-time constants, absent
    /// meaning no bound (±infinity).
    /// </summary>
    public sealed class ActivationOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Relu", "Clip", "Sigmoid", "Tanh" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            bool typeOk = x.Type == DataType.Float32 || (node.OpType == "Relu" && x.Type is DataType.Int32 or DataType.Int64);
            if (!typeOk) throw context.UnsupportedType(node, x.Type);

            if (node.OpType == "Clip")
            {
                float min, max;
                if (node.OpsetVersion < 11)
                {
                    if (node.Inputs.Count > 1) throw context.Fail(node, "opset " + node.OpsetVersion + " takes min and max as attributes, not inputs.");
                    float unset = node.OpsetVersion >= 6 ? float.MaxValue : float.PositiveInfinity;
                    min = node.Attributes.GetFloat("min", -unset);
                    max = node.Attributes.GetFloat("max", unset);
                }
                else
                {
                    if (node.Inputs.Count > 3) throw context.Fail(node, "expects at most 3 inputs, got " + node.Inputs.Count + ".");
                    min = Bound(node, context, 1, float.NegativeInfinity);
                    max = Bound(node, context, 2, float.PositiveInfinity);
                    while (node.Inputs.Count > 1) node.Inputs.RemoveAt(node.Inputs.Count - 1);
                }
                if (float.IsNaN(min) || float.IsNaN(max)) throw context.Fail(node, "min and max must not be NaN.");
                NodeAttributes.KeepOnly(node);
                NodeAttributes.SetFloat(node, "min", min);
                NodeAttributes.SetFloat(node, "max", max);
            }
            else
            {
                if (node.Inputs.Count != 1) throw context.Fail(node, "expects 1 input, got " + node.Inputs.Count + ".");
                NodeAttributes.KeepOnly(node);
            }
            context.SetOutput(node, 0, x.Type, (long[])x.Shape.Clone());
        }

        private static float Bound(Node node, LoweringContext context, int index, float absent)
        {
            var value = node.Input(index);
            if (value is null) return absent;
            if (value.Type != DataType.Float32) throw context.Fail(node, "input " + index + " has type " + value.Type + ", expected the input's type Float32.");
            if (value.ElementCount != 1) throw context.Fail(node, "input " + index + " must be a scalar, got shape " + Shape.Format(value.Shape) + ".");
            if (value.Data is null) throw context.Unsupported(node, (index == 1 ? "min" : "max") + " (input " + index + ") is computed at run time; EdgeAot needs it to be a constant at build time.");
            return TensorData.ToFloat32(value)[0];
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var x = node.Inputs[0]!;
            var y = node.Outputs[0];
            long n = x.ElementCount;
            var data = new byte[x.Data!.Length];
            if (x.Type != DataType.Float32)
            {
                for (long i = 0; i < n; i++) TensorData.WriteInt64(data, x.Type, i, System.Math.Max(0, TensorData.ReadAsInt64(x.Data, x.Type, i)));
                y.Data = data;
                return;
            }
            float min = node.Attributes.GetFloat("min", float.NegativeInfinity), max = node.Attributes.GetFloat("max", float.PositiveInfinity);
            var values = TensorData.ToFloat32(x);
            for (long i = 0; i < n; i++) values[i] = Apply(node.OpType, values[i], min, max);
            y.Data = TensorData.FromFloat32(values);
        }

        /// <summary>The scalar definition, used by the evaluator (the emitter writes the same formulas).</summary>
        public static float Apply(string op, float v, float min, float max) => op switch
        {
            "Relu" => float.IsNaN(v) ? v : System.Math.Max(v, 0f),
            "Clip" => float.IsNaN(v) ? v : System.Math.Min(System.Math.Max(v, min), max),
            "Sigmoid" => (float)(1.0 / (1.0 + System.Math.Exp(-v))),
            _ => (float)System.Math.Tanh(v),
        };

        public override bool CanRunInPlace(Node node) => true;
    }
}
