using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Passes
{
    /// <summary>The IR→IR passes after lowering, in order. Each pass is a static class with its own tests.</summary>
    public static class PassPipeline
    {
        public static void Run(Graph graph, LoweringContext context)
        {
            Float16RoundTrips.Run(graph);
            BatchNormFolding.Run(graph);
            ActivationFusion.Run(graph);
            ZeroChannelElimination.Run(graph);
            QdqFusion.Run(graph, context);
            SparseGemmLowering.Run(graph);
            CompressedWeightLowering.Run(graph);
            DeadNodeElimination.Run(graph);
            OutputMaterialization.Run(graph);
            Int8ChannelLastLayout.Run(graph, context.Options.Int8ChannelLast);
        }
    }
}
