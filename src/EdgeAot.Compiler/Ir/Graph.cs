using System.Collections.Generic;

namespace EdgeAot.Compiler.Ir
{
    /// <summary>A model after import: static shapes, nodes in topological order.</summary>
    public sealed class Graph
    {
        public string Name { get; set; } = "";

        public List<Value> Inputs { get; } = new List<Value>();

        public List<Value> Outputs { get; } = new List<Value>();

        public List<Node> Nodes { get; } = new List<Node>();

        /// <summary>Opset version per domain ("" is the default ONNX domain).</summary>
        public Dictionary<string, int> Opsets { get; } = new Dictionary<string, int>(System.StringComparer.Ordinal);

        /// <summary>Maps every value to the nodes that read it, in schedule order.</summary>
        public Dictionary<Value, List<Node>> Consumers()
        {
            var map = new Dictionary<Value, List<Node>>();
            foreach (var node in Nodes)
            {
                foreach (var input in node.Inputs)
                {
                    if (input is null) continue;
                    if (!map.TryGetValue(input, out var list)) map[input] = list = new List<Node>();
                    if (!list.Contains(node)) list.Add(node);
                }
            }
            return map;
        }

        /// <summary>Maps every computed value to the node that produces it.</summary>
        public Dictionary<Value, Node> Producers()
        {
            var map = new Dictionary<Value, Node>();
            foreach (var node in Nodes)
            {
                foreach (var output in node.Outputs) map[output] = node;
            }
            return map;
        }

        public bool IsGraphOutput(Value value) => Outputs.Contains(value);
    }
}
