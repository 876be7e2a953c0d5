using System;
using System.Collections.Generic;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Planning;
using EdgeAot.Tests.Harness;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Tests.Planning
{
    /// <summary>RAM/flash budgets and device profiles through <see cref="ModelCompiler"/> (EAOT0017-0019).</summary>
    public sealed class BudgetTests
    {
        // ConvPoolMatMul: conv 1x2x8x8 -> 1x4x4x4 in the arena; conv holds the largest weights.
        private static CompileResult Compile(Action<CompileOptions> configure)
        {
            var graph = TestModels.ConvPoolMatMul();
            graph.Opsets[""] = 13;
            foreach (var n in graph.Nodes) n.OpsetVersion = 13;
            var options = new CompileOptions { ClassName = "Budgeted", ModelPath = "budget.onnx" };
            configure(options);
            return ModelCompiler.Lower(new ImportedModel(graph, "EdgeAot tests", 8), new string('0', 64), options);
        }

        private static (long Arena, long Weights) Sizes()
        {
            var plan = Compile(_ => { }).Plan!;
            Assert.True(plan.ArenaBytes > 0 && plan.WeightBytes > 0, "the test model must use both arena and weights");
            return (plan.ArenaBytes, plan.WeightBytes);
        }

        [Fact]
        public void BudgetsExactlyAtTheSizesPass()
        {
            var (arena, weights) = Sizes();

            var result = Compile(o => { o.MaxRamBytes = arena; o.MaxFlashBytes = weights; });

            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            Assert.Empty(result.Diagnostics);
        }

        [Fact]
        public void ArenaOneByteOverTheRamBudgetIsEaot0017()
        {
            var (arena, _) = Sizes();

            var result = Compile(o => o.MaxRamBytes = arena - 1);

            Assert.False(result.Success);
            Assert.Null(result.Plan);
            var d = Assert.Single(result.Diagnostics);
            Assert.Equal("EAOT0017", d.Id);
            Assert.Equal("budget.onnx", d.File);
            var c = System.Globalization.CultureInfo.InvariantCulture;
            Assert.StartsWith(string.Format(c, "the arena needs {0:N0} B but the RAM budget is {1:N0} B (MaxRamBytes), 1 B over", arena, arena - 1), d.Message, StringComparison.Ordinal);
            Assert.Contains("largest activations: #0 'conv' (Conv", d.Message, StringComparison.Ordinal);
            Assert.NotNull(result.Report);
        }

        [Fact]
        public void WeightsOverTheFlashBudgetIsEaot0018NamingTheLargestLayer()
        {
            var (_, weights) = Sizes();

            var result = Compile(o => o.MaxFlashBytes = weights - 1);

            var d = Assert.Single(result.Diagnostics);
            Assert.Equal("EAOT0018", d.Id);
            Assert.Contains("the weights take " + weights.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " B but the flash budget", d.Message, StringComparison.Ordinal);
            // Conv has 2*4*3*3 + 4 floats (304 B), MatMul's projection 6 floats: conv comes first.
            Assert.Contains("largest weights: #0 'conv' (Conv, 304 B), #2 'project' (MatMul, 24 B).", d.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void BothBudgetsExceededGiveBothDiagnostics()
        {
            var result = Compile(o => { o.MaxRamBytes = 1; o.MaxFlashBytes = 1; });

            Assert.Equal(new[] { "EAOT0017", "EAOT0018" }, result.Diagnostics.Select(d => d.Id));
        }

        [Fact]
        public void DeviceProfileSuppliesTheBudgetsAndItemMetadataOverridesIt()
        {
            // The smallest profile (32 KiB RAM) holds this tiny model...
            Assert.True(Compile(o => o.Device = "Cortex-M0plus-32k").Success);

            // ...until the item's own RAM budget is tighter; flash still comes from the profile.
            var result = Compile(o => { o.Device = "cortex-m0plus-32k"; o.MaxRamBytes = 16; });
            var d = Assert.Single(result.Diagnostics);
            Assert.Equal("EAOT0017", d.Id);
            Assert.Contains("RAM budget is 16 B (MaxRamBytes)", d.Message, StringComparison.Ordinal);

            var flash = Assert.Single(Compile(o => { o.Device = "cortex-m0plus-32k"; o.MaxFlashBytes = 1; }).Diagnostics);
            Assert.Equal("EAOT0018", flash.Id);
        }

        [Fact]
        public void ProfileBudgetIsNamedInTheMessage()
        {
            // Two stacked convs: the first one's 1x8x64x64 float output (128 KiB) lives in the arena, with the
            // 576 B im2col patch of its smallest tile (16 pixels x 9 taps) next to it.
            var graph = new Graph { Name = "two_convs" };
            var x = new Value("x", DataType.Float32, new long[] { 1, 1, 128, 128 });
            var w1 = new Value("w1", DataType.Float32, new long[] { 8, 1, 3, 3 }, TensorData.FromFloat32(TestModels.Weights(1, 72)));
            var w2 = new Value("w2", DataType.Float32, new long[] { 2, 8, 1, 1 }, TensorData.FromFloat32(TestModels.Weights(2, 16)));
            var hidden = new Value("hidden", DataType.Undefined, Array.Empty<long>());
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            var stride2 = new AttributeSet();
            stride2.Set(Attribute.FromInts("pads", new long[] { 1, 1, 1, 1 }));
            stride2.Set(Attribute.FromInts("strides", new long[] { 2, 2 }));
            graph.Inputs.Add(x);
            graph.Nodes.Add(new Node("wide", "Conv", "", new List<Value?> { x, w1 }, new List<Value> { hidden }, stride2));
            graph.Nodes.Add(new Node("mix", "Conv", "", new List<Value?> { hidden, w2 }, new List<Value> { y }, new AttributeSet()));
            graph.Outputs.Add(y);
            graph.Opsets[""] = 13;
            foreach (var n in graph.Nodes) n.OpsetVersion = 13;

            var result = ModelCompiler.Lower(new ImportedModel(graph, "EdgeAot tests", 8), new string('0', 64),
                new CompileOptions { ClassName = "TwoConvs", ModelPath = "two_convs.onnx", Device = "cortex-m0plus-32k" });

            var d = Assert.Single(result.Diagnostics);
            Assert.Equal("EAOT0017", d.Id);
            Assert.Contains("the arena needs 131,648 B but the RAM budget is 32,768 B (device cortex-m0plus-32k), 98,880 B over", d.Message, StringComparison.Ordinal);
            Assert.Contains("largest activations: #0 'wide' (Conv, 131,072 B); largest kernel scratch: #0 'wide' (Conv, 576 B).", d.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void UnknownDeviceIsEaot0019ListingTheKnownProfiles()
        {
            var result = Compile(o => o.Device = "cortex-m99");

            var d = Assert.Single(result.Diagnostics);
            Assert.Equal("EAOT0019", d.Id);
            Assert.Equal("budget.onnx", d.File);
            Assert.Contains("'cortex-m99'", d.Message, StringComparison.Ordinal);
            Assert.Contains("cortex-m4-256k", d.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void ProfileTableIsWellFormed()
        {
            var names = DeviceProfiles.All.Select(p => p.Name).ToList();
            Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.All(DeviceProfiles.All, p =>
            {
                Assert.Equal(p.Name.ToLowerInvariant(), p.Name);
                Assert.True(p.RamBytes > 0 && (p.FlashBytes is null || p.FlashBytes > 0), p.Name);
            });
            var m4 = DeviceProfiles.Find("cortex-m4-256k")!;
            Assert.Equal((256 * 1024L, (long?)(1024 * 1024L)), (m4.RamBytes, m4.FlashBytes));
        }

        [Theory]
        [InlineData("262144", 262144L)]
        [InlineData(" 256KiB ", 262144L)]
        [InlineData("256k", 262144L)]
        [InlineData("1MiB", 1048576L)]
        [InlineData("2 M", 2097152L)]
        [InlineData("1GiB", 1073741824L)]
        public void ByteCountsParse(string text, long expected)
        {
            Assert.True(BudgetCheck.TryParseBytes(text, out long bytes), text);
            Assert.Equal(expected, bytes);
        }

        [Theory]
        [InlineData("")]
        [InlineData("0")]
        [InlineData("-1")]
        [InlineData("256KB")]
        [InlineData("1.5MiB")]
        [InlineData("abc")]
        [InlineData("9999999999999999999")]
        [InlineData("99999999999GiB")]
        public void InvalidByteCountsAreRefused(string text)
        {
            Assert.False(BudgetCheck.TryParseBytes(text, out _), text);
        }
    }
}
