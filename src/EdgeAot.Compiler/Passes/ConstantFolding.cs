using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;

namespace EdgeAot.Compiler.Passes
{
    /// <summary>
    /// Evaluates a node at build time when all its inputs are constants and its definition has an
    /// evaluator; the outputs become constants and the node disappears. Folding is bounded by
    /// <see cref="CompileOptions.MaxFoldedBytes"/> so a tiny model cannot make the build allocate gigabytes.
    /// </summary>
    public static class ConstantFolding
    {
        public static bool TryFold(Node node, OperatorDefinition definition, LoweringContext context)
        {
            if (!definition.CanEvaluate(node)) return false;
            foreach (var input in node.Inputs)
            {
                if (input is not null && !input.IsConstant) return false;
            }
            foreach (var output in node.Outputs)
            {
                long bytes = Shape.ByteSize(output.Shape, output.Type);
                if (bytes < 0 || bytes > context.Options.MaxFoldedBytes)
                    throw new ModelException(DiagnosticCatalog.SizeLimit,
                        node.OpType + ": folding this constant would create " + Shape.Format(output.Shape) + " elements, more than the limit (EdgeAotMaxFoldedBytes=" + context.Options.MaxFoldedBytes + ").", node.Name);
            }
            definition.Evaluate(node, context);
            return true;
        }
    }
}
