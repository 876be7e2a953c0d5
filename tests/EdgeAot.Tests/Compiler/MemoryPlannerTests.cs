using System;
using System.Collections.Generic;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Planning;
using EdgeAot.Tests.Harness;
using Xunit.Abstractions;
using Interval = EdgeAot.Compiler.Planning.MemoryPlanner.Interval;

namespace EdgeAot.Tests.Planning
{
    /// <summary>
    /// The static memory planner: a checker that rejects any plan where two buffers live at the same
    /// step share a byte; optimality against an independent exhaustive search on small random
    /// instances; in-place reuse on a constructed graph; and the six shared models' plans.
    /// </summary>
    public sealed class MemoryPlannerTests
    {
        private readonly ITestOutputHelper _output;

        public MemoryPlannerTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void Checker_rejects_overlapping_live_buffers()
        {
            var intervals = new[] { new Interval(64, 0, 2), new Interval(128, 1, 3), new Interval(64, 3, 4) };
            Assert.Null(MemoryPlanner.Verify(intervals, new long[] { 0, 64, 0 }, 192, 64));
            Assert.NotNull(MemoryPlanner.Verify(intervals, new long[] { 0, 0, 192 }, 256, 64));   // 0 and 1 live at steps 1-2
            Assert.NotNull(MemoryPlanner.Verify(intervals, new long[] { 0, 64, 128 }, 192, 64));  // 1 and 2 share step 3
            Assert.NotNull(MemoryPlanner.Verify(intervals, new long[] { 0, 64, 0 }, 128, 64));    // past the arena
            Assert.NotNull(MemoryPlanner.Verify(intervals, new long[] { 0, 32, 0 }, 192, 64));    // unaligned
        }

        [Fact]
        public void Small_random_instances_are_planned_optimally()
        {
            var rng = new Random(20261123);
            int belowBound = 0;
            for (int instance = 0; instance < 300; instance++)
            {
                int n = rng.Next(1, 8);
                var intervals = new Interval[n];
                for (int i = 0; i < n; i++)
                {
                    int first = rng.Next(0, 5);
                    intervals[i] = new Interval(64 * rng.Next(1, 6), first, first + rng.Next(0, 3));
                }
                long[] offsets = MemoryPlanner.AssignOffsets(intervals, out long arena);
                string? problem = MemoryPlanner.Verify(intervals, offsets, arena, 64);
                Assert.True(problem is null, "instance " + instance + ": " + problem);
                long optimum = Optimum(intervals);
                Assert.True(arena == optimum, $"instance {instance}: planner {arena}, optimum {optimum} ({Describe(intervals)})");
                long bound = MemoryPlanner.LowerBound(intervals);
                Assert.True(bound <= optimum, "the lower bound exceeds a feasible plan");
                if (optimum > bound) belowBound++;
            }
            // Instances this small almost never need more than the bound; the comparison that matters is
            // with the exhaustive optimum above.
            _output.WriteLine(belowBound + " of 300 instances need more than the lower bound");
        }

        [Fact]
        public void Larger_random_instances_give_valid_plans_near_the_bound()
        {
            var rng = new Random(7);
            double worst = 1;
            for (int instance = 0; instance < 100; instance++)
            {
                int n = rng.Next(9, 40);
                var intervals = new Interval[n];
                for (int i = 0; i < n; i++)
                {
                    int first = rng.Next(0, 30);
                    intervals[i] = new Interval(64 * rng.Next(1, 200), first, first + rng.Next(0, 6));
                }
                long[] offsets = MemoryPlanner.AssignOffsets(intervals, out long arena);
                string? problem = MemoryPlanner.Verify(intervals, offsets, arena, 64);
                Assert.True(problem is null, "instance " + instance + ": " + problem);
                worst = Math.Max(worst, (double)arena / MemoryPlanner.LowerBound(intervals));
            }
            _output.WriteLine("worst arena / lower bound: " + worst.ToString("0.000"));
            Assert.True(worst < 1.5, "worst ratio " + worst);
        }

