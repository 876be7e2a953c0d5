using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Passes
{
    /// <summary>
    /// Fuses an activation that directly follows a Conv, Gemm or MatMul (or a Relu/Clip after a float
    /// Add) into that node's epilogue,
    /// so the result is clamped (or squashed) while it is still in a register. Relu and Clip
    /// become <c>activation="Clip"</c> with <c>activation_min</c>/<c>activation_max</c>;
    /// Sigmoid and Tanh keep their names. The float-only activations of the elementwise math family
    /// whose value depends on x and float attributes only (LeakyRelu, Elu, Selu, Celu,
    /// ThresholdedRelu, HardSigmoid, HardSwish, Softplus, Softsign, Mish, Swish) keep their names
    /// too, their attributes stored as <c>activation_alpha</c>, <c>activation_beta</c>, ...
    /// </summary>
    public static class ActivationFusion
    {
        private static readonly string[] Producers = { "Conv", "Gemm", "MatMul" };

        /// <summary>Activations with float attributes, emitted by the generator's elementwise math expressions.</summary>
        private static readonly string[] Parameterized =
        {
            "LeakyRelu", "Elu", "Selu", "Celu", "ThresholdedRelu", "HardSigmoid", "HardSwish", "Softplus", "Softsign", "Mish", "Swish",
        };

        public static void Run(Graph graph)
        {
            var producers = graph.Producers();
            var consumers = graph.Consumers();
            for (int i = 0; i < graph.Nodes.Count; i++)
            {
                var activation = graph.Nodes[i];
                bool parameterized = Ops.ElementwiseMathOperator.Specs.ContainsKey(activation.OpType) && System.Array.IndexOf(Parameterized, activation.OpType) >= 0;
                if (activation.OpType is not ("Relu" or "Clip" or "Sigmoid" or "Tanh") && !parameterized) continue;
                if (parameterized && activation.Outputs[0].Type != DataType.Float32) continue;
                var x = activation.Input(0);
                if (x is null || !producers.TryGetValue(x, out var producer)) continue;
                // A float Add (residual connections) takes a following Relu/Clip into its one pass too.
                bool residual = producer.OpType == "Add" && (activation.OpType is "Relu" or "Clip") && x.Type == DataType.Float32
                    && !IsQuantizedPattern(producer, activation, producers, consumers);
                if ((System.Array.IndexOf(Producers, producer.OpType) < 0 && !residual) || producer.Attributes.Contains("activation")) continue;
                if (graph.IsGraphOutput(x) || consumers[x].Count != 1 || producer.Outputs[0] != x) continue;
                if (activation.Outputs[0].Type != x.Type) continue;

                switch (activation.OpType)
                {
                    case "Relu":
                        SetClamp(producer, 0f, float.PositiveInfinity);
                        break;
                    case "Clip":
                        SetClamp(producer, activation.Attributes.GetFloat("min", float.NegativeInfinity), activation.Attributes.GetFloat("max", float.PositiveInfinity));
                        break;
                    default:
                        producer.Attributes.Set(Attribute.FromString("activation", activation.OpType));
                        if (parameterized)
                        {
                            foreach (var (name, _) in Ops.ElementwiseMathOperator.Specs[activation.OpType].Floats)
                                producer.Attributes.Set(Attribute.FromFloat("activation_" + name, activation.Attributes.GetFloat(name, 0)));
                        }
                        break;
                }
                producer.Outputs[0] = activation.Outputs[0];
                producer.FusedFrom.Add(activation.Name);
                graph.Nodes.RemoveAt(i);
                i--;
                producers = graph.Producers();
                consumers = graph.Consumers();
            }
        }

        /// <summary>
        /// DequantizeLinear → Add → Relu → QuantizeLinear becomes one integer QLinearAdd later
        /// (<see cref="QdqOperatorFusion"/>, which takes no fused activation): leave such an Add alone.
        /// </summary>
        private static bool IsQuantizedPattern(Node add, Node activation, System.Collections.Generic.Dictionary<Value, Node> producers, System.Collections.Generic.Dictionary<Value, System.Collections.Generic.List<Node>> consumers)
        {
            foreach (var input in add.Inputs)
                if (input is not null && producers.TryGetValue(input, out var p) && p.OpType == "DequantizeLinear") return true;
            if (consumers.TryGetValue(activation.Outputs[0], out var readers))
                foreach (var reader in readers)
                    if (reader.OpType == "QuantizeLinear") return true;
            return false;
        }

        private static void SetClamp(Node node, float min, float max)
        {
            node.Attributes.Set(Attribute.FromString("activation", "Clip"));
            node.Attributes.Set(Attribute.FromFloat("activation_min", min));
            node.Attributes.Set(Attribute.FromFloat("activation_max", max));
        }
    }
}
