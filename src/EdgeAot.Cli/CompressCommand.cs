using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Compression;
using EdgeAot.Compiler.Diagnostics;

namespace EdgeAot.Cli
{
    /// <summary>
    /// The model-compression commands: each reads a float ONNX model, writes the transformed ONNX
    /// model and a Markdown report (printed and written next to the output as &lt;out&gt;.report.md).
    /// </summary>
    public static class CompressCommand
    {
        public static readonly string[] Commands = { "quantize", "prune", "factorize", "share", "fp16", "calibration-data" };

        public static readonly string Usage =
            "compression: edgeaot <command> <in.onnx> -o <out.onnx|folder> [options]\n" +
            "  quantize   int8 QDQ static quantization: --calibration <file|folder> (required; raw float32, one sample per file)\n" +
            "             [--method minmax|percentile] [--percentile 99.99] [--per-tensor] [--max-samples N]\n" +
            "  prune      --sparsity 0.5 [--block 8] (magnitude; unstructured, or blocks along the input dimension) | --channels 0.25 (output channels)\n" +
            "  factorize  --rank R | --energy 0.95 (SVD of Gemm/MatMul/1x1 Conv weights, kept only when MACs drop)\n" +
            "  share      --clusters 16|256 (k-means weight sharing, 4- or 8-bit indices + codebook)\n" +
            "  fp16       float16 storage of Conv/Gemm/MatMul weights (float16 initializer -> Cast to float; EdgeAot keeps them 2 bytes each)\n" +
            "  calibration-data  -o <folder> --count N [--seed S] [--min A] [--max B]: seeded uniform samples (see docs/compression.md)\n" +
            "  every command: [--inputs <file|folder>] sample inputs for the fidelity section of the report\n";

        public static int Run(string[] args)
        {
            string command = args[0];
            var positional = new List<string>();
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var flags = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 1; i < args.Length; i++)
            {
                string a = args[i];
                if (a is "--per-tensor")
                {
                    flags.Add(a);
                }
                else if (a == "-o" || a.StartsWith("--", StringComparison.Ordinal))
                {
                    if (i + 1 >= args.Length) return Fail(a + " needs a value");
                    values[a] = args[++i];
                }
                else
                {
                    positional.Add(a);
                }
            }
            if (positional.Count != 1) return Fail(positional.Count == 0 ? "missing model path" : "expected one model path");
            if (!values.TryGetValue("-o", out string? output)) return Fail("missing -o <output>");
            string input = positional[0].Replace('\\', '/');
            var options = new CompileOptions { ModelPath = input, ModelDirectory = Path.GetDirectoryName(Path.GetFullPath(input)) };

            try
            {
                byte[] model = ModelCompression.ReadModel(input);
                if (command == "calibration-data") return CalibrationDataCommand(model, output, values, options);
                var outcome = Transform(command, model, values, flags, options);
                File.WriteAllBytes(output, outcome.Model);
                string report = outcome.Report.ToMarkdown();
                File.WriteAllText(output + ".report.md", report);
                Console.Out.Write(report);
                Console.Out.WriteLine("wrote " + output + " and " + output + ".report.md");
                return 0;
            }
            catch (ModelException e)
            {
                e.Diagnostic.File ??= input;
                Console.Error.WriteLine("error " + e.Diagnostic);
                return 1;
            }
            catch (FormatException e)
            {
                return Fail(e.Message);
            }
            catch (IOException e)
            {
                Console.Error.WriteLine("edgeaot: " + e.Message);
                return 1;
            }
        }

        private static CompressionOutcome Transform(string command, byte[] model, Dictionary<string, string> values, HashSet<string> flags, CompileOptions options)
        {
            values.TryGetValue("--inputs", out string? inputs);
            switch (command)
            {
                case "quantize":
                    var q = new QuantizeOptions { PerChannel = !flags.Contains("--per-tensor") };
                    if (values.TryGetValue("--method", out string? method))
                    {
                        q.Method = method switch
                        {
                            "minmax" => CalibrationMethod.MinMax,
                            "percentile" => CalibrationMethod.Percentile,
                            _ => throw new FormatException("--method must be minmax or percentile"),
                        };
                    }
                    if (values.TryGetValue("--percentile", out string? p))
                    {
                        q.Percentile = Number(p, "--percentile");
                        q.Method = CalibrationMethod.Percentile;
                    }
                    int maxSamples = values.TryGetValue("--max-samples", out string? m) ? (int)Number(m, "--max-samples") : 512;
                    values.TryGetValue("--calibration", out string? calibration);
                    return ModelCompression.Quantize(model, calibration, q, options, maxSamples);
                default:
                    return ModelCompression.Transform(command, model, Settings(values), inputs, options);
            }
        }

        private static Dictionary<string, double> Settings(Dictionary<string, string> values)
        {
            var settings = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var entry in values)
            {
                if (entry.Key is "-o" or "--inputs") continue;
                settings[entry.Key.TrimStart('-')] = Number(entry.Value, entry.Key);
            }
            return settings;
        }

        private static int CalibrationDataCommand(byte[] model, string folder, Dictionary<string, string> values, CompileOptions options)
        {
            int count = values.TryGetValue("--count", out string? c) ? (int)Number(c, "--count") : 32;
            int seed = values.TryGetValue("--seed", out string? s) ? (int)Number(s, "--seed") : 1000;
            float min = values.TryGetValue("--min", out string? lo) ? (float)Number(lo, "--min") : -1f;
            float max = values.TryGetValue("--max", out string? hi) ? (float)Number(hi, "--max") : 1f;
            if (count < 1 || !(max > min)) throw new FormatException("--count must be positive and --max above --min");
            var lengths = ReferenceRunner.Create(model, options).InputLengths();
            CalibrationData.Write(folder, CalibrationData.Generate(lengths, count, seed, min, max));
            Console.Out.WriteLine("wrote " + count + " samples (seed " + seed + ", uniform [" + min.ToString(CultureInfo.InvariantCulture) + ", "
                + max.ToString(CultureInfo.InvariantCulture) + "]) to " + folder);
            return 0;
        }

        private static double Number(string text, string option)
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || double.IsNaN(v) || double.IsInfinity(v))
                throw new FormatException(option + " needs a number, not '" + text + "'");
            return v;
        }

        private static int Fail(string message)
        {
            Console.Error.Write("edgeaot: " + message + "\n" + Usage);
            return 2;
        }
    }
}
