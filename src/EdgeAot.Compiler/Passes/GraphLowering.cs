using System.Collections.Generic;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;

namespace EdgeAot.Compiler.Passes
{
    /// <summary>
    /// Lowers every node in schedule order through its <see cref="OperatorDefinition"/> and folds
    /// nodes whose inputs are known at build time, so shapes computed by the graph itself
    /// (Shape → Gather → Concat → Reshape) become constants before the next node needs them.
    /// </summary>
    public static class GraphLowering
    {
        public static void Run(Graph graph, LoweringContext context)
        {
            if (graph.Nodes.Count > context.Options.MaxNodes)
                throw new ModelException(DiagnosticCatalog.SizeLimit, "the graph has " + graph.Nodes.Count + " nodes, more than the limit (EdgeAotMaxNodes=" + context.Options.MaxNodes + ").");
            foreach (var input in graph.Inputs)
            {
                if (!DataTypes.IsSupported(input.Type))
                    throw new ModelException(DiagnosticCatalog.UnsupportedDataType, "graph input has element type " + input.Type + ", which EdgeAot does not support.", input.Name);
            }

            var kept = new List<Node>(graph.Nodes.Count);
            foreach (var node in graph.Nodes)
            {
                var definition = OperatorRegistry.Find(node.Domain, node.OpType)
                    ?? throw new ModelException(DiagnosticCatalog.UnsupportedOperator,
                        "operator '" + ModelDiagnostic.Printable(node.OpType, 100) + "'" + (node.Domain.Length > 0 ? " in domain '" + ModelDiagnostic.Printable(node.Domain, 100) + "'" : "") + " is not supported.", node.Name);
                if (node.OpsetVersion < definition.MinOpset)
                    throw new ModelException(DiagnosticCatalog.UnsupportedOpset, node.OpType + " at opset " + node.OpsetVersion + " is not supported (minimum " + definition.MinOpset + ").", node.Name);

                definition.Lower(node, context);

                if (ConstantFolding.TryFold(node, definition, context)) continue;

                foreach (var output in node.Outputs)
                {
                    if (!DataTypes.IsSupported(output.Type))
                        throw context.UnsupportedType(node, output.Type);
                }
                kept.Add(node);
            }
            graph.Nodes.Clear();
            graph.Nodes.AddRange(kept);
        }
    }
}
