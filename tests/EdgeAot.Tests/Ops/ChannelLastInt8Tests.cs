using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Plan;
using EdgeAot.Tests.Harness;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Tests.Ops
{
    /// <summary>
    /// int8 convolution chains run channel-last (Passes/Int8ChannelLastLayout.cs, the
    /// ChannelLastGemmInt8 / ChannelLastDepthwiseInt8 / ChannelSums8 kernels). The same graph compiled
    /// with the pass off runs the NCHW kernels, which IntegerKernelPathTests hold to an exact
    /// reference; channel-last must give those bits on every instruction path.
    /// </summary>
    public class ChannelLastInt8Tests
    {
        /// <summary>
        /// Instruction paths (IntegerKernelPath), and for VNNI and Vector256 the AVX-512 and AVX2 requantization
        /// steps: 2 = Vector256 (vpdpbusd done with AVX2) with AVX2 steps, 4 = VNNI with AVX2 steps only,
        /// 5 = Vector256 with AVX-512 steps.
        /// </summary>
        private static IEnumerable<int> Paths()
        {
            yield return 0;
            yield return 1;
            yield return 2;
            if (System.Runtime.Intrinsics.X86.AvxVnni.IsSupported)
            {
                yield return 3;
                yield return 4;
            }
            if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported) yield return 5;
        }

        private static void SetPath(CompiledModel model, int path)
        {
            var flags = BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public;
            var field = model.ModelType.GetField("IntegerKernelPath", flags);
            var wide = model.ModelType.GetField("IntegerRequantize512", flags);
            Assert.NotNull(field);
            field!.SetValue(null, path == 5 ? 2 : Math.Min(path, 3));
            // Only classes that call the channel-last requantization have the switch (the generator copies
            // just the kernels a model reaches; the NCHW reference models do not).
            if (model.Plan.Nodes.Any(n => n.GetString("kernel", "").StartsWith("channel_last", StringComparison.Ordinal))) Assert.NotNull(wide);
            wide?.SetValue(null, (path == 3 || path == 5) && System.Runtime.Intrinsics.X86.Avx512F.IsSupported);
        }

        private static sbyte[] RandomInt8(Random rng, long n, int low = -128, int high = 128)
        {
            var a = new sbyte[n];
            for (int i = 0; i < n; i++) a[i] = (sbyte)rng.Next(low, high);
            return a;
        }

        private static Value Int8(string name, sbyte[] values, params long[] shape) => new Value(name, DataType.Int8, shape, (byte[])(Array)values.Clone());

        private static Value Scalar(string name, float value) => new Value(name, DataType.Float32, Array.Empty<long>(), TensorData.FromFloat32(new[] { value }));

        /// <summary>A QLinearConv with random per-channel weight scales and bias; returns its output.</summary>
        private static Value QConv(Graph graph, Random rng, string name, Value x, float xScale, sbyte xZero, long channels, long filters, long group,
            int kh, int kw, int stride, long[] pads, float yScale, sbyte yZero)
        {
            long cg = channels / group;
            var wScales = new float[filters];
            var bias = new int[filters];
            for (int m = 0; m < filters; m++)
            {
                wScales[m] = (float)(0.002 + rng.NextDouble() * 0.01);
                bias[m] = rng.Next(-3000, 3000);
            }
            var attrs = new AttributeSet();
            attrs.Set(Attribute.FromInt("group", group));
            attrs.Set(Attribute.FromInts("strides", new long[] { stride, stride }));
            attrs.Set(Attribute.FromInts("pads", pads));
            var y = new Value(name + "_y", DataType.Undefined, Array.Empty<long>());
            graph.Nodes.Add(new Node(name, "QLinearConv", "", new List<Value?>
            {
                x, Scalar(name + "_xs", xScale), Int8(name + "_xz", new[] { xZero }),
                Int8(name + "_w", RandomInt8(rng, filters * cg * kh * kw), filters, cg, kh, kw),
                new Value(name + "_ws", DataType.Float32, new long[] { filters }, TensorData.FromFloat32(wScales)),
                Int8(name + "_wz", new sbyte[filters], filters),
                Scalar(name + "_ys", yScale), Int8(name + "_yz", new[] { yZero }),
                OpGraphBuilder.Ints(name + "_b", bias, filters),
            }, new List<Value> { y }, attrs));
            return y;
        }

        /// <summary>conv (NCHW in) → depthwise → pointwise → global average pool: the DS-CNN chain.</summary>
        private static Graph Chain(int channels, int h, int w, int filters, int kh, int kw, int stride, long[] pads, int dwKernel, int pointwiseFilters, int seed)
        {
            var rng = new Random(seed);
            var graph = new Graph { Name = "chain" };
            graph.Opsets[""] = 13;
            graph.Opsets["com.microsoft"] = 1;
            var x = new Value("x", DataType.Int8, new long[] { 1, channels, h, w });
            graph.Inputs.Add(x);
            var t1 = QConv(graph, rng, "first", x, 0.05f, -3, channels, filters, 1, kh, kw, stride, pads, 0.04f, -128);
            int dp = dwKernel / 2;
            var t2 = QConv(graph, rng, "depthwise", t1, 0.04f, -128, filters, filters, filters, dwKernel, dwKernel, 1, new long[] { dp, dp, dp, dp }, 0.03f, 7);
            var t3 = QConv(graph, rng, "pointwise", t2, 0.03f, 7, filters, pointwiseFilters, 1, 1, 1, 1, new long[] { 0, 0, 0, 0 }, 0.05f, -20);
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            graph.Nodes.Add(new Node("pool", "QLinearGlobalAveragePool", "com.microsoft", new List<Value?>
            {
                t3, Scalar("pool_xs", 0.05f), Int8("pool_xz", new sbyte[] { -20 }), Scalar("pool_ys", 0.02f), Int8("pool_yz", new sbyte[] { 3 }),
            }, new List<Value> { y }, new AttributeSet()));
            graph.Outputs.Add(y);
            foreach (var n in graph.Nodes) n.OpsetVersion = n.Domain == "" ? 13 : 1;
            return graph;
        }

        private static ModelPlan Lower(Graph graph, string className, bool channelLast)
        {
            var result = ModelCompiler.Lower(new ImportedModel(graph, "test", 8), "0",
                new CompileOptions { ClassName = className, Namespace = "ChannelLastTests", Int8ChannelLast = channelLast });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            return result.Plan!;
        }

        [Theory]
        [InlineData(1, 49, 10, 64, 10, 4, 2, 4, 1, 5, 2, 3, 64)]  // KWS shapes: 10x4 stride 2 into 64 channels, 3x3 depthwise
        [InlineData(8, 7, 6, 32, 3, 3, 1, 1, 1, 1, 1, 3, 16)]     // 42 pixels: a GEMM tail of 2 pixels, borders on every side
        [InlineData(4, 9, 11, 32, 3, 3, 2, 1, 1, 1, 1, 5, 48)]    // 5x5 depthwise: 25 taps in 7 groups, three 16-filter blocks
        [InlineData(32, 6, 5, 32, 3, 3, 1, 1, 1, 1, 1, 3, 16)]    // K = 288 > 256: the Vector128 GEMM's four-filter form for deep rows
        public void Chain_matches_the_NCHW_kernels_on_every_path(int channels, int h, int w, int filters, int kh, int kw, int stride,
            int padTop, int padLeft, int padBottom, int padRight, int dwKernel, int pointwiseFilters)
        {
            long[] pads = { padTop, padLeft, padBottom, padRight };
            string name = "Chain" + channels + "x" + h + "x" + w + "x" + filters + "x" + dwKernel;
            int seed = channels * 1000 + filters + dwKernel;
            var channelLast = Lower(Chain(channels, h, w, filters, kh, kw, stride, pads, dwKernel, pointwiseFilters, seed), name + "Nhwc", true);
            var nchw = Lower(Chain(channels, h, w, filters, kh, kw, stride, pads, dwKernel, pointwiseFilters, seed), name + "Nchw", false);
            Assert.Equal(new[] { "channel_last_gemm", "channel_last_depthwise", "channel_last_gemm" },
                channelLast.Nodes.Where(n => n.OpType == "QLinearConv").Select(n => n.GetString("kernel", "")).ToArray());
            Assert.DoesNotContain(nchw.Nodes, n => n.GetString("kernel", "").StartsWith("channel_last", StringComparison.Ordinal));

            var models = GeneratedCode.Compile(new[] { channelLast, nchw });
            var fast = models.Get(channelLast);
            var reference = models.Get(nchw);
            SetPath(reference, 0);
            var rng = new Random(seed + 1);
            for (int s = 0; s < 3; s++)
            {
                sbyte[] input = RandomInt8(rng, (long)channels * h * w);
                var expected = (sbyte[])reference.Run(input)[0];
                foreach (int path in Paths())
                {
                    SetPath(fast, path);
                    Assert.True(expected.AsSpan().SequenceEqual((sbyte[])fast.Run(input)[0]), "path " + path + " differs from the NCHW kernels on input " + s);
                }
            }
        }

        [Fact]
        public void Graph_outputs_and_their_producers_keep_NCHW()
        {
            // The depthwise output is also a graph output, so it stays NCHW: the depthwise layer (NHWC on both
            // sides or not at all) and the first convolution keep their NCHW kernels. Only the pointwise → pool
            // edge goes channel-last: the pointwise layer gathers its NCHW input and writes NHWC rows.
            var graph = Chain(8, 7, 6, 32, 3, 3, 1, new long[] { 1, 1, 1, 1 }, 3, 16, seed: 5);
            graph.Outputs.Add(graph.Nodes.Single(n => n.Name == "depthwise").Outputs[0]);
            var plan = Lower(graph, "ChainWithSideOutput", true);
            Assert.Equal(new[] { "packed_gemm", "depthwise_plane", "channel_last_gemm" },
                plan.Nodes.Where(n => n.OpType == "QLinearConv").Select(n => n.GetString("kernel", "")).ToArray());
            Assert.Equal(new[] { "pointwise" }, plan.Nodes.Where(n => n.GetInt("y_channels_last", 0) != 0).Select(n => n.Name).ToArray());
            Assert.Equal(new[] { "pool" }, plan.Nodes.Where(n => n.GetInt("x_channels_last", 0) != 0).Select(n => n.Name).ToArray());

            var reference = Lower(Chain(8, 7, 6, 32, 3, 3, 1, new long[] { 1, 1, 1, 1 }, 3, 16, seed: 5), "ChainReference", false);
            var models = GeneratedCode.Compile(new[] { plan, reference });
            var fast = models.Get(plan);
            var slow = models.Get(reference);
            SetPath(slow, 0);
            var input = RandomInt8(new Random(3), 8 * 7 * 6);
            var expected = (sbyte[])slow.Run(input)[0];
            foreach (int path in Paths())
            {
                SetPath(fast, path);
                var outputs = fast.Run(input);
                Assert.True(expected.AsSpan().SequenceEqual((sbyte[])outputs[0]), "path " + path + " differs from the NCHW kernels");
            }
        }

        [Fact]
        public void Kws_gives_the_NCHW_bits_on_every_path_with_a_smaller_arena()
        {
            var plans = new List<ModelPlan>();
            foreach (bool channelLast in new[] { true, false })
            {
                var result = ModelCompiler.CompileFile(SharedData.Model("kws_ref_model.onnx"),
                    new CompileOptions { ModelPath = "kws_ref_model.onnx", ClassName = channelLast ? "KwsNhwc" : "KwsNchw", Namespace = "ChannelLastTests.Models", Int8ChannelLast = channelLast });
                Assert.True(result.Success, string.Join("\n", result.Diagnostics));
                plans.Add(result.Plan!);
            }
            Assert.Equal(9, plans[0].Nodes.Count(n => n.GetString("kernel", "").StartsWith("channel_last", StringComparison.Ordinal)));
            Assert.True(plans[0].ArenaBytes <= plans[1].ArenaBytes, plans[0].ArenaBytes + " > " + plans[1].ArenaBytes);
            Assert.True(plans[0].ArenaBytes <= 20000, "kws int8 arena " + plans[0].ArenaBytes + " B");

            var models = GeneratedCode.Compile(plans);
            var fast = models.Get(plans[0]);
            var reference = models.Get(plans[1]);
            SetPath(reference, 0);
            var rng = new Random(11);
            for (int s = 0; s < 4; s++)
            {
                sbyte[] input = RandomInt8(rng, plans[0].Tensor(plans[0].Inputs[0]).ElementCount);
                var expected = (sbyte[])reference.Run(input)[0];
                foreach (int path in Paths())
                {
                    SetPath(fast, path);
                    Assert.True(expected.AsSpan().SequenceEqual((sbyte[])fast.Run(input)[0]), "path " + path + " differs from the NCHW kernels on input " + s);
                }
            }
        }
    }
}
