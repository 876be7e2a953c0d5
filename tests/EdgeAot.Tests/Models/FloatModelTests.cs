using System;
using System.Collections.Generic;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Tests.Harness;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;

namespace EdgeAot.Tests.Models
{
    /// <summary>
    /// The MLPerf Tiny float models compiled by EdgeAot against ONNX Runtime on seeded random
    /// inputs: max |error| ≤ 1e-4 · max(1, |reference|) per element; Run allocates nothing.
    /// </summary>
    public class FloatModelTests
    {
        private readonly ITestOutputHelper _output;

        public FloatModelTests(ITestOutputHelper output) => _output = output;

        public static IEnumerable<object[]> FloatModels() => new[]
        {
            new object[] { "ic.onnx" },
            new object[] { "vww_96_float.onnx" },
            new object[] { "kws_ref_model_float32.onnx" },
            new object[] { "ad01_fp32.onnx" },
        };

        [Theory]
        [MemberData(nameof(FloatModels))]
        public void Matches_onnx_runtime_on_20_seeded_inputs_and_allocates_nothing(string file)
        {
            string path = SharedData.Model(file);
            var result = ModelCompiler.CompileFile(path, new CompileOptions { ModelPath = file, Namespace = "EdgeAot.Tests.Real" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            var plan = result.Plan!;
            var model = GeneratedCode.Compile(plan);
            var input = plan.Tensor(plan.Inputs.Single());
            var output = plan.Tensor(plan.Outputs.Single());

            using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
            using var session = new InferenceSession(path, options);
            string inputName = session.InputMetadata.Keys.Single();
            int[] dims = input.Shape.Select(d => (int)d).ToArray();

            double worst = 0;
            for (int seed = 0; seed < 20; seed++)
            {
                var rng = new Random(seed);
                var data = new float[input.ElementCount];
                for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);

                var actual = (float[])model.Run(data)[0];
                using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<float>(data, dims)) });
                float[] expected = results.First().AsEnumerable<float>().ToArray();

                Assert.Equal(expected.Length, actual.Length);
                for (int i = 0; i < expected.Length; i++)
                {
                    double error = Math.Abs(expected[i] - actual[i]) / Math.Max(1, Math.Abs(expected[i]));
                    worst = Math.Max(worst, error);
                    Assert.True(error <= 1e-4, $"{file} seed {seed} element {i}: ORT {expected[i]}, EdgeAot {actual[i]}");
                }
            }
            _output.WriteLine($"{file}: worst scaled error {worst:E2} over 20 inputs, output {output.ElementCount} elements");

            long allocated = model.AllocatedBytes(new Array[] { new float[input.ElementCount] }, runs: 1000);
            Assert.Equal(0, allocated);
        }
    }
}
