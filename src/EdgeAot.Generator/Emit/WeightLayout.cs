using System.Collections.Generic;
using EdgeAot.Compiler.Plan;

namespace EdgeAot.Generator.Emit
{
    /// <summary>
    /// Which weights a kernel may store in its own layout (see <see cref="OpEmitter.PackConstantInput"/>):
    /// those read by exactly one input slot of one node and not a graph output, so no other reader sees
    /// the changed bytes.
    /// </summary>
    internal static class WeightLayout
    {
        /// <summary>Weight tensor id → its only reader (node and input slot).</summary>
        public static Dictionary<int, (NodePlan Node, int Index)> OnlyReaders(ModelPlan plan)
        {
            var readers = new Dictionary<int, (NodePlan Node, int Index)>();
            var shared = new HashSet<int>(plan.Outputs);
            foreach (var node in plan.Nodes)
            {
                for (int i = 0; i < node.Inputs.Count; i++)
                {
                    int id = node.Inputs[i];
                    if (id < 0 || plan.Tensor(id).Storage != TensorStorage.Weight || shared.Contains(id)) continue;
                    if (readers.Remove(id)) shared.Add(id);
                    else readers[id] = (node, i);
                }
            }
            return readers;
        }

        /// <summary>True when input <paramref name="index"/> of <paramref name="node"/> is a weight only it reads.</summary>
        public static bool IsOnlyReader(ModelPlan plan, NodePlan node, int index)
        {
            int id = node.Input(index);
            if (id < 0 || plan.Tensor(id).Storage != TensorStorage.Weight) return false;
            foreach (var n in plan.Nodes)
                for (int i = 0; i < n.Inputs.Count; i++)
                    if (n.Inputs[i] == id && (n.Index != node.Index || i != index)) return false;
            foreach (int output in plan.Outputs)
                if (output == id) return false;
            return true;
        }
    }
}
