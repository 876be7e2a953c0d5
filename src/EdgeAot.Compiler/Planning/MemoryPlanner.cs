using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;

namespace EdgeAot.Compiler.Planning
{
    /// <summary>Where one value lives: a Run parameter, a weight, or an arena slice.</summary>
    public readonly struct Placement
    {
        public Placement(TensorStorage storage, long offset)
        {
            Storage = storage;
            Offset = offset;
        }

        public TensorStorage Storage { get; }

        /// <summary>Parameter index for inputs/outputs, byte offset for arena slices, unused for weights.</summary>
        public long Offset { get; }
    }

    public sealed class MemoryPlan
    {
        public MemoryPlan(Dictionary<Value, Placement> placements, Dictionary<Value, Value> weightAliases, long arenaBytes, long lowerBound)
        {
            Placements = placements;
            WeightAliases = weightAliases;
            ArenaBytes = arenaBytes;
            LowerBound = lowerBound;
        }

        public Dictionary<Value, Placement> Placements { get; }

        /// <summary>Views of constants: the value reads the weight data of the mapped constant.</summary>
        public Dictionary<Value, Value> WeightAliases { get; }

        /// <summary>Bytes of the arena every instance owns.</summary>
        public long ArenaBytes { get; }

        /// <summary>Largest total size of buffers live at the same time: no plan can use less.</summary>
        public long LowerBound { get; }
    }

    /// <summary>
    /// Static memory plan: values that share a buffer (views, in-place elementwise ops) form one
    /// buffer; each buffer lives from its first write to its last read; buffers are placed
    /// largest first at the lowest offset that does not overlap a buffer live at the same time.
    /// </summary>
    public static class MemoryPlanner
    {
        public const int Alignment = 64;

        private sealed class Buffer
        {
            public long Bytes;
            public int FirstWrite = int.MaxValue;
            public int LastRead = -1;
            public long Offset = -1;
        }

        public static MemoryPlan Plan(Graph graph)
        {
            var placements = new Dictionary<Value, Placement>();
            var weightAliases = new Dictionary<Value, Value>();
            for (int i = 0; i < graph.Inputs.Count; i++) placements[graph.Inputs[i]] = new Placement(TensorStorage.Input, i);
            for (int i = 0; i < graph.Outputs.Count; i++)
            {
                // A graph output that is a graph input or constant is copied by an Identity node the
                // plan builder adds; here it is simply an output parameter.
                if (!placements.ContainsKey(graph.Outputs[i])) placements[graph.Outputs[i]] = new Placement(TensorStorage.Output, i);
            }

            var bufferOf = new Dictionary<Value, Buffer>();
            var buffers = new List<Buffer>();
            var consumers = graph.Consumers();
            for (int step = 0; step < graph.Nodes.Count; step++)
            {
                var node = graph.Nodes[step];
                var definition = OperatorRegistry.Find(node.Domain, node.OpType);
                foreach (var input in node.Inputs)
                {
                    if (input is not null && bufferOf.TryGetValue(input, out var used)) used.LastRead = Math.Max(used.LastRead, step);
                }
                for (int o = 0; o < node.Outputs.Count; o++)
                {
                    var output = node.Outputs[o];
                    if (placements.ContainsKey(output)) continue;
                    var source = node.Input(0);
                    if (o == 0 && source is not null && definition is not null && definition.IsView(node))
                    {
                        if (bufferOf.TryGetValue(source, out var shared))
                        {
                            bufferOf[output] = shared;
                            continue;
                        }
                        if (placements.TryGetValue(source, out var outer))
                        {
                            placements[output] = outer;
                            if (outer.Storage == TensorStorage.Weight && weightAliases.TryGetValue(source, out var w)) weightAliases[output] = w;
                            continue;
                        }
                        if (source.IsConstant)
                        {
                            weightAliases[output] = weightAliases.TryGetValue(source, out var w) ? w : source;
                            placements[output] = new Placement(TensorStorage.Weight, 0);
                            continue;
                        }
                    }
                    if (o == 0 && source is not null && definition is not null && definition.CanRunInPlace(node)
                        && bufferOf.TryGetValue(source, out var reusable) && reusable.LastRead <= step
                        && IsLastUse(source, node, graph, consumers, bufferOf)
                        && reusable.Bytes == Align(Shape.ByteSize(output.Shape, output.Type)))
                    {
                        bufferOf[output] = reusable;
                        continue;
                    }
                    var buffer = new Buffer { Bytes = Align(Shape.ByteSize(output.Shape, output.Type)), FirstWrite = step, LastRead = step };
                    buffers.Add(buffer);
                    bufferOf[output] = buffer;
                }
            }
            // Values read by no later node still hold their buffer until the end of their node.
            long arena = AssignOffsets(buffers);
            foreach (var pair in bufferOf) placements[pair.Key] = new Placement(TensorStorage.Arena, pair.Value.Offset);
            return new MemoryPlan(placements, weightAliases, arena, LowerBound(buffers, graph.Nodes.Count));
        }

