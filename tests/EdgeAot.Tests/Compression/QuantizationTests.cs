using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Compression;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Tests.Harness;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;

namespace EdgeAot.Tests.Compression
{
    /// <summary>
    /// Post-training static quantization of the float MLPerf Tiny models, end to end: calibrate on
    /// the documented seeded inputs (<see cref="CalibrationData.Generate"/>, seeds 1000.., uniform
    /// [−1, 1]), write QDQ ONNX, run it in ONNX Runtime 1.31.1 and in EdgeAot's generated code on
    /// held-out inputs (seeds 0..), and require ±1 LSB of the output scale on ≥ 99% of outputs,
    /// integer kernels for every convolution, and weights ≥ 3.5× smaller.
    /// </summary>
    public class QuantizationTests
    {
        private readonly ITestOutputHelper _output;

        public QuantizationTests(ITestOutputHelper output) => _output = output;

        [Theory]
        [InlineData("ic.onnx", 16, 40)]
        [InlineData("vww_96_float.onnx", 8, 40)]
        public void Quantized_model_runs_in_onnx_runtime_and_edgeaot_within_one_step(string file, int calibrationSamples, int evalSamples)
        {
            byte[] original = File.ReadAllBytes(SharedData.Model(file));
            var options = new CompileOptions { ModelPath = file, Namespace = "EdgeAot.Tests.Compressed" };
            long[] lengths = ReferenceRunner.Create(original, options).InputLengths();
            var calibration = CalibrationData.Generate(lengths, calibrationSamples, seed: 1000, min: -1, max: 1);
            var summary = new QuantizeSummary();
            byte[] quantized = StaticQuantizer.Quantize(original, calibration, new QuantizeOptions(), options, summary);
            foreach (string s in summary.Skipped) _output.WriteLine("skipped: " + s);

            var eval = CalibrationData.Generate(lengths, evalSamples, seed: 0, min: -1, max: 1);
            var report = CompressionReport.Create("int8 quantization", file, original, quantized, eval.Take(16).ToList(), "held-out seeded inputs", options);
            _output.WriteLine(report.ToMarkdown());
            Assert.Null(report.After.Error);
            double ratio = (double)report.Before.WeightBytes / report.After.WeightBytes;
            Assert.True(ratio >= 3.5, "weight bytes dropped only " + ratio.ToString("0.00") + "x");
            Assert.NotNull(report.Fidelity);

            var result = ModelCompiler.Compile(quantized, options);
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            int convs = CountOps(original, "Conv");
            Assert.Equal(convs, result.Plan!.Nodes.Count(n => n.OpType == "QLinearConv"));
            Assert.DoesNotContain(result.Plan.Nodes, n => n.OpType is "Conv" or "Gemm" or "MatMul");

            // The integer path ends at the classifier's logits; Softmax runs in float between DQ and Q
            // (in both engines) and magnifies a one-step logit difference into several output steps.
            // So ±1 LSB is required of the logits, and the full model must agree on the top-1 class.
            byte[] logits = CutBeforeSoftmax(quantized);
            var logitsResult = ModelCompiler.Compile(logits, options);
            Assert.True(logitsResult.Success, string.Join("\n", logitsResult.Diagnostics));
            var (within, total, worst) = CompareWithOnnxRuntime(logits, logitsResult.Plan!, eval, top1: false);
            _output.WriteLine($"logits, ORT vs EdgeAot: {within}/{total} within 1 LSB, worst {worst:0.00} LSB");
            Assert.True(within >= 0.99 * total, $"only {within}/{total} logits within one step; worst {worst:0.00}");
            Assert.True(worst <= 2.001, $"a logit differs by {worst:0.00} steps");

            var (agree, samples, worstOutput) = CompareWithOnnxRuntime(quantized, result.Plan, eval, top1: true);
            _output.WriteLine($"softmax output, ORT vs EdgeAot: top-1 agrees on {agree}/{samples}, worst {worstOutput:0.00} LSB");
            Assert.True(agree >= 0.97 * samples, $"top-1 agrees on only {agree}/{samples} samples");
        }

