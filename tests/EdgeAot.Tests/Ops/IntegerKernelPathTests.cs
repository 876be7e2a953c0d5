using System;
using System.Collections.Generic;
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
    /// The int8 SIMD kernels (Kernels/IntegerKernels.cs) must give the same bits on every
    /// instruction path. Each generated class has a static IntegerKernelPath (3 = AVX-VNNI,
    /// 2 = Vector256, 1 = Vector128, 0 = scalar); these tests set it to every path the machine can
    /// run and compare with a scalar reference written here (ConvInteger, MatMulInteger) or, for the
    /// real int8 models, with the scalar path of the same generated code.
    /// </summary>
    public class IntegerKernelPathTests
    {
        private static IEnumerable<int> Paths()
        {
            yield return 0;
            yield return 1;
            yield return 2; // Vector256 runs (in software if need be) everywhere
            if (System.Runtime.Intrinsics.X86.AvxVnni.IsSupported) yield return 3;
        }

        private static void SetPath(CompiledModel model, int path)
        {
            var field = model.ModelType.GetField("IntegerKernelPath", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public);
            Assert.NotNull(field);
            field!.SetValue(null, path);
        }

        private static sbyte[] RandomInt8(Random rng, long n)
        {
            var a = new sbyte[n];
            for (int i = 0; i < n; i++) a[i] = (sbyte)rng.Next(-128, 128);
            return a;
        }

        private static Value Int8(string name, sbyte[] values, params long[] shape)
            => new Value(name, DataType.Int8, shape, (byte[])(Array)values.Clone());

        private static ModelPlan Lower(Graph graph, string className)
        {
            graph.Opsets[""] = 13;
            foreach (var n in graph.Nodes) n.OpsetVersion = 13;
            var result = ModelCompiler.Lower(new ImportedModel(graph, "test", 8), "0", new CompileOptions { ClassName = className, Namespace = "IntegerPathTests" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            return result.Plan!;
        }

        public static IEnumerable<object[]> ConvCases() => new[]
        {
            // channels, h, w, filters, group, kh, kw, stride, pad, per-channel w zero points, w zero point range
            new object[] { 8, 7, 6, 5, 1, 3, 3, 1, 1, true, 5 },   // K = 72: two 32-wide steps, scalar tail
            new object[] { 5, 6, 6, 4, 1, 3, 3, 2, 1, false, 5 },  // K = 45: 32-wide step, scalar tail
            new object[] { 16, 5, 5, 16, 16, 3, 3, 1, 1, true, 5 }, // depthwise with w zero points: patch path, K = 9
            new object[] { 12, 4, 5, 6, 2, 3, 3, 1, 0, false, 5 },  // group 2, K = 54: 32 + 16 + scalar
            new object[] { 64, 3, 3, 7, 1, 1, 1, 1, 0, true, 5 },  // pointwise, K = 64
            new object[] { 6, 25, 5, 6, 6, 3, 3, 1, 1, false, 0 }, // depthwise stride 1, w zero 0: padded-plane kernel
            new object[] { 3, 9, 13, 3, 3, 5, 5, 1, 2, true, 0 },  // same, 5x5, 16-wide steps and tail
            new object[] { 7, 11, 9, 7, 7, 2, 4, 1, 1, false, 0 }, // depthwise 2x4: VNNI windows of four taps per kernel row
            new object[] { 5, 6, 17, 5, 5, 4, 1, 1, 2, false, 0 }, // depthwise 4x1: four kernel rows of one tap
            new object[] { 64, 25, 5, 64, 64, 3, 3, 1, 1, false, 0 }, // KWS depthwise layer shape
            new object[] { 8, 7, 6, 5, 1, 3, 3, 1, 1, false, 0 },  // packed int8 GEMM, K = 72, 42 pixels
            new object[] { 4, 9, 9, 6, 1, 3, 3, 2, 1, true, 0 },   // packed GEMM, stride 2, K = 36
            new object[] { 16, 10, 10, 8, 1, 1, 1, 1, 0, false, 0 }, // packed GEMM, pointwise K = 16
            new object[] { 1024, 10, 10, 4, 1, 1, 1, 1, 0, false, 0 }, // packed GEMM, 32-pixel tiles, tail of 4
            new object[] { 64, 10, 10, 6, 1, 3, 3, 1, 1, false, 0 }, // packed GEMM 3x3, K = 576: 32-pixel tiles start mid-row
        };

        [Theory]
        [MemberData(nameof(ConvCases))]
        public void ConvInteger_is_bit_identical_on_every_path(int channels, int h, int w, int filters, int group, int kh, int kw, int stride, int pad, bool perChannel, int wzRange)
        {
            var rng = new Random(channels * 131 + filters * 7 + group);
            int cg = channels / group, depth = cg * kh * kw;
            sbyte[] weights = RandomInt8(rng, (long)filters * depth);
            sbyte xZero = (sbyte)rng.Next(-20, 20);
            var wZero = new sbyte[perChannel ? filters : 1];
            for (int i = 0; i < wZero.Length; i++) wZero[i] = (sbyte)rng.Next(-wzRange, wzRange + 1);

            var graph = new Graph();
            var x = new Value("x", DataType.Int8, new long[] { 1, channels, h, w });
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            var attrs = new AttributeSet();
            attrs.Set(Attribute.FromInt("group", group));
            attrs.Set(Attribute.FromInts("strides", new long[] { stride, stride }));
            attrs.Set(Attribute.FromInts("pads", new long[] { pad, pad, pad, pad }));
            graph.Inputs.Add(x);
            graph.Nodes.Add(new Node("conv", "ConvInteger", "", new List<Value?>
            {
                x, Int8("w", weights, filters, cg, kh, kw), Int8("xz", new[] { xZero }), Int8("wz", wZero, wZero.Length),
            }, new List<Value> { y }, attrs));
            graph.Outputs.Add(y);
            var plan = Lower(graph, "ConvInt" + channels + "x" + h + "x" + w + "x" + filters + "x" + group + "x" + kh + "x" + stride + "x" + wzRange);
            var model = GeneratedCode.Compile(plan);
            if (wzRange == 0 && group == channels && stride == 1)
                Assert.Contains("DepthwisePlaneInt8(", EdgeAot.Generator.Emit.ModelEmitter.Emit(plan));
            if (wzRange == 0 && group == 1 && depth % 4 == 0)
                Assert.Contains("GemmInt8(", EdgeAot.Generator.Emit.ModelEmitter.Emit(plan));

            sbyte[] input = RandomInt8(rng, (long)channels * h * w);
            int oh = (h + 2 * pad - kh) / stride + 1, ow = (w + 2 * pad - kw) / stride + 1;
            var expected = new int[filters * oh * ow];
            int fg = filters / group;
            for (int m = 0; m < filters; m++)
            for (int r = 0; r < oh; r++)
            for (int c = 0; c < ow; c++)
            {
                int sum = 0, g = m / fg, wz = wZero[perChannel ? m : 0];
                for (int ci = 0; ci < cg; ci++)
                for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++)
                {
                    int ih = r * stride - pad + i, iw = c * stride - pad + j;
                    int xv = ih >= 0 && ih < h && iw >= 0 && iw < w ? input[((g * cg + ci) * h + ih) * w + iw] : xZero;
                    sum += (xv - xZero) * (weights[((m * cg + ci) * kh + i) * kw + j] - wz);
                }
                expected[(m * oh + r) * ow + c] = sum;
            }

            foreach (int path in Paths())
            {
                SetPath(model, path);
                var actual = (int[])model.Run(input)[0];
                Assert.True(expected.AsSpan().SequenceEqual(actual), "path " + path + " differs from the scalar reference");
            }
        }

        [Theory]
        [InlineData(3, 70, 37, true)]
        [InlineData(1, 250, 16, false)]
        [InlineData(4, 8, 5, true)]
        public void MatMulInteger_is_bit_identical_on_every_path(int rows, int depth, int cols, bool perColumn)
        {
            var rng = new Random(rows * 1000 + depth + cols);
            sbyte[] b = RandomInt8(rng, (long)depth * cols);
            sbyte aZero = (sbyte)rng.Next(-20, 20);
            var bZero = new sbyte[perColumn ? cols : 1];
            for (int i = 0; i < bZero.Length; i++) bZero[i] = (sbyte)rng.Next(-5, 6);

            var graph = new Graph();
            var a = new Value("a", DataType.Int8, new long[] { rows, depth });
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            graph.Inputs.Add(a);
            graph.Nodes.Add(new Node("mm", "MatMulInteger", "", new List<Value?>
            {
                a, Int8("b", b, depth, cols), Int8("az", new[] { aZero }), Int8("bz", bZero, bZero.Length),
            }, new List<Value> { y }, new AttributeSet()));
            graph.Outputs.Add(y);
            var model = GeneratedCode.Compile(Lower(graph, "MatMulInt" + rows + "x" + depth + "x" + cols));

            sbyte[] input = RandomInt8(rng, (long)rows * depth);
            var expected = new int[rows * cols];
            for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                int sum = 0;
                for (int t = 0; t < depth; t++) sum += (input[i * depth + t] - aZero) * (b[t * cols + j] - bZero[perColumn ? j : 0]);
                expected[i * cols + j] = sum;
            }

            foreach (int path in Paths())
            {
                SetPath(model, path);
                var actual = (int[])model.Run(input)[0];
                Assert.True(expected.AsSpan().SequenceEqual(actual), "path " + path + " differs from the scalar reference");
            }
        }

        /// <summary>
        /// QLinearConv (int8 out): the integer accumulators, then the build-time multiplier and shift
        /// read from the lowered node, rounded half to even with exact BigInteger arithmetic here.
        /// </summary>
        [Theory]
        [InlineData(16, 25, 5, 16, 16, 3, 3)]   // depthwise: padded plane + vector requantization
        [InlineData(16, 25, 5, 24, 1, 1, 1)]    // pointwise: packed GEMM + vector requantization
        [InlineData(1, 49, 10, 8, 1, 10, 4)]    // first KWS layer shape, K = 40
        [InlineData(6, 7, 7, 5, 1, 3, 3)]       // K = 54: patch dot path, scalar requantization
        public void QLinearConv_matches_exact_requantization_on_every_path(int channels, int h, int w, int filters, int group, int kh, int kw)
        {
            var rng = new Random(channels * 7 + filters + kh);
            int cg = channels / group, depth = cg * kh * kw, pad = kh / 2, padW = kw / 2;
            sbyte[] weights = RandomInt8(rng, (long)filters * depth);
            var wScales = new float[filters];
            var bias = new int[filters];
            for (int m = 0; m < filters; m++)
            {
                wScales[m] = (float)(0.002 + rng.NextDouble() * 0.01);
                bias[m] = rng.Next(-3000, 3000);
            }
            sbyte xZero = (sbyte)rng.Next(-128, 0), yZero = (sbyte)rng.Next(-20, 20);
            var graph = new Graph();
            var x = new Value("x", DataType.Int8, new long[] { 1, channels, h, w });
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            var attrs = new AttributeSet();
            attrs.Set(Attribute.FromInt("group", group));
            attrs.Set(Attribute.FromInts("pads", new long[] { pad, padW, pad, padW }));
            graph.Inputs.Add(x);
            graph.Nodes.Add(new Node("qconv", "QLinearConv", "", new List<Value?>
            {
                x, new Value("xs", DataType.Float32, Array.Empty<long>(), TensorData.FromFloat32(new[] { 0.05f })), Int8("xz", new[] { xZero }),
                Int8("w", weights, filters, cg, kh, kw), new Value("ws", DataType.Float32, new long[] { filters }, TensorData.FromFloat32(wScales)),
                Int8("wz", new sbyte[filters], filters),
                new Value("ys", DataType.Float32, Array.Empty<long>(), TensorData.FromFloat32(new[] { 0.04f })), Int8("yz", new[] { yZero }),
                OpGraphBuilder.Ints("b", bias, filters),
            }, new List<Value> { y }, attrs));
            graph.Outputs.Add(y);
            var plan = Lower(graph, "QConv" + channels + "x" + filters + "x" + group + "x" + kh + "x" + kw);
            var node = System.Linq.Enumerable.Single(plan.Nodes, n => n.OpType == "QLinearConv");
            long[] multipliers = node.GetInts("multipliers"), shifts = node.GetInts("shifts");
            long low = node.GetInt("output_min", 0), high = node.GetInt("output_max", 0);
            var model = GeneratedCode.Compile(plan);

            sbyte[] input = RandomInt8(rng, (long)channels * h * w);
            int oh = h + 2 * pad - kh + 1, ow = w + 2 * padW - kw + 1, fg = filters / group;
            var expected = new sbyte[filters * oh * ow];
            for (int m = 0; m < filters; m++)
            for (int r = 0; r < oh; r++)
            for (int c = 0; c < ow; c++)
            {
                long sum = bias[m];
                int g = m / fg;
                for (int ci = 0; ci < cg; ci++)
                for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++)
                {
                    int ih = r - pad + i, iw = c - padW + j;
                    int xv = ih >= 0 && ih < h && iw >= 0 && iw < w ? input[((g * cg + ci) * h + ih) * w + iw] : xZero;
                    sum += (xv - xZero) * weights[((m * cg + ci) * kh + i) * kw + j];
                }
                var product = new System.Numerics.BigInteger(sum) * multipliers[m];
                var divisor = System.Numerics.BigInteger.One << (int)shifts[m];
                var quotient = System.Numerics.BigInteger.Divide(product, divisor);
                var remainder = product - quotient * divisor;
                if (remainder.Sign < 0) { quotient -= 1; remainder += divisor; }
                if (remainder * 2 > divisor || remainder * 2 == divisor && !quotient.IsEven) quotient += 1;
                expected[(m * oh + r) * ow + c] = (sbyte)Math.Clamp((long)quotient + yZero, low, high);
            }

            foreach (int path in Paths())
            {
                SetPath(model, path);
                var actual = (sbyte[])model.Run(input)[0];
                Assert.True(expected.AsSpan().SequenceEqual(actual), "path " + path + " differs from the exact reference");
            }
        }

        /// <summary>QLinearConv and fused QDQ Gemm (B transposed: one DotInt8 per output) with requantization.</summary>
        [Theory]
        [InlineData("kws_ref_model.onnx")]
        [InlineData("ad01_int8.onnx")]
        public void Int8_models_give_the_same_bits_on_every_path(string file)
        {
            var result = ModelCompiler.CompileFile(SharedData.Model(file), new CompileOptions { ModelPath = file, Namespace = "IntegerPathTests.Models" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            var plan = result.Plan!;
            var model = GeneratedCode.Compile(plan);
            var inputs = new List<sbyte[]>();
            var rng = new Random(7);
            for (int s = 0; s < 5; s++) inputs.Add(RandomInt8(rng, plan.Tensor(plan.Inputs[0]).ElementCount));

            SetPath(model, 0);
            var reference = new List<sbyte[]>();
            foreach (var input in inputs) reference.Add((sbyte[])model.Run(input)[0]);
            foreach (int path in Paths())
            {
                SetPath(model, path);
                for (int s = 0; s < inputs.Count; s++)
                    Assert.True(reference[s].AsSpan().SequenceEqual((sbyte[])model.Run(inputs[s])[0]), file + ": path " + path + " differs from the scalar path on input " + s);
            }
        }
    }
}
