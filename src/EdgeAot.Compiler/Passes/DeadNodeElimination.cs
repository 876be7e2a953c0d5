using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Passes
{
    /// <summary>Removes nodes none of whose outputs reach a graph output.</summary>
    public static class DeadNodeElimination
    {
        public static void Run(Graph graph)
        {
            var live = new HashSet<Value>(graph.Outputs);
            var kept = new List<Node>();
            for (int i = graph.Nodes.Count - 1; i >= 0; i--)
            {
                var node = graph.Nodes[i];
                if (!node.Outputs.Exists(live.Contains)) continue;
                kept.Add(node);
                foreach (var input in node.Inputs)
                {
                    if (input is not null) live.Add(input);
                }
            }
            kept.Reverse();
            graph.Nodes.Clear();
            graph.Nodes.AddRange(kept);
        }
    }
}
