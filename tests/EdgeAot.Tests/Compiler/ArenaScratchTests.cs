using System;
using System.Collections.Generic;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Passes;
using EdgeAot.Compiler.Plan;
using EdgeAot.Compiler.Planning;
using EdgeAot.Generator.Emit;
using EdgeAot.Tests.Differential;
using EdgeAot.Tests.Harness;
using Xunit.Abstractions;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Tests.Planning
{
    /// <summary>
    /// Kernel scratch in the arena: its lifetime is exactly its node, no buffer live at the same
    /// step shares a byte with it (checked from the emitted plan, independently of the planner's
    /// own checker, on random graphs), the plan text keeps it, generated kernels no longer
    /// stackalloc, and depthwise convolutions run in place only when that shrinks the arena, with
    /// the same outputs as the separate plan.
    /// </summary>
    public sealed class ArenaScratchTests
    {
        private readonly ITestOutputHelper _output;

        public ArenaScratchTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void Scratch_lives_exactly_at_its_node_and_is_in_the_lower_bound()
        {
            var graph = TestModels.ConvPoolMatMul();
            var result = ModelCompiler.Lower(new ImportedModel(Prepare(graph), "EdgeAot tests", 8), new string('0', 64), Options("ScratchLifetime"));
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            var memory = result.Report!.Memory;
            var conv = Assert.Single(graph.Nodes, n => n.OpType == "Conv");
            Assert.Equal(ConvKernels.Im2col, conv.Attributes.GetString("kernel", ""));
            var scratch = memory.Scratch[conv];
            int step = graph.Nodes.IndexOf(conv);
            Assert.Equal(step, scratch.Step);
            var interval = memory.Buffers[scratch.Buffer];
            Assert.Equal(step, interval.First);
            Assert.Equal(step, interval.Last);
            long tile = conv.Attributes.GetInt("tile", 0);
            Assert.Equal(2 * 3 * 3 * tile * 4, scratch.Parts.Single().Bytes);   // patch: C·kh·kw rows × tile pixels of float
            // Live at the conv's step: its output and the scratch (the input is a Run parameter).
            long output = Shape.ByteSize(conv.Outputs[0].Shape, DataType.Float32);
            Assert.True(result.Report.ArenaLowerBound >= output + scratch.Bytes);
            Assert.Null(MemoryPlanner.Verify(memory.Buffers, memory.Offsets, result.Plan!.ArenaBytes, MemoryPlanner.Alignment));
            AssertNoLiveOverlap(result.Plan);
            var layer = result.Report.Layers[step];
            Assert.Equal(scratch.Bytes, layer.ScratchBytes);
            Assert.Contains("| " + scratch.Bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " @", result.Report.ToMarkdown(), StringComparison.Ordinal);
        }

        [Fact]
        public void Tiles_fit_the_arena_bytes_free_at_their_step()
        {
            // A 16-channel 3x3 conv between two larger tensors: the patch takes what the peak leaves free.
            var x = new Value("x", DataType.Float32, new long[] { 1, 16, 24, 24 });
            var graph = new Graph { Name = "tiles" };
            graph.Inputs.Add(x);
            var a = Conv(graph, "expand", x, 16, 32, 1, 1, 0, 1, 1);
            var b = Conv(graph, "mix", a, 32, 8, 3, 1, 1, 1, 2);
            var c = Conv(graph, "back", b, 8, 32, 1, 1, 0, 1, 3);
            var y = Binary(graph, "residual", "Add", a, c);
            graph.Outputs.Add(y);
            var result = ModelCompiler.Lower(new ImportedModel(Prepare(graph), "EdgeAot tests", 8), new string('0', 64), Options("Tiles"));
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            var report = result.Report!;
            var mix = graph.Nodes.Single(n => n.Name == "mix");
            Assert.Equal(ConvKernels.Im2col, mix.Attributes.GetString("kernel", ""));
            // At "mix": a (72 KiB, read again by the Add) and b (18 KiB) are live; the peak is at "back"
            // or the Add (a + b + c or a + c): the patch fits in the difference without raising it.
            long patch = report.Memory.Scratch[mix].Bytes;
            long tile = mix.Attributes.GetInt("tile", 0);
            _output.WriteLine($"tile {tile}, patch {patch} B, arena {result.Plan!.ArenaBytes} B, bound {report.ArenaLowerBound} B");
            Assert.True(tile > ConvKernels.MinTile, "a roomy step should get more than the smallest tile");
            long withoutScratch = 2 * 73_728 + 18_432;
            Assert.Equal(withoutScratch, report.ArenaLowerBound);
            AssertNoLiveOverlap(result.Plan);
        }

        [Fact]
        public void Panel_kernel_only_for_weights_its_node_alone_reads()
        {
            // Two 3x3 convs, then a padded copy large enough that both convs' steps have room for the
            // panel kernel's input copy. Owned weights: the panel kernel (weights stored packed); one
            // weight tensor read by both convs: its bytes must stay as they are, so im2col.
            var owned = PlanWith(SharedWeightGraph(shareWeights: false), "OwnedWeights", optionalInPlace: true, out _);
            var shared = PlanWith(SharedWeightGraph(shareWeights: true), "SharedWeights", optionalInPlace: true, out _);
            Assert.All(owned.Nodes.Where(n => n.OpType == "Conv"), n => Assert.Equal(ConvKernels.Panels, n.GetString("kernel", "")));
            Assert.All(shared.Nodes.Where(n => n.OpType == "Conv"), n => Assert.Equal(ConvKernels.Im2col, n.GetString("kernel", "")));
            AssertNoLiveOverlap(owned);
            AssertNoLiveOverlap(shared);

            var models = GeneratedCode.Compile(new[] { owned, shared });
            var rng = new Random(7);
            var x = Enumerable.Range(0, 8 * 10 * 10).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            var expected = (float[])models.Get(shared).Run(x)[0];
            var actual = (float[])models.Get(owned).Run(x)[0];
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + Math.Abs(expected[i])), "element " + i + ": " + expected[i] + " vs " + actual[i]);
        }

        private static Graph SharedWeightGraph(bool shareWeights)
        {
            var graph = new Graph { Name = "shared" };
            var x = new Value("x", DataType.Float32, new long[] { 1, 8, 10, 10 });
            graph.Inputs.Add(x);
            var w1 = new Value("w1", DataType.Float32, new long[] { 8, 8, 3, 3 }, TensorData.FromFloat32(TestModels.Weights(11, 8 * 8 * 9)));
            var w2 = shareWeights ? w1 : new Value("w2", DataType.Float32, new long[] { 8, 8, 3, 3 }, TensorData.FromFloat32(TestModels.Weights(11, 8 * 8 * 9)));
            Value ConvWith(string name, Value input, Value w)
            {
                var attrs = new AttributeSet();
                attrs.Set(Attribute.FromInts("pads", new long[] { 1, 1, 1, 1 }));
                var y = new Value(name + ".y", DataType.Undefined, Array.Empty<long>());
                graph.Nodes.Add(new Node(name, "Conv", "", new List<Value?> { input, w }, new List<Value> { y }, attrs));
                return y;
            }
            var a = ConvWith("first", x, w1);
            var c = ConvWith("second", a, w2);
            var padded = new Value("padded", DataType.Undefined, Array.Empty<long>());
            var amounts = new Value("amounts", DataType.Int64, new long[] { 8 }, TensorData.FromInt64(new long[] { 0, 0, 0, 0, 0, 0, 200, 0 }));
            graph.Nodes.Add(new Node("pad", "Pad", "", new List<Value?> { c, amounts }, new List<Value> { padded }, new AttributeSet()));
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            graph.Nodes.Add(new Node("slice", "Slice", "", new List<Value?> { padded, Scalar1("starts", 0), Scalar1("ends", 10), Scalar1("axes", 2) }, new List<Value> { y }, new AttributeSet()));
            graph.Outputs.Add(y);
            return graph;
        }

        private static Value Scalar1(string name, long value) => new Value(name, DataType.Int64, new long[] { 1 }, TensorData.FromInt64(new[] { value }));

        [Fact]
        public void Random_graphs_never_share_a_byte_between_live_buffers_or_scratch()
        {
            int withScratch = 0, inPlaceDepthwise = 0;
            var rng = new Random(5150);
            for (int i = 0; i < 150; i++)
            {
                var graph = RandomConvChain(rng, i);
                var result = ModelCompiler.Lower(new ImportedModel(Prepare(graph), "EdgeAot tests", 8), new string('0', 64), Options("RandomConv" + i));
                Assert.True(result.Success, "graph " + i + ": " + string.Join("\n", result.Diagnostics));
                var memory = result.Report!.Memory;
                Assert.Null(MemoryPlanner.Verify(memory.Buffers, memory.Offsets, result.Plan!.ArenaBytes, MemoryPlanner.Alignment));
                AssertNoLiveOverlap(result.Plan, "graph " + i);
                if (result.Plan.Nodes.Any(n => n.Scratch.Count > 0)) withScratch++;
                if (result.Report.Layers.Any(l => l.OpType is "Conv" or "QLinearConv" && l.InPlace)) inPlaceDepthwise++;
            }
            // The seeded ONNX graphs of the differential tests too (every op family they cover).
            for (long seed = RandomGraphDifferentialTests.DefaultSeed; seed < RandomGraphDifferentialTests.DefaultSeed + 150; seed++)
            {
                var random = RandomGraphGenerator.Generate(seed);
                var result = ModelCompiler.Compile(random.Bytes, new CompileOptions { ClassName = "G" + seed, Namespace = "EdgeAot.Tests.Planning", ModelPath = "g.onnx" });
                if (!result.Success) continue;
                var memory = result.Report!.Memory;
                Assert.Null(MemoryPlanner.Verify(memory.Buffers, memory.Offsets, result.Plan!.ArenaBytes, MemoryPlanner.Alignment));
                AssertNoLiveOverlap(result.Plan, "seed " + seed);
                if (result.Plan.Nodes.Any(n => n.Scratch.Count > 0)) withScratch++;
            }
            _output.WriteLine($"{withScratch} graphs with scratch, {inPlaceDepthwise} with an in-place depthwise conv");
            Assert.True(withScratch >= 50, "the random graphs should exercise scratch");
            Assert.True(inPlaceDepthwise >= 5, "the random graphs should exercise in-place depthwise convolution");
        }

        [Fact]
        public void Plan_text_round_trips_scratch()
        {
            var plan = TestModels.Lower(TestModels.DepthwiseBnReluClassifier(), "ScratchRoundTrip");
            Assert.Contains(plan.Nodes, n => n.Scratch.Count > 0);
            string text = PlanWriter.Write(plan);
            Assert.Contains("  scratch padded f32 ", text, StringComparison.Ordinal);
            var read = PlanReader.Read(text);
            Assert.Equal(plan, read);
            Assert.Equal(text, PlanWriter.Write(read));
            // A scratch line that reaches past the arena, or whose name is not an identifier, is refused.
            var line = text.Split('\n').First(l => l.StartsWith("  scratch ", StringComparison.Ordinal));
            var parts = line.Trim().Split(' ');
            Assert.Throws<FormatException>(() => PlanReader.Read(text.Replace(line, "  scratch " + parts[1] + " " + parts[2] + " " + parts[3] + " " + plan.ArenaBytes)));
            Assert.Throws<FormatException>(() => PlanReader.Read(text.Replace(line, "  scratch class " + parts[2] + " " + parts[3] + " " + parts[4])));
        }

        [Theory]
        [InlineData("ic.onnx")]
        [InlineData("vww_96_float.onnx")]
        [InlineData("kws_ref_model_float32.onnx")]
        [InlineData("ad01_fp32.onnx")]
        [InlineData("kws_ref_model.onnx")]
        [InlineData("ad01_int8.onnx")]
        public void Generated_kernels_do_not_stackalloc(string file)
        {
            var result = ModelCompiler.CompileFile(SharedData.Model(file), new CompileOptions { ModelPath = file, Namespace = "EdgeAot.Tests.Planning" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            string source = ModelEmitter.Emit(result.Plan!);
            Assert.DoesNotContain("stackalloc", source, StringComparison.Ordinal);
            AssertNoLiveOverlap(result.Plan!, file);
            foreach (var node in result.Plan!.Nodes.Where(n => n.Scratch.Count > 0))
                Assert.Contains("arena.Slice(" + EmitContext.ScratchStart(node) + ", " + EmitContext.ScratchLength(node) + ")", source, StringComparison.Ordinal);
        }

        [Fact]
        public void Small_test_models_and_recurrent_kernels_do_not_stackalloc()
        {
            foreach (var graph in new[] { TestModels.ConvPoolMatMul(), TestModels.DepthwiseBnReluClassifier(), TestModels.QdqConvRelu() })
                Assert.DoesNotContain("stackalloc", ModelEmitter.Emit(TestModels.Lower(graph, "NoStack" + graph.Name.Replace("_", ""))), StringComparison.Ordinal);
            foreach (string op in new[] { "RNN", "GRU", "LSTM" })
            {
                var graph = new Graph { Name = op };
                var x = new Value("x", DataType.Float32, new long[] { 5, 2, 3 });
                int gates = RecurrentOperator.GateCount(op) * 4;
                var w = new Value("w", DataType.Float32, new long[] { 1, gates, 3 }, TensorData.FromFloat32(TestModels.Weights(1, gates * 3)));
                var r = new Value("r", DataType.Float32, new long[] { 1, gates, 4 }, TensorData.FromFloat32(TestModels.Weights(2, gates * 4)));
                var y = new Value("y", DataType.Undefined, Array.Empty<long>());
                var attrs = new AttributeSet();
                attrs.Set(Attribute.FromInt("hidden_size", 4));
                graph.Inputs.Add(x);
                graph.Nodes.Add(new Node(op, op, "", new List<Value?> { x, w, r }, new List<Value> { y }, attrs));
                graph.Outputs.Add(y);
                var plan = TestModels.Lower(graph, "NoStack" + op, opset: 14);
                Assert.Equal(op == "RNN" ? 3 : 4, plan.Nodes.Single(n => n.OpType == op).Scratch.Count);
                Assert.DoesNotContain("stackalloc", ModelEmitter.Emit(plan), StringComparison.Ordinal);
            }
        }

        [Fact]
        public void Float_depthwise_in_place_shrinks_the_arena_and_gives_identical_outputs()
            => AssertInPlaceMatchesSeparate(FloatDepthwiseGraph, "FloatDepthwise", "Conv");

        [Fact]
        public void Int8_depthwise_in_place_shrinks_the_arena_and_gives_identical_outputs()
            => AssertInPlaceMatchesSeparate(Int8DepthwiseGraph, "Int8Depthwise", "QLinearConv");

        private void AssertInPlaceMatchesSeparate(Func<Graph> build, string name, string opType)
        {
            var inPlace = PlanWith(build(), name + "InPlace", optionalInPlace: true, out var inPlaceReport);
            var separate = PlanWith(build(), name + "Separate", optionalInPlace: false, out var separateReport);
            var depthwise = inPlace.Nodes.Single(n => n.OpType == opType && n.GetInt("group", 1) > 1);
            // Both depthwise kernels copy a channel into scratch before writing it (float rows under 16 wide run the masked one).
            Assert.Contains(depthwise.GetString("kernel", ""), new[] { ConvKernels.DepthwisePlane, ConvKernels.DepthwiseMasked });
            var input = inPlace.Tensor(depthwise.Inputs[0]);
            var output = inPlace.Tensor(depthwise.Outputs[0]);
            Assert.Equal(TensorStorage.Arena, output.Storage);
            Assert.Equal(input.Offset, output.Offset);
            Assert.True(inPlaceReport.Layers[depthwise.Index].InPlace);
            var separateDepthwise = separate.Nodes[depthwise.Index];
            Assert.NotEqual(separate.Tensor(separateDepthwise.Inputs[0]).Offset, separate.Tensor(separateDepthwise.Outputs[0]).Offset);
            _output.WriteLine($"{name}: arena {inPlace.ArenaBytes} B in place, {separate.ArenaBytes} B separate");
            Assert.True(inPlace.ArenaBytes < separate.ArenaBytes);
            Assert.Equal(inPlaceReport.ArenaLowerBound, inPlace.ArenaBytes);
            AssertNoLiveOverlap(inPlace);
            AssertNoLiveOverlap(separate);
            Assert.Contains("// In place: y overwrites x", ModelEmitter.Emit(inPlace), StringComparison.Ordinal);

            var models = GeneratedCode.Compile(new[] { inPlace, separate });
            var a = models.Get(inPlace);
            var b = models.Get(separate);
            var x = inPlace.Tensor(inPlace.Inputs[0]);
            var rng = new Random(99);
            for (int run = 0; run < 5; run++)
            {
                Array data = x.Type == DataType.Float32
                    ? Enumerable.Range(0, (int)x.ElementCount).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray()
                    : Enumerable.Range(0, (int)x.ElementCount).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray();
                var expected = b.Run(data)[0];
                var actual = a.Run(data)[0];
                Assert.Equal(expected.Length, actual.Length);
                if (expected is float[] fe)
                {
                    var fa = (float[])actual;
                    for (int i = 0; i < fe.Length; i++) Assert.Equal(BitConverter.SingleToInt32Bits(fe[i]), BitConverter.SingleToInt32Bits(fa[i]));
                }
                else Assert.Equal((sbyte[])expected, (sbyte[])actual);
            }
        }

        /// <summary>Pointwise expand → depthwise 3x3 (+ Relu) → pointwise project: the depthwise input dies at its node.</summary>
        private static Graph FloatDepthwiseGraph()
        {
            var graph = new Graph { Name = "float_depthwise" };
            var x = new Value("x", DataType.Float32, new long[] { 1, 4, 12, 12 });
            graph.Inputs.Add(x);
            var a = Conv(graph, "expand", x, 4, 8, 1, 1, 0, 1, 1);
            var d = Conv(graph, "depthwise", a, 8, 8, 3, 1, 1, 8, 2);
            var r = new Value("r", DataType.Undefined, Array.Empty<long>());
            graph.Nodes.Add(new Node("relu", "Relu", "", new List<Value?> { d }, new List<Value> { r }, new AttributeSet()));
            var y = Conv(graph, "project", r, 8, 4, 1, 1, 0, 1, 3);
            graph.Outputs.Add(y);
            return graph;
        }

        /// <summary>The same shape in int8 QLinearConv nodes (x zero point 3, so the padding is not zero).</summary>
        private static Graph Int8DepthwiseGraph()
        {
            var graph = new Graph { Name = "int8_depthwise" };
            var x = new Value("x", DataType.Int8, new long[] { 1, 4, 10, 10 });
            graph.Inputs.Add(x);
            var a = QConv(graph, "expand", x, 4, 8, 1, 1, 1);
            var d = QConv(graph, "depthwise", a, 8, 8, 3, 8, 2);
            var y = QConv(graph, "project", d, 8, 4, 1, 1, 3);
            graph.Outputs.Add(y);
            return graph;
        }

        private static Value QConv(Graph graph, string name, Value x, long channels, long filters, long k, long group, int seed)
        {
            var rng = new Random(seed);
            Value Scalar(string suffix, DataType type, byte[] data) => new Value(name + "." + suffix, type, Array.Empty<long>(), data);
            long count = filters * (channels / group) * k * k;
            var weights = new byte[count];
            for (int i = 0; i < weights.Length; i++) weights[i] = unchecked((byte)(sbyte)rng.Next(-90, 91));
            var bias = new byte[4 * filters];
            for (int i = 0; i < filters; i++) BitConverter.GetBytes(rng.Next(-500, 500)).CopyTo(bias, 4 * i);
            var inputs = new List<Value?>
            {
                x, Scalar("x_scale", DataType.Float32, TensorData.FromFloat32(new[] { 0.05f })), Scalar("x_zp", DataType.Int8, new byte[] { 3 }),
                new Value(name + ".w", DataType.Int8, new[] { filters, channels / group, k, k }, weights),
                Scalar("w_scale", DataType.Float32, TensorData.FromFloat32(new[] { 0.02f })), Scalar("w_zp", DataType.Int8, new byte[] { 0 }),
                Scalar("y_scale", DataType.Float32, TensorData.FromFloat32(new[] { 0.07f })), Scalar("y_zp", DataType.Int8, new byte[] { 3 }),
                new Value(name + ".b", DataType.Int32, new[] { filters }, bias),
            };
            var attrs = new AttributeSet();
            attrs.Set(Attribute.FromInt("group", group));
            long pad = k / 2;
            attrs.Set(Attribute.FromInts("pads", new[] { pad, pad, pad, pad }));
            var y = new Value(name + ".y", DataType.Undefined, Array.Empty<long>());
            graph.Nodes.Add(new Node(name, "QLinearConv", "", inputs, new List<Value> { y }, attrs));
            return y;
        }

        private static Value Conv(Graph graph, string name, Value x, long channels, long filters, long k, long stride, long pad, long group, int seed)
        {
            long count = filters * (channels / group) * k * k;
            var w = new Value(name + ".w", DataType.Float32, new[] { filters, channels / group, k, k }, TensorData.FromFloat32(TestModels.Weights(seed, count)));
            var b = new Value(name + ".b", DataType.Float32, new[] { filters }, TensorData.FromFloat32(TestModels.Weights(seed + 100, filters)));
            var attrs = new AttributeSet();
            attrs.Set(Attribute.FromInt("group", group));
            attrs.Set(Attribute.FromInts("pads", new[] { pad, pad, pad, pad }));
            attrs.Set(Attribute.FromInts("strides", new[] { stride, stride }));
            var y = new Value(name + ".y", DataType.Undefined, Array.Empty<long>());
            graph.Nodes.Add(new Node(name, "Conv", "", new List<Value?> { x, w, b }, new List<Value> { y }, attrs));
            return y;
        }

        private static Value Binary(Graph graph, string name, string op, Value a, Value b)
        {
            var y = new Value(name + ".y", DataType.Undefined, Array.Empty<long>());
            graph.Nodes.Add(new Node(name, op, "", new List<Value?> { a, b }, new List<Value> { y }, new AttributeSet()));
            return y;
        }

        /// <summary>
        /// A chain of 2–5 float convolutions (group 1, depthwise, pointwise; strides 1–2; kernels 1–5)
        /// with Relu and residual Adds, so steps differ in how much of the arena is free.
        /// </summary>
        private static Graph RandomConvChain(Random rng, int index)
        {
            var graph = new Graph { Name = "chain" + index };
            long channels = rng.Next(1, 9), size = rng.Next(4, 25);
            var x = new Value("x", DataType.Float32, new[] { 1L, channels, size, size });
            graph.Inputs.Add(x);
            var current = x;
            var shapes = new List<(Value Value, long C, long S)>();
            int layers = rng.Next(2, 6);
            for (int i = 0; i < layers; i++)
            {
                int kind = rng.Next(4);
                long filters, k, stride = rng.Next(3) == 0 ? 2 : 1, group = 1;
                if (kind == 0)
                {
                    filters = channels;
                    group = channels;
                    k = 3;
                }
                else if (kind == 1)
                {
                    filters = rng.Next(1, 17);
                    k = 1;
                    stride = 1;
                }
                else
                {
                    filters = rng.Next(1, 17);
                    k = rng.Next(1, 4) * 2 - 1;
                }
                long pad = k / 2;
                if (size + 2 * pad < k) break;
                current = Conv(graph, "conv" + i, current, channels, filters, k, stride, pad, group, index * 10 + i);
                channels = filters;
                size = (size + 2 * pad - k) / stride + 1;
                if (rng.Next(3) == 0)
                {
                    var r = new Value("relu" + i + ".y", DataType.Undefined, Array.Empty<long>());
                    graph.Nodes.Add(new Node("relu" + i, "Relu", "", new List<Value?> { current }, new List<Value> { r }, new AttributeSet()));
                    current = r;
                }
                var same = shapes.FirstOrDefault(s => s.C == channels && s.S == size);
                if (same.Value is not null && rng.Next(2) == 0) current = Binary(graph, "add" + i, "Add", same.Value, current);
                shapes.Add((current, channels, size));
            }
            graph.Outputs.Add(current);
            return graph;
        }

        /// <summary>
        /// Checks a plan from the generator's side: arena tensors live from their first write to their
        /// last read, scratch only at its node; at every step no two live ranges share a byte unless
        /// they start at the same offset (a view or an in-place result of the same buffer), and
        /// scratch shares a byte with nothing.
        /// </summary>
        internal static void AssertNoLiveOverlap(ModelPlan plan, string what = "")
        {
            var first = new Dictionary<int, int>();
            var last = new Dictionary<int, int>();
            void Touch(int id, int step)
            {
                if (id < 0 || plan.Tensor(id).Storage != TensorStorage.Arena || plan.Tensor(id).ByteLength == 0) return;
                first[id] = first.TryGetValue(id, out int f) ? Math.Min(f, step) : step;
                last[id] = last.TryGetValue(id, out int l) ? Math.Max(l, step) : step;
            }
            foreach (var node in plan.Nodes)
            {
                foreach (int id in node.Inputs) Touch(id, node.Index);
                foreach (int id in node.Outputs) Touch(id, node.Index);
            }
            foreach (var node in plan.Nodes)
            {
                var live = first.Keys.Where(id => first[id] <= node.Index && node.Index <= last[id])
                    .Select(id => (Start: plan.Tensor(id).Offset, End: plan.Tensor(id).Offset + plan.Tensor(id).ByteLength, Name: "tensor " + id)).ToList();
                foreach (var t in live) Assert.True(t.End <= plan.ArenaBytes, what + ": " + t.Name + " ends past the arena");
                for (int i = 0; i < live.Count; i++)
                    for (int j = 0; j < i; j++)
                    {
                        bool overlap = live[i].Start < live[j].End && live[j].Start < live[i].End;
                        Assert.False(overlap && live[i].Start != live[j].Start, what + ": " + live[i].Name + " and " + live[j].Name + " overlap at step " + node.Index);
                    }
                var scratch = node.Scratch.Select(s => (Start: s.Offset, End: s.Offset + s.ByteLength, Name: "scratch " + s.Name)).ToList();
                foreach (var s in scratch)
                {
                    Assert.True(s.Start % MemoryPlanner.Alignment == 0, what + ": " + s.Name + " of node " + node.Index + " is not aligned");
                    Assert.True(s.End <= plan.ArenaBytes, what + ": " + s.Name + " of node " + node.Index + " ends past the arena");
                    foreach (var other in live.Concat(scratch))
                    {
                        if (other.Name == s.Name || other.Start == other.End || s.Start == s.End) continue;
                        Assert.False(s.Start < other.End && other.Start < s.End, what + ": " + s.Name + " of node " + node.Index + " overlaps " + other.Name);
                    }
                }
            }
        }

        /// <summary>The compiler's pipeline with the planner's in-place choice forced (ModelCompiler.Lower always allows it).</summary>
        private static ModelPlan PlanWith(Graph graph, string className, bool optionalInPlace, out ModelReport report)
        {
            Prepare(graph);
            var options = Options(className);
            var context = new LoweringContext(options);
            GraphLowering.Run(graph, context);
            PassPipeline.Run(graph, context);
            var memory = MemoryPlanner.Plan(graph, optionalInPlace);
            var plan = PlanBuilder.Build(graph, memory, new ImportedModel(graph, "EdgeAot tests", 8), new string('0', 64), className, options);
            report = ModelReport.Create(graph, memory, plan);
            return plan;
        }

        private static Graph Prepare(Graph graph)
        {
            graph.Opsets[""] = 13;
            foreach (var n in graph.Nodes) n.OpsetVersion = 13;
            return graph;
        }

        private static CompileOptions Options(string className)
            => new CompileOptions { ClassName = className, Namespace = "EdgeAot.Tests.Planning", ModelPath = className + ".onnx" };
    }
}
