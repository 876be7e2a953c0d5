using System.Collections.Generic;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>DequantizeLinear on a run-time tensor: y = (x − zero_point)·scale, per tensor, per axis or blocked.</summary>
    internal sealed class DequantizeLinearEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "DequantizeLinear" };

        public override string InputName(NodePlan node, int index) => index switch { 0 => "x", 1 => "scale", _ => "zeroPoint" };

        public override string Describe(EmitContext context) => BlockedQuantizationLoops.Describe(context);

        public override void EmitBody(EmitContext context)
        {
            if (BlockedQuantizationLoops.IsBlocked(context))
            {
                BlockedQuantizationLoops.Emit(context, (index, channel) => context.Line("y[" + index + "] = (x[" + index + "] - "
                    + (context.HasInput(2) ? "zeroPoint[" + channel + "]" : "0") + ") * scale[" + channel + "];"));
                return;
            }
            long[] xs = context.InputShape(0);
            long count = context.Input(0).ElementCount;
            long channels = context.Input(1).ElementCount;
            int axis = (int)context.Node.GetInt("axis", 0);
            long inner = 1;
            for (int i = axis + 1; i < xs.Length; i++) inner *= xs[i];
            string channel = channels == 1 ? "0" : "i / " + Literals.Int(inner) + " % " + Literals.Int(channels);
            string zero = context.HasInput(2) ? "zeroPoint[" + channel + "]" : "0";
            context.Line("for (int i = 0; i < " + Literals.Int(count) + "; i++) y[i] = (x[i] - " + zero + ") * scale[" + channel + "];");
        }
    }
}
