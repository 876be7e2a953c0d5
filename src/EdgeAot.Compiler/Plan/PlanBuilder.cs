using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Planning;

namespace EdgeAot.Compiler.Plan
{
    /// <summary>Turns the lowered graph and its memory plan into the generator's <see cref="ModelPlan"/>.</summary>
    public static class PlanBuilder
    {
        public static ModelPlan Build(Graph graph, MemoryPlan memory, ImportedModel model, string sha256, string className, CompileOptions options)
        {
            if (!Identifiers.IsValidIdentifier(className))
                throw new ModelException(DiagnosticCatalog.NameCollision, "class name '" + ModelDiagnostic.Printable(className, 100) + "' is not a valid C# identifier; set ClassName on the EdgeModel item.");
            if (!Identifiers.IsValidNamespace(options.Namespace))
                throw new ModelException(DiagnosticCatalog.NameCollision, "namespace '" + ModelDiagnostic.Printable(options.Namespace, 100) + "' is not a valid C# namespace; set Namespace on the EdgeModel item.");

            var ids = new Dictionary<Value, int>();
            var tensors = new List<TensorPlan>();
            long weightBytes = 0;

            int Id(Value value)
            {
                if (ids.TryGetValue(value, out int id)) return id;
                id = tensors.Count;
                ids[value] = id;
                long bytes = Shape.ByteSize(value.Shape, value.Type);
                var placement = memory.Placements.TryGetValue(value, out var p) ? p
                    : value.IsConstant ? new Placement(TensorStorage.Weight, 0)
                    : throw new InvalidOperationException("Value '" + value.Name + "' has no placement.");
                byte[] data = Array.Empty<byte>();
                if (placement.Storage == TensorStorage.Weight)
                {
                    var source = memory.WeightAliases.TryGetValue(value, out var alias) ? alias : value;
                    data = source.Data ?? throw new InvalidOperationException("Weight '" + value.Name + "' has no data.");
                    weightBytes += bytes;
                    if (weightBytes > options.MaxWeightBytes)
                        throw new ModelException(DiagnosticCatalog.SizeLimit, "the model's weights exceed the limit (EdgeAotMaxWeightBytes=" + options.MaxWeightBytes + ").");
                }
                tensors.Add(new TensorPlan(id, value.Name, value.Type, new EquatableArray<long>(value.Shape), placement.Storage,
                    placement.Offset, bytes, new EquatableArray<byte>(data)));
                return id;
            }

            var inputs = new List<int>();
            foreach (var input in graph.Inputs) inputs.Add(Id(input));
            var nodes = new List<NodePlan>();
            foreach (var node in graph.Nodes)
            {
                var nodeInputs = new List<int>();
                foreach (var input in node.Inputs) nodeInputs.Add(input is null ? -1 : Id(input));
                var nodeOutputs = new List<int>();
                foreach (var output in node.Outputs) nodeOutputs.Add(Id(output));
                nodes.Add(new NodePlan(nodes.Count, node.Name, node.OpType, new EquatableArray<int>(nodeInputs.ToArray()),
                    new EquatableArray<int>(nodeOutputs.ToArray()), Attributes(node), new EquatableArray<string>(node.FusedFrom.ToArray()))
                {
                    Scratch = Scratch(node, memory),
                });
            }
            var outputs = new List<int>();
            foreach (var output in graph.Outputs) outputs.Add(Id(output));

            long opset = graph.Opsets.TryGetValue("", out int v) ? v : 0;
            return new ModelPlan(options.ModelPath.Replace('\\', '/'), sha256, className, options.Namespace, model.Producer, opset,
                memory.ArenaBytes, weightBytes, new EquatableArray<TensorPlan>(tensors.ToArray()),
                new EquatableArray<int>(inputs.ToArray()), new EquatableArray<int>(outputs.ToArray()), new EquatableArray<NodePlan>(nodes.ToArray()))
            {
                MaxSourceBytes = options.MaxSourceBytes,
                OptimizeFor = memory.Goal,
            };
        }

        private static EquatableArray<ScratchPlan> Scratch(Node node, MemoryPlan memory)
        {
            if (!memory.Scratch.TryGetValue(node, out var scratch)) return EquatableArray<ScratchPlan>.Empty;
            long block = memory.Offsets[scratch.Buffer];
            var parts = new ScratchPlan[scratch.Parts.Count];
            for (int i = 0; i < parts.Length; i++)
                parts[i] = new ScratchPlan(scratch.Parts[i].Name, scratch.Parts[i].Type, scratch.Parts[i].Elements, block + scratch.PartOffsets[i]);
            return new EquatableArray<ScratchPlan>(parts);
        }

        private static EquatableArray<AttributePlan> Attributes(Node node)
        {
            var list = new List<AttributePlan>();
            foreach (var a in node.Attributes.All)
            {
                // Lowering keeps only attributes its emitter reads; anything else with a name that
                // is not a plain identifier came from the model and never reaches the plan.
                if (!Identifiers.IsValidIdentifier(a.Name)) continue;
                // Lowering turns every attribute its emitter reads into a plain kind; a tensor, graph or
                // strings attribute still here is one the operator does not take (e.g. a misspelled
                // name with a graph value): a model error, not a compiler bug (found by fuzzing).
                if (a.Kind is AttributeKind.Tensor or AttributeKind.Graph or AttributeKind.Strings)
                    throw new ModelException(DiagnosticCatalog.InvalidNode, node.OpType + ": attribute '" + a.Name + "' of kind " + a.Kind + " is not an attribute of this operator.", node.Name);
                list.Add(new AttributePlan(a.Name, a.Kind, a.Int, a.Float, a.String, new EquatableArray<long>(a.Ints), new EquatableArray<float>(a.Floats)));
            }
            list.Sort((x, y) => string.CompareOrdinal(x.Name, y.Name));
            return new EquatableArray<AttributePlan>(list.ToArray());
        }
    }
}
