using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Plan;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeAot.Benchmarks
{
    /// <summary>
    /// EdgeAot against ONNX Runtime (single thread) on the shared MLPerf Tiny models, in one
    /// process so both see the same machine state, plus a float/int8 peak-throughput probe.
    /// Usage: EdgeAot.Benchmarks [--models DIR] [--seconds S] [--out table.md] [--only name,...] [--extra a.onnx,...] [--profile] [--optimize-for memory|speed] [--device profile]
    /// (--optimize-for compiles every model for that goal instead of each model's own, see <see cref="Models"/>;
    /// --device holds speed mode to that device's RAM; --extra adds model files by path, e.g. a pruned or fp16 copy
    /// written by the edgeaot CLI, compiled for memory unless --optimize-for says otherwise.)
    /// </summary>
    public static class Program
    {
        /// <summary>
        /// The models and the goal each is compiled for: the float models for speed (their fastest
        /// kernels need scratch beyond the activations' peak), the int8 models for memory (the
        /// default; their kernels are chosen within the activations' peak). The table prints both.
        /// </summary>
        private static readonly (string File, OptimizationGoal Goal)[] Models =
        {
            ("ic.onnx", OptimizationGoal.Speed), ("vww_96_float.onnx", OptimizationGoal.Speed),
            ("kws_ref_model_float32.onnx", OptimizationGoal.Speed), ("ad01_fp32.onnx", OptimizationGoal.Speed),
            ("kws_ref_model.onnx", OptimizationGoal.Memory), ("ad01_int8.onnx", OptimizationGoal.Memory),
        };

        public static int Main(string[] args)
        {
            string modelDir = Arg(args, "--models") ?? Path.Combine(FindRepoRoot(), "..", "shared", "models", "mlperf-tiny");
            double seconds = double.Parse(Arg(args, "--seconds") ?? "2", CultureInfo.InvariantCulture);
            string? outFile = Arg(args, "--out");
            string[] only = (Arg(args, "--only") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
            string? goalArg = Arg(args, "--optimize-for");
            OptimizationGoal? goalOverride = null;
            if (goalArg is not null)
            {
                if (!CompileOptions.TryParseGoal(goalArg, out var g)) throw new ArgumentException("--optimize-for needs memory or speed");
                goalOverride = g;
            }
            var models = Models.Where(m => only.Length == 0 || only.Any(o => m.File.Contains(o, StringComparison.OrdinalIgnoreCase)))
                .Select(m => (m.File, Goal: goalOverride ?? m.Goal)).ToArray();
            string[] extra = (Arg(args, "--extra") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
            models = models.Concat(extra.Select(f => (File: f, Goal: goalOverride ?? OptimizationGoal.Memory))).ToArray();

            Console.Error.WriteLine("Measuring peak throughput...");
            var peak = PeakThroughput.Measure();
            Console.Error.WriteLine($"  float FMA: {peak.FloatGmacs:F1} GMAC/s ({peak.FloatIsa}); int8 dot: {peak.Int8Gmacs:F1} GMAC/s ({peak.Int8Isa})");

            var rows = new List<Row>();
            var plans = new List<(string File, ModelPlan Plan, long Macs)>();
            var memory = new Dictionary<string, MemoryFigures>();
            foreach (var (file, goal) in models)
            {
                var result = ModelCompiler.CompileFile(Path.Combine(modelDir, file), new CompileOptions { ModelPath = Path.GetFileName(file), Namespace = "EdgeAot.Bench", OptimizeFor = goal, Device = Arg(args, "--device") ?? "" });
                if (!result.Success) throw new InvalidOperationException(file + ": " + string.Join("\n", result.Diagnostics));
                plans.Add((file, result.Plan!, result.Report!.TotalMacs));
                memory[file] = new MemoryFigures(result.Report.Goal, result.Plan!.ArenaBytes, result.Report.MemoryModeArenaBytes ?? result.Plan.ArenaBytes);
                Console.Error.WriteLine($"  {file}: optimized for {result.Report.Goal.ToString().ToLowerInvariant()}, arena {result.Plan.ArenaBytes:N0} B (memory mode {memory[file].MemoryModeArenaBytes:N0} B)");
            }
            bool profile = args.Contains("--profile");
            var compiled = InProcessCompiler.Compile(plans.Select(p => p.Plan).ToList(), profile);
            if (profile)
            {
                // Per-layer times only (instrumented build, so no ORT comparison).
                foreach (var (file, plan, macs) in plans)
                {
                    var input = plan.Tensor(plan.Inputs.Single());
                    var output = plan.Tensor(plan.Outputs.Single());
                    Action run = compiled.CreateRunner(plan, new[] { SeededInput(input.Type, input.ElementCount, seed: 42) },
                        new[] { Array.CreateInstance(InProcessCompiler.ClrType(output.Type), output.ElementCount) });
                    Timing.Warm(run, 0.3);
                    compiled.TakeProfile(1);
                    int calls = 0;
                    long end = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(seconds * System.Diagnostics.Stopwatch.Frequency);
                    while (System.Diagnostics.Stopwatch.GetTimestamp() < end) { run(); calls++; }
                    var layers = compiled.TakeProfile(calls);
                    double total = layers.Sum(l => l.Microseconds);
                    Console.WriteLine($"{file}: {total:F1} µs per call in layers ({calls} calls)");
                    foreach (var (name, us) in layers.OrderByDescending(l => l.Microseconds).Take(12))
                        Console.WriteLine($"  {name,-24} {us,9:F1} µs {100 * us / total,5:F1} %");
                }
                return 0;
            }

            foreach (var (file, plan, macs) in plans)
            {
                Console.Error.WriteLine($"Benchmarking {file} ({macs:N0} MACs)...");
                var input = plan.Tensor(plan.Inputs.Single());
                var output = plan.Tensor(plan.Outputs.Single());
                Array inputData = SeededInput(input.Type, input.ElementCount, seed: 42);
                Array edgeOut = Array.CreateInstance(InProcessCompiler.ClrType(output.Type), output.ElementCount);
                Action edgeRun = compiled.CreateRunner(plan, new[] { inputData }, new[] { edgeOut });

                using var ort = new OrtRunner(Path.Combine(modelDir, file), inputData, input.Shape.ToArray());
                double maxDiff = ort.CompareLast(edgeOut, edgeRun);

                // Interleave the two in rounds so drift in machine load affects both alike.
                var edgeSamples = new List<double>();
                var ortSamples = new List<double>();
                Timing.Warm(edgeRun, 0.3);
                Timing.Warm(ort.Run, 0.3);
                for (int round = 0; round < 5; round++)
                {
                    edgeSamples.AddRange(Timing.Sample(edgeRun, seconds / 5));
                    ortSamples.AddRange(Timing.Sample(ort.Run, seconds / 5));
                }
                rows.Add(new Row(file, macs, Stats.Of(edgeSamples), Stats.Of(ortSamples), maxDiff, output.Type, memory[file]));
            }

            string table = Report.Markdown(rows, peak);
            Console.WriteLine(table);
            if (outFile is not null) File.WriteAllText(outFile, table);
            return 0;
        }

        private static Array SeededInput(DataType type, long count, int seed)
        {
            var rng = new Random(seed);
            switch (type)
            {
                case DataType.Float32:
                    var f = new float[count];
                    for (int i = 0; i < f.Length; i++) f[i] = (float)(rng.NextDouble() * 2 - 1);
                    return f;
                case DataType.Int8:
                    var s = new sbyte[count];
                    for (int i = 0; i < s.Length; i++) s[i] = (sbyte)rng.Next(-128, 128);
                    return s;
                case DataType.UInt8:
                    var u = new byte[count];
                    rng.NextBytes(u);
                    return u;
                default: throw new NotSupportedException(type.ToString());
            }
        }

        private static string? Arg(string[] args, string name)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        private static string FindRepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "EdgeAot.sln"))) return dir.FullName;
            return Directory.GetCurrentDirectory();
        }
    }

    internal sealed record Row(string Model, long Macs, Stats Edge, Stats Ort, double MaxDiff, DataType OutputType, MemoryFigures Memory);

    /// <summary>The goal a model was compiled for, its ArenaBytes, and the arena the default (memory) goal gives.</summary>
    internal sealed record MemoryFigures(OptimizationGoal Goal, long ArenaBytes, long MemoryModeArenaBytes);

    internal sealed record Stats(double Median, double P90, int Count)
    {
        public static Stats Of(List<double> samples)
        {
            var s = samples.OrderBy(v => v).ToArray();
            return new Stats(s[s.Length / 2], s[(int)(s.Length * 0.9)], s.Length);
        }
    }

    internal static class Timing
    {
        public static void Warm(Action run, double seconds)
        {
            long end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
            int calls = 0;
            while (Stopwatch.GetTimestamp() < end || calls < 50) { run(); calls++; }
        }

        /// <summary>Per-call times in µs for about <paramref name="seconds"/> (at least 20 calls).</summary>
        public static List<double> Sample(Action run, double seconds)
        {
            var samples = new List<double>(4096);
            long end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
            while (samples.Count < 20 || Stopwatch.GetTimestamp() < end)
            {
                long t0 = Stopwatch.GetTimestamp();
                run();
                long t1 = Stopwatch.GetTimestamp();
                samples.Add((t1 - t0) * 1e6 / Stopwatch.Frequency);
            }
            return samples;
        }
    }

    /// <summary>
    /// ONNX Runtime with its lowest-overhead .NET usage: one thread, sequential, all graph
    /// optimizations, OrtValues created once over pinned arrays, Run with pre-bound outputs.
    /// </summary>
    internal sealed class OrtRunner : IDisposable
    {
        private readonly InferenceSession _session;
        private readonly RunOptions _runOptions = new();
        private readonly OrtValue[] _inputs;
        private readonly OrtValue[] _outputs;
        private readonly string[] _inputNames;
        private readonly string[] _outputNames;
        private readonly Array _output;

        public OrtRunner(string path, Array input, long[] shape)
        {
            var options = new SessionOptions
            {
                IntraOpNumThreads = 1,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            _session = new InferenceSession(path, options);
            _inputNames = _session.InputMetadata.Keys.ToArray();
            _outputNames = _session.OutputMetadata.Keys.ToArray();
            var outMeta = _session.OutputMetadata[_outputNames[0]];
            long[] outShape = outMeta.Dimensions.Select(d => (long)Math.Max(d, 1)).ToArray();
            long outCount = outShape.Aggregate(1L, (a, b) => a * b);
            _output = outMeta.ElementDataType switch
            {
                TensorElementType.Float => new float[outCount],
                TensorElementType.Int8 => new sbyte[outCount],
                TensorElementType.UInt8 => new byte[outCount],
                var t => throw new NotSupportedException(t.ToString()),
            };
            _inputs = new[] { Create(input, shape) };
            _outputs = new[] { Create(_output, outShape) };
        }

        private static OrtValue Create(Array data, long[] shape) => data switch
        {
            float[] f => OrtValue.CreateTensorValueFromMemory(f, shape),
            sbyte[] s => OrtValue.CreateTensorValueFromMemory(s, shape),
            byte[] b => OrtValue.CreateTensorValueFromMemory(b, shape),
            _ => throw new NotSupportedException(data.GetType().Name),
        };

        public void Run() => _session.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);

        /// <summary>Runs both once and returns the largest absolute output difference (a sanity check, not a test).</summary>
        public double CompareLast(Array edgeOutput, Action edgeRun)
        {
            Run();
            edgeRun();
            double max = 0;
            for (int i = 0; i < Math.Min(_output.Length, edgeOutput.Length); i++)
                max = Math.Max(max, Math.Abs(Convert.ToDouble(_output.GetValue(i)) - Convert.ToDouble(edgeOutput.GetValue(i))));
            return max;
        }

        public void Dispose()
        {
            foreach (var v in _inputs) v.Dispose();
            foreach (var v in _outputs) v.Dispose();
            _runOptions.Dispose();
            _session.Dispose();
        }
    }

    internal static class Report
    {
        public static string Markdown(List<Row> rows, PeakThroughput.Result peak)
        {
            var c = CultureInfo.InvariantCulture;
            var sb = new StringBuilder();
            sb.Append(c, $"Measured peak (one core): float FMA {peak.FloatGmacs:F1} GMAC/s ({peak.FloatIsa}), int8 dot {peak.Int8Gmacs:F1} GMAC/s ({peak.Int8Isa}).\n\n");
            sb.Append("| Model | Optimized for | ArenaBytes (memory mode) | MACs | EdgeAot median µs (p90) | ORT median µs (p90) | ORT / EdgeAot | EdgeAot GMAC/s | Fraction of peak | Max abs diff vs ORT |\n");
            sb.Append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            foreach (var r in rows)
            {
                bool integer = r.Model.Contains("int8", StringComparison.Ordinal) || r.Model == "kws_ref_model.onnx";
                double gmacs = r.Macs / (r.Edge.Median * 1e3);
                double fraction = gmacs / (integer ? peak.Int8Gmacs : peak.FloatGmacs);
                string arena = r.Memory.ArenaBytes == r.Memory.MemoryModeArenaBytes ? r.Memory.ArenaBytes.ToString("N0", c)
                    : r.Memory.ArenaBytes.ToString("N0", c) + " (" + r.Memory.MemoryModeArenaBytes.ToString("N0", c) + ")";
                sb.Append(c, $"| {r.Model} | {r.Memory.Goal.ToString().ToLowerInvariant()} | {arena} | {r.Macs:N0} | {r.Edge.Median:F1} ({r.Edge.P90:F1}) | {r.Ort.Median:F1} ({r.Ort.P90:F1}) | {r.Ort.Median / r.Edge.Median:F2} | {gmacs:F2} | {fraction:P1} ({(integer ? "int8" : "float")}) | {r.MaxDiff:G3} |\n");
            }
            return sb.ToString();
        }
    }
}
