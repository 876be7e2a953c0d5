using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;

namespace EdgeAot.Tests.Onnx
{
    /// <summary>
    /// The hostile-model corpus of issue 8, one test per attack class not already covered by
    /// <see cref="OnnxHostileModelTests"/>. Each model is built in code; each test asserts the
    /// diagnostic id and that <see cref="ModelCompiler"/> returned normally without an internal
    /// error (EAOT0014 would mean an exception escaped somewhere, i.e. a crash in a real build).
    /// </summary>
    public class HostileCorpusTests
    {
        private readonly Xunit.Abstractions.ITestOutputHelper _output;

        public HostileCorpusTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

        // ---- external data ----

        [Theory]
        [InlineData("sub\\..\\..\\w.bin")]
        [InlineData("./../w.bin")]
        [InlineData("sub/./../../w.bin")]
        [InlineData("w.bin/..")]
        public void ExternalData_DotDotInAnySpelling_IsRefused(string location)
        {
            using var folder = new TempFolder();
            Directory.CreateDirectory(Path.Combine(folder.Path, "sub"));
            File.WriteAllBytes(Path.Combine(folder.Path, "w.bin"), new byte[8]);

            AssertError("EAOT0010", WithExternal(location), new CompileOptions { ModelDirectory = Path.Combine(folder.Path, "sub") });
        }

        [Theory]
        [InlineData("w.bin\0.txt")]
        [InlineData("\\\\server\\share\\w.bin")]
        [InlineData("//server/share/w.bin")]
        [InlineData("~/w.bin")]
        [InlineData("")]
        public void ExternalData_OddLocations_AreRefusedOrNotFound(string location)
        {
            using var folder = new TempFolder();
            AssertError("EAOT0010", WithExternal(location), new CompileOptions { ModelDirectory = folder.Path });
        }

        [Fact]
        public void ExternalData_ThroughAHardLink_IsRefused()
        {
            using var outside = new TempFolder();
            using var folder = new TempFolder();
            string secret = Path.Combine(outside.Path, "secret.bin");
            File.WriteAllBytes(secret, new byte[8]);
            string link = Path.Combine(folder.Path, "w.bin");
            if (!TryHardLink(secret, link)) return; // file systems without hard links cannot be attacked this way

            var error = AssertError("EAOT0010", WithExternal("w.bin"), new CompileOptions { ModelDirectory = folder.Path });
            Assert.Contains("hard link", error.Message);
        }

        [Fact]
        public void ExternalData_ThatIsNotARegularFile_IsRefused()
        {
            if (OperatingSystem.IsWindows()) return;
            using var folder = new TempFolder();
            string fifo = Path.Combine(folder.Path, "w.bin");
            if (!Run("mkfifo", fifo)) return;
            // A FIFO would block the build forever if it were opened; it must be refused before that.
            var b = ValidModel();
            b.Initializer(OnnxModelBuilder.ExternalTensor("w", DataType.Float32, new long[] { 0 }, "w.bin"));

            var error = AssertError("EAOT0010", b.ToBytes(), new CompileOptions { ModelDirectory = folder.Path });
            Assert.Contains("regular file", error.Message);
        }

        [Theory]
        [InlineData("-1", null)]
        [InlineData("1e3", null)]
        [InlineData("99999999999999999999999", null)]
        [InlineData("0", "-8")]
        [InlineData(" 8", null)]
        public void ExternalData_UnparsableOffsetOrLength_IsRefused(string offset, string? length)
        {
            using var folder = new TempFolder();
            File.WriteAllBytes(Path.Combine(folder.Path, "w.bin"), new byte[16]);
            var b = ValidModel();
            var t = OnnxModelBuilder.ExternalTensor("w", DataType.Float32, new long[] { 2 }, "w.bin");
            t.ExternalData.Add(new StringStringEntryProto("offset", offset));
            if (length is not null) t.ExternalData.Add(new StringStringEntryProto("length", length));
            b.Initializer(t);

            AssertError("EAOT0010", b.ToBytes(), new CompileOptions { ModelDirectory = folder.Path });
        }

        // ---- sizes ----

        [Fact]
        public void GraphInput_WithNegativeDimension_IsRefused()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            b.Input("x", DataType.Float32, 2, -3);
            b.Output(b.Node("Relu", new[] { "x" }), DataType.Float32, 2, 3);

