using System.Collections.Generic;
using System.Globalization;
using System.Text;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;

namespace EdgeAot.Compiler.Planning
{
    /// <summary>One row of the per-layer table.</summary>
    /// <remarks>
    /// <see cref="InputShapes"/> lists the activation inputs (weights are counted in <see cref="WeightBytes"/>);
    /// <see cref="ArenaOffset"/> is −1 when the output is not in the arena (a Run parameter or a view of a weight);
    /// <see cref="InPlace"/> when the output reuses its input's arena slice (elementwise ops, views, depthwise convolution);
    /// <see cref="ScratchBytes"/> is the kernel scratch the node uses in the arena while it runs, at <see cref="ScratchOffset"/> (−1: none).
    /// <see cref="Arithmetic"/> says how the node computes: "integer" (an integer kernel or integer data
    /// movement, no floating point), "float", "float→int" (QuantizeLinear, DynamicQuantizeLinear) or
    /// "int→float" (DequantizeLinear).
    /// </remarks>
    public sealed record LayerReport(int Index, string Name, string OpType, string Fused, string InputShapes, string OutputShape, long Macs, long WeightBytes,
        string Placement, long OutputBytes, long ArenaOffset, bool InPlace, string Arithmetic)
    {
        public long ScratchBytes { get; init; }

        public long ScratchOffset { get; init; } = -1;
    }

    /// <summary>What a model costs: ops after fusion, MACs, weights, arena, and a per-layer table.</summary>
    public sealed class ModelReport
    {
        private ModelReport(ModelPlan plan, MemoryPlan memory, List<LayerReport> layers)
        {
            Plan = plan;
            Memory = memory;
            ArenaLowerBound = memory.LowerBound;
            Layers = layers;
            foreach (var l in layers) TotalMacs += l.Macs;
        }

        public ModelPlan Plan { get; }

        /// <summary>The static memory plan the report describes (buffers, lifetimes, offsets).</summary>
        public MemoryPlan Memory { get; }

        public long ArenaLowerBound { get; }

        /// <summary>ArenaBytes / lower bound: 1.0 means no plan can use less memory.</summary>
        public double Efficiency => ArenaLowerBound > 0 ? (double)Plan.ArenaBytes / ArenaLowerBound : 1.0;

        public long TotalMacs { get; }

        public IReadOnlyList<LayerReport> Layers { get; }

        /// <summary>
        /// What kernel selection optimized for (<see cref="MemoryPlan.Goal"/>: Memory also when a
        /// Speed plan did not fit the RAM budget).
        /// </summary>
        public OptimizationGoal Goal => Memory.Goal;

        /// <summary>When compiled for speed: the arena the memory-first plan needs, to show what speed costs; null otherwise.</summary>
        public long? MemoryModeArenaBytes { get; private set; }

