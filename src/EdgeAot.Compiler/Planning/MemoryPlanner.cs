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
        public MemoryPlan(Dictionary<Value, Placement> placements, Dictionary<Value, Value> weightAliases, long arenaBytes, long lowerBound,
            IReadOnlyList<MemoryPlanner.Interval> buffers, IReadOnlyList<long> offsets)
        {
            Buffers = buffers;
            Offsets = offsets;
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

        /// <summary>The arena buffers (values sharing storage count once) with their live steps, for checking the plan.</summary>
        public IReadOnlyList<MemoryPlanner.Interval> Buffers { get; }

        /// <summary>Arena offset of each of <see cref="Buffers"/>.</summary>
        public IReadOnlyList<long> Offsets { get; }
    }

    /// <summary>
    /// Static memory plan: values that share a buffer (views, in-place elementwise ops) form one
    /// buffer; each buffer lives from its first write to its last read; offsets come from the best
    /// of several placement orders (exhaustive for small graphs, see <see cref="AssignOffsets(IReadOnlyList{Interval}, out long)"/>).
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
            var intervals = new Interval[buffers.Count];
            var offsets = new long[buffers.Count];
            for (int i = 0; i < buffers.Count; i++)
            {
                intervals[i] = new Interval(buffers[i].Bytes, buffers[i].FirstWrite, buffers[i].LastRead);
                offsets[i] = buffers[i].Offset;
            }
            return new MemoryPlan(placements, weightAliases, arena, LowerBound(intervals), intervals, offsets);
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

        /// <summary>
        /// Assigns offsets: every placement order tried puts each buffer at the lowest offset where it
        /// overlaps no already placed buffer live at the same time; the order with the smallest arena
        /// wins (ties: the earlier heuristic). Up to <see cref="ExactSearchLimit"/> buffers every order
        /// is tried, which is optimal: placing buffers in the order of any optimal plan's offsets at
        /// their lowest free offset never puts one above its optimal offset. Larger graphs use
        /// several greedy orders (size, lifetime, size·lifetime, schedule) with first and best fit.
        /// </summary>
        private static long AssignOffsets(List<Buffer> buffers)
        {
            var intervals = new Interval[buffers.Count];
            for (int i = 0; i < buffers.Count; i++) intervals[i] = new Interval(buffers[i].Bytes, buffers[i].FirstWrite, buffers[i].LastRead);
            long[] offsets = AssignOffsets(intervals, out long total);
            for (int i = 0; i < buffers.Count; i++) buffers[i].Offset = offsets[i];
            return total;
        }

        /// <summary>Buffers at or below this count are placed by exhaustive search over placement orders.</summary>
        public const int ExactSearchLimit = 8;

        /// <summary>A buffer to place: its size and the schedule steps it is live (inclusive).</summary>
        public readonly struct Interval
        {
            public Interval(long bytes, int first, int last)
            {
                Bytes = bytes;
                First = first;
                Last = last;
            }

            public long Bytes { get; }

            public int First { get; }

            public int Last { get; }

            public bool Overlaps(Interval other) => First <= other.Last && other.First <= Last;
        }

        /// <summary>Offsets for <paramref name="intervals"/> (same order) and the arena size they need.</summary>
        public static long[] AssignOffsets(IReadOnlyList<Interval> intervals, out long total)
        {
            int n = intervals.Count;
            long[]? best = null;
            long bestTotal = long.MaxValue;
            void Consider(int[] order, bool bestFit)
            {
                long[] offsets = Place(intervals, order, bestFit, bestTotal, out long t);
                if (t < bestTotal)
                {
                    bestTotal = t;
                    best = offsets;
                }
            }

            var heuristics = new List<Comparison<int>>
            {
                (a, b) => intervals[b].Bytes.CompareTo(intervals[a].Bytes),
                (a, b) => (intervals[b].Last - intervals[b].First).CompareTo(intervals[a].Last - intervals[a].First),
                (a, b) => (intervals[b].Bytes * (intervals[b].Last - intervals[b].First + 1)).CompareTo(intervals[a].Bytes * (intervals[a].Last - intervals[a].First + 1)),
                (a, b) => intervals[a].First.CompareTo(intervals[b].First),
            };
            foreach (var compare in heuristics)
            {
                var order = new int[n];
                for (int i = 0; i < n; i++) order[i] = i;
                // Stable: ties keep schedule order, so the result is deterministic.
                Array.Sort(order, (a, b) => { int c = compare(a, b); return c != 0 ? c : a.CompareTo(b); });
                Consider(order, bestFit: true);
                Consider(order, bestFit: false);
            }
            if (n <= ExactSearchLimit) Permute(new int[n], new bool[n], 0, order => Consider(order, bestFit: false));
            total = n == 0 ? 0 : bestTotal;
            return best ?? new long[0];
        }

        private static void Permute(int[] order, bool[] used, int depth, Action<int[]> visit)
        {
            if (depth == order.Length)
            {
                visit(order);
                return;
            }
            for (int i = 0; i < order.Length; i++)
            {
                if (used[i]) continue;
                used[i] = true;
                order[depth] = i;
                Permute(order, used, depth + 1, visit);
                used[i] = false;
            }
        }

        /// <summary>Places buffers in <paramref name="order"/>: lowest free offset, or the tightest gap with <paramref name="bestFit"/>.</summary>
        private static long[] Place(IReadOnlyList<Interval> intervals, int[] order, bool bestFit, long giveUpAbove, out long total)
        {
            var offsets = new long[intervals.Count];
            var placed = new List<int>();
            var busy = new List<int>();
            total = 0;
            foreach (int i in order)
            {
                var buffer = intervals[i];
                busy.Clear();
                foreach (int j in placed)
                {
                    if (intervals[j].Overlaps(buffer)) busy.Add(j);
                }
                busy.Sort((a, b) => offsets[a] != offsets[b] ? offsets[a].CompareTo(offsets[b]) : a.CompareTo(b));
                long chosen = -1, chosenGap = long.MaxValue, cursor = 0;
                foreach (int j in busy)
                {
                    long gap = offsets[j] - cursor;
                    if (gap >= buffer.Bytes && (bestFit ? gap < chosenGap : chosen < 0))
                    {
                        chosen = cursor;
                        chosenGap = gap;
                    }
                    cursor = Math.Max(cursor, offsets[j] + intervals[j].Bytes);
                }
                offsets[i] = chosen >= 0 ? chosen : cursor;
                total = Math.Max(total, offsets[i] + buffer.Bytes);
                if (total >= giveUpAbove) return offsets; // cannot beat the best plan so far
                placed.Add(i);
            }
            return offsets;
        }

        /// <summary>Largest total size of intervals live at one step: no plan can use less.</summary>
        public static long LowerBound(IReadOnlyList<Interval> intervals)
        {
            long bound = 0;
            foreach (var at in intervals)
            {
                // The maximum is reached at some interval's first step.
                long live = 0;
                foreach (var other in intervals)
                {
                    if (other.First <= at.First && at.First <= other.Last) live += other.Bytes;
                }
                bound = Math.Max(bound, live);
            }
            return bound;
        }

        /// <summary>
        /// Checks a plan: every offset aligned and non-negative, every buffer inside the arena, and no
        /// two buffers live at the same step sharing a byte. Returns a description of the first problem.
        /// </summary>
        public static string? Verify(IReadOnlyList<Interval> intervals, IReadOnlyList<long> offsets, long arenaBytes, long alignment = 1)
        {
            if (offsets.Count != intervals.Count) return "expected " + intervals.Count + " offsets, got " + offsets.Count;
            for (int i = 0; i < intervals.Count; i++)
            {
                if (offsets[i] < 0 || offsets[i] % alignment != 0) return "buffer " + i + " at offset " + offsets[i] + " is not aligned to " + alignment;
                if (offsets[i] + intervals[i].Bytes > arenaBytes) return "buffer " + i + " ends at " + (offsets[i] + intervals[i].Bytes) + ", past the arena (" + arenaBytes + ")";
                for (int j = 0; j < i; j++)
                {
                    if (!intervals[i].Overlaps(intervals[j]) || intervals[i].Bytes == 0 || intervals[j].Bytes == 0) continue;
                    if (offsets[i] < offsets[j] + intervals[j].Bytes && offsets[j] < offsets[i] + intervals[i].Bytes)
                        return "buffers " + j + " and " + i + " are live together and overlap in memory";
                }
            }
            return null;
        }

        private static long Align(long bytes) => (bytes + Alignment - 1) / Alignment * Alignment;
    }
}
