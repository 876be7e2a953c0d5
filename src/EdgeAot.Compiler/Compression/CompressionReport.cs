using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using EdgeAot.Compiler.Diagnostics;

namespace EdgeAot.Compiler.Compression
{
    /// <summary>Size and cost of one model as EdgeAot compiles it.</summary>
    public sealed class ModelCost
    {
        public long WeightBytes { get; set; }

        public long Macs { get; set; }

        public long ArenaBytes { get; set; }

        /// <summary>Null when the model compiled; else the first diagnostic.</summary>
        public string? Error { get; set; }

        public static ModelCost Of(byte[] model, CompileOptions options)
        {
            var result = ModelCompiler.Compile(model, options);
            if (result.Plan is null || result.Report is null)
            {
                string error = result.Diagnostics.Count > 0 ? result.Diagnostics[0].ToString() : "the model did not compile.";
                return new ModelCost { Error = error };
            }
            return new ModelCost { WeightBytes = result.Plan.WeightBytes, Macs = result.Report.TotalMacs, ArenaBytes = result.Plan.ArenaBytes };
        }
    }

    /// <summary>Outputs of the compressed model against the original on the same inputs.</summary>
    public sealed class Fidelity
    {
        public int Samples { get; set; }

        public double MaxAbsError { get; set; }

        public double MeanAbsError { get; set; }

        /// <summary>Share of samples whose arg-max of output 0 agrees; null when output 0 is not a class-score vector.</summary>
        public double? Top1Agreement { get; set; }

        /// <summary>Runs both models with the build-time reference on <paramref name="samples"/>.</summary>
        public static Fidelity Measure(byte[] original, byte[] compressed, IReadOnlyList<float[][]> samples, CompileOptions options)
        {
            var a = ReferenceRunner.Create(original, options);
            var b = ReferenceRunner.Create(compressed, options);
            var result = new Fidelity { Samples = samples.Count };
            double sum = 0;
            long count = 0, agree = 0;
            bool classifier = IsClassScores(a.Graph);
            foreach (var sample in samples)
            {
                float[][] ya = a.Run(sample), yb = b.Run(sample);
                for (int o = 0; o < ya.Length; o++)
                {
                    for (int i = 0; i < ya[o].Length; i++)
                    {
                        double e = Math.Abs((double)ya[o][i] - yb[o][i]);
                        result.MaxAbsError = Math.Max(result.MaxAbsError, e);
                        sum += e;
                        count++;
                    }
                }
                if (classifier && ArgMax(ya[0]) == ArgMax(yb[0])) agree++;
            }
            result.MeanAbsError = count > 0 ? sum / count : 0;
            if (classifier && samples.Count > 0) result.Top1Agreement = (double)agree / samples.Count;
            return result;
        }

        /// <summary>
        /// Output 0 holds class scores when it is one vector of several values computed by a
        /// Softmax/LogSoftmax (possibly followed by quantization or reshapes); regression and
        /// reconstruction outputs (e.g. an autoencoder's) get no top-1 figure.
        /// </summary>
        private static bool IsClassScores(Ir.Graph graph)
        {
            var output = graph.Outputs[0];
            long classes = output.Rank == 0 ? 1 : output.Shape[output.Rank - 1];
            if (classes < 2 || output.ElementCount != classes) return false;
            var producers = graph.Producers();
            var value = output;
            while (producers.TryGetValue(value, out var node))
            {
                if (node.OpType is "Softmax" or "LogSoftmax") return true;
                if (node.OpType is not ("QuantizeLinear" or "DequantizeLinear" or "Reshape" or "Flatten" or "Squeeze" or "Identity") || node.Inputs[0] is null) return false;
                value = node.Inputs[0]!;
            }
            return false;
        }

        public static int ArgMax(float[] values)
        {
            int best = 0;
            for (int i = 1; i < values.Length; i++)
            {
                if (values[i] > values[best]) best = i;
            }
            return best;
        }
    }

