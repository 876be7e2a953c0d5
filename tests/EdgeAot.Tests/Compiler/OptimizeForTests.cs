using System;
using System.Collections.Generic;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Compiler.Planning;
using EdgeAot.Tests.Differential;
using EdgeAot.Tests.Harness;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Tests.Planning
{
    /// <summary>
    /// The speed-vs-memory policy (<see cref="CompileOptions.OptimizeFor"/>): memory (the default)
    /// never lets a kernel's scratch raise the arena; speed gives every layer its fastest kernel and
    /// pays for it in arena bytes, within a RAM budget when one is set; the plan, the report and the
    /// generated class say which goal was used, and both goals compute the same outputs.
    /// </summary>
    public sealed class OptimizeForTests
    {
        // Two 3x3 convs whose activations are all the arena holds: at both steps nothing is free, so
        // memory mode runs im2col with the smallest tile and speed mode the panel kernel.
        private static Graph TwoConvs()
        {
            var graph = new Graph { Name = "two_convs" };
            var x = new Value("x", DataType.Float32, new long[] { 1, 8, 16, 16 });
            graph.Inputs.Add(x);
            var a = Conv(graph, "first", x, 8, 16, 1);
            var y = Conv(graph, "second", a, 16, 16, 2);
            graph.Outputs.Add(y);
            graph.Opsets[""] = 13;
            foreach (var n in graph.Nodes) n.OpsetVersion = 13;
            return graph;
        }

        private static Value Conv(Graph graph, string name, Value x, long channels, long filters, int seed)
        {
            var w = new Value(name + ".w", DataType.Float32, new[] { filters, channels, 3L, 3L }, TensorData.FromFloat32(TestModels.Weights(seed, filters * channels * 9)));
            var b = new Value(name + ".b", DataType.Float32, new[] { filters }, TensorData.FromFloat32(TestModels.Weights(seed + 100, filters)));
            var attrs = new AttributeSet();
            attrs.Set(Attribute.FromInts("pads", new long[] { 1, 1, 1, 1 }));
            var y = new Value(name + ".y", DataType.Undefined, Array.Empty<long>());
            graph.Nodes.Add(new Node(name, "Conv", "", new List<Value?> { x, w, b }, new List<Value> { y }, attrs));
            return y;
        }

        private static CompileResult Compile(string className, OptimizationGoal goal, long? maxRam = null)
        {
            var options = new CompileOptions
            {
                ClassName = className, Namespace = "EdgeAot.Tests.OptimizeFor", ModelPath = className + ".onnx", OptimizeFor = goal, MaxRamBytes = maxRam,
            };
            var result = ModelCompiler.Lower(new ImportedModel(TwoConvs(), "EdgeAot tests", 8), new string('0', 64), options);
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            return result;
        }

        private static string[] Kernels(ModelPlan plan) => plan.Nodes.Where(n => n.OpType == "Conv").Select(n => n.GetString("kernel", "")).ToArray();

        [Fact]
        public void Memory_is_the_default_and_keeps_the_arena_at_the_activations_peak()
        {
            Assert.Equal(OptimizationGoal.Memory, new CompileOptions().OptimizeFor);
            var memory = Compile("MemoryFirst", OptimizationGoal.Memory);
            Assert.All(Kernels(memory.Plan!), k => Assert.Equal(ConvKernels.Im2col, k));
            Assert.Equal(OptimizationGoal.Memory, memory.Plan!.OptimizeFor);
            Assert.DoesNotContain("optimize=", PlanWriter.Write(memory.Plan), StringComparison.Ordinal);
            Assert.Contains("- optimized for: memory", memory.Report!.ToMarkdown(), StringComparison.Ordinal);
            Assert.DoesNotContain("optimized for", memory.Report.Summary(), StringComparison.Ordinal);
            // The arena is the intermediate activation plus the smallest im2col tile (16 pixels of 8·9 or 16·9 taps).
            Assert.Equal(16 * 16 * 16 * 4 + 16 * 16 * 9 * 4, memory.Plan.ArenaBytes);
        }

        [Fact]
        public void Speed_takes_the_panel_kernel_everywhere_and_reports_what_it_costs()
        {
            long memoryArena = Compile("MemoryArena", OptimizationGoal.Memory).Plan!.ArenaBytes;
            var speed = Compile("SpeedFirst", OptimizationGoal.Speed);
            var plan = speed.Plan!;
            Assert.All(Kernels(plan), k => Assert.Equal(ConvKernels.Panels, k));
            Assert.Equal(OptimizationGoal.Speed, plan.OptimizeFor);
            Assert.True(plan.ArenaBytes > memoryArena, plan.ArenaBytes + " vs " + memoryArena);
            Assert.Equal(memoryArena, speed.Report!.MemoryModeArenaBytes);
            string c(long v) => v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains("- optimized for: speed", speed.Report.ToMarkdown(), StringComparison.Ordinal);
            Assert.Contains("memory mode needs " + c(memoryArena) + " B", speed.Report.ToMarkdown(), StringComparison.Ordinal);
            Assert.Contains("optimized for speed (memory mode: arena " + c(memoryArena) + " B)", speed.Report.Summary(), StringComparison.Ordinal);

            // The plan text keeps the goal, and the generated class's summary states it.
            string text = PlanWriter.Write(plan);
            Assert.Contains(" optimize=speed", text.Split('\n')[1], StringComparison.Ordinal);
            Assert.Equal(plan, PlanReader.Read(text));
            Assert.Contains("(optimized for speed:", EdgeAot.Generator.Emit.ModelEmitter.Emit(plan), StringComparison.Ordinal);
        }

        [Fact]
        public void Speed_within_a_RAM_budget_grows_the_arena_only_up_to_it()
        {
            var memory = Compile("BudgetMemory", OptimizationGoal.Memory);
            var unbounded = Compile("BudgetUnbounded", OptimizationGoal.Speed);
            long memoryArena = memory.Plan!.ArenaBytes, speedArena = unbounded.Plan!.ArenaBytes;

            // Room for the panel kernel's scratch at neither step: im2col as in memory mode, within the budget.
            var tight = Compile("BudgetTight", OptimizationGoal.Speed, memoryArena + 64);
            Assert.True(tight.Plan!.ArenaBytes <= memoryArena + 64);
            Assert.All(Kernels(tight.Plan), k => Assert.Equal(ConvKernels.Im2col, k));

            // A budget below even the memory plan: speed cannot help, the memory plan is kept and fails the budget check as before.
            var options = new CompileOptions { ClassName = "BudgetTooSmall", Namespace = "EdgeAot.Tests.OptimizeFor", ModelPath = "BudgetTooSmall.onnx", OptimizeFor = OptimizationGoal.Speed, MaxRamBytes = 1024 };
            var tooSmall = ModelCompiler.Lower(new ImportedModel(TwoConvs(), "EdgeAot tests", 8), new string('0', 64), options);
            Assert.False(tooSmall.Success);
            Assert.Equal("EAOT0017", Assert.Single(tooSmall.Diagnostics).Id);
            Assert.Equal(memoryArena, tooSmall.Report!.Plan.ArenaBytes);
            Assert.Equal(OptimizationGoal.Memory, tooSmall.Report.Goal);
            Assert.Contains("speed was asked for", tooSmall.Report.ToMarkdown(), StringComparison.Ordinal);

            // A budget between the two: every kernel's scratch stays under it, and im2col gets larger tiles than in memory mode.
            long between = (memoryArena + speedArena) / 2;
            var middle = Compile("BudgetMiddle", OptimizationGoal.Speed, between);
            Assert.True(middle.Plan!.ArenaBytes <= between, middle.Plan.ArenaBytes + " > " + between);
            Assert.True(middle.Plan.ArenaBytes > memoryArena, $"the budget's room should buy larger tiles or the panel kernel: memory {memoryArena}, speed {speedArena}, budget {between}, got {middle.Plan.ArenaBytes} with {string.Join(",", Kernels(middle.Plan))}");

            // A roomy budget changes nothing against no budget.
            var roomy = Compile("BudgetRoomy", OptimizationGoal.Speed, 1L << 30);
            Assert.Equal(speedArena, roomy.Plan!.ArenaBytes);
            Assert.Equal(Kernels(unbounded.Plan), Kernels(roomy.Plan));
        }

        [Fact]
        public void Both_goals_compute_the_same_outputs()
        {
            var memory = Compile("SameMemory", OptimizationGoal.Memory).Plan!;
            var speed = Compile("SameSpeed", OptimizationGoal.Speed).Plan!;
            var models = GeneratedCode.Compile(new[] { memory, speed });
            var rng = new Random(3);
            var x = Enumerable.Range(0, 8 * 16 * 16).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            var expected = (float[])models.Get(memory).Run(x)[0];
            var actual = (float[])models.Get(speed).Run(x)[0];
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + Math.Abs(expected[i])), "element " + i + ": " + expected[i] + " vs " + actual[i]);
        }

        [Theory]
        [InlineData("speed", true, OptimizationGoal.Speed)]
        [InlineData(" Memory ", true, OptimizationGoal.Memory)]
        [InlineData("SPEED", true, OptimizationGoal.Speed)]
        [InlineData("fast", false, OptimizationGoal.Memory)]
        [InlineData("", false, OptimizationGoal.Memory)]
        public void Goal_names_parse(string text, bool valid, OptimizationGoal expected)
        {
            Assert.Equal(valid, CompileOptions.TryParseGoal(text, out var goal));
            Assert.Equal(expected, goal);
        }
    }
}
