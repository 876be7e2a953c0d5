using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Passes;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// The compiler-internal Gemm on compressed constant weights made by
    /// <see cref="CompressedWeightLowering"/> (float16 or 4/8-bit codebook indices, decoded inside the
    /// kernel). It has no ONNX form: a model that names it is refused. The codebook8 kernel decodes one
    /// row of B at a time into a scratch row of n floats; the others decode in registers.
    /// </summary>
    public sealed class CompressedGemmOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { CompressedWeightLowering.OpType };

        public override string Domain => SparseGemmLowering.Domain;

        public override void Lower(Node node, LoweringContext context)
            => throw context.Unsupported(node, "CompressedGemm is internal to EdgeAot and cannot appear in a model.");

        public override IReadOnlyList<ScratchBuffer> Scratch(Node node)
            => node.Attributes.GetString("format", "") == CompressedWeightLowering.Codebook8
                ? new[] { new ScratchBuffer("decodedRow", DataType.Float32, node.Attributes.GetInt("n", 0)) }
                : ScratchBuffer.None;

        public override long CountMacs(Node node) => node.Attributes.GetInt("m", 0) * node.Attributes.GetInt("n", 0) * node.Attributes.GetInt("k", 0);
    }
}
