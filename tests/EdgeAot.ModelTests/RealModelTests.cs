using System;
using System.Linq;
using Xunit.Abstractions;

namespace EdgeAot.ModelTests
{
    /// <summary>
    /// The six MLPerf Tiny models, compiled through EdgeModel items, against ONNX Runtime 1.31.1:
    /// float models on 20 seeded inputs within 1e-4·max(1,|reference|); int8 models on 200 seeded
    /// inputs, ≥ 99% of int8 outputs within one LSB, all within two, KWS top-1 ≥ 99%.
    /// Run allocates nothing (GC.GetAllocatedBytesForCurrentThread around 1000 calls).
    /// </summary>
    public class RealModelTests
    {
        private readonly ITestOutputHelper _output;

        public RealModelTests(ITestOutputHelper output) => _output = output;

        private delegate void Runner<TIn, TOut>(ReadOnlySpan<TIn> input, Span<TOut> output);

        [Fact]
        public void Image_classifier_matches_onnx_runtime() => CompareFloat("ic.onnx", new ImageClassifier().Run, ImageClassifier.InputLengths[0], ImageClassifier.OutputLengths[0], ImageClassifier.Input1Shape);

        [Fact]
        public void Visual_wake_words_matches_onnx_runtime() => CompareFloat("vww_96_float.onnx", new VisualWakeWords().Run, VisualWakeWords.InputLengths[0], VisualWakeWords.OutputLengths[0], VisualWakeWords.Input1Shape);

        [Fact]
        public void Image_classifier_for_speed_matches_onnx_runtime_with_a_larger_arena()
        {
            Assert.True(ImageClassifierSpeed.ArenaBytes > ImageClassifier.ArenaBytes, ImageClassifierSpeed.ArenaBytes + " vs " + ImageClassifier.ArenaBytes);
            CompareFloat("ic.onnx", new ImageClassifierSpeed().Run, ImageClassifierSpeed.InputLengths[0], ImageClassifierSpeed.OutputLengths[0], ImageClassifierSpeed.Input1Shape);
        }

        [Fact]
        public void Visual_wake_words_for_speed_matches_onnx_runtime_with_a_larger_arena()
        {
            Assert.True(VisualWakeWordsSpeed.ArenaBytes > VisualWakeWords.ArenaBytes, VisualWakeWordsSpeed.ArenaBytes + " vs " + VisualWakeWords.ArenaBytes);
            CompareFloat("vww_96_float.onnx", new VisualWakeWordsSpeed().Run, VisualWakeWordsSpeed.InputLengths[0], VisualWakeWordsSpeed.OutputLengths[0], VisualWakeWordsSpeed.Input1Shape);
        }

        [Fact]
        public void Keyword_spotting_float_matches_onnx_runtime() => CompareFloat("kws_ref_model_float32.onnx", new KeywordSpottingFloat().Run, KeywordSpottingFloat.InputLengths[0], KeywordSpottingFloat.OutputLengths[0], KeywordSpottingFloat.Input1Shape);

        [Fact]
        public void Anomaly_detector_float_matches_onnx_runtime() => CompareFloat("ad01_fp32.onnx", new AnomalyDetectorFloat().Run, AnomalyDetectorFloat.InputLengths[0], AnomalyDetectorFloat.OutputLengths[0], AnomalyDetectorFloat.Input1Shape);

        [Fact]
        public void Keyword_spotting_int8_within_one_step_of_onnx_runtime()
        {
            var model = new KeywordSpottingInt8();
            CompareInt8("kws_ref_model.onnx", (x, y) => model.Run(x, y), KeywordSpottingInt8.InputLengths[0], KeywordSpottingInt8.OutputLengths[0], KeywordSpottingInt8.Input1Shape, classifier: true);
        }

        [Fact]
        public void Anomaly_detector_int8_within_one_step_of_onnx_runtime()
        {
            var model = new AnomalyDetectorInt8();
            CompareInt8("ad01_int8.onnx", (x, y) => model.Run(x, y), AnomalyDetectorInt8.InputLengths[0], AnomalyDetectorInt8.OutputLengths[0], AnomalyDetectorInt8.Input1Shape, classifier: false);
        }

        [Fact]
        public void Run_allocates_nothing()
        {
            var ic = new ImageClassifier();
            var kws = new KeywordSpottingInt8();
            var icIn = new float[ImageClassifier.InputLengths[0]];
            var icOut = new float[ImageClassifier.OutputLengths[0]];
            var kwsIn = new sbyte[KeywordSpottingInt8.InputLengths[0]];
            var kwsOut = new sbyte[KeywordSpottingInt8.OutputLengths[0]];
            ic.Run(icIn, icOut);
            kws.Run(kwsIn, kwsOut);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                ic.Run(icIn, icOut);
                kws.Run(kwsIn, kwsOut);
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        private void CompareFloat(string file, Runner<float, float> run, int inputLength, int outputLength, ReadOnlySpan<int> shape)
        {
            using var reference = new OnnxRuntimeReference(file);
            var output = new float[outputLength];
            double worst = 0;
            for (int seed = 0; seed < 20; seed++)
            {
                var rng = new Random(seed);
                var input = new float[inputLength];
                for (int i = 0; i < input.Length; i++) input[i] = (float)(rng.NextDouble() * 2 - 1);
                run(input, output);
                double[] expected = reference.Run(input, shape);
                Assert.Equal(expected.Length, output.Length);
                for (int i = 0; i < expected.Length; i++)
                {
                    double error = Math.Abs(expected[i] - output[i]) / Math.Max(1, Math.Abs(expected[i]));
                    worst = Math.Max(worst, error);
                    Assert.True(error <= 1e-4, $"{file} seed {seed} element {i}: ONNX Runtime {expected[i]}, EdgeAot {output[i]}");
                }
            }
            _output.WriteLine($"{file}: worst scaled error {worst:E2} over 20 seeded inputs");
        }

        private void CompareInt8(string file, Runner<sbyte, sbyte> run, int inputLength, int outputLength, ReadOnlySpan<int> shape, bool classifier)
        {
            using var reference = new OnnxRuntimeReference(file);
            var output = new sbyte[outputLength];
            long total = 0, withinOne = 0, topAgree = 0;
            double worst = 0;
            for (int seed = 0; seed < 200; seed++)
            {
                var rng = new Random(seed);
                var input = new sbyte[inputLength];
                for (int i = 0; i < input.Length; i++) input[i] = (sbyte)rng.Next(-128, 128);
                run(input, output);
                double[] expected = reference.Run(input, shape);
                for (int i = 0; i < expected.Length; i++)
                {
                    double steps = Math.Abs(expected[i] - output[i]); // int8 outputs: one step is one LSB
                    worst = Math.Max(worst, steps);
                    total++;
                    if (steps <= 1.001) withinOne++;
                    Assert.True(steps <= 2.001, $"{file} seed {seed} element {i}: ONNX Runtime {expected[i]}, EdgeAot {output[i]} ({steps:F2} steps)");
                }
                if (ArgMax(expected) == ArgMax(output.Select(v => (double)v).ToArray())) topAgree++;
            }
            double fraction = (double)withinOne / total;
            _output.WriteLine($"{file}: {fraction:P2} of {total} outputs within one LSB, worst {worst:F2} steps, top-1 agreement {topAgree}/200");
            Assert.True(fraction >= 0.99, $"only {fraction:P2} within one step");
            if (classifier) Assert.True(topAgree >= 198, $"top-1 agreement {topAgree}/200");
        }

        private static int ArgMax(double[] values)
        {
            int best = 0;
            for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
            return best;
        }
    }
}