            AssertError("EAOT0006", b.ToBytes());
        }

        [Fact]
        public void GraphInput_WhoseByteSizeOverflows64Bits_IsASizeLimit()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            b.Input("x", DataType.Float32, 1, 1L << 31, 1L << 31, 1L << 31);
            b.Output(b.Node("Relu", new[] { "x" }), DataType.Float32, 1);

            AssertError("EAOT0013", b.ToBytes());
        }

        [Fact]
        public void GraphInput_OverTheTensorByteLimit_NamesTheProperty()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            b.Input("x", DataType.Float32, 1, 1024);
            b.Output(b.Node("Relu", new[] { "x" }), DataType.Float32, 1, 1024);

            var error = AssertError("EAOT0013", b.ToBytes(), new CompileOptions { MaxTensorBytes = 4095 });
            Assert.Contains("EdgeAotMaxTensorBytes", error.Message);
        }

        [Fact]
        public void GraphInput_OverTheElementLimit_NamesTheProperty()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            b.Input("x", DataType.UInt8, 1, 1025);
            b.Output(b.Node("Identity", new[] { "x" }), DataType.UInt8, 1, 1025);

            var error = AssertError("EAOT0013", b.ToBytes(), new CompileOptions { MaxTensorElements = 1024 });
            Assert.Contains("EdgeAotMaxTensorElements", error.Message);
        }

        [Fact]
        public void Initializer_WithHugeDimsButNoData_IsRefusedBeforeAllocating()
        {
            var b = ValidModel();
            b.Initializer(OnnxModelBuilder.RawTensor("w", DataType.Float32, new long[] { 1L << 30, 16 }, new byte[4]));

            AssertError("EAOT0013", b.ToBytes());
        }

        [Fact]
        public void Initializers_OverTheWeightLimit_NameTheProperty()
        {
            var b = ValidModel();
            b.Initializer("w1", new long[] { 300 }, new float[300]);
            b.Initializer("w2", new long[] { 300 }, new float[300]);

            var error = AssertError("EAOT0013", b.ToBytes(), new CompileOptions { MaxWeightBytes = 2000 });
            Assert.Contains("EdgeAotMaxWeightBytes", error.Message);
        }

        [Fact]
        public void Initializer_WithFloatDataCountNotMatchingDims_IsASizeMismatch()
        {
            var b = ValidModel();
            b.Initializer(OnnxModelBuilder.Tensor("w", new long[] { 3 }, new float[] { 1, 2 }));

            AssertError("EAOT0009", b.ToBytes());
        }

        [Fact]
        public void NodeCount_OverTheLimit_NamesTheProperty()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 2);
            for (int i = 0; i < 20; i++) x = b.Node("Relu", new[] { x });
            b.Output(x, DataType.Float32, 2);

            var error = AssertError("EAOT0013", b.ToBytes(), new CompileOptions { MaxNodes = 10 });
            Assert.Contains("EdgeAotMaxNodes", error.Message);
        }

        // ---- structure ----

        [Fact]
        public void SelfLoop_IsNotTopologicallySorted()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            b.Input("x", DataType.Float32, 2);
            b.AddNode("Add", new[] { "x", "y" }, new[] { "y" }).Name = "loop";
            b.Output("y", DataType.Float32, 2);

            var error = AssertError("EAOT0007", b.ToBytes());
            Assert.Equal("loop", error.Node);
        }

        [Fact]
        public void TwoNodeCycle_IsNotTopologicallySorted()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            b.Input("x", DataType.Float32, 2);
            b.AddNode("Add", new[] { "x", "b" }, new[] { "a" }).Name = "first";
            b.AddNode("Relu", new[] { "a" }, new[] { "b" }).Name = "second";
            b.Output("b", DataType.Float32, 2);

            var error = AssertError("EAOT0007", b.ToBytes());
            Assert.Contains("not topologically sorted", error.Message);
        }

        [Fact]
        public void NodeOutputShadowingAGraphInput_IsDefinedTwice()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            b.Input("x", DataType.Float32, 2);
            b.AddNode("Relu", new[] { "x" }, new[] { "x" });
            b.Output("x", DataType.Float32, 2);

            AssertError("EAOT0007", b.ToBytes());
        }

        [Fact]
        public void NodeOutputShadowingAnInitializer_IsDefinedTwice()
        {
            var b = ValidModel();
            string w = b.Initializer("w", new long[] { 2 }, new float[2]);
            b.AddNode("Relu", new[] { "x" }, new[] { w });

            AssertError("EAOT0007", b.ToBytes());
        }

        [Fact]
        public void OneNodeWritingTheSameOutputTwice_IsDefinedTwice()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            b.Input("x", DataType.Float32, 4);
            b.AddNode("Split", new[] { "x" }, new[] { "y", "y" }, OnnxAttribute.Int("axis", 0));
            b.Output("y", DataType.Float32, 2);

            AssertError("EAOT0007", b.ToBytes());
        }

        [Fact]
        public void GraphOutputListedTwice_IsReported()
        {
            var b = ValidModel();
            b.Output(b.Graph.Output[0].Name, DataType.Float32, 2);

            var error = AssertError("EAOT0007", b.ToBytes());
            Assert.Contains("more than once", error.Message);
        }

        [Fact]
        public void GraphWithOnlyAnUnusedInput_IsEmpty()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            b.Input("x", DataType.Float32, 2);

            AssertError("EAOT0008", b.ToBytes());
        }

        [Fact]
        public void ModelWithoutAGraph_IsEmpty()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            b.Model.Graph = null;

            AssertError("EAOT0008", b.ToBytes());
        }

        [Fact]
        public void SubgraphsNested10000Deep_AreRefusedWithoutStackOverflow()
        {
            byte[] bytes = DeeplyNestedModel(10_000);

            var error = AssertError("EAOT0002", bytes);
            Assert.Contains("nested deeper", error.Message);
        }

        [Fact]
        public void UnknownDomainWithAnOpsetImport_IsAnUnsupportedOperator()
        {
            var b = new OnnxModelBuilder("g", opset: 13).Opset("evil.example", 1);
            string x = b.Input("x", DataType.Float32, 2);
            b.AddNode("Relu", new[] { x }, new[] { "y" }).Domain = "evil.example";
            b.Output("y", DataType.Float32, 2);

            var error = AssertError("EAOT0003", b.ToBytes());
            Assert.Contains("evil.example", error.Message);
        }

        [Theory]
        [InlineData(29)]
        [InlineData(int.MaxValue)]
        public void AnOpsetNewerThanEdgeAotKnows_IsRefusedNotCompiledWithOlderSemantics(int opset)
        {
            var b = new OnnxModelBuilder("g", opset);
            string x = b.Input("x", DataType.Float32, 2);
            b.Output(b.Node("Relu", new[] { x }), DataType.Float32, 2);

            var error = AssertError("EAOT0004", b.ToBytes());
            Assert.Contains("newer than any EdgeAot knows (28", error.Message);
        }

        [Fact]
        public void UnknownOperatorInTheDefaultDomain_IsUnsupported()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 2);
            b.Output(b.Node("TotallyNotAnOp", new[] { x }), DataType.Float32, 2);

            AssertError("EAOT0003", b.ToBytes());
        }

        [Theory]
        [InlineData(0L)]
        [InlineData(-5L)]
        [InlineData(1L + int.MaxValue)]
        public void OpsetVersionOutOfRange_IsUnsupported(long version)
        {
            var b = ValidModel();
            b.Model.OpsetImport[0].Version = version;

            AssertError("EAOT0004", b.ToBytes());
        }

        // ---- attributes inconsistent with ranks, indices, divisors, pads ----

        [Fact]
        public void ConvKernelShapeOfTheWrongRank_IsInvalid()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 1, 1, 4, 4);
            string w = b.Initializer("w", new long[] { 1, 1, 3, 3 }, new float[9]);
            b.Output(b.Node("Conv", new[] { x, w }, OnnxAttribute.Ints("kernel_shape", 3, 3, 3)), DataType.Float32, 1, 1, 2, 2);

            AssertError("EAOT0011", b.ToBytes());
        }

        [Theory]
        [InlineData("strides", new long[] { 0, 1 })]
        [InlineData("dilations", new long[] { 0, 0 })]
        [InlineData("pads", new long[] { -1, 0, 0, 0 })]
        [InlineData("pads", new long[] { 0, 0 })]
        [InlineData("strides", new long[] { 1 })]
        [InlineData("dilations", new long[] { long.MaxValue, 1 })]
        [InlineData("pads", new long[] { long.MaxValue, 0, long.MaxValue, 0 })]
        public void ConvWithBadWindowAttributes_IsInvalid(string attribute, long[] values)
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 1, 1, 4, 4);
            string w = b.Initializer("w", new long[] { 1, 1, 3, 3 }, new float[9]);
            b.Output(b.Node("Conv", new[] { x, w }, OnnxAttribute.Ints(attribute, values)), DataType.Float32, 1, 1, 2, 2);

            AssertRefused(b.ToBytes(), "EAOT0011", "EAOT0013");
        }

        [Fact]
        public void ConvWithGroupZero_IsInvalid()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 1, 2, 4, 4);
            string w = b.Initializer("w", new long[] { 2, 1, 3, 3 }, new float[18]);
            b.Output(b.Node("Conv", new[] { x, w }, OnnxAttribute.Int("group", 0)), DataType.Float32, 1, 2, 2, 2);

            AssertError("EAOT0011", b.ToBytes());
        }

        [Theory]
        [InlineData("MaxPool", "kernel_shape", new long[] { 0, 2 })]
        [InlineData("MaxPool", "strides", new long[] { 0, 0 })]
        [InlineData("AveragePool", "pads", new long[] { -2, 0, 0, 0 })]
        [InlineData("AveragePool", "kernel_shape", new long[] { 9, 9 })]
        [InlineData("MaxPool", "kernel_shape", new long[] { 2 })]
        public void PoolWithBadWindowAttributes_IsInvalid(string op, string attribute, long[] values)
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 1, 1, 4, 4);
            var attributes = attribute == "kernel_shape"
                ? new[] { OnnxAttribute.Ints(attribute, values) }
                : new[] { OnnxAttribute.Ints("kernel_shape", 2, 2), OnnxAttribute.Ints(attribute, values) };
            b.Output(b.Node(op, new[] { x }, attributes), DataType.Float32, 1, 1, 2, 2);

            AssertError("EAOT0011", b.ToBytes());
        }

        [Theory]
        [InlineData(new long[] { 0, 1 })]
        [InlineData(new long[] { 0, 0 })]
        [InlineData(new long[] { 0, 1, 1 })]
        [InlineData(new long[] { 0, 1, 5 })]
        [InlineData(new long[] { 2, 1, long.MinValue })]
        public void TransposeWithABadPermutation_IsInvalid(long[] perm)
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 2, 3, 4);
            b.Output(b.Node("Transpose", new[] { x }, OnnxAttribute.Ints("perm", perm)), DataType.Float32, 4, 3, 2);

            AssertError("EAOT0011", b.ToBytes());
        }

        [Theory]
        [InlineData("Softmax", 3L)]
        [InlineData("Softmax", -4L)]
        [InlineData("Concat", 7L)]
        [InlineData("Flatten", 9L)]
        [InlineData("ReduceSum", 5L)]
        [InlineData("ArgMax", long.MinValue)]
        [InlineData("Gather", long.MaxValue)]
        public void AxisOutOfRange_IsInvalid(string op, long axis)
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 2, 3, 4);
            string?[] inputs = op == "Gather" ? new[] { x, b.Initializer("i", new long[] { 1 }, new long[] { 0 }) } : new[] { x };
            var attr = op == "ReduceSum" ? OnnxAttribute.Ints("axes", axis) : OnnxAttribute.Int("axis", axis);
            if (op == "ReduceSum") inputs = new[] { x, b.Initializer("axes", new long[] { 1 }, new long[] { axis }) };
            b.Output(op == "ReduceSum" ? b.Node(op, inputs) : b.Node(op, inputs, attr), DataType.Float32, 2);

            AssertError("EAOT0011", b.ToBytes());
        }

        [Theory]
        [InlineData(2L)]
        [InlineData(-3L)]
        [InlineData(long.MaxValue)]
        [InlineData(long.MinValue)]
        public void GatherWithAnOutOfRangeConstantIndex_IsInvalid(long index)
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 2, 3);
            string i = b.Initializer("i", new long[] { 2 }, new long[] { 0, index });
            b.Output(b.Node("Gather", new[] { x, i }), DataType.Float32, 2, 3);

            var error = AssertError("EAOT0011", b.ToBytes());
            Assert.Contains("out of range", error.Message);
        }

        [Fact]
        public void GatherOfConstantDataWithAnOutOfRangeIndex_IsInvalidNotAFoldingCrash()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Initializer("data", new long[] { 3 }, new float[] { 1, 2, 3 });
            string i = b.Initializer("i", new long[] { 1 }, new long[] { 3 });
            b.Output(b.Node("Gather", new[] { x, i }), DataType.Float32, 1);

            AssertError("EAOT0011", b.ToBytes());
        }

        [Theory]
        [InlineData(long.MinValue, long.MaxValue, 1L)]
        [InlineData(long.MaxValue, long.MinValue, -1L)]
        [InlineData(-100L, 100L, 1L)]
        [InlineData(0L, 4L, long.MaxValue)]
        [InlineData(0L, 4L, long.MinValue)]
        public void SliceWithExtremeConstantBounds_ClampsPerTheSpec(long start, long end, long step)
        {
            // ONNX clamps out-of-range starts/ends; the result must be a plan, not a crash.
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 4);
            string s = b.Initializer("s", new long[] { 1 }, new long[] { start });
            string e = b.Initializer("e", new long[] { 1 }, new long[] { end });
            string a = b.Initializer("a", new long[] { 1 }, new long[] { 0 });
            string st = b.Initializer("st", new long[] { 1 }, new long[] { step });
            b.Output(b.Node("Slice", new[] { x, s, e, a, st }), DataType.Float32, 4);

            var result = ModelCompiler.Compile(b.ToBytes(), new CompileOptions());
            Assert.DoesNotContain(result.Diagnostics, d => d.Id == "EAOT0014");
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        }

        [Theory]
        [InlineData(new long[] { 0 }, new long[] { 0 }, "steps")]
        [InlineData(new long[] { 5 }, new long[] { 1 }, "axes")]
        [InlineData(new long[] { 0, 0 }, new long[] { 1, 1 }, "axes")]
        public void SliceWithZeroStepOrBadAxes_IsInvalid(long[] axes, long[] steps, string what)
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 4, 4);
            long[] zeros = new long[axes.Length];
            long[] ones = Enumerable.Repeat(1L, axes.Length).ToArray();
            string s = b.Initializer("s", new long[] { axes.Length }, zeros);
            string e = b.Initializer("e", new long[] { axes.Length }, ones);
            string a = b.Initializer("a", new long[] { axes.Length }, axes);
            string st = b.Initializer("st", new long[] { steps.Length }, steps);
            b.Output(b.Node("Slice", new[] { x, s, e, a, st }), DataType.Float32, 1, 4);

            var error = AssertError("EAOT0011", b.ToBytes());
            Assert.Contains(what, error.Message);
        }

        [Theory]
        [InlineData(DataType.Int32)]
        [InlineData(DataType.Int64)]
        public void IntegerDivisionOfConstantsByZero_IsInvalidNotAFoldingCrash(DataType type)
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string n = b.Initializer(IntTensor("n", type, 7, 8));
            string d = b.Initializer(IntTensor("d", type, 1, 0));
            b.Output(b.Node("Div", new[] { n, d }), type, 2);

            var error = AssertError("EAOT0011", b.ToBytes());
            Assert.Contains("zero", error.Message);
        }

        [Fact]
        public void IntegerDivisionByAConstantZeroAtRunTime_IsInvalid()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Int32, 2);
            string d = b.Initializer("d", new long[] { 2 }, new int[] { 3, 0 });
            b.Output(b.Node("Div", new[] { x, d }), DataType.Int32, 2);

            var error = AssertError("EAOT0011", b.ToBytes());
            Assert.Contains("zero", error.Message);
        }

        [Fact]
        public void IntegerMinValueDividedByMinusOne_FoldsWithoutOverflowCrash()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string n = b.Initializer("n", new long[] { 1 }, new int[] { int.MinValue });
            string d = b.Initializer("d", new long[] { 1 }, new int[] { -1 });
            b.Output(b.Node("Div", new[] { n, d }), DataType.Int32, 1);

            var result = ModelCompiler.Compile(b.ToBytes(), new CompileOptions());
            Assert.DoesNotContain(result.Diagnostics, e => e.Id == "EAOT0014");
        }

        [Theory]
        [InlineData(0L)]
        public void RangeWithZeroDelta_IsInvalid(long delta)
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string s = b.Initializer("s", Array.Empty<long>(), new long[] { 0 });
            string l = b.Initializer("l", Array.Empty<long>(), new long[] { 10 });
            string d = b.Initializer("d", Array.Empty<long>(), new long[] { delta });
            b.Output(b.Node("Range", new[] { s, l, d }), DataType.Int64, 10);

            AssertError("EAOT0011", b.ToBytes());
        }

        [Theory]
        [InlineData(new long[] { -3, 0 })]
        [InlineData(new long[] { 0, -5 })]
        [InlineData(new long[] { long.MinValue, 0 })]
        [InlineData(new long[] { long.MaxValue, long.MaxValue })]
        public void PadThatWouldMakeADimensionNegativeOrHuge_IsRefused(long[] pads)
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 2);
            string p = b.Initializer("p", new long[] { 2 }, pads);
            b.Output(b.Node("Pad", new[] { x, p }), DataType.Float32, 2);

            AssertRefused(b.ToBytes(), "EAOT0011", "EAOT0013");
        }

        [Fact]
        public void NegativePadThatCrops_IsAccepted()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 4);
            string p = b.Initializer("p", new long[] { 2 }, new long[] { -1, -1 });
            b.Output(b.Node("Pad", new[] { x, p }), DataType.Float32, 2);

            var result = ModelCompiler.Compile(b.ToBytes(), new CompileOptions());
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        }

        [Theory]
        [InlineData(new long[] { 2, -1, -1 })]
        [InlineData(new long[] { 5 })]
        [InlineData(new long[] { 0, 7 })]
        [InlineData(new long[] { -2 })]
        [InlineData(new long[] { long.MaxValue, 2 })]
        public void ReshapeToAnImpossibleShape_IsInvalid(long[] shape)
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 2, 3);
            string s = b.Initializer("s", new long[] { shape.Length }, shape);
            b.Output(b.Node("Reshape", new[] { x, s }), DataType.Float32, 6);

            AssertRefused(b.ToBytes(), "EAOT0011", "EAOT0013");
        }

        [Fact]
        public void ResizeWithZeroScales_IsInvalid()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 1, 1, 2, 2);
            string scales = b.Initializer("scales", new long[] { 4 }, new float[] { 1, 1, 0, 0 });
            b.Output(b.Node("Resize", new[] { x, "", scales }), DataType.Float32, 1, 1, 2, 2);

            AssertRefused(b.ToBytes(), "EAOT0011", "EAOT0013");
        }

        [Fact]
        public void ResizeWithHugeScales_IsASizeLimit()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 1, 1, 2, 2);
            string scales = b.Initializer("scales", new long[] { 4 }, new float[] { 1, 1, 3e38f, 3e38f });
            b.Output(b.Node("Resize", new[] { x, "", scales }), DataType.Float32, 1, 1, 2, 2);

            AssertRefused(b.ToBytes(), "EAOT0011", "EAOT0013");
        }

        // ---- build-time blow-ups ----

        [Fact]
        public void ConstantOfShapeFeedingFoldedOps_StopsAtTheFoldingBudgetQuickly()
        {
            // The ORT report: a tiny model whose constant folding allocates hundreds of MB.
            var b = new OnnxModelBuilder("g", opset: 13);
            string shape = b.Initializer("shape", new long[] { 2 }, new long[] { 1 << 14, 1 << 14 });
            string big = b.Node("ConstantOfShape", new[] { shape }, OnnxAttribute.Tensor("value", OnnxModelBuilder.Tensor("", new long[] { 1 }, new float[] { 1 })));
            string y = b.Node("Add", new[] { big, big });
            b.Output(y, DataType.Float32, 1 << 14, 1 << 14);

            AssertBoundedRefusal(b.ToBytes(), "EAOT0013");
        }

        [Fact]
        public void ManySmallFoldsOverTheTotalFoldingBudget_NameTheProperty()
        {
            // Each fold is small; together they exceed the budget (the budget is per model, not per tensor).
            var b = new OnnxModelBuilder("g", opset: 13);
            string c = b.Initializer("c", new long[] { 1024 }, new float[1024]);
            string acc = c;
            for (int i = 0; i < 40; i++) acc = b.Node("Add", new[] { acc, c });
            b.Output(acc, DataType.Float32, 1024);

            var error = AssertError("EAOT0013", b.ToBytes(), new CompileOptions { MaxFoldedBytes = 64 * 1024 });
            Assert.Contains("EdgeAotMaxFoldedBytes", error.Message);
        }

        [Theory]
        [InlineData("Expand")]
        [InlineData("Tile")]
        public void ExpandOrTileOfAConstantOverTheBudget_IsRefusedQuickly(string op)
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string c = b.Initializer("c", new long[] { 1, 1 }, new float[] { 1 });
            string arg = b.Initializer("arg", new long[] { 2 }, new long[] { 1 << 15, 1 << 15 });
            b.Output(b.Node(op, new[] { c, arg }), DataType.Float32, 1 << 15, 1 << 15);

            AssertBoundedRefusal(b.ToBytes(), "EAOT0013");
        }

        [Fact]
        public void TileWhoseOutputDimensionWrapsAround64Bits_IsASizeLimit()
        {
            // 4 * 2^62 wraps to 0 in unchecked arithmetic: a silently empty tensor instead of a refusal.
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 4);
            string r = b.Initializer("r", new long[] { 1 }, new long[] { 1L << 62 });
            b.Output(b.Node("Tile", new[] { x, r }), DataType.Float32, 4);

            AssertError("EAOT0013", b.ToBytes());
        }

        [Fact]
        public void ExpandToAHugeRank_IsRefused()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 2);
            long[] shape = Enumerable.Repeat(2L, 100).ToArray();
            string s = b.Initializer("s", new long[] { shape.Length }, shape);
            b.Output(b.Node("Expand", new[] { x, s }), DataType.Float32, 2);

            AssertBoundedRefusal(b.ToBytes(), "EAOT0013");
        }

        [Fact]
        public void HugeUnrolledLayerStack_StopsAtTheNodeLimit()
        {
            // 30,000 nodes in a 0.6 MB file: the default node limit stops it before any lowering.
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 4);
            for (int i = 0; i < 30_000; i++) x = b.Node("Relu", new[] { x });
            b.Output(x, DataType.Float32, 4);

            var error = AssertBoundedRefusal(b.ToBytes(), "EAOT0013");
            Assert.Contains("EdgeAotMaxNodes", error.Message);
        }

        // ---- helpers ----

        internal static ModelDiagnostic AssertError(string id, byte[] bytes, CompileOptions? options = null)
        {
            var result = ModelCompiler.Compile(bytes, options ?? new CompileOptions());
            Assert.False(result.Success, "the model compiled, but " + id + " was expected");
            Assert.DoesNotContain(result.Diagnostics, d => d.Id == "EAOT0014");
            Assert.True(result.Diagnostics[0].Id == id, "expected " + id + ", got " + result.Diagnostics[0]);
            return result.Diagnostics[0];
        }

        private static ModelDiagnostic AssertRefused(byte[] bytes, params string[] ids)
        {
            var result = ModelCompiler.Compile(bytes, new CompileOptions());
            Assert.False(result.Success, "the model compiled, but one of " + string.Join(", ", ids) + " was expected");
            Assert.True(ids.Contains(result.Diagnostics[0].Id), "expected one of " + string.Join(", ", ids) + ", got " + result.Diagnostics[0]);
            return result.Diagnostics[0];
        }

        /// <summary>The refusal comes within seconds and without allocating hundreds of megabytes.</summary>
        private ModelDiagnostic AssertBoundedRefusal(byte[] bytes, string id)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            var error = AssertError(id, bytes);
            watch.Stop();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "took " + watch.Elapsed);
            Assert.True(allocated < 256L * 1024 * 1024, "allocated " + allocated + " bytes");
            _output.WriteLine(bytes.Length + "-byte model: " + error.Id + " after " + watch.Elapsed.TotalMilliseconds.ToString("F0") + " ms, "
                + (allocated / 1024) + " KiB allocated: " + error.Message);
            return error;
        }

        private static TensorProto IntTensor(string name, DataType type, params long[] values)
            => type == DataType.Int32
                ? OnnxModelBuilder.Tensor(name, new long[] { values.Length }, values.Select(v => (int)v).ToArray())
                : OnnxModelBuilder.Tensor(name, new long[] { values.Length }, values);

        private static OnnxModelBuilder ValidModel()
        {
            var b = new OnnxModelBuilder("valid", opset: 13);
            string x = b.Input("x", DataType.Float32, 2);
            b.Output(b.Node("Relu", new[] { x }), DataType.Float32, 2);
            return b;
        }

        private static byte[] WithExternal(string location)
        {
            var b = ValidModel();
            b.Initializer(OnnxModelBuilder.ExternalTensor("w", DataType.Float32, new long[] { 2 }, location));
            return b.ToBytes();
        }

        /// <summary>
        /// A model whose If node's then_branch holds an If node whose then_branch ... <paramref name="depth"/>
        /// levels, written straight to protobuf bytes from the inside out (every field before the
        /// nested graph, so each level is a prefix: linear time, no object tree 10,000 levels deep).
        /// </summary>
        internal static byte[] DeeplyNestedModel(int depth)
        {
            var reversed = new System.Collections.Generic.List<byte>();
            void Prepend(byte[] bytes)
            {
                for (int i = bytes.Length - 1; i >= 0; i--) reversed.Add(bytes[i]);
            }
            byte[] NodeHead() => Concat(Str(1, "c"), Str(2, "o"), Str(4, "If"));
            // Innermost graph: one Identity node.
            Prepend(Field(1, Concat(Str(1, "c"), Str(2, "o"), Str(4, "Identity"))));
            for (int level = 0; level < depth; level++)
            {
                // attribute { name, type = GRAPH, g = <graph so far> }
                Prepend(Concat(Tag(6, 2), VarintBytes((ulong)reversed.Count)));
                Prepend(Concat(Str(1, "then_branch"), Varint(20, 5)));
                // node { input, output, op_type, attribute = <attribute> }
                Prepend(Concat(Tag(5, 2), VarintBytes((ulong)reversed.Count)));
                Prepend(NodeHead());
                // graph { node = <node> }: the g of the next level's attribute
                Prepend(Concat(Tag(1, 2), VarintBytes((ulong)reversed.Count)));
            }
            Prepend(Concat(Tag(7, 2), VarintBytes((ulong)reversed.Count))); // ModelProto.graph
            var b = new OnnxModelBuilder("nested", opset: 13);
            b.Model.Graph = null;
            byte[] header = b.ToBytes();
            reversed.Reverse();
            return Concat(header, reversed.ToArray());
        }

        private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

        private static byte[] Message(params byte[][] fields) => Concat(fields);

        private static byte[] Field(int number, byte[] payload) => Concat(Tag(number, 2), VarintBytes((ulong)payload.Length), payload);

        private static byte[] Str(int number, string text) => Field(number, System.Text.Encoding.UTF8.GetBytes(text));

        private static byte[] Varint(int number, ulong value) => Concat(Tag(number, 0), VarintBytes(value));

        private static byte[] Tag(int number, int wire) => VarintBytes((ulong)(number << 3 | wire));

        private static byte[] VarintBytes(ulong value)
        {
            var bytes = new System.Collections.Generic.List<byte>();
            do
            {
                byte b = (byte)(value & 0x7F);
                value >>= 7;
                bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
            }
            while (value != 0);
            return bytes.ToArray();
        }

        private static bool TryHardLink(string target, string link) => Run("ln", target, link);

        private static bool Run(string file, params string[] args)
        {
            try
            {
                var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true };
                foreach (var a in args) start.ArgumentList.Add(a);
                using var process = Process.Start(start)!;
                process.WaitForExit();
                return process.ExitCode == 0;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }

        internal sealed class TempFolder : IDisposable
        {
            public TempFolder()
            {
                Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "edgeaot-hostile-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(Path);
            }

            public string Path { get; }

            public void Dispose() => Directory.Delete(Path, recursive: true);
        }
    }
}
