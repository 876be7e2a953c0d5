using System;
using System.IO;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;

namespace EdgeAot.Tests.Onnx
{
    /// <summary>Each class of broken or hostile model gives its own diagnostic through the public pipeline.</summary>
    public class OnnxHostileModelTests
    {
        [Fact]
        public void TruncatedProtobuf_IsMalformed()
        {
            byte[] bytes = ValidModel().ToBytes();
            Assert.Equal("EAOT0002", Error(bytes[..^5]).Id);
        }

        [Fact]
        public void GarbageBytes_AreMalformed()
        {
            Assert.Equal("EAOT0002", Error(Enumerable.Repeat((byte)0xFF, 64).ToArray()).Id);
            Assert.Equal("EAOT0002", Error(Array.Empty<byte>()).Id);
        }

        [Fact]
        public void EveryPrefixAndByteFlipOfAValidModel_GivesOnlyDiagnostics()
        {
            byte[] bytes = ValidModel().ToBytes();
            var options = new CompileOptions();
            for (int length = 0; length < bytes.Length; length++) ImportOrDiagnose(bytes[..length], options);
            var random = new Random(12345);
            for (int i = 0; i < 2000; i++)
            {
                byte[] mutated = (byte[])bytes.Clone();
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                ImportOrDiagnose(mutated, options);
            }
        }

        [Fact]
        public void EmptyGraph_IsReported()
        {
            Assert.Equal("EAOT0008", Error(new OnnxModelBuilder("empty", opset: 13).ToBytes()).Id);
        }

        [Fact]
        public void UndefinedInput_NamesTheNode()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            b.Input("x", DataType.Float32, 2);
            b.Output(b.Node("Relu", new[] { "missing" }), DataType.Float32, 2);

            var error = Error(b.ToBytes());

            Assert.Equal("EAOT0007", error.Id);
            Assert.Equal("Relu_0", error.Node);
            Assert.Contains("undefined input 'missing'", error.Message);
        }

        [Fact]
        public void UnsortedNodes_AreReportedAsNotTopologicallySorted()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            b.Input("x", DataType.Float32, 2);
            b.AddNode("Relu", new[] { "t" }, new[] { "y" }).Name = "reads_t";
            b.AddNode("Relu", new[] { "x" }, new[] { "t" }).Name = "writes_t";
            b.Output("y", DataType.Float32, 2);

            var error = Error(b.ToBytes());

