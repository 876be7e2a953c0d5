using System;
using System.Collections.Generic;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Tests.Harness;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Tests.Ops
{
    /// <summary>Conv, Gemm, MatMul, pools and BatchNorm kernels against naive scalar references written here.</summary>
    public class ConvGemmPoolTests
    {
        private static float[] Random(Random rng, long n)
        {
            var a = new float[n];
            for (int i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
            return a;
        }

        private static ModelPlan Lower(Graph graph, string className)
        {
            graph.Opsets[""] = 13;
            foreach (var n in graph.Nodes) n.OpsetVersion = 13;
            var result = ModelCompiler.Lower(new ImportedModel(graph, "test", 8), "0", new CompileOptions { ClassName = className, Namespace = "OpTests" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            return result.Plan!;
        }

        private static void AssertClose(float[] expected, float[] actual, float tolerance = 1e-5f)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                float limit = tolerance * Math.Max(1, Math.Abs(expected[i]));
                Assert.True(Math.Abs(expected[i] - actual[i]) <= limit, $"element {i}: expected {expected[i]}, got {actual[i]}");
            }
        }

        public static IEnumerable<object[]> ConvCases() => new[]
        {
            // batch, channels, h, w, filters, group, kh, kw, stride, pad, dilation
            new object[] { 1, 3, 8, 8, 4, 1, 3, 3, 1, 1, 1 },
            new object[] { 2, 4, 7, 9, 4, 4, 3, 3, 2, 1, 1 },
            new object[] { 1, 6, 6, 5, 4, 2, 2, 3, 1, 0, 2 },
            new object[] { 1, 8, 5, 5, 16, 1, 1, 1, 1, 0, 1 },
            new object[] { 1, 2, 10, 10, 3, 1, 5, 5, 3, 2, 1 },
            new object[] { 2, 6, 25, 5, 6, 6, 3, 3, 1, 1, 1 },   // depthwise stride 1: padded-plane kernel
            new object[] { 1, 5, 9, 11, 5, 5, 3, 3, 1, 2, 2 },   // depthwise, dilation 2
            new object[] { 1, 3, 6, 6, 3, 3, 5, 5, 1, 0, 1 },    // depthwise, no padding
        };

        [Theory]
        [MemberData(nameof(ConvCases))]
        public void Conv_matches_direct_reference(int batch, int channels, int h, int w, int filters, int group, int kh, int kw, int stride, int pad, int dilation)
            => CheckConv(batch, channels, h, w, filters, group, kh, kw, stride, stride, new[] { pad, pad, pad, pad }, dilation, relu: false);

        public static IEnumerable<object[]> PanelConvCases() => new[]
        {
            // batch, channels, h, w, filters, group, kh, kw, stride h, stride w, pads (top, left, bottom, right), dilation, relu
            new object[] { 1, 3, 11, 13, 12, 1, 3, 3, 2, 2, new[] { 1, 1, 1, 1 }, 1, false },   // stride 2: four phases; 12 filters = one full panel + a 4-row tail
            new object[] { 1, 3, 96, 96, 8, 1, 3, 3, 2, 2, new[] { 0, 0, 1, 1 }, 1, true },    // vww's first layer (TF "same" padding, bottom/right only) + Relu
            new object[] { 1, 16, 9, 9, 20, 1, 1, 1, 2, 2, new[] { 0, 0, 0, 0 }, 1, false },   // 1x1 stride 2: one phase of four stored
            new object[] { 1, 5, 15, 14, 37, 1, 1, 1, 1, 1, new[] { 0, 0, 0, 0 }, 1, true },    // pointwise in place, 210 columns (vector pairs, single vector, overlapping tail)
            new object[] { 2, 4, 17, 19, 9, 1, 3, 3, 1, 1, new[] { 2, 2, 2, 2 }, 2, false },    // dilation 2, batch 2
            new object[] { 1, 4, 30, 40, 8, 1, 3, 3, 1, 1, new[] { 1, 1, 1, 1 }, 1, true },     // wide rows (vector row copies), output in two tiles of rows
            new object[] { 1, 1, 49, 10, 64, 1, 10, 4, 2, 2, new[] { 4, 1, 5, 1 }, 1, true },   // kws's first layer: 10x4 kernel, asymmetric pads
            new object[] { 1, 7, 5, 3, 4, 1, 2, 2, 1, 2, new[] { 0, 1, 1, 0 }, 1, false },      // unequal strides, fewer columns than a vector
            new object[] { 1, 6, 12, 11, 6, 6, 3, 3, 2, 2, new[] { 1, 1, 1, 1 }, 1, true },     // depthwise stride 2 on phase planes
            new object[] { 1, 16, 48, 48, 16, 16, 3, 3, 2, 2, new[] { 0, 0, 1, 1 }, 1, true },  // depthwise stride 2, vww shape
            new object[] { 1, 3, 20, 36, 3, 3, 3, 3, 1, 1, new[] { 1, 1, 1, 1 }, 1, false },    // depthwise, wide rows, no activation
            new object[] { 1, 64, 25, 5, 64, 64, 3, 3, 1, 1, new[] { 1, 1, 1, 1 }, 1, true },   // depthwise, kws shape (rows of 5)
            new object[] { 1, 40, 3, 3, 50, 1, 1, 1, 1, 1, new[] { 0, 0, 0, 0 }, 1, true },     // pointwise over 9 pixels: transposed, filters in lanes
            new object[] { 2, 24, 2, 5, 200, 1, 1, 1, 1, 1, new[] { 0, 0, 0, 0 }, 1, false },   // transposed, two weight panels (128 + 72 filters)
        };

        [Theory]
        [MemberData(nameof(PanelConvCases))]
        public void Conv_kernels_match_direct_reference(int batch, int channels, int h, int w, int filters, int group, int kh, int kw, int strideH, int strideW, int[] pads, int dilation, bool relu)
            => CheckConv(batch, channels, h, w, filters, group, kh, kw, strideH, strideW, pads, dilation, relu);

        [Fact]
        public void Conv_random_shapes_match_direct_reference()
        {
            var rng = new Random(2026);
            for (int i = 0; i < 12; i++)
            {
                int kh = rng.Next(1, 4), kw = rng.Next(1, 4), sh = rng.Next(1, 3), sw = rng.Next(1, 3);
                int h = rng.Next(kh, 20), w = rng.Next(kw, 40);
                int group = rng.Next(3) == 0 ? 2 : 1;
                int channels = group * rng.Next(1, 9), filters = group * rng.Next(2, 21);
                var pads = new[] { rng.Next(0, kh), rng.Next(0, kw), rng.Next(0, kh), rng.Next(0, kw) };
                CheckConv(rng.Next(1, 3), channels, h, w, filters, group, kh, kw, sh, sw, pads, 1, relu: rng.Next(2) == 0, seed: i);
            }
        }

        /// <summary>
        /// Runs <paramref name="check"/> on every float kernel path (3 = Vector512, 2 = Vector256, 1 = Vector128, 0 = scalar), widest
        /// first, then restores the widest. A model whose layers call no shared float kernel has no path switch (the generator copies
        /// only the kernels a model uses) and runs the check once.
        /// </summary>
        private static void OnEveryFloatPath(CompiledModel model, Action<int> check)
        {
            var path = model.ModelType.GetField("FloatKernelPath", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic);
            if (path is null)
            {
                check(-1);
                return;
            }
            int widest = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? 3 : 2;
            try
            {
                for (int p = widest; p >= 0; p--)
                {
                    path!.SetValue(null, p);
                    check(p);
                }
            }
            finally
            {
                path!.SetValue(null, widest);
            }
        }

        [Theory]
        [InlineData(5, 7)]      // 35 pixels: whole vector steps and a scalar tail on every path
        [InlineData(4, 4)]      // exactly one 16-pixel step
        [InlineData(1, 3)]      // fewer pixels than any vector
        public void Rgb_pixels_to_planes_transpose_matches_reference(int h, int w)
        {
            var graph = new Graph();
            var x = new Value("x", DataType.Float32, new long[] { 1, h, w, 3 });
            graph.Inputs.Add(x);
            var planes = new Value("planes", DataType.Undefined, Array.Empty<long>());
            var attrs = new AttributeSet();
            attrs.Set(Attribute.FromInts("perm", new long[] { 0, 3, 1, 2 }));
            graph.Nodes.Add(new Node("to_nchw", "Transpose", "", new List<Value?> { x }, new List<Value> { planes }, attrs));
            // A conv reading the planes, as in the models this transpose comes from (and the float kernels' user).
            var weights = new Value("w", DataType.Float32, new long[] { 4, 3, 1, 1 }, TensorData.FromFloat32(Random(new Random(5), 12)));
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            graph.Nodes.Add(new Node("conv", "Conv", "", new List<Value?> { planes, weights }, new List<Value> { y }, new AttributeSet()));
            graph.Outputs.Add(planes);
            graph.Outputs.Add(y);
            var plan = Lower(graph, "PixelsToPlanes" + h + "x" + w);
            Assert.Contains("PixelsToPlanes3(", EdgeAot.Generator.Emit.ModelEmitter.Emit(plan), StringComparison.Ordinal);
            var model = GeneratedCode.Compile(plan);
            var input = Random(new Random(h * 10 + w), h * w * 3);
            var expected = new float[input.Length];
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < h * w; p++) expected[c * h * w + p] = input[p * 3 + c];
            input[0] = -0f; // the sign of zero survives (the kernel joins lanes with bitwise or, not addition)
            expected[0] = -0f;
            OnEveryFloatPath(model, p =>
            {
                var actual = (float[])model.Run(input)[0];
                Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
            });
        }

        [Theory]
        [InlineData(37, false, "Relu")]    // same shape: AddClamp, vector steps and a scalar tail on every path
        [InlineData(64, false, "Clip")]
        [InlineData(37, false, "")]
        [InlineData(12, true, "Relu")]     // broadcast: the loop applies the fused activation per element
        public void Residual_add_with_fused_activation_matches_reference(int n, bool broadcast, string activation)
        {
            var rng = new Random(n);
            var graph = new Graph();
            var a = new Value("a", DataType.Float32, new long[] { 1, 4, n });
            var b = new Value("b", DataType.Float32, broadcast ? new long[] { 1, 4, 1 } : new long[] { 1, 4, n });
            graph.Inputs.Add(a);
            graph.Inputs.Add(b);
            // A conv in the model, as where residual connections occur (and the float kernels' user).
            var w = new Value("w", DataType.Float32, new long[] { 4, 4, 1 }, TensorData.FromFloat32(Random(rng, 16)));
            var conv = new Value("conv", DataType.Undefined, Array.Empty<long>());
            graph.Nodes.Add(new Node("conv", "Conv", "", new List<Value?> { a, w }, new List<Value> { conv }, new AttributeSet()));
            var sum = new Value("sum", DataType.Undefined, Array.Empty<long>());
            graph.Nodes.Add(new Node("add", "Add", "", new List<Value?> { conv, b }, new List<Value> { sum }, new AttributeSet()));
            var y = sum;
            if (activation.Length > 0)
            {
                y = new Value("y", DataType.Undefined, Array.Empty<long>());
                var attrs = new AttributeSet();
                var inputs = new List<Value?> { sum };
                if (activation == "Clip")
                {
                    inputs.Add(new Value("lo", DataType.Float32, Array.Empty<long>(), TensorData.FromFloat32(new[] { -0.25f })));
                    inputs.Add(new Value("hi", DataType.Float32, Array.Empty<long>(), TensorData.FromFloat32(new[] { 0.5f })));
                }
                graph.Nodes.Add(new Node("act", activation, "", inputs, new List<Value> { y }, attrs));
            }
            graph.Outputs.Add(y);
            var plan = Lower(graph, "ResidualAdd" + n + (broadcast ? "b" : "") + activation);
            var add = plan.Nodes.Single(x => x.OpType == "Add");
            Assert.Equal(activation.Length > 0 ? "Clip" : "", add.GetString("activation", ""));
            Assert.DoesNotContain(plan.Nodes, x => x.OpType is "Relu" or "Clip");
            // A same-shape Add calls AddClamp (its definition, when the class holds one, starts with a parameter type, not an argument).
            int calls = System.Text.RegularExpressions.Regex.Matches(EdgeAot.Generator.Emit.ModelEmitter.Emit(plan), @"\bAddClamp\((?!global::)").Count;
            Assert.Equal(broadcast ? 0 : 1, calls);
            var model = GeneratedCode.Compile(plan);
            float[] aData = Random(rng, 4 * n), bData = Random(rng, broadcast ? 4 : 4 * n), wData = TensorData.ToFloat32(w);
            var expected = new float[4 * n];
            for (int m = 0; m < 4; m++)
                for (int i = 0; i < n; i++)
                {
                    double v = 0;
                    for (int c = 0; c < 4; c++) v += wData[m * 4 + c] * aData[c * n + i];
                    float s = (float)v + bData[broadcast ? m : m * n + i];
                    expected[m * n + i] = activation == "Relu" ? Math.Max(s, 0f) : activation == "Clip" ? Math.Min(Math.Max(s, -0.25f), 0.5f) : s;
                }
            OnEveryFloatPath(model, p => AssertClose(expected, (float[])model.Run(aData, bData)[0]));
        }

        private static void CheckConv(int batch, int channels, int h, int w, int filters, int group, int kh, int kw, int strideH, int strideW, int[] pads, int dilation, bool relu, int seed = 0)
        {
            var rng = new Random(batch * 1000 + channels * 100 + h + kh + seed);
            var graph = new Graph();
            var x = new Value("x", DataType.Float32, new long[] { batch, channels, h, w });
            float[] wData = Random(rng, (long)filters * (channels / group) * kh * kw), bData = Random(rng, filters);
            var weights = new Value("w", DataType.Float32, new long[] { filters, channels / group, kh, kw }, TensorData.FromFloat32(wData));
            var bias = new Value("b", DataType.Float32, new long[] { filters }, TensorData.FromFloat32(bData));
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            var attrs = new AttributeSet();
            attrs.Set(Attribute.FromInt("group", group));
            attrs.Set(Attribute.FromInts("kernel_shape", new long[] { kh, kw }));
            attrs.Set(Attribute.FromInts("strides", new long[] { strideH, strideW }));
            attrs.Set(Attribute.FromInts("pads", new long[] { pads[0], pads[1], pads[2], pads[3] }));
            attrs.Set(Attribute.FromInts("dilations", new long[] { dilation, dilation }));
            graph.Inputs.Add(x);
            int oh = (h + pads[0] + pads[2] - ((kh - 1) * dilation + 1)) / strideH + 1, ow = (w + pads[1] + pads[3] - ((kw - 1) * dilation + 1)) / strideW + 1;
            // The conv's output is padded with zero rows and sliced back: the padded copy, live just
            // after the conv, leaves the conv's step room below the arena's peak, so the planner may
            // give it the panel kernel (whose input copy must fit in the free bytes). Same values out.
            long hp = h + pads[0] + pads[2] + strideH, wp = w + pads[1] + pads[3] + strideW;
            long needed = 4 * ((strideH * strideW + 1) * (long)channels * hp * wp + (long)filters * wp);
            long extraRows = needed / (4L * batch * filters * ow) + 1;
            var convOut = new Value("conv", DataType.Undefined, Array.Empty<long>());
            graph.Nodes.Add(new Node("conv", "Conv", "", new List<Value?> { x, weights, bias }, new List<Value> { convOut }, attrs));
            var activated = convOut;
            if (relu)
            {
                activated = new Value("relu", DataType.Undefined, Array.Empty<long>());
                graph.Nodes.Add(new Node("relu", "Relu", "", new List<Value?> { convOut }, new List<Value> { activated }, new AttributeSet()));
            }
            var padded = new Value("padded", DataType.Undefined, Array.Empty<long>());
            var padAmounts = new Value("pad_amounts", DataType.Int64, new long[] { 8 }, TensorData.FromInt64(new long[] { 0, 0, 0, 0, 0, 0, extraRows, 0 }));
            graph.Nodes.Add(new Node("pad", "Pad", "", new List<Value?> { activated, padAmounts }, new List<Value> { padded }, new AttributeSet()));
            var starts = new Value("starts", DataType.Int64, new long[] { 1 }, TensorData.FromInt64(new long[] { 0 }));
            var ends = new Value("ends", DataType.Int64, new long[] { 1 }, TensorData.FromInt64(new long[] { oh }));
            var axes = new Value("axes", DataType.Int64, new long[] { 1 }, TensorData.FromInt64(new long[] { 2 }));
            graph.Nodes.Add(new Node("slice", "Slice", "", new List<Value?> { padded, starts, ends, axes }, new List<Value> { y }, new AttributeSet()));
            graph.Outputs.Add(y);
            var plan = Lower(graph, "Conv" + batch + "_" + channels + "_" + h + "_" + w + "_" + filters + "_" + group + "_" + kh + kw + "_" + strideH + strideW + "_" + string.Join("", pads) + "_" + dilation + (relu ? "r" : "") + "_" + seed);
            var model = GeneratedCode.Compile(plan);

            var conv = plan.Nodes.Single(n => n.OpType == "Conv");
            var geometry = new ConvGeometry(new long[] { batch, channels, h, w }, new long[] { batch, filters, oh, ow }, group,
                new long[] { kh, kw }, new long[] { strideH, strideW }, new long[] { pads[0], pads[1], pads[2], pads[3] }, new long[] { dilation, dilation });
            if (PanelGeometry.For(geometry) is { } panels)
                Assert.Equal(panels.FiltersInLanes ? ConvKernels.TransposedPointwise : panels.InPlace ? ConvKernels.PanelsPointwise : ConvKernels.Panels, conv.GetString("kernel", ""));

            float[] input = Random(rng, (long)batch * channels * h * w);

            var expected = new float[batch * filters * oh * ow];
            int cg = channels / group, fg = filters / group;
            for (int n = 0; n < batch; n++)
            for (int m = 0; m < filters; m++)
            for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                double sum = bData[m];
                for (int c = 0; c < cg; c++)
                for (int a = 0; a < kh; a++)
                for (int b = 0; b < kw; b++)
                {
                    int ih = i * strideH + a * dilation - pads[0], iw = j * strideW + b * dilation - pads[1];
                    if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                    sum += input[((n * channels + m / fg * cg + c) * h + ih) * w + iw] * wData[((m * cg + c) * kh + a) * kw + b];
                }
                expected[((n * filters + m) * oh + i) * ow + j] = relu ? (float)Math.Max(sum, 0) : (float)sum;
            }
            OnEveryFloatPath(model, p =>
            {
                AssertClose(expected, (float[])model.Run(input)[0]);
                // Padded copies and tiles are arena scratch that other layers dirty between runs.
                model.FillArena(0xFF);
                AssertClose(expected, (float[])model.Run(input)[0]);
            });
        }

        [Theory]
        [InlineData(3, 5, 4, false, false, 1f, 1f)]
        [InlineData(2, 6, 3, true, false, 0.5f, 2f)]
        [InlineData(4, 3, 7, false, true, 1f, 0f)]
        [InlineData(1, 8, 2, true, true, -1.5f, 0.25f)]
        [InlineData(1, 40, 200, false, false, 1f, 1f)]    // one row: eight-vector column blocks, then single vectors and an overlapping tail
        [InlineData(2, 33, 300, false, false, 1f, 0.5f)]
        [InlineData(3, 17, 128, false, false, 2f, 1f)]
        public void Gemm_matches_reference(int m, int k, int n, bool transA, bool transB, float alpha, float beta)
        {
            var rng = new Random(m * 31 + k * 7 + n);
            var graph = new Graph();
            var a = new Value("a", DataType.Float32, transA ? new long[] { k, m } : new long[] { m, k });
            float[] bData = Random(rng, k * n), cData = Random(rng, n);
            var b = new Value("b", DataType.Float32, transB ? new long[] { n, k } : new long[] { k, n }, TensorData.FromFloat32(bData));
            var c = new Value("c", DataType.Float32, new long[] { n }, TensorData.FromFloat32(cData));
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            var attrs = new AttributeSet();
            attrs.Set(Attribute.FromInt("transA", transA ? 1 : 0));
            attrs.Set(Attribute.FromInt("transB", transB ? 1 : 0));
            attrs.Set(Attribute.FromFloat("alpha", alpha));
            attrs.Set(Attribute.FromFloat("beta", beta));
            graph.Inputs.Add(a);
            graph.Nodes.Add(new Node("gemm", "Gemm", "", new List<Value?> { a, b, c }, new List<Value> { y }, attrs));
            graph.Outputs.Add(y);
            var model = GeneratedCode.Compile(Lower(graph, "Gemm" + m + k + n + (transA ? 1 : 0) + (transB ? 1 : 0)));
            float[] aData = Random(rng, m * k);
            var expected = new float[m * n];
            for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += aData[transA ? p * m + i : i * k + p] * bData[transB ? j * k + p : p * n + j];
                expected[i * n + j] = (float)(alpha * sum + beta * cData[j]);
            }
            OnEveryFloatPath(model, p =>
            {
                AssertClose(expected, (float[])model.Run(aData)[0]);
            });
        }

        [Fact]
        public void Depthwise_narrow_rows_keep_infinity_out_of_neighbouring_rows()
        {
            // Rows of 5 are read in place: the taps left of column 0 touch the previous row's last column,
            // which holds +infinity here. Masking must zero those lanes (not multiply them by 0, which gives NaN).
            const int H = 4, W = 5;
            var graph = new Graph();
            var x = new Value("x", DataType.Float32, new long[] { 1, 1, H, W });
            float[] wData = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
            var weights = new Value("w", DataType.Float32, new long[] { 1, 1, 3, 3 }, TensorData.FromFloat32(wData));
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            var attrs = new AttributeSet();
            attrs.Set(Attribute.FromInt("group", 1));
            attrs.Set(Attribute.FromInts("pads", new long[] { 1, 1, 1, 1 }));
            graph.Inputs.Add(x);
            graph.Nodes.Add(new Node("conv", "Conv", "", new List<Value?> { x, weights }, new List<Value> { y }, attrs));
            graph.Outputs.Add(y);
            var model = GeneratedCode.Compile(Lower(graph, "DepthwiseInfinity"));
            var input = new float[H * W];
            for (int i = 0; i < input.Length; i++) input[i] = i * 0.25f;
            input[W - 1] = float.PositiveInfinity; // row 0, last column
            OnEveryFloatPath(model, p =>
            {
                var actual = (float[])model.Run(input)[0];
                for (int i = 0; i < H; i++)
                for (int j = 0; j < W; j++)
                {
                    double sum = 0;
                    bool infinite = false;
                    for (int a = 0; a < 3; a++)
                    for (int b = 0; b < 3; b++)
                    {
                        int ih = i + a - 1, iw = j + b - 1;
                        if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                        if (float.IsInfinity(input[ih * W + iw])) infinite = true;
                        else sum += input[ih * W + iw] * wData[a * 3 + b];
                    }
                    float got = actual[i * W + j];
                    if (infinite) Assert.True(float.IsPositiveInfinity(got), $"({i},{j}) on path {p}: {got}");
                    else Assert.True(Math.Abs(got - sum) <= 1e-5 * Math.Max(1, Math.Abs(sum)), $"({i},{j}) on path {p}: expected {sum}, got {got}");
                }
            });
        }

        [Fact]
        public void Relu_and_whole_plane_averages_match_reference()
        {
            const int C = 5, H = 7, W = 9;
            var rng = new Random(77);
            var graph = new Graph();
            var x = new Value("x", DataType.Float32, new long[] { 1, C, H, W });
            var relu = new Value("relu", DataType.Undefined, Array.Empty<long>());
            var pooled = new Value("pooled", DataType.Undefined, Array.Empty<long>());
            var global = new Value("global", DataType.Undefined, Array.Empty<long>());
            var attrs = new AttributeSet();
            attrs.Set(Attribute.FromInts("kernel_shape", new long[] { H, W }));
            graph.Inputs.Add(x);
            graph.Nodes.Add(new Node("relu", "Relu", "", new List<Value?> { x }, new List<Value> { relu }, new AttributeSet()));
            graph.Nodes.Add(new Node("pool", "AveragePool", "", new List<Value?> { relu }, new List<Value> { pooled }, attrs));
            graph.Nodes.Add(new Node("gap", "GlobalAveragePool", "", new List<Value?> { x }, new List<Value> { global }, new AttributeSet()));
            graph.Outputs.Add(relu);
            graph.Outputs.Add(pooled);
            graph.Outputs.Add(global);
            var model = GeneratedCode.Compile(Lower(graph, "ReluAverages"));
            float[] input = Random(rng, C * H * W);
            input[3] = float.NaN;
            var expectedRelu = new float[C * H * W];
            var expectedPool = new float[C];
            var expectedGlobal = new float[C];
            for (int c = 0; c < C; c++)
            {
                double sum = 0, reluSum = 0;
                for (int i = 0; i < H * W; i++)
                {
                    float v = input[c * H * W + i];
                    expectedRelu[c * H * W + i] = float.IsNaN(v) ? v : Math.Max(v, 0f);
                    sum += v;
                    reluSum += expectedRelu[c * H * W + i];
                }
                expectedPool[c] = (float)(reluSum / (H * W));
                expectedGlobal[c] = (float)(sum / (H * W));
            }
            OnEveryFloatPath(model, p =>
            {
                var outputs = model.Run(input);
                var actualRelu = (float[])outputs[0];
                Assert.True(float.IsNaN(actualRelu[3]), "Relu must keep NaN on path " + p);
                actualRelu[3] = expectedRelu[3] = 0;
                AssertClose(expectedRelu, actualRelu);
                expectedRelu[3] = float.NaN;
                var actualPool = (float[])outputs[1];
                var actualGlobal = (float[])outputs[2];
                Assert.True(float.IsNaN(actualPool[0]) && float.IsNaN(actualGlobal[0]), "NaN must reach the channel-0 averages on path " + p);
                for (int c = 1; c < C; c++)
                {
                    Assert.True(Math.Abs(expectedPool[c] - actualPool[c]) <= 1e-5f * Math.Max(1, Math.Abs(expectedPool[c])), $"pool {c} on path {p}");
                    Assert.True(Math.Abs(expectedGlobal[c] - actualGlobal[c]) <= 1e-5f * Math.Max(1, Math.Abs(expectedGlobal[c])), $"global {c} on path {p}");
                }
            });
        }

        [Theory]
        [InlineData(1, 64, 256)]   // one row: the eight-vector column blocks (GemmRow), where zeros in A are skipped
        [InlineData(2, 40, 130)]   // two rows and a column tail past the blocks
        public void MatMul_with_zeros_in_A_skips_them_exactly_for_constant_B(int m, int k, int n)
        {
            var rng = new Random(m * 100 + k + n);
            float[] bData = Random(rng, k * n);
            var graph = new Graph();
            var a = new Value("a", DataType.Float32, new long[] { m, k });
            var b = new Value("b", DataType.Float32, new long[] { k, n }, TensorData.FromFloat32(bData));
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            graph.Inputs.Add(a);
            graph.Nodes.Add(new Node("mm", "MatMul", "", new List<Value?> { a, b }, new List<Value> { y }, new AttributeSet()));
            graph.Outputs.Add(y);
            var plan = Lower(graph, "MatMulZeroA" + m + "x" + k + "x" + n);
            Assert.Contains("skipZeroA: true", EdgeAot.Generator.Emit.ModelEmitter.Emit(plan), StringComparison.Ordinal);
            var model = GeneratedCode.Compile(plan);
            // Half of A is zero, as after a ReLU, including whole leading and trailing runs.
            float[] aData = Random(rng, m * k);
            for (int i = 0; i < aData.Length; i++) if (i % 2 == 0 || i < 5 || i >= aData.Length - 5) aData[i] = 0f;
            var expected = new float[m * n];
            for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += aData[i * k + p] * bData[p * n + j];
                expected[i * n + j] = (float)sum;
            }
            OnEveryFloatPath(model, p => AssertClose(expected, (float[])model.Run(aData)[0]));
        }

        [Fact]
        public void MatMul_with_a_runtime_B_keeps_zero_times_infinity_as_NaN()
        {
            // B is a graph input here, so it may hold infinities: 0·∞ is NaN in IEEE and ONNX, and a
            // kernel must not skip the zero in A (only constant finite weights allow that).
            const int k = 8, n = 128;
            var graph = new Graph();
            var a = new Value("a", DataType.Float32, new long[] { 1, k });
            var b = new Value("b", DataType.Float32, new long[] { k, n });
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            graph.Inputs.Add(a);
            graph.Inputs.Add(b);
            graph.Nodes.Add(new Node("mm", "MatMul", "", new List<Value?> { a, b }, new List<Value> { y }, new AttributeSet()));
            graph.Outputs.Add(y);
            var plan = Lower(graph, "MatMulZeroTimesInfinity");
            Assert.DoesNotContain("skipZeroA: true", EdgeAot.Generator.Emit.ModelEmitter.Emit(plan), StringComparison.Ordinal);
            var model = GeneratedCode.Compile(plan);
            var aData = new float[k];
            aData[3] = 2f;                                   // A = [0, 0, 0, 2, 0, 0, 0, 0]
            var bData = new float[k * n];
            for (int j = 0; j < n; j++) bData[3 * n + j] = 1f;
            bData[0 * n + 7] = float.PositiveInfinity;        // 0·∞ in column 7
            OnEveryFloatPath(model, p =>
            {
                var result = (float[])model.Run(aData, bData)[0];
                Assert.True(float.IsNaN(result[7]), "path " + p + ": column 7 should be NaN, got " + result[7]);
                Assert.Equal(2f, result[8]);
            });
        }

        [Fact]
        public void MatMul_broadcasts_batches()
        {
            var rng = new Random(5);
            var graph = new Graph();
            var a = new Value("a", DataType.Float32, new long[] { 2, 1, 3, 4 });
            var b = new Value("b", DataType.Float32, new long[] { 3, 4, 5 });
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            graph.Inputs.Add(a);
            graph.Inputs.Add(b);
            graph.Nodes.Add(new Node("mm", "MatMul", "", new List<Value?> { a, b }, new List<Value> { y }, new AttributeSet()));
            graph.Outputs.Add(y);
            var plan = Lower(graph, "MatMulBatch");
            Assert.Equal(new long[] { 2, 3, 3, 5 }, plan.Tensor(plan.Outputs[0]).Shape.ToArray());
            float[] aData = Random(rng, 24), bData = Random(rng, 60);
            var actual = (float[])GeneratedCode.Compile(plan).Run(aData, bData)[0];
            var expected = new float[2 * 3 * 3 * 5];
            for (int p = 0; p < 2; p++)
            for (int q = 0; q < 3; q++)
            for (int i = 0; i < 3; i++)
            for (int j = 0; j < 5; j++)
            {
                double sum = 0;
                for (int t = 0; t < 4; t++) sum += aData[(p * 3 + i) * 4 + t] * bData[(q * 4 + t) * 5 + j];
                expected[((p * 3 + q) * 3 + i) * 5 + j] = (float)sum;
            }
            AssertClose(expected, actual);
        }

        [Theory]
        [InlineData("MaxPool", 3, 2, 1, 0, 0)]
        [InlineData("AveragePool", 3, 2, 1, 0, 0)]
        [InlineData("AveragePool", 3, 2, 1, 1, 0)]
        [InlineData("AveragePool", 2, 2, 0, 0, 1)]
        [InlineData("MaxPool", 3, 2, 0, 0, 1)]
        [InlineData("AveragePool", 3, 2, 1, 1, 1)]
        public void Pool_matches_reference(string op, int kernel, int stride, int pad, int countIncludePad, int ceilMode)
        {
            const int C = 3, H = 7, W = 8;
            var rng = new Random(kernel * 10 + stride + pad * 3 + ceilMode);
            var graph = new Graph();
            var x = new Value("x", DataType.Float32, new long[] { 1, C, H, W });
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            var attrs = new AttributeSet();
            attrs.Set(Attribute.FromInts("kernel_shape", new long[] { kernel, kernel }));
            attrs.Set(Attribute.FromInts("strides", new long[] { stride, stride }));
            attrs.Set(Attribute.FromInts("pads", new long[] { pad, pad, pad, pad }));
            attrs.Set(Attribute.FromInt("ceil_mode", ceilMode));
            if (op == "AveragePool") attrs.Set(Attribute.FromInt("count_include_pad", countIncludePad));
            graph.Inputs.Add(x);
            graph.Nodes.Add(new Node("pool", op, "", new List<Value?> { x }, new List<Value> { y }, attrs));
            graph.Outputs.Add(y);
            var plan = Lower(graph, op + kernel + stride + pad + countIncludePad + ceilMode);
            float[] input = Random(rng, C * H * W);
            var actual = (float[])GeneratedCode.Compile(plan).Run(input)[0];

            int Out(int size)
            {
                int span = size + 2 * pad - kernel;
                int o = (ceilMode == 1 ? (span + stride - 1) / stride : span / stride) + 1;
                if (ceilMode == 1 && (o - 1) * stride >= size + pad) o--;
                return o;
            }
            int oh = Out(H), ow = Out(W);
            Assert.Equal(new long[] { 1, C, oh, ow }, plan.Tensor(plan.Outputs[0]).Shape.ToArray());
            var expected = new float[C * oh * ow];
            for (int c = 0; c < C; c++)
            for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                float best = float.NegativeInfinity;
                double sum = 0;
                int count = 0, padded = 0;
                for (int a = 0; a < kernel; a++)
                for (int b = 0; b < kernel; b++)
                {
                    int ih = i * stride + a - pad, iw = j * stride + b - pad;
                    if (ih < H + pad && iw < W + pad) padded++;
                    if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                    float v = input[(c * H + ih) * W + iw];
                    best = Math.Max(best, v);
                    sum += v;
                    count++;
                }
                expected[(c * oh + i) * ow + j] = op == "MaxPool" ? best : (float)(sum / (countIncludePad == 1 ? padded : count));
            }
            AssertClose(expected, actual);
        }

        [Fact]
        public void BatchNorm_after_conv_is_folded_and_matches_unfolded_math()
        {
            var rng = new Random(11);
            var graph = new Graph();
            var x = new Value("x", DataType.Float32, new long[] { 1, 2, 4, 4 });
            float[] wData = Random(rng, 3 * 2 * 9);
            var w = new Value("w", DataType.Float32, new long[] { 3, 2, 3, 3 }, TensorData.FromFloat32(wData));
            var convOut = new Value("conv_out", DataType.Undefined, Array.Empty<long>());
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            float[] gamma = { 1.5f, -0.5f, 2f }, beta = { 0.1f, 0.2f, -0.3f }, mean = { 0.05f, -0.1f, 0.2f }, variance = { 0.9f, 1.1f, 0.5f };
            Value P(string name, float[] v) => new Value(name, DataType.Float32, new long[] { 3 }, TensorData.FromFloat32(v));
            var pads = new AttributeSet();
            pads.Set(Attribute.FromInts("pads", new long[] { 1, 1, 1, 1 }));
            graph.Inputs.Add(x);
            graph.Nodes.Add(new Node("conv", "Conv", "", new List<Value?> { x, w }, new List<Value> { convOut }, pads));
            graph.Nodes.Add(new Node("bn", "BatchNormalization", "", new List<Value?> { convOut, P("g", gamma), P("b", beta), P("m", mean), P("v", variance) }, new List<Value> { y }, new AttributeSet()));
            graph.Outputs.Add(y);
            var plan = Lower(graph, "ConvBn");
            Assert.Single(plan.Nodes);
            Assert.Equal("bn", Assert.Single(plan.Nodes[0].FusedFrom));

            float[] input = Random(rng, 32);
            var actual = (float[])GeneratedCode.Compile(plan).Run(input)[0];
            var expected = new float[3 * 16];
            for (int m = 0; m < 3; m++)
            for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
            {
                double sum = 0;
                for (int c = 0; c < 2; c++)
                for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                {
                    int ih = i + a - 1, iw = j + b - 1;
                    if (ih < 0 || ih >= 4 || iw < 0 || iw >= 4) continue;
                    sum += input[(c * 4 + ih) * 4 + iw] * wData[((m * 2 + c) * 3 + a) * 3 + b];
                }
                expected[(m * 4 + i) * 4 + j] = (float)((sum - mean[m]) / Math.Sqrt(variance[m] + 1e-5) * gamma[m] + beta[m]);
            }
            AssertClose(expected, actual, 1e-4f);
        }
    }
}
