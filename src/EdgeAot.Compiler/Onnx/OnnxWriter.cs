using System.Collections.Generic;
using F = EdgeAot.Compiler.Onnx.OnnxFieldNumbers;

namespace EdgeAot.Compiler.Onnx
{
    /// <summary>
    /// Serializes the classes of OnnxProto.cs to protobuf bytes. Fields are written in a fixed
    /// order and repeated scalars packed, so the same objects always give the same bytes. Nothing
    /// is validated: hostile-model tests rely on writing whatever the objects hold.
    /// </summary>
    public static class OnnxWriter
    {
        public static byte[] Write(ModelProto model)
        {
            var w = new ProtoWriter();
            WriteModel(w, model);
            return w.ToArray();
        }

        public static byte[] Write(TensorProto tensor)
        {
            var w = new ProtoWriter();
            WriteTensor(w, tensor);
            return w.ToArray();
        }

        private static void WriteModel(ProtoWriter w, ModelProto model)
        {
            w.WriteInt64(F.Model.IrVersion, model.IrVersion);
            if (model.ProducerName.Length > 0) w.WriteString(F.Model.ProducerName, model.ProducerName);
            if (model.ProducerVersion.Length > 0) w.WriteString(F.Model.ProducerVersion, model.ProducerVersion);
            if (model.Domain.Length > 0) w.WriteString(F.Model.Domain, model.Domain);
            if (model.ModelVersion != 0) w.WriteInt64(F.Model.ModelVersion, model.ModelVersion);
            if (model.Graph is { } graph) w.WriteMessage(F.Model.Graph, g => WriteGraph(g, graph));
            foreach (var opset in model.OpsetImport)
            {
                w.WriteMessage(F.Model.OpsetImport, o =>
                {
                    if (opset.Domain.Length > 0) o.WriteString(F.OperatorSetId.Domain, opset.Domain);
                    o.WriteInt64(F.OperatorSetId.Version, opset.Version);
                });
            }
        }

        private static void WriteGraph(ProtoWriter w, GraphProto graph)
        {
            foreach (var node in graph.Node) w.WriteMessage(F.Graph.Node, n => WriteNode(n, node));
            if (graph.Name.Length > 0) w.WriteString(F.Graph.Name, graph.Name);
            foreach (var tensor in graph.Initializer) w.WriteMessage(F.Graph.Initializer, t => WriteTensor(t, tensor));
            foreach (var input in graph.Input) w.WriteMessage(F.Graph.Input, v => WriteValueInfo(v, input));
            foreach (var output in graph.Output) w.WriteMessage(F.Graph.Output, v => WriteValueInfo(v, output));
            foreach (var info in graph.ValueInfo) w.WriteMessage(F.Graph.ValueInfo, v => WriteValueInfo(v, info));
            // A sparse initializer is written as an empty SparseTensorProto: enough for tests of the refusal.
            for (int i = 0; i < graph.SparseInitializerCount; i++) w.WriteMessage(F.Graph.SparseInitializer, _ => { });
        }

        private static void WriteNode(ProtoWriter w, NodeProto node)
        {
            foreach (string input in node.Input) w.WriteString(F.Node.Input, input);
            foreach (string output in node.Output) w.WriteString(F.Node.Output, output);
            if (node.Name.Length > 0) w.WriteString(F.Node.Name, node.Name);
            w.WriteString(F.Node.OpType, node.OpType);
            foreach (var attribute in node.Attribute) w.WriteMessage(F.Node.Attribute, a => WriteAttribute(a, attribute));
            if (node.Domain.Length > 0) w.WriteString(F.Node.Domain, node.Domain);
        }