            Assert.Equal("EAOT0007", error.Id);
            Assert.Equal("reads_t", error.Node);
            Assert.Contains("not topologically sorted", error.Message);
        }

        [Fact]
        public void OutputDefinedTwice_IsReported()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            b.Input("x", DataType.Float32, 2);
            b.AddNode("Relu", new[] { "x" }, new[] { "y" }).Name = "first";
            b.AddNode("Neg", new[] { "x" }, new[] { "y" }).Name = "second";
            b.Output("y", DataType.Float32, 2);

            var error = Error(b.ToBytes());

            Assert.Equal("EAOT0007", error.Id);
            Assert.Equal("second", error.Node);
            Assert.Contains("defined twice", error.Message);
        }

        [Fact]
        public void SymbolicDimension_NamesTheInput()
        {
            var b = ValidModel();
            b.Graph.Input[0].Type!.Shape!.Dim[0] = TensorShapeDimension.Symbolic("batch");

            var error = Error(b.ToBytes());

            Assert.Equal("EAOT0006", error.Id);
            Assert.Contains("'x'", error.Message);
            Assert.Contains("'batch'", error.Message);
        }

        [Fact]
        public void SequenceInput_IsUnsupported()
        {
            var b = ValidModel();
            b.Graph.Input[0].Type = new TypeProto { Kind = TypeProtoKind.Sequence };

            var error = Error(b.ToBytes());

            Assert.Equal("EAOT0005", error.Id);
            Assert.Contains("sequence types are unsupported", error.Message);
        }

        [Fact]
        public void UnsupportedInputElementType_IsReported()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.BFloat16, 2);
            b.Output(b.Node("Relu", new[] { x }), DataType.BFloat16, 2);

            var error = Error(b.ToBytes());

            Assert.Equal("EAOT0005", error.Id);
            Assert.Contains("BFloat16", error.Message);
        }

        [Fact]
        public void InitializerWithWrongByteCount_IsASizeMismatch()
        {
            var b = ValidModel();
            b.Initializer(OnnxModelBuilder.RawTensor("w", DataType.Float32, new long[] { 4 }, new byte[12]));

            var error = Error(b.ToBytes());

            Assert.Equal("EAOT0009", error.Id);
            Assert.Contains("'w'", error.Message);
        }

        [Fact]
        public void InitializerWhoseByteSizeOverflows64Bits_IsASizeLimit()
        {
            var b = ValidModel();
            b.Initializer(OnnxModelBuilder.RawTensor("huge", DataType.Float32, new long[] { 1L << 40, 1L << 40 }, new byte[4]));

            Assert.Equal("EAOT0013", Error(b.ToBytes()).Id);
        }

        [Fact]
        public void TensorAttributeWithNegativeDimension_NamesTheNode()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            b.Output(b.Node("Constant", Array.Empty<string>(), OnnxAttribute.Tensor("value", OnnxModelBuilder.RawTensor("", DataType.UInt8, new long[] { -1 }, new byte[1]))), DataType.UInt8, 1);

            var error = Error(b.ToBytes());

            Assert.Equal("EAOT0009", error.Id);
            Assert.Equal("Constant_0", error.Node);
        }

        [Fact]
        public void ExternalData_InsideTheModelFolder_IsRead()
        {
            using var folder = new TempFolder();
            File.WriteAllBytes(Path.Combine(folder.Path, "w.bin"), Enumerable.Range(0, 24).Select(i => (byte)i).ToArray());
            var b = ValidModel();
            string w = b.Initializer(OnnxModelBuilder.ExternalTensor("w", DataType.UInt8, new long[] { 8 }, "w.bin", offset: 16, length: 8));
            b.Output(b.Node("Identity", new[] { w }), DataType.UInt8, 8);

            var model = OnnxImporter.Import(b.ToBytes(), new CompileOptions { ModelDirectory = folder.Path });

            Assert.Equal(Enumerable.Range(16, 8).Select(i => (byte)i).ToArray(), model.Graph.Nodes[1].Inputs[0]!.Data);
        }

        [Theory]
        [InlineData("../w.bin", "'..'")]
        [InlineData("/etc/passwd", "relative path")]
        [InlineData("sub/../../w.bin", "'..'")]
        [InlineData("C:\\w.bin", "relative path")]
        public void ExternalData_OutsideTheModelFolder_IsRefused(string location, string reason)
        {
            using var folder = new TempFolder();
            var b = ValidModel();
            b.Initializer(OnnxModelBuilder.ExternalTensor("w", DataType.Float32, new long[] { 2 }, location));

            var error = Error(b.ToBytes(), new CompileOptions { ModelDirectory = folder.Path });

            Assert.Equal("EAOT0010", error.Id);
            Assert.Contains(reason, error.Message);
        }

        [Fact]
        public void ExternalData_WithoutAModelDirectory_IsRefused()
        {
            var b = ValidModel();
            b.Initializer(OnnxModelBuilder.ExternalTensor("w", DataType.Float32, new long[] { 2 }, "w.bin"));

            Assert.Equal("EAOT0010", Error(b.ToBytes(), new CompileOptions { ModelDirectory = null }).Id);
        }

        [Fact]
        public void ExternalData_ThroughASymbolicLink_IsRefused()
        {
            using var outside = new TempFolder();
            using var folder = new TempFolder();
            string secret = Path.Combine(outside.Path, "secret.bin");
            File.WriteAllBytes(secret, new byte[8]);
            File.CreateSymbolicLink(Path.Combine(folder.Path, "w.bin"), secret);
            Directory.CreateSymbolicLink(Path.Combine(folder.Path, "linked"), outside.Path);

            foreach (string location in new[] { "w.bin", "linked/secret.bin" })
            {
                var b = ValidModel();
                b.Initializer(OnnxModelBuilder.ExternalTensor("w", DataType.Float32, new long[] { 2 }, location));

                var error = Error(b.ToBytes(), new CompileOptions { ModelDirectory = folder.Path });

                Assert.Equal("EAOT0010", error.Id);
                Assert.Contains("symbolic link", error.Message);
            }
        }

        [Theory]
        [InlineData(8L, 16L)]
        [InlineData(17L, 0L)]
        [InlineData(long.MaxValue, 8L)]
        [InlineData(8L, long.MaxValue)]
        public void ExternalData_RangeBeyondTheFile_IsRefused(long offset, long length)
        {
            using var folder = new TempFolder();
            File.WriteAllBytes(Path.Combine(folder.Path, "w.bin"), new byte[16]);
            var b = ValidModel();
            b.Initializer(OnnxModelBuilder.ExternalTensor("w", DataType.Float32, new long[] { 2 }, "w.bin", offset, length));

            var error = Error(b.ToBytes(), new CompileOptions { ModelDirectory = folder.Path });

            Assert.Equal("EAOT0010", error.Id);
            Assert.Contains("beyond the end", error.Message);
        }

        [Fact]
        public void SubgraphsNestedBeyondTheLimit_AreRefused()
        {
            var options = new CompileOptions { MaxNesting = 16 };

            var deep = Error(NestedModel(depth: 17), options);
            Assert.Equal("EAOT0002", deep.Id);
            Assert.Contains("nested deeper", deep.Message);

            // At the limit the reader accepts it; the If operator itself is then unsupported.
            Assert.Equal("EAOT0003", Error(NestedModel(depth: 16), options).Id);
        }

        [Fact]
        public void NodeInDomainWithoutOpsetImport_IsReported()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 2);
            b.AddNode("Gelu", new[] { x }, new[] { "y" }).Domain = "com.microsoft";
            b.Output("y", DataType.Float32, 2);

            var error = Error(b.ToBytes());

            Assert.Equal("EAOT0004", error.Id);
            Assert.Equal("Gelu_0", error.Node);
        }

        [Fact]
        public void ReadTensor_OnGarbage_ThrowsModelException()
        {
            Assert.Throws<ModelException>(() => OnnxTensorFile.ReadTensor(new byte[] { 0x0A, 0x7F, 1 }));
        }

        /// <summary>Relu on a [2] float input: imports cleanly (and fails later only for the unregistered operator).</summary>
        private static OnnxModelBuilder ValidModel()
        {
            var b = new OnnxModelBuilder("valid", opset: 13);
            string x = b.Input("x", DataType.Float32, 2);
            b.Output(b.Node("Relu", new[] { x }), DataType.Float32, 2);
            return b;
        }

        /// <summary>A model whose If node holds a then_branch graph whose If node holds ... <paramref name="depth"/> levels.</summary>
        private static byte[] NestedModel(int depth)
        {
            var b = new OnnxModelBuilder("nested", opset: 13);
            string cond = b.Input("cond", DataType.Bool, 1);
            GraphProto? inner = null;
            for (int level = 0; level < depth; level++)
            {
                var graph = new GraphProto { Name = "level" + level };
                var node = new NodeProto { OpType = inner is null ? "Identity" : "If", Name = "if" + level };
                node.Input.Add("cond");
                node.Output.Add("out" + level);
                if (inner is not null) node.Attribute.Add(OnnxAttribute.Graph("then_branch", inner).Proto);
                graph.Node.Add(node);
                graph.Output.Add(new ValueInfoProto("out" + level, TypeProto.Tensor(DataType.Bool, 1)));
                inner = graph;
            }
            string y = b.Node("If", new[] { cond }, OnnxAttribute.Graph("then_branch", inner!), OnnxAttribute.Graph("else_branch", inner!));
            b.Output(y, DataType.Bool, 1);
            return b.ToBytes();
        }

        private static ModelDiagnostic Error(byte[] bytes, CompileOptions? options = null)
        {
            var result = ModelCompiler.Compile(bytes, options ?? new CompileOptions());
            Assert.False(result.Success);
            return result.Diagnostics[0];
        }

        private static void ImportOrDiagnose(byte[] bytes, CompileOptions options)
        {
            try
            {
                OnnxImporter.Import(bytes, options);
            }
            catch (ModelException)
            {
            }
        }

        private sealed class TempFolder : IDisposable
        {
            public TempFolder()
            {
                Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "edgeaot-onnx-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(Path);
            }

            public string Path { get; }

            public void Dispose() => Directory.Delete(Path, recursive: true);
        }
    }
}
