using System.Globalization;
using EdgeAot.Compiler.Diagnostics;
using F = EdgeAot.Compiler.Onnx.OnnxFieldNumbers;

namespace EdgeAot.Compiler.Onnx
{
    /// <summary>
    /// Parses ONNX protobuf messages into the classes of OnnxProto.cs. Unknown fields are skipped.
    /// Recursion happens only through graph-valued attributes and is bounded by the nesting limit.
    /// </summary>
    public static class OnnxProtoParser
    {
        public static ModelProto ParseModel(byte[] bytes, int maxNesting)
        {
            if (bytes.Length == 0) throw new ModelException(DiagnosticCatalog.MalformedModel, "the file is empty.");
            var reader = new ProtoReader(bytes);
            var model = new ModelProto();
            while (reader.TryReadTag(out int field, out var wire))
            {
                switch (field)
                {
                    case F.Model.IrVersion: model.IrVersion = reader.ReadInt64(wire); break;
                    case F.Model.ProducerName: model.ProducerName = reader.ReadString(wire); break;
                    case F.Model.ProducerVersion: model.ProducerVersion = reader.ReadString(wire); break;
                    case F.Model.Domain: model.Domain = reader.ReadString(wire); break;
                    case F.Model.ModelVersion: model.ModelVersion = reader.ReadInt64(wire); break;
                    case F.Model.Graph: model.Graph = ParseGraph(reader.ReadMessage(wire), 0, maxNesting); break;
                    case F.Model.OpsetImport: model.OpsetImport.Add(ParseOperatorSetId(reader.ReadMessage(wire))); break;
                    default: reader.Skip(wire); break;
                }
            }
            return model;
        }

        /// <summary>Parses a serialized TensorProto (the backend tests' input_*.pb / output_*.pb files).</summary>
        public static TensorProto ParseTensor(byte[] bytes) => ParseTensor(new ProtoReader(bytes));

        private static OperatorSetIdProto ParseOperatorSetId(ProtoReader reader)
        {
            var opset = new OperatorSetIdProto("", 0);
            while (reader.TryReadTag(out int field, out var wire))
            {
                switch (field)
                {
                    case F.OperatorSetId.Domain: opset.Domain = reader.ReadString(wire); break;
                    case F.OperatorSetId.Version: opset.Version = reader.ReadInt64(wire); break;
                    default: reader.Skip(wire); break;
                }
            }
            return opset;
        }

        private static GraphProto ParseGraph(ProtoReader reader, int depth, int maxNesting)
        {
            if (depth > maxNesting)
            {
                throw new ModelException(DiagnosticCatalog.MalformedModel,
                    "subgraphs are nested deeper than the limit of " + maxNesting.ToString(CultureInfo.InvariantCulture) + " (EdgeAotMaxNesting).");
            }
            var graph = new GraphProto();
            while (reader.TryReadTag(out int field, out var wire))
            {
                switch (field)
                {
                    case F.Graph.Node: graph.Node.Add(ParseNode(reader.ReadMessage(wire), depth, maxNesting)); break;
                    case F.Graph.Name: graph.Name = reader.ReadString(wire); break;
                    case F.Graph.Initializer: graph.Initializer.Add(ParseTensor(reader.ReadMessage(wire))); break;
                    case F.Graph.Input: graph.Input.Add(ParseValueInfo(reader.ReadMessage(wire))); break;
                    case F.Graph.Output: graph.Output.Add(ParseValueInfo(reader.ReadMessage(wire))); break;
                    case F.Graph.ValueInfo: graph.ValueInfo.Add(ParseValueInfo(reader.ReadMessage(wire))); break;
                    case F.Graph.SparseInitializer:
                        reader.ReadMessage(wire);
                        graph.SparseInitializerCount++;
                        break;
                    default: reader.Skip(wire); break;
                }
            }
            return graph;
        }

