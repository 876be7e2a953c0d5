using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Plan;
using EdgeAot.Tests.Harness;
using Xunit.Abstractions;

namespace EdgeAot.Tests.Consumer
{
    /// <summary>
    /// Generated code in the strictest consumer project: CheckForOverflowUnderflow, TreatWarningsAsErrors,
    /// nullable enabled, warning level 9999. Kernels must say <c>unchecked</c> where they mean to wrap, or
    /// a checked build throws OverflowException at run time; so the conformance sample also runs.
    /// </summary>
    public class StrictConsumerTests
    {
        private static readonly string[] MlperfModels =
        {
            "ad01_fp32.onnx", "ad01_int8.onnx", "ic.onnx", "kws_ref_model.onnx", "kws_ref_model_float32.onnx", "vww_96_float.onnx",
        };

        private readonly ITestOutputHelper _output;

        public StrictConsumerTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void MlperfModels_CompileAndRunInAStrictConsumerProject()
        {
            var plans = new List<ModelPlan>();
            foreach (var file in MlperfModels)
            {
                var result = ModelCompiler.CompileFile(SharedData.Model(file), new CompileOptions { ModelPath = file, Namespace = "EdgeAot.Tests.Strict" });
                Assert.True(result.Success, file + ": " + string.Join("\n", result.Diagnostics));
                plans.Add(result.Plan!);
            }
            var compiled = GeneratedCode.CompileStrict(plans);
            var random = new Random(7);
            var failures = new List<string>();
            foreach (var plan in plans)
            {
                // Random full-range inputs: integer paths must not trip overflow checks.
                var inputs = plan.Inputs.Select(id => RandomArray(plan.Tensor(id), random)).ToArray();
                try
                {
                    compiled.Get(plan).Run(inputs);
                }
                catch (OverflowException e)
                {
                    failures.Add(plan.ModelFile + ": " + e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains(plan.ClassName, StringComparison.Ordinal)));
                }
            }
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }

        [Fact]
        public void ConformanceSample_CompilesAndRunsInAStrictConsumerProject()
        {
            var cases = new List<(string Dir, ModelPlan Plan)>();
            foreach (var dir in SharedData.NodeCases.Where((_, i) => i % 3 == 0))
            {
                string name = Path.GetFileName(dir);
                var options = new CompileOptions { ModelPath = name + "/model.onnx", ClassName = "Strict_" + new string(name.Select(c => char.IsLetterOrDigit(c) && c < 128 ? c : '_').ToArray()), Namespace = "Strict" };
                var result = ModelCompiler.Compile(File.ReadAllBytes(Path.Combine(dir, "model.onnx")), options);
                if (result.Success) cases.Add((dir, result.Plan!));
            }
            Assert.True(cases.Count > 100, "only " + cases.Count + " sampled cases compile");
            _output.WriteLine(cases.Count + " conformance cases");

            var compiled = GeneratedCode.CompileStrict(cases.Select(c => c.Plan).ToList());
            var failures = new List<string>();
            foreach (var (dir, plan) in cases)
            {
                foreach (var set in Directory.GetDirectories(dir, "test_data_set_*"))
                {
                    try
                    {
                        var inputs = new Array[plan.Inputs.Count];
                        for (int i = 0; i < inputs.Length; i++)
                        {
                            var t = OnnxTensorFile.ReadTensor(File.ReadAllBytes(Path.Combine(set, "input_" + i + ".pb")));
                            inputs[i] = Array.CreateInstance(CompiledModel.ClrType(t.Type), Shape.ElementCount(t.Dims));
                            Buffer.BlockCopy(t.Data, 0, inputs[i], 0, t.Data.Length);
                        }
                        compiled.Get(plan).Run(inputs);
                    }
                    catch (OverflowException e)
                    {
                        failures.Add(Path.GetFileName(dir) + ": " + e.Message);
                    }
                    catch (Exception)
                    {
                        // Wrong inputs or values are the conformance tier's business; only overflow traps matter here.
                    }
                }
            }
            Assert.True(failures.Count == 0, "checked arithmetic traps in generated kernels:\n" + string.Join("\n", failures));
        }

        private static Array RandomArray(TensorPlan t, Random random)
        {
            var array = Array.CreateInstance(CompiledModel.ClrType(t.Type), t.ElementCount);
            if (t.Type is DataType.Float32)
            {
                var f = (float[])array;
                for (int i = 0; i < f.Length; i++) f[i] = (float)(random.NextDouble() * 2 - 1);
                return array;
            }
            var bytes = new byte[Buffer.ByteLength(array)];
            random.NextBytes(bytes);
            Buffer.BlockCopy(bytes, 0, array, 0, bytes.Length);
            return array;
        }
    }
}
