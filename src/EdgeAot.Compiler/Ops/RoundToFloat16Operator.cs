using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// The compiler-internal float32 → float32 rounding to float16 values made by
    /// <see cref="Passes.Float16RoundTrips"/>. It has no ONNX form: a model that names it is refused.
    /// </summary>
    public sealed class RoundToFloat16Operator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { Passes.Float16RoundTrips.OpType };

        public override string Domain => Passes.SparseGemmLowering.Domain;

        public override void Lower(Node node, LoweringContext context)
            => throw context.Unsupported(node, "RoundToFloat16 is internal to EdgeAot and cannot appear in a model.");

        public override bool CanRunInPlace(Node node) => true;
    }
}
