using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Passes
{
    /// <summary>
    /// Between two float16 nodes computed in float32 (<see cref="Ops.Float16Handling.ComputeInFloat32"/>)
    /// lowering leaves a Cast to float16 followed by a Cast back to float32. When nothing else reads
    /// the float16 tensor, the pair becomes one <c>RoundToFloat16</c> (float32 in, float32 out, each
    /// value rounded to the nearest float16, ties to even): the same values, one loop instead of two,
    /// and no float16 copy in the arena, since the rounding runs in place.
    /// </summary>
    public static class Float16RoundTrips
    {
        public const string OpType = "RoundToFloat16";

        public static void Run(Graph graph)
        {
            var consumers = graph.Consumers();
            var removed = new HashSet<Node>();
            foreach (var narrow in graph.Nodes)
            {
                if (!IsCast(narrow, DataType.Float32, DataType.Float16)) continue;
                var half = narrow.Outputs[0];
                if (graph.IsGraphOutput(half) || !consumers.TryGetValue(half, out var readers) || readers.Count != 1) continue;
                var widen = readers[0];
                if (!IsCast(widen, DataType.Float16, DataType.Float32)) continue;
                narrow.OpType = OpType;
                narrow.Domain = SparseGemmLowering.Domain;
                narrow.Attributes.Remove("to");
                narrow.Outputs[0] = widen.Outputs[0];
                narrow.FusedFrom.Add(widen.Name);
                removed.Add(widen);
            }
            graph.Nodes.RemoveAll(removed.Contains);
        }

        private static bool IsCast(Node node, DataType from, DataType to)
            => node.OpType == "Cast" && node.Domain.Length == 0 && node.Inputs.Count == 1 && node.Inputs[0]?.Type == from && node.Outputs[0].Type == to;
    }
}