        private static void WriteAttribute(ProtoWriter w, AttributeProto attribute)
        {
            w.WriteString(F.Attribute.Name, attribute.Name);
            if (attribute.HasF || attribute.Type == AttributeProtoType.Float) w.WriteFloat(F.Attribute.F, attribute.F);
            if (attribute.HasI || attribute.Type == AttributeProtoType.Int) w.WriteInt64(F.Attribute.I, attribute.I);
            if (attribute.HasS || attribute.Type == AttributeProtoType.String) w.WriteBytes(F.Attribute.S, attribute.S);
            if (attribute.T is { } tensor) w.WriteMessage(F.Attribute.T, t => WriteTensor(t, tensor));
            if (attribute.G is { } graph) w.WriteMessage(F.Attribute.G, g => WriteGraph(g, graph));
            w.WritePackedFloats(F.Attribute.Floats, attribute.Floats);
            w.WritePackedVarints(F.Attribute.Ints, attribute.Ints);
            foreach (byte[] s in attribute.Strings) w.WriteBytes(F.Attribute.Strings, s);
            foreach (var t in attribute.Tensors) w.WriteMessage(F.Attribute.Tensors, m => WriteTensor(m, t));
            foreach (var g in attribute.Graphs) w.WriteMessage(F.Attribute.Graphs, m => WriteGraph(m, g));
            if (attribute.Type != AttributeProtoType.Undefined) w.WriteInt64(F.Attribute.Type, (long)attribute.Type);
            if (attribute.RefAttrName.Length > 0) w.WriteString(F.Attribute.RefAttrName, attribute.RefAttrName);
        }

        private static void WriteTensor(ProtoWriter w, TensorProto tensor)
        {
            w.WritePackedVarints(F.Tensor.Dims, tensor.Dims);
            w.WriteInt64(F.Tensor.DataType, tensor.DataType);
            w.WritePackedFloats(F.Tensor.FloatData, tensor.FloatData);
            w.WritePackedVarints(F.Tensor.Int32Data, Widen(tensor.Int32Data));
            foreach (byte[] s in tensor.StringData) w.WriteBytes(F.Tensor.StringData, s);
            w.WritePackedVarints(F.Tensor.Int64Data, tensor.Int64Data);
            if (tensor.Name.Length > 0) w.WriteString(F.Tensor.Name, tensor.Name);
            if (tensor.RawData.Length > 0) w.WriteBytes(F.Tensor.RawData, tensor.RawData);
            w.WritePackedDoubles(F.Tensor.DoubleData, tensor.DoubleData);
            w.WritePackedVarints(F.Tensor.UInt64Data, tensor.UInt64Data);
            foreach (var entry in tensor.ExternalData)
            {
                w.WriteMessage(F.Tensor.ExternalData, e =>
                {
                    e.WriteString(F.StringStringEntry.Key, entry.Key);
                    e.WriteString(F.StringStringEntry.Value, entry.Value);
                });
            }
            if (tensor.DataLocation != TensorDataLocation.Default) w.WriteInt64(F.Tensor.DataLocation, (long)tensor.DataLocation);
        }

        private static void WriteValueInfo(ProtoWriter w, ValueInfoProto info)
        {
            w.WriteString(F.ValueInfo.Name, info.Name);
            if (info.Type is { } type) w.WriteMessage(F.ValueInfo.Type, t => WriteType(t, type));
        }

        private static void WriteType(ProtoWriter w, TypeProto type)
        {
            if (type.Kind == TypeProtoKind.None) return;
            if (type.Kind != TypeProtoKind.Tensor)
            {
                // Only the kind is modelled for non-tensor types; an empty body is a valid message.
                w.WriteMessage((int)type.Kind, _ => { });
                return;
            }
            w.WriteMessage((int)TypeProtoKind.Tensor, t =>
            {
                t.WriteInt64(F.Type.TensorElemType, type.ElemType);
                if (type.Shape is { } shape)
                {
                    t.WriteMessage(F.Type.TensorShape, s =>
                    {
                        foreach (var dim in shape.Dim)
                        {
                            s.WriteMessage(F.Shape.Dim, d =>
                            {
                                if (dim.Value is long value) d.WriteInt64(F.Shape.DimValue, value);
                                else if (dim.Param is string param) d.WriteString(F.Shape.DimParam, param);
                            });
                        }
                    });
                }
            });
        }

        // int32 values are sign-extended to 64 bits on the wire.
        private static List<long> Widen(List<int> values) => values.ConvertAll(v => (long)v);
    }
}