        [Fact]
        public void Elementwise_chain_runs_in_place()
        {
            // x -> MatMul -> Relu -> Sigmoid -> MatMul -> y: the activations reuse the first product's slice.
            var graph = new Graph();
            graph.Opsets[""] = 13;
            var x = new Value("x", DataType.Float32, new long[] { 4, 16 });
            Value W(string name, long k, long n) => new Value(name, DataType.Float32, new[] { k, n }, TensorData.FromFloat32(TestModels.Weights(k.GetHashCode() + (int)n, k * n)));
            var a = new Value("a", DataType.Undefined, Array.Empty<long>());
            var b = new Value("b", DataType.Undefined, Array.Empty<long>());
            var c = new Value("c", DataType.Undefined, Array.Empty<long>());
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            graph.Inputs.Add(x);
            graph.Nodes.Add(new Node("mm1", "MatMul", "", new List<Value?> { x, W("w1", 16, 32) }, new List<Value> { a }, new AttributeSet()) { OpsetVersion = 13 });
            graph.Nodes.Add(new Node("relu", "Relu", "", new List<Value?> { a }, new List<Value> { b }, new AttributeSet()) { OpsetVersion = 13 });
            graph.Nodes.Add(new Node("sigmoid", "Sigmoid", "", new List<Value?> { b }, new List<Value> { c }, new AttributeSet()) { OpsetVersion = 13 });
            graph.Nodes.Add(new Node("mm2", "MatMul", "", new List<Value?> { c, W("w2", 32, 8) }, new List<Value> { y }, new AttributeSet()) { OpsetVersion = 13 });
            graph.Outputs.Add(y);
            var result = ModelCompiler.Lower(new ImportedModel(graph, "test", 8), new string('0', 64), new CompileOptions { ClassName = "Chain", ModelPath = "chain.onnx" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            var report = result.Report!;
            // MatMul+Relu may fuse; whatever remains elementwise must share the product's slice.
            Assert.Equal(4 * 32 * 4, result.Plan!.ArenaBytes);
            Assert.Equal(report.ArenaLowerBound, result.Plan.ArenaBytes);
            Assert.Contains(report.Layers, l => l.InPlace);
            Assert.Null(MemoryPlanner.Verify(report.Memory.Buffers, report.Memory.Offsets, result.Plan.ArenaBytes, MemoryPlanner.Alignment));
        }

        [Theory]
        [InlineData("ic.onnx", 1.1, 0)]
        [InlineData("vww_96_float.onnx", 1.1, 0)]
        [InlineData("kws_ref_model_float32.onnx", 1.1, 0)]
        [InlineData("ad01_fp32.onnx", 1.1, 0)]
        [InlineData("kws_ref_model.onnx", 0, 20_000)]
        [InlineData("ad01_int8.onnx", 0, 1_536)]
        public void Shared_models_have_valid_plans_within_their_targets(string file, double maxEfficiency, long maxArena)
        {
            var result = ModelCompiler.CompileFile(SharedData.Model(file), new CompileOptions { ModelPath = file, Namespace = "EdgeAot.Tests.Planning" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            var report = result.Report!;
            long arena = result.Plan!.ArenaBytes;
            _output.WriteLine($"{file}: arena {arena:N0} B, lower bound {report.ArenaLowerBound:N0} B, efficiency {report.Efficiency:0.00}");
            Assert.Null(MemoryPlanner.Verify(report.Memory.Buffers, report.Memory.Offsets, arena, MemoryPlanner.Alignment));
            Assert.True(arena >= report.ArenaLowerBound);
            if (maxEfficiency > 0) Assert.True(report.Efficiency <= maxEfficiency, $"efficiency {report.Efficiency:0.00}");
            if (maxArena > 0) Assert.InRange(arena, 1, maxArena);
            // Every arena value's slice lies inside the arena.
            foreach (var layer in report.Layers.Where(l => l.ArenaOffset >= 0)) Assert.InRange(layer.ArenaOffset + layer.OutputBytes, 1, arena);
        }

        /// <summary>Smallest arena by exhaustive search over offsets (multiples of 64), independent of the planner.</summary>
        private static long Optimum(Interval[] intervals)
        {
            long total = intervals.Sum(i => i.Bytes);
            long best = total;
            var offsets = new long[intervals.Length];
            void Search(int i, long top)
            {
                if (top >= best) return;
                if (i == intervals.Length)
                {
                    best = top;
                    return;
                }
                for (long o = 0; o + intervals[i].Bytes < best; o += 64)
                {
                    bool free = true;
                    for (int j = 0; j < i && free; j++)
                    {
                        if (intervals[i].Overlaps(intervals[j]) && o < offsets[j] + intervals[j].Bytes && offsets[j] < o + intervals[i].Bytes) free = false;
                    }
                    if (!free) continue;
                    offsets[i] = o;
                    Search(i + 1, Math.Max(top, o + intervals[i].Bytes));
                }
            }
            Search(0, 0);
            return best;
        }

        private static string Describe(Interval[] intervals)
            => string.Join(", ", intervals.Select(i => i.Bytes + "B@" + i.First + "-" + i.Last));
    }
}
