using System;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Tests.Harness;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;

namespace EdgeAot.Tests.Models
{
    /// <summary>
    /// The MLPerf Tiny int8 QDQ models against ONNX Runtime on 200 seeded random int8 inputs:
    /// ≥ 99% of output elements within ±1 LSB of the quantized output, all within ±2, and (KWS)
    /// top-1 agreement ≥ 99%. ORT requantizes in float, EdgeAot in fixed point, hence the LSB budget.
    /// </summary>
    public class QuantizedModelTests
    {
        private readonly ITestOutputHelper _output;

        public QuantizedModelTests(ITestOutputHelper output) => _output = output;

        [Theory]
        [InlineData("kws_ref_model.onnx", true)]
        [InlineData("ad01_int8.onnx", false)]
        public void Matches_onnx_runtime_within_one_lsb_on_200_seeded_inputs(string file, bool classifier)
        {
            string path = SharedData.Model(file);
            var result = ModelCompiler.CompileFile(path, new CompileOptions { ModelPath = file, Namespace = "EdgeAot.Tests.Quantized" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            var plan = result.Plan!;
            var integerKernels = plan.Nodes.Where(n => n.OpType is "QLinearConv" or "QLinearMatMul").ToList();
            _output.WriteLine($"{file}: {integerKernels.Count} integer kernels, float nodes: " + string.Join(", ", plan.Nodes.Where(n => !integerKernels.Contains(n)).Select(n => n.OpType)));
            Assert.NotEmpty(integerKernels);
            var model = GeneratedCode.Compile(plan);
            var input = plan.Tensor(plan.Inputs.Single());
            var outputPlan = plan.Tensor(plan.Outputs.Single());
            Assert.Equal(DataType.Int8, input.Type);

            using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
            using var session = new InferenceSession(path, options);
            string inputName = session.InputMetadata.Keys.Single();
            int[] dims = input.Shape.Select(d => (int)d).ToArray();
            // The output LSB: the scale of the QuantizeLinear that feeds the last DequantizeLinear, or 1 for integer outputs.
            double lsb = OutputStep(plan);

            long total = 0, withinOne = 0, topAgree = 0;
            double worst = 0;
            for (int seed = 0; seed < 200; seed++)
            {
                var rng = new Random(seed);
                var data = new sbyte[input.ElementCount];
                for (int i = 0; i < data.Length; i++) data[i] = (sbyte)rng.Next(-128, 128);
                var actual = model.Run(data)[0];
                using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<sbyte>(data, dims)) });
                double[] expected = results.First().Value switch
                {
                    DenseTensor<float> f => f.ToArray().Select(v => (double)v).ToArray(),
                    DenseTensor<sbyte> s => s.ToArray().Select(v => (double)v).ToArray(),
                    var other => throw new InvalidOperationException(other.GetType().Name),
                };
                double[] got = actual.Cast<object>().Select(Convert.ToDouble).ToArray();
                Assert.Equal(expected.Length, got.Length);
                for (int i = 0; i < expected.Length; i++)
                {
                    double steps = Math.Abs(expected[i] - got[i]) / lsb;
                    worst = Math.Max(worst, steps);
                    total++;
                    if (steps <= 1.0001) withinOne++;
                    Assert.True(steps <= 2.0001, $"{file} seed {seed} element {i}: ORT {expected[i]}, EdgeAot {got[i]} ({steps:F2} LSB)");
                }
                if (ArgMax(expected) == ArgMax(got)) topAgree++;
            }
            double fraction = (double)withinOne / total;
            _output.WriteLine($"{file}: {fraction:P2} of {total} outputs within 1 LSB, worst {worst:F2} LSB, top-1 agreement {topAgree}/200");
            Assert.True(fraction >= 0.99, $"only {fraction:P2} within 1 LSB");
            if (classifier) Assert.True(topAgree >= 198, $"top-1 agreement {topAgree}/200");
        }

        [Theory]
        [InlineData("kws_ref_model.onnx")]
        [InlineData("ad01_int8.onnx")]
        public void Integer_kernels_contain_no_floating_point(string file)
        {
            var result = ModelCompiler.CompileFile(SharedData.Model(file), new CompileOptions { ModelPath = file, Namespace = "EdgeAot.Tests.Quantized" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            string source = EdgeAot.Generator.Emit.ModelEmitter.Emit(result.Plan!);
            int kernels = 0;
            foreach (var node in result.Plan!.Nodes.Where(n => n.OpType is "QLinearConv" or "QLinearMatMul"))
            {
                string name = "private static void " + node.OpType + node.Index + "(";
                int start = source.IndexOf(name, StringComparison.Ordinal);
                Assert.True(start >= 0, name);
                int end = source.IndexOf("\n        }\n", start, StringComparison.Ordinal);
                string body = source.Substring(start, end - start);
                foreach (string word in new[] { "float", "double", "MathF", "Math.Round", "decimal", "Half" })
                    Assert.False(body.Contains(word, StringComparison.Ordinal), node.OpType + node.Index + " uses " + word);
                kernels++;
            }
            Assert.Equal(10, kernels);
        }

        private static double OutputStep(EdgeAot.Compiler.Plan.ModelPlan plan)
        {
            var output = plan.Tensor(plan.Outputs.Single());
            if (output.Type != DataType.Float32) return 1;
            // A float output behind DequantizeLinear(x_q, scale): one LSB is that scale.
            var last = plan.Nodes.LastOrDefault(n => n.OpType == "DequantizeLinear" && n.Outputs.Contains(output.Id));
            if (last is null) return 1e-6;
            var scale = plan.Tensor(last.Inputs[1]);
            return BitConverter.ToSingle(scale.Data.ToArray(), 0);
        }

        private static int ArgMax(double[] values)
        {
            int best = 0;
            for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
            return best;
        }
    }
}
