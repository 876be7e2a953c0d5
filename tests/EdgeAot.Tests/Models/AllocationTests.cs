using System;
using EdgeAot.Compiler;
using EdgeAot.Tests.Harness;

namespace EdgeAot.Tests.Models
{
    /// <summary>
    /// Run allocates nothing, for every shared model (direct calls inside the generated assembly),
    /// also when the generated code is compiled without optimization (a consumer's Debug build,
    /// where the JIT does not expand RuntimeHelpers.CreateSpan and every call of a
    /// <c>ReadOnlySpan&lt;int&gt; =&gt; new int[] { ... }</c> property would allocate).
    /// </summary>
    public class AllocationTests
    {
        [Theory]
        [InlineData("ic.onnx")]
        [InlineData("vww_96_float.onnx")]
        [InlineData("kws_ref_model_float32.onnx")]
        [InlineData("ad01_fp32.onnx")]
        [InlineData("kws_ref_model.onnx")]
        [InlineData("ad01_int8.onnx")]
        public void Run_allocates_nothing(string file) => AssertNoAllocation(file, optimize: true);

        [Theory]
        [InlineData("ic.onnx")]
        [InlineData("kws_ref_model.onnx")]
        [InlineData("ad01_int8.onnx")]
        public void Run_allocates_nothing_in_debug_builds(string file) => AssertNoAllocation(file, optimize: false);

        private static void AssertNoAllocation(string file, bool optimize)
        {
            var result = ModelCompiler.CompileFile(SharedData.Model(file), new CompileOptions { ModelPath = file, Namespace = "EdgeAot.Tests.Allocation" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            var plan = result.Plan!;
            var model = GeneratedCode.Compile(new[] { plan }, optimize).Get(plan);
            var input = plan.Tensor(plan.Inputs[0]);
            var inputs = new[] { Array.CreateInstance(CompiledModel.ClrType(input.Type), input.ElementCount) };
            Assert.Equal(0, model.AllocatedBytes(inputs, runs: 1000));
        }
    }
}
