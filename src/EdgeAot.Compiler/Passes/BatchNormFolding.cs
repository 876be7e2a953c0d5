using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Passes
{
    /// <summary>Folds BatchNormalization into the weights and bias of the Conv or Gemm before it.</summary>
    public static class BatchNormFolding
    {
        public static void Run(Graph graph)
        {
        }
    }
}