        /// <param name="memoryModeArena">The memory-first plan's arena when <paramref name="memory"/> was planned for speed.</param>
        public static ModelReport Create(Graph graph, MemoryPlan memory, ModelPlan plan, long? memoryModeArena = null)
        {
            var layers = new List<LayerReport>();
            for (int i = 0; i < graph.Nodes.Count; i++)
            {
                var node = graph.Nodes[i];
                var definition = OperatorRegistry.Find(node.Domain, node.OpType);
                long weights = 0;
                var inputShapes = new List<string>();
                foreach (var input in node.Inputs)
                {
                    if (input is null) continue;
                    if (input.IsConstant) weights += Shape.ByteSize(input.Shape, input.Type);
                    else inputShapes.Add(Shape.Format(input.Shape));
                }
                var output = node.Outputs[0];
                var placement = memory.Placements.TryGetValue(output, out var p) ? p : default;
                string where = placement.Storage switch
                {
                    TensorStorage.Arena => "arena@" + placement.Offset.ToString(CultureInfo.InvariantCulture),
                    TensorStorage.Output => "output " + placement.Offset.ToString(CultureInfo.InvariantCulture),
                    TensorStorage.Input => "input " + placement.Offset.ToString(CultureInfo.InvariantCulture),
                    _ => "weight",
                };
                bool inPlace = false;
                if (placement.Storage == TensorStorage.Arena)
                {
                    foreach (var input in node.Inputs)
                    {
                        if (input is not null && memory.Placements.TryGetValue(input, out var ip) && ip.Storage == TensorStorage.Arena && ip.Offset == placement.Offset
                            && Shape.ByteSize(input.Shape, input.Type) == Shape.ByteSize(output.Shape, output.Type)) inPlace = true;
                    }
                }
                layers.Add(new LayerReport(i, node.Name, node.OpType, string.Join("+", node.FusedFrom), string.Join(", ", inputShapes), Shape.Format(output.Shape),
                    definition?.CountMacs(node) ?? 0, weights, where, Shape.ByteSize(output.Shape, output.Type),
                    placement.Storage == TensorStorage.Arena ? placement.Offset : -1, inPlace, Arithmetic(node))
                {
                    ScratchBytes = memory.Scratch.TryGetValue(node, out var scratch) ? scratch.Bytes : 0,
                    ScratchOffset = memory.ScratchOffset(node),
                });
            }
            return new ModelReport(plan, memory, layers) { MemoryModeArenaBytes = memoryModeArena };
        }

        /// <summary>One line for the build output.</summary>
        public string Summary()
        {
            var c = CultureInfo.InvariantCulture;
            return string.Format(c, "EdgeAot: {0} -> {1}.{2}: {3} ops, {4:N0} MACs, weights {5:N0} B, arena {6:N0} B (lower bound {7:N0} B, efficiency {8:0.00}){9}",
                ModelDiagnostic.Printable(Plan.ModelFile, 200), Plan.Namespace, Plan.ClassName, Layers.Count, TotalMacs, Plan.WeightBytes, Plan.ArenaBytes, ArenaLowerBound, Efficiency,
                GoalSummary(c));
        }

        /// <summary>Empty in memory mode (the default); otherwise what the speed choice costs in arena bytes.</summary>
        private string GoalSummary(CultureInfo c)
        {
            if (Goal == OptimizationGoal.Speed)
                return MemoryModeArenaBytes is long m ? string.Format(c, ", optimized for speed (memory mode: arena {0:N0} B)", m) : ", optimized for speed";
            return MemoryModeArenaBytes is null ? "" : ", optimized for memory (speed did not fit the RAM budget)";
        }

