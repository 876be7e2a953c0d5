using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Plan;
using EdgeAot.Tests.Harness;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;

namespace EdgeAot.Tests.Differential
{
    /// <summary>
    /// Seeded random graphs (<see cref="RandomGraphGenerator"/>) run by ONNX Runtime and by the code
    /// EdgeAot generates; outputs must agree within |a−e| ≤ 1e-4 + 1e-3·|e|. Graph i uses seed
    /// EDGEAOT_DIFF_SEED + i (default base <see cref="DefaultSeed"/>); EDGEAOT_DIFF_COUNT graphs
    /// (default <see cref="DefaultCount"/>). Replay one graph with
    /// <c>EDGEAOT_DIFF_SEED=&lt;seed&gt; EDGEAOT_DIFF_COUNT=1 dotnet test tests/EdgeAot.Tests --filter RandomGraph</c>.
    /// </summary>
    public class RandomGraphDifferentialTests
    {
        public const long DefaultSeed = 20240601;
        public const int DefaultCount = 200;
        private const int BatchSize = 100;
        private const int MaxReportedFailures = 15;

        private readonly ITestOutputHelper _output;

        public RandomGraphDifferentialTests(ITestOutputHelper output) => _output = output;

        private static long EnvLong(string name, long fallback)
        {
            string? text = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrWhiteSpace(text)) return fallback;
            if (!long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
                throw new ArgumentException(name + " must be an integer, got '" + text + "'.");
            return value;
        }

        internal static string ReplayCommand(long seed)
            => "EDGEAOT_DIFF_SEED=" + seed.ToString(CultureInfo.InvariantCulture) + " EDGEAOT_DIFF_COUNT=1 dotnet test tests/EdgeAot.Tests --filter RandomGraph";

        private sealed class Case
        {
            public Case(RandomGraph graph) => Graph = graph;

            public RandomGraph Graph { get; }
            public ModelPlan? Plan { get; set; }
            public float[][]? Expected { get; set; }
        }

        [Fact]
        public void RandomGraphs_match_onnx_runtime()
        {
            long baseSeed = EnvLong("EDGEAOT_DIFF_SEED", DefaultSeed);
            int count = checked((int)EnvLong("EDGEAOT_DIFF_COUNT", DefaultCount));
            Assert.True(count >= 1, "EDGEAOT_DIFF_COUNT must be at least 1.");

            var clock = Stopwatch.StartNew();
            var failures = new List<string>();
            var cases = new List<Case>();
            var opCounts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            bool verbose = EnvLong("EDGEAOT_DIFF_VERBOSE", 0) != 0;
            long compileMs = 0;

            // 1. Generate every graph; ONNX Runtime computes the expected outputs; EdgeAot compiles to plans.
            using (var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL })
            {
                for (int i = 0; i < count; i++)
                {
                    long seed = baseSeed + i;
                    RandomGraph graph;
                    try
                    {
                        graph = RandomGraphGenerator.Generate(seed);
                    }
                    catch (Exception e)
                    {
                        failures.Add(Header(seed, "?") + "the generator threw: " + e);
                        continue;
                    }
                    if (verbose) _output.WriteLine("seed " + seed + ": " + graph.Describe());
                    foreach (string op in graph.Ops) opCounts[op] = opCounts.TryGetValue(op, out int n) ? n + 1 : 1;
                    var c = new Case(graph);

                    try
                    {
                        c.Expected = RunOrt(graph, options);
                    }
                    catch (Exception e)
                    {
                        failures.Add(Describe(graph, "ONNX Runtime refused the graph (generator bug): " + e.Message));
                        continue;
                    }

                    var result = ModelCompiler.Compile(graph.Bytes, new CompileOptions
                    {
                        ModelPath = "random_" + SeedTag(seed) + ".onnx",
                        ClassName = "RandomGraph_" + i.ToString(CultureInfo.InvariantCulture) + "_" + SeedTag(seed),
                        Namespace = "EdgeAot.Tests.RandomGraphs",
                    });
                    if (!result.Success)
                    {
                        failures.Add(Describe(graph, "EdgeAot refused the graph (generator bug unless the diagnostic is wrong):\n    "
                            + string.Join("\n    ", result.Diagnostics)));
                        continue;
                    }
                    c.Plan = result.Plan!;
                    string? shapeProblem = null;
                    if (c.Plan.Outputs.Count != graph.Outputs.Count) shapeProblem = "EdgeAot has " + c.Plan.Outputs.Count + " outputs, the graph " + graph.Outputs.Count;
                    for (int o = 0; shapeProblem is null && o < graph.Outputs.Count; o++)
                    {
                        var planShape = c.Plan.Tensor(c.Plan.Outputs[o]).Shape.ToArray();
                        if (!planShape.SequenceEqual(graph.Outputs[o].Shape))
                            shapeProblem = "EdgeAot inferred shape " + RandomGraphGenerator.Fmt(planShape) + " for output " + graph.Outputs[o].Name + ", ONNX Runtime and the generator " + RandomGraphGenerator.Fmt(graph.Outputs[o].Shape);
                    }
                    if (shapeProblem is not null)
                    {
                        failures.Add(Describe(graph, shapeProblem));
                        continue;
                    }
                    cases.Add(c);
                }
            }
            long prepared = clock.ElapsedMilliseconds;

