using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Onnx
{
    /// <summary>The graph and model metadata read from an ONNX file.</summary>
    public sealed class ImportedModel
    {
        public ImportedModel(Graph graph, string producer, long irVersion)
        {
            Graph = graph;
            Producer = producer;
            IrVersion = irVersion;
        }

        public Graph Graph { get; }

        public string Producer { get; }

        public long IrVersion { get; }
    }

    /// <summary>
    /// Reads ONNX protobuf into the IR, validating as it goes: every problem is a
    /// <see cref="ModelException"/> with a catalog id, naming the node when one is involved.
    /// </summary>
    public static class OnnxImporter
    {
        public static ImportedModel Import(byte[] modelBytes, CompileOptions options)
        {
            if (modelBytes is null) throw new ArgumentNullException(nameof(modelBytes));
            if (options is null) throw new ArgumentNullException(nameof(options));
            var model = OnnxProtoParser.ParseModel(modelBytes, options.MaxNesting);
            var graph = new GraphImport(options).Run(model);
            string producer = model.ProducerVersion.Length > 0 ? model.ProducerName + " " + model.ProducerVersion : model.ProducerName;
            return new ImportedModel(graph, producer, model.IrVersion);
        }

        /// <summary>State of one import: every name defined so far, in definition order.</summary>
        private sealed class GraphImport
        {
            private static readonly Encoding Utf8 = new UTF8Encoding(false, false);

            private readonly CompileOptions _options;
            private readonly Dictionary<string, Value> _defined = new Dictionary<string, Value>(StringComparer.Ordinal);
            private long _constantBytes;

            public GraphImport(CompileOptions options) => _options = options;

            public Graph Run(ModelProto model)
            {
                var proto = model.Graph;
                if (proto is null || (proto.Node.Count == 0 && proto.Output.Count == 0))
                    throw new ModelException(DiagnosticCatalog.EmptyGraph, "the model has no nodes and no outputs.");
                if (proto.Node.Count > _options.MaxNodes)
                {
                    throw new ModelException(DiagnosticCatalog.SizeLimit, "the graph has " + Count(proto.Node.Count) + " nodes, more than the limit of "
                        + Count(_options.MaxNodes) + " (EdgeAotMaxNodes).");
                }
                if (proto.SparseInitializerCount > 0)
                    throw new ModelException(DiagnosticCatalog.UnsupportedDataType, "the graph has sparse initializers, which EdgeAot does not support.");

                var graph = new Graph { Name = proto.Name };
                ImportOpsets(model, graph);
                foreach (var initializer in proto.Initializer) ImportInitializer(initializer);
                foreach (var input in proto.Input) ImportInput(input, graph);
                ImportNodes(proto, graph);
                var listed = new HashSet<string>(StringComparer.Ordinal);
                foreach (var output in proto.Output)
                {
                    // One tensor as two outputs would give Run two span parameters for one buffer.
                    if (!listed.Add(output.Name))
                        throw new ModelException(DiagnosticCatalog.InvalidGraph, "graph output " + Quote(output.Name) + " is listed more than once.");
                    if (!_defined.TryGetValue(output.Name, out var value))
                        throw new ModelException(DiagnosticCatalog.InvalidGraph, "graph output " + Quote(output.Name) + " is not produced by any node, input or initializer.");
                    graph.Outputs.Add(value);
                }
                return graph;
            }

            private static void ImportOpsets(ModelProto model, Graph graph)
            {
                foreach (var opset in model.OpsetImport)
                {
                    if (opset.Version < 1 || opset.Version > int.MaxValue)
                    {
                        throw new ModelException(DiagnosticCatalog.UnsupportedOpset, "opset_import for domain " + Quote(opset.Domain) + " has invalid version "
                            + opset.Version.ToString(CultureInfo.InvariantCulture) + ".");
                    }
                    graph.Opsets[NormalizeDomain(opset.Domain)] = (int)opset.Version;
                }
                // Files from before IR version 3 have no opset_import and mean opset 1.
                if (model.OpsetImport.Count == 0 && model.IrVersion < 3) graph.Opsets[""] = 1;
            }

            private void ImportInitializer(TensorProto tensor)
            {
                string label = "initializer " + Quote(tensor.Name);
                if (tensor.Name.Length == 0) throw new ModelException(DiagnosticCatalog.InvalidGraph, "an initializer has no name.");
                Define(tensor.Name, Constant(tensor, tensor.Name, label, null), label, null);
            }

            private void ImportInput(ValueInfoProto input, Graph graph)
            {
                // Before IR version 4 every initializer was also listed as an input; those are constants.
                if (_defined.TryGetValue(input.Name, out var existing) && existing.IsConstant) return;
                string label = "graph input " + Quote(input.Name);
                if (input.Name.Length == 0) throw new ModelException(DiagnosticCatalog.InvalidGraph, "a graph input has no name.");

                var type = input.Type;
                if (type is null || type.Kind == TypeProtoKind.None)
                    throw new ModelException(DiagnosticCatalog.UnsupportedDataType, label + " has no type; EdgeAot needs a tensor type with a static shape.");
                if (type.Kind != TypeProtoKind.Tensor)
                    throw new ModelException(DiagnosticCatalog.UnsupportedDataType, label + " has a " + KindName(type.Kind) + " type; " + KindName(type.Kind) + " types are unsupported, only tensors.");
                var elementType = (DataType)type.ElemType;
                if (!DataTypes.IsSupported(elementType))
                {
                    string typeName = Enum.IsDefined(typeof(DataType), elementType) ? elementType.ToString() : "#" + type.ElemType.ToString(CultureInfo.InvariantCulture);
                    throw new ModelException(DiagnosticCatalog.UnsupportedDataType, label + " has element type " + typeName + ", which EdgeAot does not support.");
                }
                if (type.Shape is null)
                    throw new ModelException(DiagnosticCatalog.DynamicShape, label + " has no shape (unknown rank); EdgeAot needs static shapes.");

                var dims = new long[type.Shape.Dim.Count];
                for (int i = 0; i < dims.Length; i++)
                {
                    var dim = type.Shape.Dim[i];
                    string where = label + " dimension " + i.ToString(CultureInfo.InvariantCulture);
                    // Exporters (tf2onnx, torch.onnx dynamic_axes) mark the batch dimension symbolic;
                    // an edge model runs one sample at a time, so a symbolic leading dimension of a
                    // rank ≥ 2 input binds to BatchSize. Any other symbolic dimension is an error.
                    if (i == 0 && dims.Length > 1 && (dim.Param is not null || dim.Value is null))
                    {
                        dims[i] = _options.BatchSize;
                        continue;
                    }
                    if (dim.Param is not null)
                        throw new ModelException(DiagnosticCatalog.DynamicShape, where + " is symbolic (" + Quote(dim.Param) + "); EdgeAot needs static shapes: export with fixed sizes.");
                    if (dim.Value is not long value)
                        throw new ModelException(DiagnosticCatalog.DynamicShape, where + " is unknown; EdgeAot needs static shapes: export with fixed sizes.");
                    if (value <= 0)
                        throw new ModelException(DiagnosticCatalog.DynamicShape, where + " is " + value.ToString(CultureInfo.InvariantCulture) + "; EdgeAot needs positive static dimensions.");
                    dims[i] = value;
                }
                TensorLimits.Check(dims, elementType, _options, label, null);

                var inputValue = new Value(input.Name, elementType, dims);
                Define(input.Name, inputValue, label, null);
                graph.Inputs.Add(inputValue);
            }

            private void ImportNodes(GraphProto proto, Graph graph)
            {
                // Where each name is produced, to tell "defined later" (unsorted) from "never defined".
                var producedAt = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int i = proto.Node.Count - 1; i >= 0; i--)
                {
                    foreach (string output in proto.Node[i].Output)
                    {
                        if (output.Length > 0) producedAt[output] = i;
                    }
                }

                for (int index = 0; index < proto.Node.Count; index++)
                {
                    var nodeProto = proto.Node[index];
                    string name = NodeName(nodeProto, index);
                    string domain = NormalizeDomain(nodeProto.Domain);
                    if (nodeProto.OpType.Length == 0) throw new ModelException(DiagnosticCatalog.InvalidGraph, "node has no op_type.", name);
                    if (!graph.Opsets.TryGetValue(domain, out int opset))
                    {
                        throw new ModelException(DiagnosticCatalog.UnsupportedOpset, "node " + Quote(nodeProto.OpType) + " is in domain " + Quote(domain)
                            + ", for which the model imports no opset (opset_import).", name);
                    }

                    var inputs = new List<Value?>(nodeProto.Input.Count);
                    foreach (string inputName in nodeProto.Input)
                    {
                        if (inputName.Length == 0)
                        {
                            inputs.Add(null); // an absent optional input
                            continue;
                        }
                        if (_defined.TryGetValue(inputName, out var value))
                        {
                            inputs.Add(value);
                            continue;
                        }
                        if (producedAt.TryGetValue(inputName, out int later) && later >= index)
                        {
                            throw new ModelException(DiagnosticCatalog.InvalidGraph, "input " + Quote(inputName) + " is produced by a later node ("
                                + Quote(NodeName(proto.Node[later], later)) + "): the graph is not topologically sorted.", name);
                        }
                        throw new ModelException(DiagnosticCatalog.InvalidGraph, "undefined input " + Quote(inputName) + ": no graph input, initializer or earlier node produces it.", name);
                    }

                    var attributes = new AttributeSet();
                    foreach (var attribute in nodeProto.Attribute)
                    {
                        if (attributes.Contains(attribute.Name))
                            throw new ModelException(DiagnosticCatalog.InvalidNode, "attribute " + Quote(attribute.Name) + " is given twice.", name);
                        attributes.Set(ImportAttribute(attribute, name));
                    }

                    int outputCount = nodeProto.Output.Count;
                    while (outputCount > 0 && nodeProto.Output[outputCount - 1].Length == 0) outputCount--; // trailing absent outputs
                    var outputs = new List<Value>(outputCount);
                    for (int i = 0; i < outputCount; i++)
                    {
                        string outputName = nodeProto.Output[i];
                        // An absent output in the middle gets an unnamed value that nothing can reference.
                        var value = new Value(outputName, DataType.Undefined, Array.Empty<long>());
                        if (outputName.Length > 0) Define(outputName, value, "output " + Quote(outputName), name);
                        outputs.Add(value);
                    }

                    graph.Nodes.Add(new Node(name, nodeProto.OpType, domain, inputs, outputs, attributes) { OpsetVersion = opset });
                }
            }

            private Ir.Attribute ImportAttribute(AttributeProto attribute, string node)
            {
                string name = attribute.Name;
                if (name.Length == 0) throw new ModelException(DiagnosticCatalog.InvalidNode, "an attribute has no name.", node);
                if (attribute.RefAttrName.Length > 0)
                    throw new ModelException(DiagnosticCatalog.InvalidNode, "attribute " + Quote(name) + " refers to a function attribute, which is only valid inside a function.", node);
                switch (KindOf(attribute))
                {
                    case AttributeProtoType.Float: return Ir.Attribute.FromFloat(name, attribute.F);
                    case AttributeProtoType.Int: return Ir.Attribute.FromInt(name, attribute.I);
                    case AttributeProtoType.String: return Ir.Attribute.FromString(name, Utf8.GetString(attribute.S));
                    case AttributeProtoType.Floats: return Ir.Attribute.FromFloats(name, attribute.Floats.ToArray());
                    case AttributeProtoType.Ints: return Ir.Attribute.FromInts(name, attribute.Ints.ToArray());
                    case AttributeProtoType.Strings: return Ir.Attribute.FromStrings(name, attribute.Strings.ConvertAll(s => Utf8.GetString(s)).ToArray());
                    case AttributeProtoType.Tensor when attribute.T is not null:
                    {
                        string valueName = attribute.T.Name.Length > 0 ? attribute.T.Name : node + "." + name;
                        return Ir.Attribute.FromTensor(name, Constant(attribute.T, valueName, "attribute " + Quote(name), node));
                    }
                    case AttributeProtoType.Graph:
                    case AttributeProtoType.Graphs:
                        // Control flow is not compiled; the subgraph was parsed (within the nesting limit) and is only recorded.
                        return Ir.Attribute.FromGraph(name);
                    default:
                        throw new ModelException(DiagnosticCatalog.InvalidNode, "attribute " + Quote(name) + " has type " + attribute.Type
                            + " or no value, which EdgeAot does not support.", node);
                }
            }

            /// <summary>The attribute's kind: its declared type, or for files that omit it, the field that is set.</summary>
            private static AttributeProtoType KindOf(AttributeProto a)
            {
                if (a.HasUnsupportedValue) return AttributeProtoType.SparseTensor;
                if (a.Type != AttributeProtoType.Undefined) return a.Type;
                if (a.Floats.Count > 0) return AttributeProtoType.Floats;
                if (a.Ints.Count > 0) return AttributeProtoType.Ints;
                if (a.Strings.Count > 0) return AttributeProtoType.Strings;
                if (a.Tensors.Count > 0) return AttributeProtoType.Tensors;
                if (a.Graphs.Count > 0) return AttributeProtoType.Graphs;
                if (a.T is not null) return AttributeProtoType.Tensor;
                if (a.G is not null) return AttributeProtoType.Graph;
                if (a.HasS) return AttributeProtoType.String;
                if (a.HasF) return AttributeProtoType.Float;
                if (a.HasI) return AttributeProtoType.Int;
                return AttributeProtoType.Undefined;
            }

            private Value Constant(TensorProto tensor, string valueName, string label, string? node)
            {
                var decoded = OnnxTensorDecoder.Decode(tensor, label, _options, node);
                if (decoded.Type == DataType.String)
                    throw new ModelException(DiagnosticCatalog.UnsupportedDataType, label + " is a string tensor, which EdgeAot does not support.", node);
                _constantBytes += decoded.Data.LongLength;
                if (_constantBytes > _options.MaxWeightBytes)
                {
                    throw new ModelException(DiagnosticCatalog.SizeLimit, "constants reach " + _constantBytes.ToString(CultureInfo.InvariantCulture)
                        + " bytes at " + label + ", more than the weight limit of " + _options.MaxWeightBytes.ToString(CultureInfo.InvariantCulture) + " (EdgeAotMaxWeightBytes).", node);
                }
                return new Value(valueName, decoded.Type, decoded.Dims, decoded.Data);
            }

            private void Define(string name, Value value, string label, string? node)
            {
                if (_defined.ContainsKey(name))
                    throw new ModelException(DiagnosticCatalog.InvalidGraph, label + " is defined twice (each name must have exactly one producer).", node);
                _defined.Add(name, value);
            }

            /// <summary>The node's name, or OpType_index when the model left it empty (for messages).</summary>
            private static string NodeName(NodeProto node, int index)
                => node.Name.Length > 0 ? node.Name : (node.OpType.Length > 0 ? node.OpType : "node") + "_" + Count(index);

            private static string NormalizeDomain(string domain) => domain == "ai.onnx" ? "" : domain;

            private static string KindName(TypeProtoKind kind) => kind switch
            {
                TypeProtoKind.Sequence => "sequence",
                TypeProtoKind.Map => "map",
                TypeProtoKind.Optional => "optional",
                TypeProtoKind.SparseTensor => "sparse tensor",
                TypeProtoKind.Opaque => "opaque",
                _ => "non-tensor",
            };

            private static string Quote(string text) => "'" + ModelDiagnostic.Printable(text, 200) + "'";

            private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);
        }
    }
}
