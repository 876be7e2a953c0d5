using System.Collections.Generic;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// QuantizeLinear on a run-time tensor (where a graph quantizes its float input):
    /// saturate(round_half_even(x / scale) + zero_point), per tensor, per axis or blocked.
    /// </summary>
    internal sealed class QuantizeLinearEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "QuantizeLinear" };

        public override string InputName(NodePlan node, int index) => index switch { 0 => "x", 1 => "scale", _ => "zeroPoint" };

        public override string Describe(EmitContext context) => BlockedQuantizationLoops.Describe(context);

        public override void EmitBody(EmitContext context)
        {
            var output = context.Output(0);
            var (min, max) = EdgeAot.Compiler.Ops.QuantizeLinearOperator.Range(output.Type);
            string type = EmitContext.ElementType(output);
            void Element(string index, string channel)
            {
                string zero = context.HasInput(2) ? "zeroPoint[" + channel + "]" : "0";
                context.Line("float q = global::System.MathF.Round(x[" + index + "] / scale[" + channel + "], global::System.MidpointRounding.ToEven) + " + zero + ";");
                context.Line("y[" + index + "] = float.IsNaN(q) ? (" + type + ")0 : (" + type + ")global::System.Math.Clamp(q, " + Literals.Int(min) + "f, " + Literals.Int(max) + "f);");
            }
            if (BlockedQuantizationLoops.IsBlocked(context))
            {
                BlockedQuantizationLoops.Emit(context, Element);
                return;
            }
            long[] xs = context.InputShape(0);
            long count = context.Input(0).ElementCount;
            long channels = context.Input(1).ElementCount;
            int axis = (int)context.Node.GetInt("axis", 0);
            long inner = 1;
            for (int i = axis + 1; i < xs.Length; i++) inner *= xs[i];
            string channel = channels == 1 ? "0" : "i / " + Literals.Int(inner) + " % " + Literals.Int(channels);
            using (context.Block("for (int i = 0; i < " + Literals.Int(count) + "; i++)")) Element("i", channel);
        }
    }
}
