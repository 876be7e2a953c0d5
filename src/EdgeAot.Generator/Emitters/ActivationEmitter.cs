using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>Relu, Clip, Sigmoid, Tanh: one flat loop. MathF.Max/Min propagate NaN, as the ONNX reference does.</summary>
    internal sealed class ActivationEmitter : OpEmitter
    {
        private const string MathF = "global::System.MathF";

        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Relu", "Clip", "Sigmoid", "Tanh" };

        public override string Describe(EmitContext context)
            => context.Node.OpType == "Clip"
                ? "min " + Literals.Float(context.Node.GetFloat("min", float.NegativeInfinity)) + ", max " + Literals.Float(context.Node.GetFloat("max", float.PositiveInfinity))
                : "";

        public override void EmitBody(EmitContext context)
        {
            long n = Shape.ElementCount(context.OutputShape(0));
            var node = context.Node;
            if ((node.OpType == "Relu" || node.OpType == "Clip") && context.Output(0).Type == DataType.Float32)
            {
                // One vector pass (the shared Clamp kernel).
                float min = node.OpType == "Relu" ? 0f : node.GetFloat("min", float.NegativeInfinity), max = node.OpType == "Relu" ? float.PositiveInfinity : node.GetFloat("max", float.PositiveInfinity);
                context.Line("Clamp(" + context.InputName(0) + ", " + context.OutputName(0) + ", " + Literals.Float(min) + ", " + Literals.Float(max) + ");");
                return;
            }
            using (context.Block("for (int i = 0; i < " + Literals.Int(n) + "; i++)"))
            {
                context.Line(context.OutputName(0) + "[i] = " + Expression(context, context.InputName(0) + "[i]") + ";");
            }
        }

        private static string Expression(EmitContext context, string x)
        {
            var node = context.Node;
            switch (node.OpType)
            {
                case "Relu":
                    return context.Output(0).Type == DataType.Float32 ? MathF + ".Max(" + x + ", 0f)" : "global::System.Math.Max(" + x + ", 0)";
                case "Clip":
                    float min = node.GetFloat("min", float.NegativeInfinity), max = node.GetFloat("max", float.PositiveInfinity);
                    string clamped = x;
                    if (!float.IsNegativeInfinity(min)) clamped = MathF + ".Max(" + clamped + ", " + Literals.Float(min) + ")";
                    if (!float.IsPositiveInfinity(max)) clamped = MathF + ".Min(" + clamped + ", " + Literals.Float(max) + ")";
                    return clamped;
                case "Sigmoid":
                    // exp(-x) overflows to +inf for x < -88, giving 1 / inf = 0: no NaN at either end.
                    return "1f / (1f + " + MathF + ".Exp(-" + x + "))";
                default:
                    return MathF + ".Tanh(" + x + ")";
            }
        }
    }
}