        /// <summary>The full report as Markdown (written to obj/).</summary>
        public string ToMarkdown()
        {
            var c = CultureInfo.InvariantCulture;
            var sb = new StringBuilder();
            sb.Append("# EdgeAot report: ").Append(Escape(Plan.ModelFile)).Append("\n\n");
            sb.Append("- class: `").Append(Plan.Namespace).Append('.').Append(Plan.ClassName).Append("`\n");
            sb.Append("- sha256: `").Append(Plan.Sha256).Append("`\n");
            sb.Append("- ops after fusion: ").Append(Layers.Count.ToString(c)).Append('\n');
            sb.Append("- MACs per inference: ").Append(TotalMacs.ToString("N0", c)).Append('\n');
            sb.Append("- weight bytes: ").Append(Plan.WeightBytes.ToString("N0", c)).Append('\n');
            sb.Append("- arena bytes: ").Append(Plan.ArenaBytes.ToString("N0", c))
              .Append(" (lower bound ").Append(ArenaLowerBound.ToString("N0", c));
            sb.Append(", efficiency ").Append(Efficiency.ToString("0.00", c)).Append(" = arena / lower bound)\n");
            sb.Append("- optimized for: ");
            if (Goal == OptimizationGoal.Speed)
            {
                sb.Append("speed (every layer's fastest kernel; its scratch may raise the arena");
                if (MemoryModeArenaBytes is long m) sb.Append(", memory mode needs ").Append(m.ToString("N0", c)).Append(" B");
                sb.Append(")\n");
            }
            else
            {
                sb.Append(MemoryModeArenaBytes is null ? "memory (kernels use only arena bytes already free at their layer)\n"
                    : "memory (speed was asked for, but its arena did not fit the RAM budget)\n");
            }
            LayerReport? largest = null;
            int withScratch = 0;
            foreach (var l in Layers)
            {
                if (l.ScratchBytes == 0) continue;
                withScratch++;
                if (largest is null || l.ScratchBytes > largest.ScratchBytes) largest = l;
            }
            sb.Append("- kernel scratch: ");
            if (largest is null) sb.Append("none");
            else sb.Append(withScratch.ToString(c)).Append(" kernels use scratch in the arena, live only while they run (largest ")
                   .Append(largest.ScratchBytes.ToString("N0", c)).Append(" B, #").Append(largest.Index.ToString(c)).Append(' ').Append(largest.OpType)
                   .Append("); arena and lower bound include it");
            sb.Append('\n');
            int integer = 0;
            var floats = new List<string>();
            foreach (var l in Layers)
            {
                if (l.Arithmetic == "integer") integer++;
                else if (l.Arithmetic == "float") floats.Add(Escape(l.Name) + " (" + l.OpType + ")");
            }
            sb.Append("- integer nodes: ").Append(integer.ToString(c)).Append(" of ").Append(Layers.Count.ToString(c));
            sb.Append("; float nodes: ").Append(floats.Count == 0 ? "none" : string.Join(", ", floats)).Append("\n\n");
            sb.Append("| # | node | op | fused | arithmetic | inputs | output | MACs | weight bytes | output at | arena offset | output bytes | scratch bytes |\n");
            sb.Append("|---|---|---|---|---|---|---|---:|---:|---|---:|---:|---:|\n");
            foreach (var l in Layers)
            {
                sb.Append("| ").Append(l.Index.ToString(c)).Append(" | ").Append(Escape(l.Name)).Append(" | ").Append(l.OpType)
                  .Append(" | ").Append(Escape(l.Fused)).Append(" | ").Append(l.Arithmetic).Append(" | ").Append(l.InputShapes).Append(" | ").Append(l.OutputShape).Append(" | ").Append(l.Macs.ToString("N0", c))
                  .Append(" | ").Append(l.WeightBytes.ToString("N0", c)).Append(" | ").Append(l.Placement).Append(l.InPlace ? " (in place)" : "")
                  .Append(" | ").Append(l.ArenaOffset >= 0 ? l.ArenaOffset.ToString("N0", c) : "")
                  .Append(" | ").Append(l.OutputBytes.ToString("N0", c))
                  .Append(" | ").Append(l.ScratchBytes > 0 ? l.ScratchBytes.ToString("N0", c) + " @" + l.ScratchOffset.ToString("N0", c) : "").Append(" |\n");
            }
            return sb.ToString();
        }

        /// <summary>How a lowered node computes, from its op type and the element types it reads and writes.</summary>
        public static string Arithmetic(Node node)
        {
            switch (node.OpType)
            {
                case "QuantizeLinear":
                case "DynamicQuantizeLinear":
                    return "float→int";
                case "DequantizeLinear":
                    return "int→float";
            }
            // Scales read at run time by the run-time-parameter integer kernels are parameters, not data.
            if (node.OpType is RuntimeQuantizedOperator.Conv or RuntimeQuantizedOperator.ConvInteger or RuntimeQuantizedOperator.MatMul or RuntimeQuantizedOperator.MatMulInteger)
                return "integer";
            foreach (var input in node.Inputs)
            {
                if (input is not null && IsFloat(input.Type)) return "float";
            }
            foreach (var output in node.Outputs)
            {
                if (IsFloat(output.Type)) return "float";
            }
            return "integer";
        }

        private static bool IsFloat(DataType type) => type is DataType.Float32 or DataType.Float64 or DataType.Float16 or DataType.BFloat16;

        private static string Escape(string text) => ModelDiagnostic.Printable(text, 120).Replace("|", "\\|");
    }
}
