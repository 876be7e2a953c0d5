using System;
using System.Collections.Generic;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Compression;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Passes;
using EdgeAot.Compiler.Plan;
using EdgeAot.Tests.Harness;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeAot.Tests.Compression
{
    /// <summary>
    /// Weights kept compressed in the generated class (float16, 8-bit and 4-bit codebook indices) and
    /// decoded inside the Gemm/MatMul kernel (<see cref="CompressedWeightLowering"/>). Each kernel path
    /// (Vector512/256/128/scalar) must give exactly the bits of a scalar reference that sums
    /// fma(a, w, sum) over k in order on the decoded float32 weights; the compressed ONNX models are
    /// also run in ONNX Runtime, and the plan's weight bytes count the compressed form.
    /// </summary>
    public class CompressedWeightTests
    {
        [Fact]
        public void Every_finite_float16_pattern_decodes_exactly_on_every_path()
        {
            // Y = I·B with B holding every finite binary16 bit pattern once: each output is 0 + 1·w, exactly w
            // (but -0 sums to +0, so the sign of zero is checked by the codebook test below instead).
            const int k = 64, n = 992;
            var bits = Enumerable.Range(0, 0x10000).Where(b => (b & 0x7C00) != 0x7C00).Select(b => (ushort)b).ToArray();
            Assert.Equal(k * n, bits.Length);
            var weights = bits.Select(b => (float)BitConverter.UInt16BitsToHalf(b)).ToArray();
            var identity = new float[k * k];
            for (int i = 0; i < k; i++) identity[i * k + i] = 1f;
            var b = new OnnxModelBuilder("every_half", 13);
            string x = b.Input("x", DataType.Float32, k, k);
            string y = b.Node("MatMul", new[] { x, b.Initializer("w", new long[] { k, n }, weights) });
            b.Output(y, DataType.Float32, k, n);
            var model = CompileChecked(b.ToBytes(), "EveryHalf", CompressedWeightLowering.Float16);
            OnEveryPath(model, path =>
            {
                var result = (float[])model.Run(identity)[0];
                for (int i = 0; i < result.Length; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(0f + weights[i]) == BitConverter.SingleToInt32Bits(result[i]), "path " + path + ": pattern 0x" + bits[i].ToString("X4") + " decoded to " + result[i]);
            });
        }

        [Theory]
        [InlineData("Gemm", 1, 96, 130, true)]
        [InlineData("Gemm", 3, 40, 37, false)]
        [InlineData("MatMul", 1, 64, 128, false)]
        [InlineData("MatMul", 2, 33, 19 * 3, false)]
        [InlineData("MatMul", 1, 24, 256 + 16 + 8 + 4 + 3, true)] // two 128-column blocks, then every narrower vector and a scalar tail
        [InlineData("Gemm", 2, 48, 64, true, 0.5f, 2f)]
        public void Float16_weights_stay_two_bytes_and_match_the_reference_and_onnx_runtime(string op, int m, int k, int n, bool relu, float alpha = 1f, float beta = 1f)
        {
            var rng = new Random(m * 1000 + k + n);
            float[] w = Random(rng, k * n), bias = Random(rng, n);
            byte[] original = Layer(op, m, k, n, w, bias, relu, alpha, beta);
            byte[] fp16 = Float16Storage.Convert(original, new CompileOptions(), new List<string>());
            var model = CompileChecked(fp16, "Half" + op + m + "x" + k + "x" + n, CompressedWeightLowering.Float16);
            Assert.Equal(2L * k * n + (op == "Gemm" ? 4L * n : 0), model.Plan.WeightBytes);

            // The weights the ONNX model now holds: each float rounded to float16.
            var decoded = w.Select(v => (float)(Half)v).ToArray();
            CheckLayer(model, fp16, op, m, k, n, decoded, bias, relu, rng, alpha, beta);
        }

        [Theory]
        [InlineData(16, "Gemm", 1, 64, 130, true)]
        [InlineData(16, "MatMul", 3, 50, 41, false)]
        [InlineData(256, "Gemm", 1, 80, 96, false)]
        [InlineData(256, "MatMul", 2, 40, 70, true)]
        [InlineData(16, "MatMul", 1, 24, 128 + 16 + 8 + 4 + 3, false)]
        [InlineData(256, "Gemm", 1, 24, 128 + 16 + 8 + 4 + 3, false)]
        public void Shared_weights_stay_indices_plus_codebook_and_match_the_reference_and_onnx_runtime(int clusters, string op, int m, int k, int n, bool relu)
        {
            var rng = new Random(clusters + m * 1000 + k + n);
            float[] w = Random(rng, k * n), bias = Random(rng, n);
            byte[] original = Layer(op, m, k, n, w, bias, relu);
            byte[] shared = WeightSharing.Share(original, clusters, new CompileOptions(), new List<string>());
            string format = clusters == 16 ? CompressedWeightLowering.Codebook4 : CompressedWeightLowering.Codebook8;
            var model = CompileChecked(shared, "Shared" + clusters + op + m + "x" + k + "x" + n, format);

            // The ONNX model's own indices and codebook, decoded (same layout as W).
            var (codebook, indices) = WeightSharing.Cluster(w, clusters);
            var decoded = indices.Select(i => codebook[i]).ToArray();
            long codebookBytes = 4L * (clusters == 16 ? 16 : codebook.Length);
            long indexBytes = clusters == 16 ? k * ((n + 31) / 32) * 16L : (long)k * n;
            Assert.Equal(indexBytes + codebookBytes + (op == "Gemm" ? 4L * n : 0), model.Plan.WeightBytes);
            CheckLayer(model, shared, op, m, k, n, decoded, bias, relu, rng);
        }

        [Theory]
        [InlineData("fp16", 535_072L)]
        [InlineData("share16", 140_960L)]
        public void Compressed_ad01_keeps_its_bytes_and_matches_onnx_runtime_on_the_compressed_model(string how, long weightBytes)
        {
            byte[] original = System.IO.File.ReadAllBytes(SharedData.Model("ad01_fp32.onnx"));
            byte[] compressed = how == "fp16"
                ? Float16Storage.Convert(original, new CompileOptions(), new List<string>())
                : WeightSharing.Share(original, 16, new CompileOptions(), new List<string>());
            var result = ModelCompiler.Compile(compressed, new CompileOptions { ClassName = "Ad01" + how, Namespace = "EdgeAot.Tests.Models", ModelPath = "ad01_" + how + ".onnx" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            Assert.Equal(weightBytes, result.Plan!.WeightBytes);
            Assert.Equal(10, result.Plan.Nodes.Count(node => node.OpType == CompressedWeightLowering.OpType));
            var model = GeneratedCode.Compile(result.Plan);

            using var session = new InferenceSession(compressed);
            string inputName = session.InputMetadata.Keys.Single();
            for (int sample = 0; sample < 4; sample++)
            {
                float[] x = Random(new Random(sample), 640);
                using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<float>(x, new[] { 1, 640 })) });
                var ort = ((DenseTensor<float>)results.First().Value).ToArray();
                var ours = (float[])model.Run(x)[0];
                for (int i = 0; i < ort.Length; i++) Assert.True(Math.Abs(ort[i] - ours[i]) <= 1e-4 + 1e-4 * Math.Abs(ort[i]), how + " sample " + sample + ", output " + i + ": ORT " + ort[i] + ", EdgeAot " + ours[i]);
            }
        }

        [Fact]
        public void Weights_that_are_neither_float16_nor_few_values_stay_dense()
        {
            var w = new float[64 * 32];
            for (int i = 0; i < w.Length; i++) w[i] = 1f + i * 1e-6f; // 2048 distinct values, none a float16
            Assert.Null(CompressedWeightLowering.ChooseFormat(w, out _));
            var result = ModelCompiler.Compile(Layer("MatMul", 1, 64, 32, w, new float[32], false), new CompileOptions { ClassName = "Dense", Namespace = "EdgeAot.Tests.Models" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            Assert.DoesNotContain(result.Plan!.Nodes, node => node.OpType == CompressedWeightLowering.OpType);
            Assert.Null(CompressedWeightLowering.ChooseFormat(new[] { 1f, float.NaN }, out _));
            Assert.Equal(CompressedWeightLowering.Codebook4, CompressedWeightLowering.ChooseFormat(new[] { 0f, -0f, 3.25f }, out var book));
            Assert.Equal(3, book.Length); // 0 and -0 are kept apart: the decoded weight must be the same bits
        }

        [Fact]
        public void Fp16_command_writes_a_model_onnx_runtime_loads_and_reports_the_saving()
        {
            var rng = new Random(7);
            byte[] original = Layer("Gemm", 1, 64, 48, Random(rng, 64 * 48), Random(rng, 48), true);
            var inputs = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "edgeaot-fp16-" + Guid.NewGuid().ToString("N"));
            try
            {
                CalibrationData.Write(inputs, CalibrationData.Generate(new long[] { 64 }, 4, 0, -1f, 1f));
                var outcome = ModelCompression.Transform("fp16", original, new Dictionary<string, double>(), inputs, new CompileOptions());
                string report = outcome.Report.ToMarkdown();
                Assert.Contains("float16 weight storage", report);
                Assert.Contains("| weight bytes | 12,480 | 6,336 |", report);
                using var session = new InferenceSession(outcome.Model);
                Assert.Contains(session.InputMetadata.Keys, name => name == "x");
            }
            finally
            {
                if (System.IO.Directory.Exists(inputs)) System.IO.Directory.Delete(inputs, true);
            }
            var error = Assert.Throws<EdgeAot.Compiler.Diagnostics.ModelException>(() => ModelCompression.Transform("fp16", original, new Dictionary<string, double> { ["clusters"] = 16 }, null, new CompileOptions()));
            Assert.Equal("EAOT0052", error.Diagnostic.Id);
        }

        /// <summary>Runs the compiled layer on every kernel path against the scalar reference (bit for bit) and against ONNX Runtime on <paramref name="onnx"/>.</summary>
        private static void CheckLayer(CompiledModel model, byte[] onnx, string op, int m, int k, int n, float[] decoded, float[] bias, bool relu, Random rng, float alpha = 1f, float beta = 1f)
        {
            float[] x = Random(rng, m * k);
            // A third of the activations are 0, as after a ReLU: the kernels skip their weight rows, and the
            // bits must still equal the reference that multiplies them.
            for (int i = 0; i < x.Length; i += 3) x[i] = 0f;
            var expected = new float[m * n];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    float sum = 0f;
                    for (int t = 0; t < k; t++) sum = MathF.FusedMultiplyAdd(x[i * k + t], op == "Gemm" ? decoded[j * k + t] : decoded[t * n + j], sum);
                    if (alpha != 1f) sum = alpha * sum;
                    if (op == "Gemm") sum += beta == 1f ? bias[j] : beta * bias[j];
                    expected[i * n + j] = relu ? Math.Max(sum, 0f) : sum;
                }
            OnEveryPath(model, path =>
            {
                var actual = (float[])model.Run(x)[0];
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), "path " + path + ", output " + i + ": " + actual[i] + " instead of " + expected[i]);
            });
            using var session = new InferenceSession(onnx);
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(x, new[] { m, k })) });
            var ort = ((DenseTensor<float>)results.First().Value).ToArray();
            var ours = (float[])model.Run(x)[0];
            for (int i = 0; i < ort.Length; i++) Assert.True(Math.Abs(ort[i] - ours[i]) <= 1e-5 + 1e-4 * Math.Abs(ort[i]), "output " + i + ": ORT " + ort[i] + ", EdgeAot " + ours[i]);
            Assert.Equal(0, model.AllocatedBytes(new Array[] { x }, 20));
        }

        private static CompiledModel CompileChecked(byte[] onnx, string className, string format)
        {
            var result = ModelCompiler.Compile(onnx, new CompileOptions { ClassName = className, Namespace = "EdgeAot.Tests.Models", ModelPath = className + ".onnx" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            var plan = result.Plan!;
            var node = Assert.Single(plan.Nodes, node => node.OpType == CompressedWeightLowering.OpType);
            Assert.Equal(format, node.GetString("format", ""));
            return GeneratedCode.Compile(plan);
        }

        /// <summary>Runs <paramref name="check"/> with CompressedWeightKernelPath = 3 (Vector512) down to 0 (scalar), then restores the widest.</summary>
        private static void OnEveryPath(CompiledModel model, Action<int> check)
        {
            var path = model.ModelType.GetField("CompressedWeightKernelPath", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic);
            Assert.NotNull(path);
            int widest = (int)path!.GetValue(null)!;
            try
            {
                for (int p = widest; p >= 0; p--)
                {
                    path.SetValue(null, p);
                    check(p);
                }
            }
            finally
            {
                path.SetValue(null, widest);
            }
        }

        /// <summary>One layer: Gemm (W given as [n, k], transB = 1, with bias) or MatMul (W as [k, n]), optional Relu.</summary>
        private static byte[] Layer(string op, int m, int k, int n, float[] w, float[] bias, bool relu, float alpha = 1f, float beta = 1f)
        {
            var b = new OnnxModelBuilder("layer", 13);
            string x = b.Input("x", DataType.Float32, m, k);
            string y = op == "Gemm"
                ? b.Node("Gemm", new[] { x, b.Initializer("w", new long[] { n, k }, w), b.Initializer("bias", new long[] { n }, bias) }, OnnxAttribute.Int("transB", 1), OnnxAttribute.Float("alpha", alpha), OnnxAttribute.Float("beta", beta))
                : b.Node("MatMul", new[] { x, b.Initializer("w", new long[] { k, n }, w) });
            if (relu) y = b.Node("Relu", new[] { y });
            b.Output(y, DataType.Float32, m, n);
            return b.ToBytes();
        }

        private static float[] Random(Random rng, int count) => Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }
}
