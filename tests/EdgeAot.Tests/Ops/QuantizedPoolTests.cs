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
    /// <summary>
    /// DequantizeLinear → AveragePool / GlobalAveragePool → QuantizeLinear becomes one integer
    /// QLinearAveragePool: bit-exact with a scalar reference written here (window sums and ONNX
    /// divisors, requantized with the project's fixed-point function), within one step of the
    /// float semantics the graph states, and no int8 activation is widened to float in the arena.
    /// </summary>
    public class QuantizedPoolTests
    {
        public static IEnumerable<object[]> Cases() => new[]
        {
            // type, channels, h, w, kernel, stride, pad, count_include_pad, ceil_mode, global
            new object[] { DataType.Int8, 3, 6, 7, 3, 2, 1, false, false, false },
            new object[] { DataType.Int8, 2, 5, 5, 2, 2, 1, true, false, false },
            new object[] { DataType.UInt8, 4, 7, 6, 3, 2, 1, true, true, false },
            new object[] { DataType.UInt8, 2, 8, 5, 3, 1, 0, false, false, false },
            new object[] { DataType.Int8, 6, 5, 5, 5, 5, 0, false, false, false }, // window = whole plane: summed like the global pool
            new object[] { DataType.UInt8, 3, 4, 4, 4, 1, 0, true, false, false },
            new object[] { DataType.Int8, 64, 25, 5, 0, 1, 0, false, false, true },
            new object[] { DataType.UInt8, 5, 4, 9, 0, 1, 0, false, false, true },
        };

        [Theory]
        [MemberData(nameof(Cases))]
        public void Qdq_average_pool_is_integer_and_matches_reference(DataType type, int channels, int h, int w, int kernel, int stride, int pad, bool includePad, bool ceil, bool global)
        {
            var rng = new Random(channels * 97 + h * 13 + w + kernel);
            float xScale = 0.0173f + (float)rng.NextDouble() * 0.01f, yScale = xScale * (0.6f + (float)rng.NextDouble());
            long xZero = type == DataType.Int8 ? rng.Next(-20, 20) : rng.Next(100, 150), yZero = type == DataType.Int8 ? rng.Next(-20, 20) : rng.Next(100, 150);

            var graph = new Graph();
            graph.Opsets[""] = 13;
            var xq = new Value("x", type, new long[] { 1, channels, h, w });
            var xf = new Value("xf", DataType.Undefined, Array.Empty<long>());
            var pooled = new Value("pooled", DataType.Undefined, Array.Empty<long>());
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            Value Scalar(string name, float v) => new Value(name, DataType.Float32, Array.Empty<long>(), TensorData.FromFloat32(new[] { v }));
            Value Zero(string name, long v) => new Value(name, type, Array.Empty<long>(), new[] { unchecked((byte)v) });
            var attrs = new AttributeSet();
            if (!global)
            {
                attrs.Set(Attribute.FromInts("kernel_shape", new long[] { kernel, kernel }));
                attrs.Set(Attribute.FromInts("strides", new long[] { stride, stride }));
                attrs.Set(Attribute.FromInts("pads", new long[] { pad, pad, pad, pad }));
                attrs.Set(Attribute.FromInt("count_include_pad", includePad ? 1 : 0));
                attrs.Set(Attribute.FromInt("ceil_mode", ceil ? 1 : 0));
            }
            graph.Inputs.Add(xq);
            graph.Nodes.Add(new Node("dq", "DequantizeLinear", "", new List<Value?> { xq, Scalar("xs", xScale), Zero("xz", xZero) }, new List<Value> { xf }, new AttributeSet()) { OpsetVersion = 13 });
            graph.Nodes.Add(new Node("pool", global ? "GlobalAveragePool" : "AveragePool", "", new List<Value?> { xf }, new List<Value> { pooled }, attrs) { OpsetVersion = 13 });
            graph.Nodes.Add(new Node("q", "QuantizeLinear", "", new List<Value?> { pooled, Scalar("ys", yScale), Zero("yz", yZero) }, new List<Value> { y }, new AttributeSet()) { OpsetVersion = 13 });
            graph.Outputs.Add(y);
            var result = ModelCompiler.Lower(new ImportedModel(graph, "test", 8), "0",
                new CompileOptions { ClassName = "QPool" + type + channels + h + w + kernel + stride + pad + (includePad ? 1 : 0) + (ceil ? 1 : 0), Namespace = "OpTests" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            var plan = result.Plan!;
            string kernelOp = global ? "QLinearGlobalAveragePool" : "QLinearAveragePool";
            Assert.Equal(new[] { kernelOp }, plan.Nodes.Select(n => n.OpType).ToArray());
            Assert.DoesNotContain(plan.Tensors, t => t.Storage == TensorStorage.Arena && t.Type == DataType.Float32);
            string source = EdgeAot.Generator.Emit.ModelEmitter.Emit(plan);
            int start = source.IndexOf("private static void " + kernelOp + "0(", StringComparison.Ordinal);
            string body = source.Substring(start, source.IndexOf("\n        }\n", start, StringComparison.Ordinal) - start);
            foreach (string word in new[] { "float", "double", "MathF", "Math.Round" }) Assert.DoesNotContain(word, body);

            int k = global ? h : kernel, kw = global ? w : kernel, s = global ? 1 : stride, p = global ? 0 : pad;
            int OutSize(int n, int kk)
            {
                int span = n + 2 * p - kk;
                int o = (ceil ? (span + s - 1) / s : span / s) + 1;
                if (ceil && (o - 1) * s >= n + p) o--;
                return o;
            }
            int oh = OutSize(h, k), ow = OutSize(w, kw);
            var (lo, hi) = type == DataType.Int8 ? (-128L, 127L) : (0L, 255L);
            var input = new long[channels * h * w];
            for (int i = 0; i < input.Length; i++) input[i] = rng.Next((int)lo, (int)hi + 1);
            Array data = type == DataType.Int8 ? input.Select(v => (sbyte)v).ToArray() : input.Select(v => (byte)v).ToArray();
            var actual = ((IEnumerable<long>)(type == DataType.Int8 ? ((sbyte[])GeneratedCode.Compile(plan).Run(data)[0]).Select(v => (long)v) : ((byte[])GeneratedCode.Compile(plan).Run(data)[0]).Select(v => (long)v))).ToArray();
            Assert.Equal(channels * oh * ow, actual.Length);

            long bound = (long)k * kw * Math.Max(xZero - lo, hi - xZero);
            int offByOne = 0;
            for (int c = 0; c < channels; c++)
            for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                long sum = 0;
                int valid = 0, inPadded = 0;
                for (int a = 0; a < k; a++)
                for (int b = 0; b < kw; b++)
                {
                    int ih = i * s + a - p, iw = j * s + b - p;
                    if (ih < h + p && iw < w + p) inPadded++;
                    if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                    sum += input[(c * h + ih) * w + iw] - xZero;
                    valid++;
                }
                int count = includePad ? inPadded : valid;
                var (m, shift) = Requantization.FromScale((double)xScale / ((double)yScale * count), bound);
                long expected = Math.Clamp(Requantization.Apply(sum, m, shift) + yZero, lo, hi);
                long got = actual[(c * oh + i) * ow + j];
                Assert.True(expected == got, $"channel {c} ({i},{j}): reference {expected}, kernel {got}");

                // The graph's float semantics: dequantize, average, QuantizeLinear (half to even).
                double average = 0;
                for (int a = 0; a < k; a++)
                for (int b = 0; b < kw; b++)
                {
                    int ih = i * s + a - p, iw = j * s + b - p;
                    if (ih >= 0 && ih < h && iw >= 0 && iw < w) average += (float)((input[(c * h + ih) * w + iw] - xZero) * xScale);
                }
                average /= count;
                long real = Math.Clamp((long)Math.Round(average / yScale, MidpointRounding.ToEven) + yZero, lo, hi);
                Assert.True(Math.Abs(real - got) <= 1, $"channel {c} ({i},{j}): float semantics {real}, kernel {got}");
                if (real != got) offByOne++;
            }
            Assert.True(offByOne * 100 <= actual.Length, offByOne + " of " + actual.Length + " outputs one step off the float semantics");
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void QOperator_QLinearAveragePool_lowers_to_the_same_kernel(bool global)
        {
            // com.microsoft QLinearAveragePool(X, x_scale, x_zero_point, y_scale, y_zero_point), uint8, NCHW.
            const float xScale = 0.05f, yScale = 0.04f;
            const long xZero = 128, yZero = 120;
            int channels = 3, h = 5, w = 6;
            var graph = new Graph();
            graph.Opsets[""] = 13;
            graph.Opsets["com.microsoft"] = 1;
            var x = new Value("x", DataType.UInt8, new long[] { 1, channels, h, w });
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            Value Scalar(string name, float v) => new Value(name, DataType.Float32, Array.Empty<long>(), TensorData.FromFloat32(new[] { v }));
            Value Zero(string name, long v) => new Value(name, DataType.UInt8, Array.Empty<long>(), new[] { (byte)v });
            var attrs = new AttributeSet();
            if (!global)
            {
                attrs.Set(Attribute.FromInts("kernel_shape", new long[] { 2, 3 }));
                attrs.Set(Attribute.FromInts("strides", new long[] { 1, 2 }));
            }
            graph.Inputs.Add(x);
            graph.Nodes.Add(new Node("pool", global ? "QLinearGlobalAveragePool" : "QLinearAveragePool", "com.microsoft",
                new List<Value?> { x, Scalar("xs", xScale), Zero("xz", xZero), Scalar("ys", yScale), Zero("yz", yZero) }, new List<Value> { y }, attrs) { OpsetVersion = 1 });
            graph.Outputs.Add(y);
            var result = ModelCompiler.Lower(new ImportedModel(graph, "test", 8), "0", new CompileOptions { ClassName = "QOpPool" + (global ? "Global" : ""), Namespace = "OpTests" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            int kh = global ? h : 2, kw = global ? w : 3, sw = global ? 1 : 2;
            int oh = h - kh + 1, ow = (w - kw) / sw + 1;
            var rng = new Random(global ? 2 : 1);
            var input = new byte[channels * h * w];
            rng.NextBytes(input);
            var actual = (byte[])GeneratedCode.Compile(result.Plan!).Run(input)[0];
            Assert.Equal(channels * oh * ow, actual.Length);
            for (int c = 0; c < channels; c++)
            for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                long sum = 0;
                for (int a = 0; a < kh; a++)
                for (int b = 0; b < kw; b++) sum += input[(c * h + i + a) * w + j * sw + b] - xZero;
                var (m, shift) = Requantization.FromScale((double)xScale / ((double)yScale * kh * kw), (long)kh * kw * 128);
                long expected = Math.Clamp(Requantization.Apply(sum, m, shift) + yZero, 0, 255);
                Assert.Equal(expected, actual[(c * oh + i) * ow + j]);
                double real = Math.Round(sum * xScale / (kh * kw) / yScale, MidpointRounding.ToEven) + yZero;
                Assert.True(Math.Abs(Math.Clamp(real, 0, 255) - expected) <= 1);
            }
        }

        [Fact]
        public void Keyword_spotting_int8_arena_stays_int8()
        {
            var result = ModelCompiler.CompileFile(SharedData.Model("kws_ref_model.onnx"), new CompileOptions { ModelPath = "kws_ref_model.onnx", Namespace = "EdgeAot.Tests.Quantized" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            var plan = result.Plan!;
            Assert.Contains(plan.Nodes, n => n.OpType is "QLinearAveragePool" or "QLinearGlobalAveragePool");
            Assert.DoesNotContain(plan.Nodes, n => n.OpType is "AveragePool" or "GlobalAveragePool");
            // Two int8 feature maps of 64x25x5 alternate: the acceptance bound is 20,000 bytes.
            Assert.InRange(plan.ArenaBytes, 16_000, 20_000);
        }
    }
}
