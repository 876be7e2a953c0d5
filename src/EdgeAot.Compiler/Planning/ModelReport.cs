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
    /// <summary>
    /// One row of the per-layer table. <see cref="Arithmetic"/> says how the node computes:
    /// "integer" (an integer kernel or integer data movement, no floating point), "float",
    /// "float→int" (QuantizeLinear, DynamicQuantizeLinear) or "int→float" (DequantizeLinear).
    /// </summary>
    public sealed record LayerReport(int Index, string Name, string OpType, string Fused, string OutputShape, long Macs, long WeightBytes, string Placement, long OutputBytes,
        string Arithmetic = "");

    /// <summary>What a model costs: ops after fusion, MACs, weights, arena, and a per-layer table.</summary>
    public sealed class ModelReport
    {
        private ModelReport(ModelPlan plan, long lowerBound, List<LayerReport> layers)
        {
            Plan = plan;
            ArenaLowerBound = lowerBound;
            Layers = layers;
            foreach (var l in layers) TotalMacs += l.Macs;
        }

        public ModelPlan Plan { get; }

        public long ArenaLowerBound { get; }

        public long TotalMacs { get; }

        public IReadOnlyList<LayerReport> Layers { get; }

        public static ModelReport Create(Graph graph, MemoryPlan memory, ModelPlan plan)
        {
            var layers = new List<LayerReport>();
            for (int i = 0; i < graph.Nodes.Count; i++)
            {
                var node = graph.Nodes[i];
                var definition = OperatorRegistry.Find(node.Domain, node.OpType);
                long weights = 0;
                foreach (var input in node.Inputs)
                {
                    if (input is not null && input.IsConstant) weights += Shape.ByteSize(input.Shape, input.Type);
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
                layers.Add(new LayerReport(i, node.Name, node.OpType, string.Join("+", node.FusedFrom), Shape.Format(output.Shape),
                    definition?.CountMacs(node) ?? 0, weights, where, Shape.ByteSize(output.Shape, output.Type), Arithmetic(node)));
            }
            return new ModelReport(plan, memory.LowerBound, layers);
        }

        /// <summary>One line for the build output.</summary>
        public string Summary()
        {
            var c = CultureInfo.InvariantCulture;
            return string.Format(c, "EdgeAot: {0} -> {1}.{2}: {3} ops, {4:N0} MACs, weights {5:N0} B, arena {6:N0} B (lower bound {7:N0} B)",
                ModelDiagnostic.Printable(Plan.ModelFile, 200), Plan.Namespace, Plan.ClassName, Layers.Count, TotalMacs, Plan.WeightBytes, Plan.ArenaBytes, ArenaLowerBound);
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
            if (ArenaLowerBound > 0) sb.Append(", ratio ").Append(((double)Plan.ArenaBytes / ArenaLowerBound).ToString("0.00", c));
            sb.Append(")\n");
            int integer = 0;
            var floats = new List<string>();
            foreach (var l in Layers)
            {
                if (l.Arithmetic == "integer") integer++;
                else if (l.Arithmetic == "float") floats.Add(Escape(l.Name) + " (" + l.OpType + ")");
            }
            sb.Append("- integer nodes: ").Append(integer.ToString(c)).Append(" of ").Append(Layers.Count.ToString(c));
            sb.Append("; float nodes: ").Append(floats.Count == 0 ? "none" : string.Join(", ", floats)).Append("\n\n");
            sb.Append("| # | node | op | fused | arithmetic | output | MACs | weight bytes | placement | output bytes |\n");
            sb.Append("|---|---|---|---|---|---|---:|---:|---|---:|\n");
            foreach (var l in Layers)
            {
                sb.Append("| ").Append(l.Index.ToString(c)).Append(" | ").Append(Escape(l.Name)).Append(" | ").Append(l.OpType)
                  .Append(" | ").Append(Escape(l.Fused)).Append(" | ").Append(l.Arithmetic).Append(" | ").Append(l.OutputShape).Append(" | ").Append(l.Macs.ToString("N0", c))
                  .Append(" | ").Append(l.WeightBytes.ToString("N0", c)).Append(" | ").Append(l.Placement)
                  .Append(" | ").Append(l.OutputBytes.ToString("N0", c)).Append(" |\n");
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
