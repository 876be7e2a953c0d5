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
            // Charged before evaluating, so the budget bounds what the build allocates.
            foreach (var output in node.Outputs) context.ChargeFolded(node, Shape.ByteSize(output.Shape, output.Type));
            definition.Evaluate(node, context);
            return true;
        }
    }
}