    /// <summary>
    /// The report every transformation prints and writes: weight bytes, MACs and arena before and
    /// after (as EdgeAot compiles each model), fidelity, and what was changed or left alone.
    /// </summary>
    public sealed class CompressionReport
    {
        public CompressionReport(string transformation, string modelName)
        {
            Transformation = transformation;
            ModelName = modelName;
        }

        public string Transformation { get; }

        public string ModelName { get; }

        public ModelCost Before { get; set; } = new ModelCost();

        public ModelCost After { get; set; } = new ModelCost();

        public Fidelity? Fidelity { get; set; }

        /// <summary>Which inputs the fidelity was measured on (calibration set, provided inputs ...).</summary>
        public string FidelityInputs { get; set; } = "";

        /// <summary>Settings and per-layer notes, one line each.</summary>
        public List<string> Notes { get; } = new List<string>();

        public static CompressionReport Create(string transformation, string modelName, byte[] original, byte[] compressed,
            IReadOnlyList<float[][]>? samples, string fidelityInputs, CompileOptions options)
        {
            var report = new CompressionReport(transformation, modelName)
            {
                Before = ModelCost.Of(original, options),
                After = ModelCost.Of(compressed, options),
                FidelityInputs = fidelityInputs,
            };
            if (samples is { Count: > 0 }) report.Fidelity = Fidelity.Measure(original, compressed, samples, options);
            return report;
        }

        public string ToMarkdown()
        {
            var c = CultureInfo.InvariantCulture;
            var sb = new StringBuilder();
            sb.Append("# EdgeAot compression report: ").Append(Transformation).Append(" of ").Append(ModelDiagnostic.Printable(ModelName, 200)).Append("\n\n");
            sb.Append("| | before | after | ratio |\n|---|---:|---:|---:|\n");
            Row(sb, "weight bytes", Before.WeightBytes, After.WeightBytes, Before.Error, After.Error);
            Row(sb, "MACs per inference", Before.Macs, After.Macs, Before.Error, After.Error);
            Row(sb, "arena bytes", Before.ArenaBytes, After.ArenaBytes, Before.Error, After.Error);
            sb.Append('\n');
            if (Before.Error is not null) sb.Append("- original does not compile: ").Append(Before.Error).Append('\n');
            if (After.Error is not null) sb.Append("- compressed model does not compile: ").Append(After.Error).Append('\n');
            if (Fidelity is { } f)
            {
                sb.Append("Fidelity against the original on ").Append(f.Samples.ToString(c)).Append(' ').Append(FidelityInputs).Append(" (build-time float reference):\n\n");
                sb.Append("- max abs error: ").Append(f.MaxAbsError.ToString("G6", c)).Append('\n');
                sb.Append("- mean abs error: ").Append(f.MeanAbsError.ToString("G6", c)).Append('\n');
                if (f.Top1Agreement is double t) sb.Append("- top-1 agreement: ").Append((t * 100).ToString("0.0", c)).Append("%\n");
                sb.Append('\n');
            }
            else
            {
                sb.Append("Fidelity: not measured (no inputs given).\n\n");
            }
            foreach (string note in Notes) sb.Append("- ").Append(ModelDiagnostic.Printable(note, 400)).Append('\n');
            return sb.ToString();
        }

        private static void Row(StringBuilder sb, string label, long before, long after, string? beforeError, string? afterError)
        {
            var c = CultureInfo.InvariantCulture;
            string b = beforeError is null ? before.ToString("N0", c) : "n/a";
            string a = afterError is null ? after.ToString("N0", c) : "n/a";
            string ratio = beforeError is null && afterError is null && after > 0 ? ((double)before / after).ToString("0.00", c) + "×" : "";
            sb.Append("| ").Append(label).Append(" | ").Append(b).Append(" | ").Append(a).Append(" | ").Append(ratio).Append(" |\n");
        }
    }
}
