using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Passes
{
    /// <summary>
    /// Makes every graph output a distinct value written by a node: an output that is a graph
    /// input, a constant, or the same value as an earlier output gets an Identity copy, so each
    /// output parameter of Run is filled exactly once.
    /// </summary>
    public static class OutputMaterialization
    {
        public static void Run(Graph graph)
        {
            var produced = new HashSet<Value>();
            foreach (var node in graph.Nodes) produced.UnionWith(node.Outputs);
            var seen = new HashSet<Value>();
            for (int i = 0; i < graph.Outputs.Count; i++)
            {
                var value = graph.Outputs[i];
                if (produced.Contains(value) && seen.Add(value)) continue;
                var copy = new Value(value.Name, value.Type, value.Shape);
                var node = new Node("output_copy_" + i, "Identity", "", new List<Value?> { value }, new List<Value> { copy }, new AttributeSet());
                graph.Nodes.Add(node);
                graph.Outputs[i] = copy;
                seen.Add(copy);
            }
        }
    }
}
