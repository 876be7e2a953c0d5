using System.Collections.Generic;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout (inference): nothing to do when the
    /// memory plan put the output on the input's storage; otherwise (e.g. the output is a Run
    /// parameter) a straight copy.
    /// </summary>
    internal sealed class ViewEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout" };

        public override string Describe(EmitContext context) => IsNoOp(context) ? "view" : "copy";

        public override bool IsNoOp(EmitContext context) => EmitContext.SameStorage(context.Input(0), context.Output(0));

        public override void EmitBody(EmitContext context)
            => context.Line(context.InputName(0) + ".CopyTo(" + context.OutputName(0) + ");");
    }
}
