using System;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Tests.Harness;
using Xunit.Abstractions;

namespace EdgeAot.Tests.Models
{
    /// <summary>The build report says, per node, whether it runs as an integer kernel or in float.</summary>
    public class QuantizedReportTests
    {
        private readonly ITestOutputHelper _output;

        public QuantizedReportTests(ITestOutputHelper output) => _output = output;

        [Theory]
        [InlineData("kws_ref_model.onnx")]
        [InlineData("ad01_int8.onnx")]
        public void Report_marks_the_integer_kernels_of_the_quantized_models(string file)
        {
            var result = ModelCompiler.CompileFile(SharedData.Model(file), new CompileOptions { ModelPath = file, Namespace = "EdgeAot.Tests.Report" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            string markdown = result.Report!.ToMarkdown();
            _output.WriteLine(markdown);
            var layers = result.Report.Layers;
            var kernels = layers.Where(l => l.OpType.StartsWith("QLinear", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(kernels);
            Assert.All(kernels, l => Assert.Equal("integer", l.Arithmetic));
            Assert.All(layers, l => Assert.Contains(l.Arithmetic, new[] { "integer", "float", "float→int", "int→float" }));
            int integer = layers.Count(l => l.Arithmetic == "integer");
            Assert.Contains("- integer nodes: " + integer + " of " + layers.Count, markdown);
            Assert.Contains("| integer |", markdown);
        }

        [Fact]
        public void Report_lists_float_nodes_between_dequantize_and_quantize()
        {
            // DequantizeLinear → Softmax → QuantizeLinear: Softmax has no integer form and stays float.
            var b = new OnnxModelBuilder("g", 13);
            string x = b.Input("x", DataType.Int8, 1, 10);
            string f = b.Node("DequantizeLinear", new[] { x, b.Initializer("s", Array.Empty<long>(), new[] { 0.1f }), b.Initializer("z", Array.Empty<long>(), new sbyte[] { 0 }) });
            string softmax = b.Node("Softmax", new[] { f });
            string y = b.Node("QuantizeLinear", new[] { softmax, b.Initializer("ys", Array.Empty<long>(), new[] { 1f / 256 }), b.Initializer("yz", Array.Empty<long>(), new sbyte[] { -128 }) });
            b.Output(y, DataType.Int8, 1, 10);
            var result = ModelCompiler.Compile(b.ToBytes(), new CompileOptions { ModelPath = "softmax.onnx", ClassName = "SoftmaxQ" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            var arithmetic = result.Report!.Layers.Select(l => l.OpType + ":" + l.Arithmetic).ToArray();
            Assert.Equal(new[] { "DequantizeLinear:int→float", "Softmax:float", "QuantizeLinear:float→int" }, arithmetic);
            Assert.Contains("float nodes: Softmax_1 (Softmax)", result.Report.ToMarkdown());
        }
    }
}