            // 2. Compile the generated code in batches (one Roslyn compilation per batch) and compare.
            int compared = 0;
            for (int start = 0; start < cases.Count; start += BatchSize)
            {
                var batch = cases.Skip(start).Take(BatchSize).ToList();
                CompiledModels? compiled = null;
                long compileStart = clock.ElapsedMilliseconds;
                try
                {
                    compiled = GeneratedCode.Compile(batch.Select(c => c.Plan!).ToList());
                }
                catch (InvalidOperationException)
                {
                    // Find the graphs whose code does not compile, one by one (only on failure).
                    var ok = new List<Case>();
                    foreach (var c in batch)
                    {
                        try
                        {
                            GeneratedCode.Compile(new[] { c.Plan! });
                            ok.Add(c);
                        }
                        catch (InvalidOperationException e)
                        {
                            failures.Add(Describe(c.Graph, e.Message));
                        }
                    }
                    batch = ok;
                    if (batch.Count > 0) compiled = GeneratedCode.Compile(batch.Select(c => c.Plan!).ToList());
                }
                compileMs += clock.ElapsedMilliseconds - compileStart;
                foreach (var c in batch)
                {
                    string? problem = Compare(c, compiled!);
                    if (problem is not null) failures.Add(Describe(c.Graph, problem));
                    compared++;
                }
            }

            _output.WriteLine($"{count} random graphs from seed {baseSeed}: {compared} compared, {failures.Count} failed; "
                + $"generation + ORT + EdgeAot compile {prepared} ms, Roslyn {compileMs} ms, total {clock.ElapsedMilliseconds} ms");
            _output.WriteLine("op coverage: " + string.Join(", ", opCounts.Select(kv => kv.Key + " " + kv.Value)));
            if (failures.Count > 0)
            {
                var message = new StringBuilder();
                message.Append(failures.Count).Append(" of ").Append(count).Append(" random graphs failed (base seed ").Append(baseSeed).Append("):\n\n");
                foreach (string f in failures.Take(MaxReportedFailures)) message.Append(f).Append("\n\n");
                if (failures.Count > MaxReportedFailures) message.Append("... and ").Append(failures.Count - MaxReportedFailures).Append(" more.\n");
                Assert.Fail(message.ToString());
            }
        }

        private static string SeedTag(long seed) => seed < 0 ? "m" + (-seed).ToString(CultureInfo.InvariantCulture) : seed.ToString(CultureInfo.InvariantCulture);

