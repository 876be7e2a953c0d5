using System;
using System.Collections.Generic;
using System.IO;
using EdgeAot.Compiler.Diagnostics;

namespace EdgeAot.Compiler.Compression
{
    /// <summary>A compressed model and its report.</summary>
    public sealed class CompressionOutcome
    {
        public CompressionOutcome(byte[] model, CompressionReport report)
        {
            Model = model;
            Report = report;
        }

        public byte[] Model { get; }

        public CompressionReport Report { get; }
    }

    /// <summary>
    /// Entry points shared by the CLI and the MSBuild task: read the model and sample inputs,
    /// transform, and measure. Problems are <see cref="ModelException"/>s with EAOT005x ids.
    /// </summary>
    public static class ModelCompression
    {
        /// <summary>Static int8 quantization calibrated on the raw float32 files at <paramref name="calibrationPath"/>.</summary>
        public static CompressionOutcome Quantize(byte[] model, string? calibrationPath, QuantizeOptions quantize, CompileOptions options, int maxSamples = 512)
        {
            if (calibrationPath is null || calibrationPath.Length == 0)
            {
                throw new ModelException(DiagnosticCatalog.CalibrationDataInvalid,
                    "static int8 quantization needs calibration inputs (CalibrationData=\"folder/\" or --calibration): raw float32 files, one sample each. EdgeAot does not calibrate on invented data.");
            }
            var runner = ReferenceRunner.Create(model, options);
            var samples = CalibrationData.Load(calibrationPath, runner.InputLengths(), maxSamples);
            var summary = new QuantizeSummary();
            byte[] result = StaticQuantizer.Quantize(model, samples, quantize, options, summary);
            var report = CompressionReport.Create("int8 static quantization", options.ModelPath, model, result, samples, "calibration inputs", options);
            report.Notes.Add("calibration: " + samples.Count + " samples, " + (quantize.Method == CalibrationMethod.MinMax ? "min/max" : "percentile " + quantize.Percentile.ToString(System.Globalization.CultureInfo.InvariantCulture))
                + "; weights int8 symmetric " + (quantize.PerChannel ? "per channel" : "per tensor") + ", activations int8 asymmetric, bias int32");
            report.Notes.Add("quantized " + summary.QuantizedNodes.Count + " nodes, " + summary.QuantizedTensors + " activation tensors");
            foreach (string s in summary.Skipped) report.Notes.Add("left in float: " + s);
            return new CompressionOutcome(result, report);
        }

        /// <summary>Runs a weight transformation by CLI name (prune, factorize, share, fp16) with numeric settings.</summary>
        public static CompressionOutcome Transform(string command, byte[] model, IReadOnlyDictionary<string, double> settings, string? inputsPath, CompileOptions options)
        {
            double Get(string name, double defaultValue) => settings.TryGetValue(name, out double v) ? v : defaultValue;
            string[] known = command switch
            {
                "prune" => new[] { "sparsity", "channels", "block" },
                "factorize" => new[] { "rank", "energy" },
                "share" => new[] { "clusters" },
                "fp16" => Array.Empty<string>(),
                _ => throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, "unknown compression command '" + ModelDiagnostic.Printable(command, 40) + "'."),
            };
            foreach (string name in settings.Keys)
            {
                if (Array.IndexOf(known, name) < 0) throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, command + " has no option '--" + ModelDiagnostic.Printable(name, 40) + "'" + (known.Length == 0 ? "." : " (options: --" + string.Join(", --", known) + ")."));
            }
            var notes = new List<string>();
            byte[] result;
            string title;
            switch (command)
            {
                case "prune":
                    double block = Get("block", 1);
                    if (block != Math.Floor(block)) throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, "--block must be a whole number.");
                    double sparsity = Get("sparsity", 0), channels = Get("channels", 0);
                    if (sparsity == 0 && channels == 0) throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, "prune needs --sparsity (e.g. 0.5) or --channels (e.g. 0.25).");
                    result = Pruner.Prune(model, sparsity, channels, options, notes, (int)Math.Min(block, int.MaxValue));
                    title = (sparsity > 0 ? "magnitude pruning to " + sparsity.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " sparsity" + (block > 1 ? " in blocks of " + block.ToString(System.Globalization.CultureInfo.InvariantCulture) : " (unstructured)") : "")
                        + (sparsity > 0 && channels > 0 ? " and " : "")
                        + (channels > 0 ? "structured pruning of " + channels.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " of output channels" : "");
                    break;
                case "factorize":
                    double rank = Get("rank", 0), energy = Get("energy", 0);
                    if (rank != Math.Floor(rank) || rank > int.MaxValue) throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, "--rank must be a whole number.");
                    result = LowRankFactorizer.Factorize(model, (int)rank, energy, options, notes);
                    title = "low-rank factorization (" + (rank > 0 ? "rank " + rank.ToString(System.Globalization.CultureInfo.InvariantCulture) : "energy " + energy.ToString(System.Globalization.CultureInfo.InvariantCulture)) + ")";
                    break;
                case "share":
                    double clusters = Get("clusters", 256);
                    if (clusters is not (16 or 256)) throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, "--clusters must be 16 or 256.");
                    result = WeightSharing.Share(model, (int)clusters, options, notes);
                    title = "weight sharing (" + clusters.ToString(System.Globalization.CultureInfo.InvariantCulture) + " centroids)";
                    break;
                case "fp16":
                    result = Float16Storage.Convert(model, options, notes);
                    title = "float16 weight storage";
                    break;
                default:
                    throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, "unknown compression command '" + ModelDiagnostic.Printable(command, 40) + "'.");
            }
            var samples = LoadSamples(model, inputsPath, options);
            var report = CompressionReport.Create(title, options.ModelPath, model, result, samples, "provided inputs", options);
            report.Notes.AddRange(notes);
            return new CompressionOutcome(result, report);
        }

        /// <summary>Reads sample inputs for fidelity, or null when no path is given.</summary>
        public static List<float[][]>? LoadSamples(byte[] model, string? path, CompileOptions options, int maxSamples = 512)
        {
            if (path is null || path.Length == 0) return null;
            return CalibrationData.Load(path, ReferenceRunner.Create(model, options).InputLengths(), maxSamples);
        }

        public static byte[] ReadModel(string path)
        {
            try
            {
                return File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new ModelException(DiagnosticCatalog.ModelNotFound, "cannot read the model file: " + e.Message);
            }
        }
    }
}
