using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using EdgeAot.Tests.Harness;
using Xunit.Abstractions;

namespace EdgeAot.Tests.Conformance
{
    /// <summary>
    /// Tier 2: every ONNX backend node case. Fails on any case in state Fail (a crash, code that
    /// does not compile, or wrong values) and on any case listed in docs/conformance-passing.txt
    /// that no longer passes. With EDGEAOT_UPDATE_CONFORMANCE=1 it rewrites docs/conformance.md and
    /// the passing list (build/conformance.sh does this).
    /// </summary>
    /// <summary>A fact that runs only when EDGEAOT_CONFORMANCE_FILTER is set.</summary>
    public sealed class SkippableByFilterFactAttribute : FactAttribute
    {
        public SkippableByFilterFactAttribute()
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("EDGEAOT_CONFORMANCE_FILTER")))
                Skip = "set EDGEAOT_CONFORMANCE_FILTER=test_prefix,... to run selected conformance cases";
        }
    }

    public class ConformanceTests
    {
        private readonly ITestOutputHelper _output;

        public ConformanceTests(ITestOutputHelper output) => _output = output;

        [Fact]
        [Trait("Category", "Conformance")]
        public void All_backend_node_cases_pass_or_are_unsupported_with_a_diagnostic()
        {
            var cases = SharedData.NodeCases.ToList();
            Assert.True(cases.Count >= 1800, "expected the 1802 ONNX backend node cases, found " + cases.Count);
            var results = ConformanceRunner.Run(cases, _output.WriteLine);
            Assert.Equal(cases.Count, results.Count);

            string docs = Path.Combine(RepoRoot(), "docs");
            string passingFile = Path.Combine(docs, "conformance-passing.txt");
            var passing = results.Where(r => r.State == CaseState.Pass).Select(r => r.Name).ToList();
            if (Environment.GetEnvironmentVariable("EDGEAOT_UPDATE_CONFORMANCE") == "1")
            {
                File.WriteAllText(Path.Combine(docs, "conformance.md"), ConformanceReport.ToMarkdown(results));
                File.WriteAllText(passingFile, string.Join("\n", passing) + "\n");
            }

            var counts = results.GroupBy(r => r.State).ToDictionary(g => g.Key, g => g.Count());
            _output.WriteLine($"pass {counts.GetValueOrDefault(CaseState.Pass)}, unsupported {counts.GetValueOrDefault(CaseState.Unsupported)}, fail {counts.GetValueOrDefault(CaseState.Fail)}");
            var failures = results.Where(r => r.State == CaseState.Fail).ToList();
            foreach (var f in failures.Take(50)) _output.WriteLine($"FAIL {f.Name} [{f.Ops}] {f.Reason}: {f.Detail}");

            var previouslyPassing = File.Exists(passingFile) ? File.ReadAllLines(passingFile).Where(l => l.Length > 0).ToHashSet() : new();
            var regressions = previouslyPassing.Except(passing).OrderBy(n => n, StringComparer.Ordinal).ToList();
            Assert.True(regressions.Count == 0, "cases that passed before and no longer pass: " + string.Join(", ", regressions));
            Assert.True(failures.Count == 0, failures.Count + " cases fail: " + string.Join(", ", failures.Take(30).Select(f => f.Name + " (" + f.Reason + ")")));
        }

        /// <summary>
        /// Runs only the cases whose folder names start with one of the comma-separated prefixes in
        /// EDGEAOT_CONFORMANCE_FILTER (e.g. "test_gather,test_slice") and prints every result, for
        /// working on an op. Skipped when the variable is not set.
        /// </summary>
        [SkippableByFilterFact]
        [Trait("Category", "Conformance")]
        public void Filtered_cases_pass()
        {
            string filter = Environment.GetEnvironmentVariable("EDGEAOT_CONFORMANCE_FILTER")!;
            var prefixes = filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var cases = SharedData.NodeCases.Where(c => prefixes.Any(p => Path.GetFileName(c).StartsWith(p, StringComparison.Ordinal))).ToList();
            Assert.NotEmpty(cases);
            var results = ConformanceRunner.Run(cases, _output.WriteLine);
            foreach (var r in results) _output.WriteLine($"{r.State,-11} {r.Name} [{r.Ops}] {r.Reason} {r.Detail}");
            var failures = results.Where(r => r.State == CaseState.Fail).Select(r => r.Name).ToList();
            Assert.True(failures.Count == 0, "failing: " + string.Join(", ", failures));
        }

        private static string RepoRoot([CallerFilePath] string thisFile = "")
            => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", ".."));
    }
}
