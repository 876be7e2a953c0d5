using System;
using System.Collections.Generic;
using System.Text;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

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
    /// Reads ONNX protobuf into the IR, validating as it goes: static shapes, supported types,
    /// every input defined before use (topological order), unique outputs, checked sizes.
    /// </summary>
    public static class OnnxImporter
    {
        public static ImportedModel Import(byte[] modelBytes, CompileOptions options)
        {
            var model = ModelProto.Parse(modelBytes, options.MaxNesting);
            var proto = model.Graph;
            if (proto is null || proto.Nodes.Count == 0 && proto.Outputs.Count == 0)
                throw new ModelException(DiagnosticCatalog.EmptyGraph, "the model has no graph, or its graph has no nodes and no outputs.");
            if (proto.Nodes.Count > options.MaxNodes)
                throw new ModelException(DiagnosticCatalog.SizeLimit, "the graph has " + proto.Nodes.Count + " nodes, more than the limit (EdgeAotMaxNodes=" + options.MaxNodes + ").");
            if (proto.HasSparseInitializers)
                throw new ModelException(DiagnosticCatalog.UnsupportedDataType, "sparse initializers are not supported.");

            var graph = new Graph { Name = proto.Name };
            foreach (var (domain, version) in model.OpsetImports)
            {
                graph.Opsets[NormalizeDomain(domain)] = (int)Math.Min(version, int.MaxValue);
            }

            var values = new Dictionary<string, Value>(StringComparer.Ordinal);
            long weightBytes = 0;
            foreach (var t in proto.Initializers)
            {
                var value = TensorDecoder.Decode(t, options);
                weightBytes += value.Data!.LongLength;
                if (weightBytes > options.MaxWeightBytes)
                    throw new ModelException(DiagnosticCatalog.SizeLimit, "the model's initializers exceed the limit (EdgeAotMaxWeightBytes=" + options.MaxWeightBytes + ").");
                values[t.Name] = value;
            }
            foreach (var input in proto.Inputs)
            {
                if (values.ContainsKey(input.Name)) continue; // an initializer listed as an input (IR < 4): a constant
                var value = GraphInput(input, options);
                values[input.Name] = value;
                graph.Inputs.Add(value);
            }

            var definedLater = new HashSet<string>(StringComparer.Ordinal);
            foreach (var n in proto.Nodes)
            {
                foreach (var o in n.Outputs) if (o.Length > 0) definedLater.Add(o);
            }

            for (int index = 0; index < proto.Nodes.Count; index++)
            {
                var n = proto.Nodes[index];
                string name = n.Name.Length > 0 ? n.Name : (n.OpType.Length > 0 ? n.OpType : "node") + "_" + index;
                string domain = NormalizeDomain(n.Domain);
                if (!graph.Opsets.TryGetValue(domain, out int opset))
                    throw new ModelException(DiagnosticCatalog.UnsupportedOpset, "the node's domain '" + ModelDiagnostic.Printable(domain, 100) + "' has no opset_import entry.", name);

                var inputs = new List<Value?>();
                foreach (string inputName in n.Inputs)
                {
                    if (inputName.Length == 0)
                    {
                        inputs.Add(null);
                        continue;
                    }
                    if (!values.TryGetValue(inputName, out var input))
                    {
                        string what = definedLater.Contains(inputName) ? "is produced by a later node: the graph is not topologically sorted (or has a cycle)" : "is not defined by any graph input, initializer or node";
                        throw new ModelException(DiagnosticCatalog.InvalidGraph, "input '" + ModelDiagnostic.Printable(inputName, 100) + "' " + what + ".", name);
                    }
                    inputs.Add(input);
                }
                var outputs = new List<Value>();
                int last = n.Outputs.Count - 1;
                while (last >= 0 && n.Outputs[last].Length == 0) last--;
                for (int i = 0; i <= last; i++)
                {
                    string outputName = n.Outputs[i];
                    var output = new Value(outputName, DataType.Undefined, Array.Empty<long>());
                    if (outputName.Length > 0)
                    {
                        if (values.ContainsKey(outputName))
                            throw new ModelException(DiagnosticCatalog.InvalidGraph, "output '" + ModelDiagnostic.Printable(outputName, 100) + "' is defined more than once.", name);
                        values[outputName] = output;
                    }
                    outputs.Add(output);
                }
                var attributes = new AttributeSet();
                foreach (var a in n.Attributes) attributes.Set(ConvertAttribute(a, options, name));
                graph.Nodes.Add(new Node(name, n.OpType, domain, inputs, outputs, attributes) { OpsetVersion = opset });
            }

            foreach (var output in proto.Outputs)
            {
                if (!values.TryGetValue(output.Name, out var value))
                    throw new ModelException(DiagnosticCatalog.InvalidGraph, "graph output '" + ModelDiagnostic.Printable(output.Name, 100) + "' is not produced by any node, input or initializer.");
                if (output.Kind is "sequence" or "map" or "optional" or "sparse_tensor")
                    throw new ModelException(DiagnosticCatalog.UnsupportedDataType, "graph output '" + ModelDiagnostic.Printable(output.Name, 100) + "' is a " + output.Kind + " type; only tensors are supported.");
                graph.Outputs.Add(value);
            }
            if (graph.Outputs.Count == 0) throw new ModelException(DiagnosticCatalog.EmptyGraph, "the graph has no outputs.");

            string producer = (model.ProducerName + " " + model.ProducerVersion).Trim();
            return new ImportedModel(graph, producer, model.IrVersion);
        }

        private static Value GraphInput(ValueInfoProto input, CompileOptions options)
        {
            string name = ModelDiagnostic.Printable(input.Name, 100);
            if (input.Kind is "sequence" or "map" or "optional" or "sparse_tensor")
                throw new ModelException(DiagnosticCatalog.UnsupportedDataType, "graph input '" + name + "' is a " + input.Kind + " type; only tensors are supported.");
            if (input.Kind != "tensor") throw new ModelException(DiagnosticCatalog.InvalidGraph, "graph input '" + name + "' has no type.");
            var type = (DataType)input.ElemType;
            if (!DataTypes.IsSupported(type))
                throw new ModelException(DiagnosticCatalog.UnsupportedDataType, "graph input '" + name + "' has element type " + type + ", which EdgeAot does not support.");
            if (!input.HasShape) throw new ModelException(DiagnosticCatalog.DynamicShape, "graph input '" + name + "' has no shape; EdgeAot needs static shapes.");
            var dims = new long[input.Dims.Count];
            for (int i = 0; i < dims.Length; i++)
            {
                long? d = input.Dims[i];
                // Exporters (tf2onnx, torch.onnx with dynamic_axes) mark the batch dimension
                // symbolic; an edge model runs one sample at a time, so it binds to BatchSize.
                if (d is null && i == 0 && dims.Length > 1) d = options.BatchSize;
                if (d is null || d < 0)
                    throw new ModelException(DiagnosticCatalog.DynamicShape, "graph input '" + name + "' has a dynamic or symbolic dimension " + i + "; EdgeAot needs static shapes (export the model with fixed input sizes).");
                dims[i] = d.Value;
            }
            if (Shape.ByteSize(dims, type) < 0)
                throw new ModelException(DiagnosticCatalog.SizeLimit, "graph input '" + name + "' has a size that overflows 64 bits.");
            return new Value(input.Name, type, dims);
        }

        private static Attribute ConvertAttribute(AttributeProto a, CompileOptions options, string node)
        {
            if (a.RefAttrName.Length > 0)
                throw new ModelException(DiagnosticCatalog.UnsupportedOperator, "attribute '" + ModelDiagnostic.Printable(a.Name, 60) + "' refers to a function attribute, which is not supported.", node);
            // type (field 20) is authoritative; old writers omit it, so fall back on which field is set.
            switch (a.Type)
            {
                case 1: return Attribute.FromFloat(a.Name, a.F);
                case 2: return Attribute.FromInt(a.Name, a.I);
                case 3: return Attribute.FromString(a.Name, Encoding.UTF8.GetString(a.S));
                case 4 when a.T is not null: return Attribute.FromTensor(a.Name, TensorDecoder.Decode(a.T, options, node));
                case 5: return Attribute.FromGraph(a.Name);
                case 6: return Attribute.FromFloats(a.Name, a.Floats.ToArray());
                case 7: return Attribute.FromInts(a.Name, a.Ints.ToArray());
                case 8: return Attribute.FromStrings(a.Name, Strings(a));
                case 0:
                    if (a.T is not null) return Attribute.FromTensor(a.Name, TensorDecoder.Decode(a.T, options, node));
                    if (a.HasGraph) return Attribute.FromGraph(a.Name);
                    if (a.Floats.Count > 0) return Attribute.FromFloats(a.Name, a.Floats.ToArray());
                    if (a.Ints.Count > 0) return Attribute.FromInts(a.Name, a.Ints.ToArray());
                    if (a.Strings.Count > 0) return Attribute.FromStrings(a.Name, Strings(a));
                    if (a.S.Length > 0) return Attribute.FromString(a.Name, Encoding.UTF8.GetString(a.S));
                    if (a.F != 0) return Attribute.FromFloat(a.Name, a.F);
                    return Attribute.FromInt(a.Name, a.I);
                default:
                    throw new ModelException(DiagnosticCatalog.UnsupportedDataType, "attribute '" + ModelDiagnostic.Printable(a.Name, 60) + "' has kind " + a.Type + " (sparse tensors, type protos or tensor lists), which is not supported.", node);
            }
        }

        private static string[] Strings(AttributeProto a)
        {
            var result = new string[a.Strings.Count];
            for (int i = 0; i < result.Length; i++) result[i] = Encoding.UTF8.GetString(a.Strings[i]);
            return result;
        }

        private static string NormalizeDomain(string domain) => domain == "ai.onnx" ? "" : domain;
    }
}
