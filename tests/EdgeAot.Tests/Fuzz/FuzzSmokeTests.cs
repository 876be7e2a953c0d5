using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using EdgeAot.Fuzz;
using EdgeAot.Tests.Harness;
using Xunit.Abstractions;

namespace EdgeAot.Tests.Fuzz
{
    /// <summary>
    /// The CI smoke of the fuzz target (fuzz/EdgeAot.Fuzz, run for real by build/fuzz.sh under AFL++):
    /// the crash regressions the fuzzer found, a sample of the conformance models it is seeded with, and
    /// a fixed set of seeded random mutations of them, all in-process. Takes well under a minute.
    /// </summary>
    public class FuzzSmokeTests
    {
        private const int SeedStride = 6;      // every 6th conformance model (~300)
        private const int Mutations = 20000;

        private readonly ITestOutputHelper _output;

        public FuzzSmokeTests(ITestOutputHelper output) => _output = output;

        /// <summary>Every input the fuzzer ever crashed on, kept as a file, must now pass.</summary>
        [Fact]
        public void FuzzerFindings_NoLongerCrash()
        {
            var failures = new List<string>();
            var files = Directory.GetFiles(RegressionFolder(), "*.onnx").OrderBy(p => p, StringComparer.Ordinal).ToArray();
            foreach (var file in files) RunOne(File.ReadAllBytes(file), Path.GetFileName(file), failures);
            _output.WriteLine(files.Length + " regression inputs");
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }

        [Fact]
        public void SeedCorpusAndSeededMutations_DoNotCrashThePipeline()
        {
            var seeds = SharedData.NodeCases.Where((_, i) => i % SeedStride == 0)
                .Select(c => Path.Combine(c, "model.onnx")).Where(File.Exists)
                .Select(File.ReadAllBytes).ToList();
            Assert.True(seeds.Count > 100, "the conformance models are missing");
            var failures = new List<string>();
            var watch = Stopwatch.StartNew();

            int reached = 0;
            foreach (var seed in seeds) reached += RunOne(seed, "seed", failures) ? 1 : 0;
            var random = new Random(20261123);
            for (int i = 0; i < Mutations; i++)
            {
                byte[] input = Mutate(seeds[random.Next(seeds.Count)], seeds[random.Next(seeds.Count)], random);
                reached += RunOne(input, "mutation " + i, failures) ? 1 : 0;
            }

            watch.Stop();
            _output.WriteLine(seeds.Count + " seeds + " + Mutations + " mutations in " + watch.Elapsed.TotalSeconds.ToString("F1") + " s; " + reached + " reached the emitter");
            Assert.True(failures.Count == 0, failures.Count + " crashes:\n" + string.Join("\n", failures.Take(20)));
        }

        private static bool RunOne(byte[] input, string label, List<string> failures)
        {
            try
            {
                return PipelineTarget.Run(input);
            }
            catch (Exception e)
            {
                failures.Add(label + " (" + Convert.ToBase64String(input.Length <= 4096 ? input : input[..4096]) + "): " + e.GetType().Name + ": " + e.Message);
                return false;
            }
        }

        /// <summary>AFL-style havoc: a few stacked flips, interesting values, deletions, duplications and splices.</summary>
        internal static byte[] Mutate(byte[] seed, byte[] other, Random random)
        {
            var data = new List<byte>(seed);
            int steps = 1 + random.Next(4);
            for (int s = 0; s < steps && data.Count > 0; s++)
            {
                int at = random.Next(data.Count);
                switch (random.Next(7))
                {
                    case 0: data[at] ^= (byte)(1 << random.Next(8)); break;
                    case 1: data[at] = (byte)random.Next(256); break;
                    case 2: data[at] = new byte[] { 0x00, 0x01, 0x7F, 0x80, 0xFF }[random.Next(5)]; break;
                    case 3: data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(16))); break;
                    case 4: data.InsertRange(at, data.Skip(random.Next(data.Count)).Take(1 + random.Next(32)).ToList()); break;
                    case 5:
                        int from = random.Next(other.Length);
                        data.InsertRange(at, other.Skip(from).Take(1 + random.Next(64)));
                        break;
                    default:
                        // a varint run that claims a huge length or value
                        data.InsertRange(at, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F });
                        break;
                }
            }
            return data.ToArray();
        }

        internal static string RegressionFolder()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EdgeAot.sln"))) return Path.Combine(dir.FullName, "tests", "EdgeAot.Tests", "Fuzz", "Regressions");
            }
            throw new DirectoryNotFoundException("EdgeAot.sln");
        }
    }
}