        private static NodeProto ParseNode(ProtoReader reader, int depth, int maxNesting)
        {
            var node = new NodeProto();
            while (reader.TryReadTag(out int field, out var wire))
            {
                switch (field)
                {
                    case F.Node.Input: node.Input.Add(reader.ReadString(wire)); break;
                    case F.Node.Output: node.Output.Add(reader.ReadString(wire)); break;
                    case F.Node.Name: node.Name = reader.ReadString(wire); break;
                    case F.Node.OpType: node.OpType = reader.ReadString(wire); break;
                    case F.Node.Domain: node.Domain = reader.ReadString(wire); break;
                    case F.Node.Attribute: node.Attribute.Add(ParseAttribute(reader.ReadMessage(wire), depth, maxNesting)); break;
                    default: reader.Skip(wire); break;
                }
            }
            return node;
        }

        private static AttributeProto ParseAttribute(ProtoReader reader, int depth, int maxNesting)
        {
            var attribute = new AttributeProto();
            while (reader.TryReadTag(out int field, out var wire))
            {
                switch (field)
                {
                    case F.Attribute.Name: attribute.Name = reader.ReadString(wire); break;
                    case F.Attribute.RefAttrName: attribute.RefAttrName = reader.ReadString(wire); break;
                    case F.Attribute.Type: attribute.Type = (AttributeProtoType)reader.ReadInt32(wire); break;
                    case F.Attribute.F:
                        attribute.F = reader.ReadFloat(wire);
                        attribute.HasF = true;
                        break;
                    case F.Attribute.I:
                        attribute.I = reader.ReadInt64(wire);
                        attribute.HasI = true;
                        break;
                    case F.Attribute.S:
                        attribute.S = reader.ReadBytes(wire);
                        attribute.HasS = true;
                        break;
                    case F.Attribute.T: attribute.T = ParseTensor(reader.ReadMessage(wire)); break;
                    case F.Attribute.G: attribute.G = ParseGraph(reader.ReadMessage(wire), depth + 1, maxNesting); break;
                    case F.Attribute.Floats: reader.ReadRepeatedFloat(wire, attribute.Floats); break;
                    case F.Attribute.Ints: reader.ReadRepeatedVarint(wire, attribute.Ints); break;
                    case F.Attribute.Strings: attribute.Strings.Add(reader.ReadBytes(wire)); break;
                    case F.Attribute.Tensors: attribute.Tensors.Add(ParseTensor(reader.ReadMessage(wire))); break;
                    case F.Attribute.Graphs: attribute.Graphs.Add(ParseGraph(reader.ReadMessage(wire), depth + 1, maxNesting)); break;
                    case F.Attribute.SparseTensor:
                    case F.Attribute.SparseTensors:
                    case F.Attribute.Tp:
                    case F.Attribute.TypeProtos:
                        reader.ReadMessage(wire);
                        attribute.HasUnsupportedValue = true;
                        break;
                    default: reader.Skip(wire); break;
                }
            }
            return attribute;
        }

        private static TensorProto ParseTensor(ProtoReader reader)
        {
            var tensor = new TensorProto();
            while (reader.TryReadTag(out int field, out var wire))
            {
                switch (field)
                {
                    case F.Tensor.Dims: reader.ReadRepeatedVarint(wire, tensor.Dims); break;
                    case F.Tensor.DataType: tensor.DataType = reader.ReadInt32(wire); break;
                    case F.Tensor.Segment:
                        reader.ReadMessage(wire);
                        tensor.HasSegment = true;
                        break;
                    case F.Tensor.FloatData: reader.ReadRepeatedFloat(wire, tensor.FloatData); break;
                    case F.Tensor.Int32Data: reader.ReadRepeatedInt32(wire, tensor.Int32Data); break;
                    case F.Tensor.StringData: tensor.StringData.Add(reader.ReadBytes(wire)); break;
                    case F.Tensor.Int64Data: reader.ReadRepeatedVarint(wire, tensor.Int64Data); break;
                    case F.Tensor.Name: tensor.Name = reader.ReadString(wire); break;
                    case F.Tensor.RawData: tensor.RawData = reader.ReadBytes(wire); break;
                    case F.Tensor.DoubleData: reader.ReadRepeatedDouble(wire, tensor.DoubleData); break;
                    case F.Tensor.UInt64Data: reader.ReadRepeatedUInt64(wire, tensor.UInt64Data); break;
                    case F.Tensor.ExternalData: tensor.ExternalData.Add(ParseStringStringEntry(reader.ReadMessage(wire))); break;
                    case F.Tensor.DataLocation: tensor.DataLocation = (TensorDataLocation)reader.ReadInt32(wire); break;
                    default: reader.Skip(wire); break;
                }
            }
            return tensor;
        }

