using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Passes;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// The compiler-internal Gemm on compressed constant weights made by
    /// <see cref="CompressedWeightLowering"/> (float16 or 4/8-bit codebook indices, decoded inside the
    /// kernel, in registers: no scratch). It has no ONNX form: a model that names it is refused.
    /// </summary>
    public sealed class CompressedGemmOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { CompressedWeightLowering.OpType };

        public override string Domain => SparseGemmLowering.Domain;

        public override void Lower(Node node, LoweringContext context)
            => throw context.Unsupported(node, "CompressedGemm is internal to EdgeAot and cannot appear in a model.");

        public override long CountMacs(Node node) => node.Attributes.GetInt("m", 0) * node.Attributes.GetInt("n", 0) * node.Attributes.GetInt("k", 0);
    }
}