        private static string Header(long seed, string ops)
            => "seed " + seed.ToString(CultureInfo.InvariantCulture) + " [" + ops + "]\n  replay: " + ReplayCommand(seed) + "\n  ";

        private static string Describe(RandomGraph graph, string problem)
            => Header(graph.Seed, graph.OpList) + graph.Describe() + "\n  " + problem;

        private static float[][] RunOrt(RandomGraph graph, SessionOptions options)
        {
            using var session = new InferenceSession(graph.Bytes, options);
            var feeds = graph.Inputs.Select(i => NamedOnnxValue.CreateFromTensor(i.Name,
                new DenseTensor<float>((float[])i.Data.Clone(), i.Shape.Select(d => (int)d).ToArray()))).ToList();
            using var results = session.Run(feeds);
            var outputs = new float[graph.Outputs.Count][];
            for (int o = 0; o < outputs.Length; o++)
            {
                var tensor = results.Single(r => r.Name == graph.Outputs[o].Name).AsTensor<float>();
                var dims = tensor.Dimensions.ToArray().Select(d => (long)d).ToArray();
                if (!dims.SequenceEqual(graph.Outputs[o].Shape))
                    throw new InvalidOperationException("output " + graph.Outputs[o].Name + " has shape " + RandomGraphGenerator.Fmt(dims) + ", the generator expected " + RandomGraphGenerator.Fmt(graph.Outputs[o].Shape));
                outputs[o] = tensor.ToArray();
            }
            return outputs;
        }

        private static string? Compare(Case c, CompiledModels compiled)
        {
            Array[] outputs;
            try
            {
                var model = compiled.Get(c.Plan!);
                // Plan inputs follow the graph's input order.
                var inputs = c.Plan!.Inputs.Select(id =>
                {
                    string name = c.Plan.Tensor(id).Name;
                    var input = c.Graph.Inputs.SingleOrDefault(i => i.Name == name) ?? throw new InvalidOperationException("plan input '" + name + "' is not a graph input");
                    return (Array)input.Data.Clone();
                }).ToArray();
                outputs = model.Run(inputs);
            }
            catch (Exception e)
            {
                return "the generated code threw: " + e.GetType().Name + ": " + e.Message;
            }
            var problems = new List<string>();
            for (int o = 0; o < outputs.Length; o++)
            {
                string? p = CompareValues(c.Expected![o], (float[])outputs[o]);
                if (p is not null) problems.Add("output " + c.Graph.Outputs[o].Name + ": " + p);
            }
            return problems.Count == 0 ? null : string.Join("\n  ", problems);
        }

        private static string? CompareValues(float[] expected, float[] actual)
        {
            if (actual.Length != expected.Length) return "EdgeAot produced " + actual.Length + " values, ONNX Runtime " + expected.Length;
            int bad = 0, first = -1;
            double worst = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                float e = expected[i], a = actual[i];
                bool ok = float.IsNaN(e) ? float.IsNaN(a) : e == a || Math.Abs((double)a - e) <= 1e-4 + 1e-3 * Math.Abs((double)e);
                if (ok) continue;
                if (first < 0) first = i;
                bad++;
                worst = Math.Max(worst, double.IsNaN(a) ? double.PositiveInfinity : Math.Abs((double)a - e));
            }
            if (bad == 0) return null;
            var sb = new StringBuilder();
            sb.Append("MISMATCH: ").Append(bad).Append(" of ").Append(expected.Length).Append(" values differ (worst |a-e| ").Append(worst.ToString("G4", CultureInfo.InvariantCulture)).Append("); first at flat index ").Append(first).Append(":");
            for (int i = first; i < Math.Min(expected.Length, first + 6); i++)
                sb.Append("\n    [").Append(i).Append("] ORT ").Append(expected[i].ToString("R", CultureInfo.InvariantCulture)).Append(", EdgeAot ").Append(actual[i].ToString("R", CultureInfo.InvariantCulture));
            return sb.ToString();
        }
    }
}
