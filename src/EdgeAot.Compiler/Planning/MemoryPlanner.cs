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

    /// <summary>The scratch of one node: one arena block, live exactly at the node's step, holding its parts back to back.</summary>
    public sealed class NodeScratch
    {
        public NodeScratch(int step, int buffer, IReadOnlyList<ScratchBuffer> parts, IReadOnlyList<long> partOffsets, long bytes)
        {
            Step = step;
            Buffer = buffer;
            Parts = parts;
            PartOffsets = partOffsets;
            Bytes = bytes;
        }

        /// <summary>The node's index in the schedule.</summary>
        public int Step { get; }

        /// <summary>Index of the block in <see cref="MemoryPlan.Buffers"/>.</summary>
        public int Buffer { get; }

        public IReadOnlyList<ScratchBuffer> Parts { get; }

        /// <summary>Byte offset of each part inside the block (each aligned to <see cref="MemoryPlanner.Alignment"/>).</summary>
        public IReadOnlyList<long> PartOffsets { get; }

        /// <summary>Bytes of the block: the parts, each rounded up to the alignment.</summary>
        public long Bytes { get; }
    }

    public sealed class MemoryPlan
    {
        public MemoryPlan(Dictionary<Value, Placement> placements, Dictionary<Value, Value> weightAliases, long arenaBytes, long lowerBound,
            IReadOnlyList<MemoryPlanner.Interval> buffers, IReadOnlyList<long> offsets, Dictionary<Node, NodeScratch> scratch)
        {
            Buffers = buffers;
            Offsets = offsets;
            Placements = placements;
            WeightAliases = weightAliases;
            ArenaBytes = arenaBytes;
            LowerBound = lowerBound;
            Scratch = scratch;
        }

        public Dictionary<Value, Placement> Placements { get; }

        /// <summary>Views of constants: the value reads the weight data of the mapped constant.</summary>
        public Dictionary<Value, Value> WeightAliases { get; }

        /// <summary>Bytes of the arena every instance owns (activations and kernel scratch).</summary>
        public long ArenaBytes { get; }

        /// <summary>Largest total size of buffers, scratch included, live at the same time: no plan can use less.</summary>
        public long LowerBound { get; }

        /// <summary>The arena buffers (values sharing storage count once, and one scratch block per node that needs one) with their live steps, for checking the plan.</summary>
        public IReadOnlyList<MemoryPlanner.Interval> Buffers { get; }

        /// <summary>Arena offset of each of <see cref="Buffers"/>.</summary>
        public IReadOnlyList<long> Offsets { get; }

        /// <summary>Kernel scratch of the nodes that need any.</summary>
        public Dictionary<Node, NodeScratch> Scratch { get; }

        /// <summary>The goal the kernels were chosen for (Memory also when a Speed plan did not fit the RAM budget).</summary>
        public OptimizationGoal Goal { get; init; }

        /// <summary>Arena offset of a node's scratch block, or -1 when it has none.</summary>
        public long ScratchOffset(Node node) => Scratch.TryGetValue(node, out var s) ? Offsets[s.Buffer] : -1;
    }

    /// <summary>
    /// Static memory plan: values that share a buffer (views, in-place elementwise ops) form one
    /// buffer; each buffer lives from its first write to its last read; kernel scratch is one more
    /// buffer per node, live only at that node's step; offsets come from the best of several
    /// placement orders (exhaustive for small graphs, see <see cref="AssignOffsets(IReadOnlyList{Interval}, out long)"/>).
    /// </summary>
    /// <remarks>
    /// Kernels whose speed depends on their scratch (tiles of im2col and packed int8 convolutions)
    /// are chosen here, with the bytes the arena has free at their step once every activation is
    /// placed: the largest tile that fits there costs no memory. Depthwise convolutions that may
    /// overwrite their input (<see cref="OperatorDefinition.CanRunInPlaceWhenSmaller"/>) are planned
    /// both ways, and run in place only when that gives a smaller arena.
    /// </remarks>
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

        /// <param name="optionalInPlace">false: never run depthwise convolutions in place (tests compare both ways).</param>
        public static MemoryPlan Plan(Graph graph, bool optionalInPlace = true) => Plan(graph, OptimizationGoal.Memory, null, optionalInPlace);

        /// <summary>
        /// The plan for <paramref name="goal"/>. Memory: kernels get the arena bytes free at their step.
        /// Speed: kernels get what their fastest choice needs, or with <paramref name="ramBudget"/> set,
        /// the bytes left under that budget at their step (never less than in memory mode). Placement
        /// can still overshoot the budget (alignment of scratch parts, gaps between buffers): then the
        /// budget the kernels see shrinks by the overshoot and the plan is made again, a few times at
        /// most, before the memory plan is returned instead.
        /// </summary>
        public static MemoryPlan Plan(Graph graph, OptimizationGoal goal, long? ramBudget, bool optionalInPlace = true)
        {
            if (goal == OptimizationGoal.Speed)
            {
                long? kernelBudget = ramBudget;
                for (int attempt = 0; attempt < 4; attempt++)
                {
                    var speed = PlanBoth(graph, goal, kernelBudget, optionalInPlace);
                    if (ramBudget is not long ram || speed.ArenaBytes <= ram) return speed;
                    kernelBudget -= speed.ArenaBytes - ram + Alignment;
                }
            }
            return PlanBoth(graph, OptimizationGoal.Memory, null, optionalInPlace);
        }

        private static MemoryPlan PlanBoth(Graph graph, OptimizationGoal goal, long? ramBudget, bool optionalInPlace)
        {
            var shared = PlanOnce(graph, goal, ramBudget, optionalInPlace, out int sharedCount);
            if (sharedCount == 0) return shared;
            var separate = PlanOnce(graph, goal, ramBudget, false, out _);
            if (separate.ArenaBytes <= shared.ArenaBytes) return separate;
            // Kernel choices are node attributes: plan the winner again so they match it.
            return PlanOnce(graph, goal, ramBudget, true, out _);
        }

        /// <summary>Scratch bytes a kernel at a step with <paramref name="liveBytes"/> of activations may use.</summary>
        private static long ScratchBudget(OptimizationGoal goal, long? ramBudget, long peak, long liveBytes)
        {
            long free = peak - liveBytes;
            if (goal != OptimizationGoal.Speed) return free;
            return ramBudget is long ram ? Math.Max(free, ram - liveBytes) : long.MaxValue;
        }

        private static MemoryPlan PlanOnce(Graph graph, OptimizationGoal goal, long? ramBudget, bool optionalInPlace, out int optionalInPlaceCount)
        {
            optionalInPlaceCount = 0;
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
                    bool optional = optionalInPlace && definition is not null && !definition.CanRunInPlace(node) && definition.CanRunInPlaceWhenSmaller(node);
                    if (o == 0 && source is not null && definition is not null && (definition.CanRunInPlace(node) || optional)
                        && bufferOf.TryGetValue(source, out var reusable) && reusable.LastRead <= step
                        && IsLastUse(source, node, graph, consumers, bufferOf)
                        && reusable.Bytes == Align(Shape.ByteSize(output.Shape, output.Type)))
                    {
                        bufferOf[output] = reusable;
                        if (optional) optionalInPlaceCount++;
                        continue;
                    }
                    var buffer = new Buffer { Bytes = Align(Shape.ByteSize(output.Shape, output.Type)), FirstWrite = step, LastRead = step };
                    buffers.Add(buffer);
                    bufferOf[output] = buffer;
                }
            }

            // Kernel scratch: choose each kernel with the arena bytes free at its step, then add its
            // scratch as a buffer live at that step only.
            var live = new long[graph.Nodes.Count];
            foreach (var b in buffers)
            {
                for (int step = b.FirstWrite; step <= b.LastRead; step++) live[step] += b.Bytes;
            }
            long peak = 0;
            foreach (long bytes in live) peak = Math.Max(peak, bytes);
            var scratchOf = new Dictionary<Node, (int Step, Buffer Block, ScratchBuffer[] Parts, long[] Offsets)>();
            for (int step = 0; step < graph.Nodes.Count; step++)
            {
                var node = graph.Nodes[step];
                var definition = OperatorRegistry.Find(node.Domain, node.OpType);
                if (definition is null) continue;
                definition.SelectKernel(node, ScratchBudget(goal, ramBudget, peak, live[step]), i => OwnsConstant(graph, consumers, node, i));
                var parts = new List<ScratchBuffer>(definition.Scratch(node)).ToArray();
                if (parts.Length == 0) continue;
                var partOffsets = new long[parts.Length];
                long total = 0;
                for (int i = 0; i < parts.Length; i++)
                {
                    partOffsets[i] = total;
                    total += Align(parts[i].Bytes);
                }
                var block = new Buffer { Bytes = total, FirstWrite = step, LastRead = step };
                buffers.Add(block);
                scratchOf[node] = (step, block, parts, partOffsets);
            }

            long arena = AssignOffsets(buffers);
            foreach (var pair in bufferOf) placements[pair.Key] = new Placement(TensorStorage.Arena, pair.Value.Offset);
            var intervals = new Interval[buffers.Count];
            var offsets = new long[buffers.Count];
            for (int i = 0; i < buffers.Count; i++)
            {
                intervals[i] = new Interval(buffers[i].Bytes, buffers[i].FirstWrite, buffers[i].LastRead);
                offsets[i] = buffers[i].Offset;
            }
            var scratch = new Dictionary<Node, NodeScratch>();
            foreach (var pair in scratchOf)
                scratch[pair.Key] = new NodeScratch(pair.Value.Step, buffers.IndexOf(pair.Value.Block), pair.Value.Parts, pair.Value.Offsets, pair.Value.Block.Bytes);
            return new MemoryPlan(placements, weightAliases, arena, LowerBound(intervals), intervals, offsets, scratch) { Goal = goal };
        }

        /// <summary>Whether input <paramref name="index"/> of <paramref name="node"/> is a constant only that input reads, and not a graph output.</summary>
        private static bool OwnsConstant(Graph graph, Dictionary<Value, List<Node>> consumers, Node node, int index)
        {
            var value = node.Input(index);
            if (value is null || !value.IsConstant || graph.IsGraphOutput(value)) return false;
            if (!consumers.TryGetValue(value, out var readers)) return false;
            foreach (var reader in readers)
                if (reader != node) return false;
            for (int i = 0; i < node.Inputs.Count; i++)
                if (i != index && node.Inputs[i] == value) return false;
            return true;
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
        /// overlaps no already placed buffer live at the same time (or the tightest such gap); the
        /// order with the smallest arena wins (ties: the earlier heuristic). Several greedy orders
        /// (size, lifetime, size·lifetime, schedule) run first; unless one reaches the lower bound, a
        /// depth-first search over placement orders with lowest-offset placement follows, pruned at
        /// the best arena so far and limited to <see cref="SearchBudget"/> steps of work. When it
        /// finishes within the budget the plan is optimal: placing buffers in the order of any
        /// optimal plan's offsets, each at its lowest free offset, never puts one above its optimal
        /// offset.
        /// </summary>
        private static long AssignOffsets(List<Buffer> buffers)
        {
            var intervals = new Interval[buffers.Count];
            for (int i = 0; i < buffers.Count; i++) intervals[i] = new Interval(buffers[i].Bytes, buffers[i].FirstWrite, buffers[i].LastRead);
            long[] offsets = AssignOffsets(intervals, out long total);
            for (int i = 0; i < buffers.Count; i++) buffers[i].Offset = offsets[i];
            return total;
        }

        /// <summary>
        /// Work the order search may do, in buffer comparisons (a count, not a time, so plans are
        /// deterministic; about 10 ms). Graphs of up to 8 buffers always finish; larger ones keep the
        /// best plan found.
        /// </summary>
        public const int SearchBudget = 2_000_000;

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
            long bound = LowerBound(intervals);
            if (n > 0 && bestTotal > bound)
            {
                var search = new OrderSearch(intervals, bestTotal, bound);
                search.Run(0, 0);
                if (search.BestOffsets is not null)
                {
                    best = search.BestOffsets;
                    bestTotal = search.BestTotal;
                }
            }
            total = n == 0 ? 0 : bestTotal;
            return best ?? new long[0];
        }

        /// <summary>Depth-first search over placement orders, lowest-offset placement, branch and bound.</summary>
        private sealed class OrderSearch
        {
            private readonly IReadOnlyList<Interval> _intervals;
            private readonly long _bound;
            private readonly long[] _offsets;
            private readonly bool[] _placed;
            private readonly List<int> _order = new List<int>();
            private int _budget = SearchBudget;

            public OrderSearch(IReadOnlyList<Interval> intervals, long bestTotal, long bound)
            {
                _intervals = intervals;
                _bound = bound;
                BestTotal = bestTotal;
                _offsets = new long[intervals.Count];
                _placed = new bool[intervals.Count];
            }

            public long BestTotal { get; private set; }

            public long[]? BestOffsets { get; private set; }

            public void Run(int depth, long top)
            {
                if (depth == _intervals.Count)
                {
                    BestTotal = top;
                    BestOffsets = (long[])_offsets.Clone();
                    return;
                }
                for (int i = 0; i < _intervals.Count; i++)
                {
                    if (_placed[i]) continue;
                    _budget -= _order.Count + 1;
                    if (_budget <= 0 || BestTotal <= _bound) return;
                    long offset = LowestFree(i);
                    long reach = Math.Max(top, offset + _intervals[i].Bytes);
                    if (reach >= BestTotal) continue;
                    _placed[i] = true;
                    _offsets[i] = offset;
                    _order.Add(i);
                    Run(depth + 1, reach);
                    _order.RemoveAt(_order.Count - 1);
                    _placed[i] = false;
                }
            }

            private long LowestFree(int i)
            {
                var buffer = _intervals[i];
                long offset = 0;
                // Raise the candidate past every placed, simultaneously live buffer it meets until none does.
                for (bool moved = true; moved;)
                {
                    moved = false;
                    foreach (int j in _order)
                    {
                        if (!_intervals[j].Overlaps(buffer)) continue;
                        if (offset < _offsets[j] + _intervals[j].Bytes && _offsets[j] < offset + buffer.Bytes)
                        {
                            offset = _offsets[j] + _intervals[j].Bytes;
                            moved = true;
                        }
                    }
                }
                return offset;
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
