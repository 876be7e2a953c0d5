using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;

namespace EdgeAot.Compiler.Passes
{
    /// <summary>
    /// Folds an inference BatchNormalization into the Conv before it: W'[m] = W[m]·a[m],
    /// B'[m] = (B[m] − μ[m])·a[m] + β[m] with a = γ/√(σ²+ε). Applies only when the Conv's output
    /// feeds nothing else and every parameter is a constant.
    /// </summary>
    public static class BatchNormFolding
    {
        public static void Run(Graph graph)
        {
            var producers = graph.Producers();
            var consumers = graph.Consumers();
            for (int i = 0; i < graph.Nodes.Count; i++)
            {
                var bn = graph.Nodes[i];
                if (bn.OpType != "BatchNormalization" || !AllConstant(bn)) continue;
                var x = bn.Inputs[0]!;
                if (!producers.TryGetValue(x, out var conv) || conv.OpType != "Conv" || graph.IsGraphOutput(x)) continue;
                if (consumers[x].Count != 1 || !conv.Inputs[1]!.IsConstant || conv.Input(2) is { IsConstant: false }) continue;
                if (conv.Attributes.Contains("activation")) continue;

                var (scale, shift) = BatchNormOperator.Coefficients(bn);
                var w = conv.Inputs[1]!;
                float[] weights = TensorData.ToFloat32(w);
                long perFilter = weights.Length / scale.Length;
                for (long j = 0; j < weights.Length; j++) weights[j] *= scale[j / perFilter];
                float[] bias = conv.Input(2) is { } b ? TensorData.ToFloat32(b) : new float[scale.Length];
                for (int c = 0; c < bias.Length; c++) bias[c] = bias[c] * scale[c] + shift[c];

                // New constants: the originals may be shared with other nodes.
                conv.Inputs[1] = new Value(w.Name, DataType.Float32, w.Shape, TensorData.FromFloat32(weights));
                var biasValue = new Value(conv.Input(2)?.Name ?? bn.Name + "_bias", DataType.Float32, new long[] { scale.Length }, TensorData.FromFloat32(bias));
                if (conv.Inputs.Count > 2) conv.Inputs[2] = biasValue;
                else conv.Inputs.Add(biasValue);
                conv.Outputs[0] = bn.Outputs[0];
                conv.FusedFrom.Add(bn.Name);
                graph.Nodes.RemoveAt(i);
                i--;
                producers = graph.Producers();
                consumers = graph.Consumers();
            }
        }

        private static bool AllConstant(Node bn)
        {
            for (int i = 1; i <= 4; i++)
            {
                if (bn.Input(i) is not { IsConstant: true }) return false;
            }
            return true;
        }
    }
}
