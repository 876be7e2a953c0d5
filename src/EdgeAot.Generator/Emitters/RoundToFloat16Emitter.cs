using System.Collections.Generic;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// RoundToFloat16 (a Cast to float16 and back, merged by the compiler): float32 values rounded to
    /// the nearest float16 (ties to even, overflow to infinity) and kept as float32, in place where the plan allows.
    /// </summary>
    internal sealed class RoundToFloat16Emitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "RoundToFloat16" };

        public override string Describe(EmitContext context) => "float values rounded to Half";

        public override void EmitBody(EmitContext context)
        {
            long count = context.Input(0).ElementCount;
            if (count == 0)
            {
                context.Line("// empty: nothing to do");
                return;
            }
            using (context.Block("for (int i = 0; i < " + Literals.Int(count) + "; i++)"))
            {
                context.Line("y[i] = (float)(" + Literals.HalfType + ")x[i];");
            }
        }
    }
}
