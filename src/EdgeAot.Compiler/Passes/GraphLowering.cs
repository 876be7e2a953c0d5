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

                int newest = NewestKnownOpset(node.Domain);
                if (node.OpsetVersion > newest)
                    throw new ModelException(DiagnosticCatalog.UnsupportedOpset, node.OpType + " at opset " + node.OpsetVersion + " is newer than any EdgeAot knows ("
                        + newest + " for " + (node.Domain.Length > 0 ? "domain '" + ModelDiagnostic.Printable(node.Domain, 100) + "'" : "the default domain")
                        + "): a later opset may change the operator's meaning.", node.Name);

                definition.Lower(node, context);
                RequireTypedOutputs(node, context);

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

        /// <summary>
        /// The newest opset of each domain whose operator definitions EdgeAot was checked against
        /// (the ONNX backend node tests it runs go up to these). Operators change meaning between
        /// opsets, so a model claiming a newer one is refused rather than compiled with older semantics.
        /// </summary>
        public static int NewestKnownOpset(string domain) => domain switch
        {
            "" => 28,
            "com.microsoft" => 1,
            _ => 1,
        };

        /// <summary>
        /// A named output the lowering did not type is one the operator does not have (a model may list
        /// more outputs than the operator defines) or an optional output EdgeAot does not compute; refusing
        /// it here keeps untyped values away from folding and from every later consumer.
        /// </summary>
        private static void RequireTypedOutputs(Node node, LoweringContext context)
        {
            for (int i = 0; i < node.Outputs.Count; i++)
            {
                var output = node.Outputs[i];
                if (output.Type == DataType.Undefined && output.Name.Length > 0)
                    throw context.Unsupported(node, "output " + i + " ('" + ModelDiagnostic.Printable(output.Name, 100)
                        + "') is not produced: the operator has fewer outputs, or EdgeAot does not compute this optional one.");
            }
        }
    }
}
