using System;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;

namespace EdgeAot.Tests.Onnx
{
    public class OnnxRoundTripTests
    {
        [Fact]
        public void BuilderModel_ImportsWithInputsInitializersNodesAndAttributes()
        {
            var b = new OnnxModelBuilder("conv_net", opset: 13).Producer("unit-test", "1.2");
            string x = b.Input("x", DataType.Float32, 1, 3, 8, 8);
            var weights = Enumerable.Range(0, 4 * 3 * 3 * 3).Select(i => i * 0.5f - 3f).ToArray();
            string w = b.Initializer("w", new long[] { 4, 3, 3, 3 }, weights);
            string conv = b.Node("Conv", new[] { x, w, null },
                OnnxAttribute.Ints("pads", 1, 1, 1, 1),
                OnnxAttribute.Int("group", 1),
                OnnxAttribute.Float("alpha", -0.25f),
                OnnxAttribute.String("auto_pad", "NOTSET"),
                OnnxAttribute.Floats("scales", 1.5f, 2f),
                OnnxAttribute.Tensor("value", OnnxModelBuilder.Tensor("", new long[] { 2 }, new long[] { long.MinValue, long.MaxValue })));
            b.Initializer("q", new long[] { 2 }, new sbyte[] { -128, 127 });
            string[] split = b.Node("Split", new[] { conv }, 2, OnnxAttribute.Int("axis", 1));
            b.Output(split[1], DataType.Float32, 1, 2, 8, 8);

            var model = OnnxImporter.Import(b.ToBytes(), new CompileOptions());
            var graph = model.Graph;

            Assert.Equal("unit-test 1.2", model.Producer);
            Assert.Equal(8, model.IrVersion);
            Assert.Equal(13, graph.Opsets[""]);
            var input = Assert.Single(graph.Inputs);
            Assert.Equal("x", input.Name);
            Assert.Equal(new long[] { 1, 3, 8, 8 }, input.Shape);
            Assert.False(input.IsConstant);

            Assert.Equal(2, graph.Nodes.Count);
            var convNode = graph.Nodes[0];
            Assert.Equal("Conv", convNode.OpType);
            Assert.Equal("", convNode.Domain);
            Assert.Equal(13, convNode.OpsetVersion);
            Assert.Same(input, convNode.Inputs[0]);
            Assert.Equal(weights, TensorData.ToFloat32(convNode.Inputs[1]!));
            Assert.Equal(new long[] { 4, 3, 3, 3 }, convNode.Inputs[1]!.Shape);
            Assert.Null(convNode.Inputs[2]);
            Assert.Equal(new long[] { 1, 1, 1, 1 }, convNode.Attributes.GetInts("pads"));
            Assert.Equal(1, convNode.Attributes.GetInt("group", 0));
            Assert.Equal(-0.25f, convNode.Attributes.GetFloat("alpha", 0));
            Assert.Equal("NOTSET", convNode.Attributes.GetString("auto_pad", ""));
            Assert.Equal(new[] { 1.5f, 2f }, convNode.Attributes.GetFloats("scales"));
            var tensorAttribute = convNode.Attributes.Find("value")!.Tensor!;
            Assert.Equal(DataType.Int64, tensorAttribute.Type);
            Assert.Equal(new[] { long.MinValue, long.MaxValue }, TensorData.ToInt64(tensorAttribute));

            var splitNode = graph.Nodes[1];
            Assert.Same(convNode.Outputs[0], splitNode.Inputs[0]);
            Assert.Equal(2, splitNode.Outputs.Count);
            Assert.Equal(DataType.Undefined, splitNode.Outputs[0].Type);
            Assert.Same(splitNode.Outputs[1], Assert.Single(graph.Outputs));
        }

        [Fact]
        public void ToBytes_IsDeterministic()
        {
            static byte[] Build()
            {
                var b = new OnnxModelBuilder("g", opset: 17);
                string x = b.Input("x", DataType.Int8, 4);
                b.Output(b.Node("Relu", new[] { x }), DataType.Int8, 4);
                return b.ToBytes();
            }
            Assert.Equal(Build(), Build());
        }

        [Fact]
        public void Importer_NormalizesAiOnnxDomain_AndDerivesNodeNames_AndDropsTrailingEmptyOutputs()
        {
            var b = new OnnxModelBuilder("g", opset: 11);
            string x = b.Input("x", DataType.Float32, 2);
            var node = b.AddNode("Dropout", new[] { x }, new[] { "y", "" });
            node.Domain = "ai.onnx";
            b.Output("y", DataType.Float32, 2);

            var graph = OnnxImporter.Import(b.ToBytes(), new CompileOptions()).Graph;

            var imported = Assert.Single(graph.Nodes);
            Assert.Equal("", imported.Domain);
            Assert.Equal(11, imported.OpsetVersion);
            Assert.Equal("Dropout_0", imported.Name);
            Assert.Single(imported.Outputs);
        }

        [Fact]
        public void OldIrInputsThatAreInitializers_AreConstants()
        {
            var b = new OnnxModelBuilder("g", opset: 7, irVersion: 3);
            string x = b.Input("x", DataType.Float32, 2);
            string w = b.Initializer("w", new long[] { 2 }, new float[] { 1, 2 });
            b.Input("w", DataType.Float32, 2);
            b.Output(b.Node("Add", new[] { x, w }), DataType.Float32, 2);

            var graph = OnnxImporter.Import(b.ToBytes(), new CompileOptions()).Graph;

            Assert.Equal("x", Assert.Single(graph.Inputs).Name);
            Assert.True(graph.Nodes[0].Inputs[1]!.IsConstant);
        }

        [Fact]
        public void TypedTensorFields_AreConvertedToLittleEndianBytes()
        {
            var t = new TensorProto { Name = "t", DataType = (int)DataType.Int16 };
            t.Dims.Add(3);
            t.Int32Data.AddRange(new[] { -1, 2, 300 });
            var (name, type, dims, data) = OnnxTensorFile.ReadTensor(OnnxWriter.Write(t));
            Assert.Equal("t", name);
            Assert.Equal(DataType.Int16, type);
            Assert.Equal(new long[] { 3 }, dims);
            Assert.Equal(new byte[] { 0xFF, 0xFF, 2, 0, 0x2C, 0x01 }, data);

            var u = new TensorProto { DataType = (int)DataType.UInt32 };
            u.Dims.Add(1);
            u.UInt64Data.Add(0xFFFF_FFFF);
            Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, OnnxTensorFile.ReadTensor(OnnxWriter.Write(u)).Data);
        }

        [Fact]
        public void Reader_AcceptsUnpackedRepeatedScalars()
        {
            // TensorProto { dims: 2 (unpacked, twice), data_type: INT64, int64_data: 5, -7 (unpacked) }
            var w = new ProtoWriter();
            w.WriteInt64(1, 1);
            w.WriteInt64(1, 2);
            w.WriteInt64(2, (long)DataType.Int64);
            w.WriteInt64(7, 5);
            w.WriteInt64(7, -7);
            var (_, type, dims, data) = OnnxTensorFile.ReadTensor(w.ToArray());
            Assert.Equal(DataType.Int64, type);
            Assert.Equal(new long[] { 1, 2 }, dims);
            Assert.Equal(BitConverter.GetBytes(5L).Concat(BitConverter.GetBytes(-7L)).ToArray(), data);
        }
    }
}