        private static StringStringEntryProto ParseStringStringEntry(ProtoReader reader)
        {
            var entry = new StringStringEntryProto("", "");
            while (reader.TryReadTag(out int field, out var wire))
            {
                switch (field)
                {
                    case F.StringStringEntry.Key: entry.Key = reader.ReadString(wire); break;
                    case F.StringStringEntry.Value: entry.Value = reader.ReadString(wire); break;
                    default: reader.Skip(wire); break;
                }
            }
            return entry;
        }

        private static ValueInfoProto ParseValueInfo(ProtoReader reader)
        {
            var info = new ValueInfoProto("");
            while (reader.TryReadTag(out int field, out var wire))
            {
                switch (field)
                {
                    case F.ValueInfo.Name: info.Name = reader.ReadString(wire); break;
                    case F.ValueInfo.Type: info.Type = ParseType(reader.ReadMessage(wire)); break;
                    default: reader.Skip(wire); break;
                }
            }
            return info;
        }

        private static TypeProto ParseType(ProtoReader reader)
        {
            var type = new TypeProto();
            while (reader.TryReadTag(out int field, out var wire))
            {
                switch ((TypeProtoKind)field)
                {
                    case TypeProtoKind.Tensor:
                        type.Kind = TypeProtoKind.Tensor;
                        ParseTensorType(reader.ReadMessage(wire), type);
                        break;
                    case TypeProtoKind.Sequence:
                    case TypeProtoKind.Map:
                    case TypeProtoKind.Opaque:
                    case TypeProtoKind.SparseTensor:
                    case TypeProtoKind.Optional:
                        // Contents are not needed to refuse the type, so they are not parsed (no recursion).
                        reader.ReadMessage(wire);
                        type.Kind = (TypeProtoKind)field;
                        break;
                    default: reader.Skip(wire); break;
                }
            }
            return type;
        }

        private static void ParseTensorType(ProtoReader reader, TypeProto type)
        {
            while (reader.TryReadTag(out int field, out var wire))
            {
                switch (field)
                {
                    case F.Type.TensorElemType: type.ElemType = reader.ReadInt32(wire); break;
                    case F.Type.TensorShape: type.Shape = ParseShape(reader.ReadMessage(wire)); break;
                    default: reader.Skip(wire); break;
                }
            }
        }

        private static TensorShapeProto ParseShape(ProtoReader reader)
        {
            var shape = new TensorShapeProto();
            while (reader.TryReadTag(out int field, out var wire))
            {
                if (field == F.Shape.Dim) shape.Dim.Add(ParseDimension(reader.ReadMessage(wire)));
                else reader.Skip(wire);
            }
            return shape;
        }

        private static TensorShapeDimension ParseDimension(ProtoReader reader)
        {
            var dim = new TensorShapeDimension();
            while (reader.TryReadTag(out int field, out var wire))
            {
                switch (field)
                {
                    // dim_value and dim_param form a oneof: the last one read wins.
                    case F.Shape.DimValue:
                        dim.Value = reader.ReadInt64(wire);
                        dim.Param = null;
                        break;
                    case F.Shape.DimParam:
                        dim.Param = reader.ReadString(wire);
                        dim.Value = null;
                        break;
                    default: reader.Skip(wire); break;
                }
            }
            return dim;
        }
    }
}