        /// <summary>True when no node after <paramref name="node"/> reads <paramref name="value"/> or any value sharing its buffer.</summary>
        private static bool IsLastUse(Value value, Node node, Graph graph, Dictionary<Value, List<Node>> consumers, Dictionary<Value, Buffer> bufferOf)
        {
            var buffer = bufferOf[value];
            int step = graph.Nodes.IndexOf(node);
            foreach (var pair in bufferOf)
            {
                if (pair.Value != buffer) continue;
                if (graph.IsGraphOutput(pair.Key)) return false;
                if (!consumers.TryGetValue(pair.Key, out var readers)) continue;
                foreach (var reader in readers)
                {
                    if (graph.Nodes.IndexOf(reader) > step) return false;
                    // Reading the same buffer through a second input would see half-written data.
                    if (reader == node && CountUses(node, buffer, bufferOf) > 1) return false;
                }
            }
            return true;
        }

        private static int CountUses(Node node, Buffer buffer, Dictionary<Value, Buffer> bufferOf)
        {
            int n = 0;
            foreach (var input in node.Inputs)
            {
                if (input is not null && bufferOf.TryGetValue(input, out var b) && b == buffer) n++;
            }
            return n;
        }

        private static long AssignOffsets(List<Buffer> buffers)
        {
            var order = new List<Buffer>(buffers);
            // Largest first; ties by first write so the result is deterministic.
            order.Sort((a, b) => a.Bytes != b.Bytes ? b.Bytes.CompareTo(a.Bytes) : a.FirstWrite.CompareTo(b.FirstWrite));
            var placed = new List<Buffer>();
            long total = 0;
            foreach (var buffer in order)
            {
                var busy = new List<Buffer>();
                foreach (var other in placed)
                {
                    if (other.FirstWrite <= buffer.LastRead && buffer.FirstWrite <= other.LastRead) busy.Add(other);
                }
                busy.Sort((a, b) => a.Offset.CompareTo(b.Offset));
                // Best fit: the smallest gap between live buffers that holds this one.
                long best = -1, bestGap = long.MaxValue, cursor = 0;
                foreach (var other in busy)
                {
                    long gap = other.Offset - cursor;
                    if (gap >= buffer.Bytes && gap < bestGap)
                    {
                        best = cursor;
                        bestGap = gap;
                    }
                    cursor = Math.Max(cursor, other.Offset + other.Bytes);
                }
                buffer.Offset = best >= 0 ? best : cursor;
                total = Math.Max(total, buffer.Offset + buffer.Bytes);
                placed.Add(buffer);
            }
            return total;
        }

        private static long LowerBound(List<Buffer> buffers, int steps)
        {
            long bound = 0;
            for (int step = 0; step < steps; step++)
            {
                long live = 0;
                foreach (var b in buffers)
                {
                    if (b.FirstWrite <= step && step <= b.LastRead) live += b.Bytes;
                }
                bound = Math.Max(bound, live);
            }
            return bound;
        }

        private static long Align(long bytes) => (bytes + Alignment - 1) / Alignment * Alignment;
    }
}