        /// <summary>
        /// Runs a QDQ model in ONNX Runtime and in EdgeAot's generated code. Returns outputs within one
        /// step of the output scale (or, with <paramref name="top1"/>, samples whose arg-max agrees),
        /// the count compared, and the largest difference in steps.
        /// </summary>
        private static (long Within, long Total, double Worst) CompareWithOnnxRuntime(byte[] model, EdgeAot.Compiler.Plan.ModelPlan plan, List<float[][]> samples, bool top1)
        {
            var compiled = GeneratedCode.Compile(plan);
            float outputScale = OutputScale(model);
            using var sessionOptions = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
            using var session = new InferenceSession(model, sessionOptions);
            var input = session.InputMetadata.Single();
            int[] shape = input.Value.Dimensions.Select(d => d < 0 ? 1 : d).ToArray();
            long total = 0, within = 0;
            double worst = 0;
            foreach (var sample in samples)
            {
                using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(input.Key, new DenseTensor<float>(sample[0], shape)) });
                float[] expected = ((DenseTensor<float>)results.First().Value).ToArray();
                float[] actual = (float[])compiled.Run(sample[0])[0];
                Assert.Equal(expected.Length, actual.Length);
                double sampleWorst = 0;
                for (int i = 0; i < expected.Length; i++) sampleWorst = Math.Max(sampleWorst, Math.Abs(expected[i] - actual[i]) / outputScale);
                worst = Math.Max(worst, sampleWorst);
                if (top1)
                {
                    total++;
                    if (Fidelity.ArgMax(expected) == Fidelity.ArgMax(actual)) within++;
                    continue;
                }
                for (int i = 0; i < expected.Length; i++)
                {
                    total++;
                    if (Math.Abs(expected[i] - actual[i]) / outputScale <= 1.001) within++;
                }
            }
            return (within, total, worst);
        }

        /// <summary>The model with the final Softmax (and its Q/DQ) removed: the graph output becomes the dequantized logits.</summary>
        private static byte[] CutBeforeSoftmax(byte[] model)
        {
            var proto = OnnxProtoParser.ParseModel(model, 64);
            var graph = proto.Graph!;
            var softmax = graph.Node.Single(n => n.OpType == "Softmax");
            int at = graph.Node.IndexOf(softmax);
            string logits = softmax.Input[0];
            graph.Node.RemoveRange(at, graph.Node.Count - at);
            var type = graph.Output[0].Type;
            graph.Output.Clear();
            graph.Output.Add(new ValueInfoProto(logits, type));
            return OnnxWriter.Write(proto);
        }

        [Fact]
        public void Quantization_refuses_to_run_without_calibration_samples()
        {
            byte[] original = File.ReadAllBytes(SharedData.Model("ad01_fp32.onnx"));
            var e = Assert.Throws<EdgeAot.Compiler.Diagnostics.ModelException>(() =>
                StaticQuantizer.Quantize(original, new List<float[][]>(), new QuantizeOptions(), new CompileOptions(), new QuantizeSummary()));
            Assert.Equal("EAOT0051", e.Diagnostic.Id);
        }

        [Fact]
        public void Activation_parameters_cover_the_range_and_zero()
        {
            // [-1, 3]: scale 4/255, zero point round(-128 + 1/(4/255)) = round(-64.25) = -64.
            var (scale, zero) = StaticQuantizer.ActivationParameters(new TensorRange(-1, 3));
            Assert.Equal(4f / 255, scale, 6);
            Assert.Equal(-64, zero);
            // All-positive ranges start at 0 so Relu outputs use the full int8 range from -128.
            (scale, zero) = StaticQuantizer.ActivationParameters(new TensorRange(0.5, 2.55));
            Assert.Equal(0.01f, scale, 6);
            Assert.Equal(-128, zero);
        }

        [Fact]
        public void Percentile_calibration_clips_outliers_min_max_keeps_them()
        {
            var values = new float[10001];
            for (int i = 0; i < 10000; i++) values[i] = i / 10000f; // uniform on [0, 1)
            values[10000] = 100f; // one outlier
            var observer = new RangeObserver(new[] { "t" });
            observer.ObserveMinMax("t", values);
            observer.ObserveHistogram("t", values);
            Assert.Equal(100, observer.Ranges(CalibrationMethod.MinMax, 0)["t"].Max, 6);
            // 99.9%: 10 values may be cut on each side; the outlier's bin is cut, the [0, 1) bins are kept.
            var clipped = observer.Ranges(CalibrationMethod.Percentile, 99.9)["t"];
            Assert.InRange(clipped.Max, 0.99, 1.05);
            Assert.Equal(0, clipped.Min, 6);
        }

        private static int CountOps(byte[] model, string opType)
            => OnnxProtoParser.ParseModel(model, 64).Graph!.Node.Count(n => n.OpType == opType);

        /// <summary>Scale of the DequantizeLinear that writes graph output 0.</summary>
        private static float OutputScale(byte[] model)
        {
            var graph = OnnxProtoParser.ParseModel(model, 64).Graph!;
            string output = graph.Output[0].Name;
            var dq = graph.Node.Single(n => n.Output.Contains(output));
            Assert.Equal("DequantizeLinear", dq.OpType);
            var scale = graph.Initializer.Single(t => t.Name == dq.Input[1]);
            return BitConverter.ToSingle(scale.RawData, 0);
        }
    }
}
