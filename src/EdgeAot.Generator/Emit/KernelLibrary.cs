using System.IO;
using System.Linq;
using EdgeAot.Compiler.Plan;

namespace EdgeAot.Generator.Emit
{
    /// <summary>
    /// Shared SIMD kernels (Kernels/*.cs, embedded resources) copied into a generated class once
    /// when one of its layers calls them. Per-layer code stays specialized (constant shapes, weights,
    /// zero points); these hold the vector micro-kernels with their portable scalar fallbacks.
    /// </summary>
    internal static class KernelLibrary
    {
        private static readonly string[] FloatUsers = { "Conv", "Gemm", "MatMul", "AveragePool", "GlobalAveragePool", "Relu", "Clip" };
        private static readonly string[] IntegerUsers = { "QLinearConv", "ConvInteger", "QLinearMatMul", "MatMulInteger" };

        public static void Emit(SourceWriter w, ModelPlan plan)
        {
            if (plan.Nodes.Any(n => FloatUsers.Contains(n.OpType))) EmitResource(w, "FloatKernels.cs");
            if (plan.Nodes.Any(n => IntegerUsers.Contains(n.OpType))) EmitResource(w, "IntegerKernels.cs");
        }

        private static void EmitResource(SourceWriter w, string name)
        {
            using var stream = typeof(KernelLibrary).Assembly.GetManifestResourceStream("EdgeAot.Generator.Kernels." + name)!;
            using var reader = new StreamReader(stream);
            w.Line();
            string? line;
            while ((line = reader.ReadLine()) is not null) w.Line(line);
        }
    }
}
