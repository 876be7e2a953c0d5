using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// The compiler-internal sparse Gemm made by <see cref="Passes.SparseGemmLowering"/> from a Gemm
    /// or MatMul with mostly-zero constant weights. It has no ONNX form: a model that names it is
    /// refused. MACs are the nonzero weights times the rows of A, because that is what runs.
    /// </summary>
    public sealed class SparseGemmOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { Passes.SparseGemmLowering.OpType };

        public override string Domain => Passes.SparseGemmLowering.Domain;

        public override void Lower(Node node, LoweringContext context)
            => throw context.Unsupported(node, "SparseGemm is internal to EdgeAot and cannot appear in a model.");

        public override long CountMacs(Node node) => node.Attributes.GetInt("m", 0) * node.Attributes.GetInt("nonzeros", 0);
    }
}
