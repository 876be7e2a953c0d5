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
    /// Float16 nodes of families that compute in float32 are wrapped in Casts here (see <see cref="Float16Handling"/>).
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
            // One float32 copy per float16 value, however many float32 nodes read it.
            var widened = new Dictionary<Value, Value>();
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

                var float16 = HasFloat16Input(node) ? definition.Float16(node) : Float16Handling.Native;
                if (float16 == Float16Handling.Unsupported) throw context.UnsupportedType(node, DataType.Float16);
                if (float16 == Float16Handling.ComputeInFloat32) WidenInputs(node, widened, kept, context);

                definition.Lower(node, context);
                RequireTypedOutputs(node, context);

                bool folded = ConstantFolding.TryFold(node, definition, context);
                if (!folded)
                {
                    foreach (var output in node.Outputs)
                    {
                        if (!DataTypes.IsSupported(output.Type))
                            throw context.UnsupportedType(node, output.Type);
                        // Only kernels that work on Half directly write float16; this also covers outputs whose
                        // type an attribute chose (Cast, ConstantOfShape, EyeLike, ...).
                        if (output.Type == DataType.Float16 && definition.Float16(node) != Float16Handling.Native)
                            throw context.UnsupportedType(node, DataType.Float16);
                    }
                    kept.Add(node);
                }
                if (float16 == Float16Handling.ComputeInFloat32) NarrowOutputs(node, kept, context);
            }
            graph.Nodes.Clear();
            graph.Nodes.AddRange(kept);
        }

        /// <summary>
        /// The newest opset of each domain whose operator definitions EdgeAot was checked against
        /// (the ONNX backend node tests it runs go up to these). Operators change meaning between
        /// opsets, so a model claiming a newer one is refused rather than compiled with older semantics.
        /// </summary>
        public static int NewestKnownOpset(string domain) => domain.Length == 0 ? 28 : 1; // other domains (com.microsoft) have only version 1

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

        private static bool HasFloat16Input(Node node)
        {
            foreach (var input in node.Inputs)
            {
                if (input?.Type == DataType.Float16) return true;
            }
            return false;
        }

        /// <summary>Replaces each float16 input by its float32 copy, made by a Cast in front of the node.</summary>
        private static void WidenInputs(Node node, Dictionary<Value, Value> widened, List<Node> kept, LoweringContext context)
        {
            for (int i = 0; i < node.Inputs.Count; i++)
            {
                var input = node.Inputs[i];
                if (input is null || input.Type != DataType.Float16) continue;
                if (!widened.TryGetValue(input, out var wide))
                {
                    wide = new Value(input.Name + " (float32)", DataType.Undefined, input.Shape);
                    AddCast(node.Name + " (float16 to float32)", input, wide, DataType.Float32, kept, context);
                    widened[input] = wide;
                }
                node.Inputs[i] = wide;
            }
        }

        /// <summary>
        /// Gives each float32 output of a widened node a float32 value of its own and turns the
        /// original (float16) value into the result of a Cast after the node, so its consumers are unchanged.
        /// </summary>
        private static void NarrowOutputs(Node node, List<Node> kept, LoweringContext context)
        {
            for (int k = 0; k < node.Outputs.Count; k++)
            {
                var output = node.Outputs[k];
                if (output.Type != DataType.Float32) continue;
                var wide = new Value(output.Name + " (float32)", DataType.Float32, output.Shape, output.Data) { Quantized = output.Quantized };
                node.Outputs[k] = wide;
                output.Data = null;
                output.Quantized = null;
                AddCast(node.Name + " (float32 to float16)", wide, output, DataType.Float16, kept, context);
            }
        }

        private static void AddCast(string name, Value input, Value output, DataType to, List<Node> kept, LoweringContext context)
        {
            var attributes = new AttributeSet();
            attributes.Set(Attribute.FromInt("to", (long)to));
            var cast = new Node(name, "Cast", "", new List<Value?> { input }, new List<Value> { output }, attributes) { OpsetVersion = 19 };
            var definition = OperatorRegistry.Find("", "Cast")!;
            definition.Lower(cast, context);
            if (!ConstantFolding.TryFold(cast, definition, context)) kept.Add(cast);
        }
    }
}
