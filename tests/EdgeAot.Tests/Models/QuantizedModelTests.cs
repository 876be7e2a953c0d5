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
    /// The int8 QDQ models lower to integer kernels with no floating point in them (their accuracy
    /// against ONNX Runtime is tested in EdgeAot.ModelTests, compiled through EdgeModel items).
    /// </summary>
    public class QuantizedModelTests
    {
        private readonly ITestOutputHelper _output;

        public QuantizedModelTests(ITestOutputHelper output) => _output = output;

        [Theory]
        [InlineData("kws_ref_model.onnx", 11)]
        [InlineData("ad01_int8.onnx", 10)]
        public void Integer_kernels_contain_no_floating_point(string file, int expectedKernels)
        {
            var result = ModelCompiler.CompileFile(SharedData.Model(file), new CompileOptions { ModelPath = file, Namespace = "EdgeAot.Tests.Quantized" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            string source = EdgeAot.Generator.Emit.ModelEmitter.Emit(result.Plan!);
            int kernels = 0;
            foreach (var node in result.Plan!.Nodes.Where(n => n.OpType is "QLinearConv" or "QLinearMatMul" or "QLinearAdd" or "QLinearMul" or "QLinearAveragePool" or "QLinearGlobalAveragePool"))
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
            Assert.Equal(expectedKernels, kernels);
        }
    }
}
