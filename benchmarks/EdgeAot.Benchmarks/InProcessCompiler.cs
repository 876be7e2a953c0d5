using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EdgeAot.Benchmarks
{
    /// <summary>
    /// Compiles the generated classes in-process with Roslyn (Release, unsafe allowed), exactly the
    /// text the source generator would add to a user's project (the same ModelEmitter.Emit), as
    /// tests/EdgeAot.Tests/Harness/GeneratedCode.cs does. Chosen over an EdgeModel-item project so
    /// one process times both engines on identical inputs; the JIT compiles the generated code
    /// the same way it would in a user's JIT app (NativeAOT numbers would differ slightly).
    /// Each model gets a small generated runner whose closure calls Run with typed arrays.
    /// </summary>
    internal sealed class InProcessCompiler
    {
        private readonly Assembly _assembly;

        private InProcessCompiler(Assembly assembly) => _assembly = assembly;

        public static InProcessCompiler Compile(IReadOnlyList<ModelPlan> plans, bool profile = false)
        {
            var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
            var parse = new CSharpParseOptions(LanguageVersion.Latest);
            var trees = new List<SyntaxTree>();
            foreach (var plan in plans)
            {
                string source = ModelEmitter.Emit(plan);
                trees.Add(CSharpSyntaxTree.ParseText(profile ? Instrument(source) : source, parse, path: ModelEmitter.HintName(plan)));
                trees.Add(CSharpSyntaxTree.ParseText(Runner(plan), parse));
            }
            if (profile) trees.Add(CSharpSyntaxTree.ParseText(ProfileClass, parse));
            var compilation = CSharpCompilation.Create("EdgeAotBench", trees, references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, allowUnsafe: true));
            using var stream = new MemoryStream();
            var result = compilation.Emit(stream);
            if (!result.Success)
                throw new InvalidOperationException("Generated code does not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
            return new InProcessCompiler(Assembly.Load(stream.ToArray()));
        }

        private const string ProfileClass =
            "public static class EdgeAotLayerProfile { public static readonly long[] Ticks = new long[4096]; public static readonly string[] Names = new string[4096]; }\n";

        /// <summary>
        /// Profiling build (--profile): every kernel call in Run (a line "    Name12(...);") is wrapped
        /// in Stopwatch timestamps summed per layer index, so per-layer time can be printed.
        /// </summary>
        private static string Instrument(string source)
        {
            var lines = source.Split('\n');
            var sb = new StringBuilder();
            bool inRun = false;
            foreach (string line in lines)
            {
                if (line.Contains("public void Run(", StringComparison.Ordinal)) inRun = true;
                var match = System.Text.RegularExpressions.Regex.Match(line, @"^(\s+)([A-Za-z]+?)(\d+)\((.*)\);$");
                if (inRun && match.Success)
                {
                    string index = match.Groups[3].Value;
                    sb.Append(match.Groups[1].Value).Append("{ long t0 = System.Diagnostics.Stopwatch.GetTimestamp(); ").Append(line.Trim())
                      .Append(" global::EdgeAotLayerProfile.Ticks[").Append(index).Append("] += System.Diagnostics.Stopwatch.GetTimestamp() - t0; global::EdgeAotLayerProfile.Names[")
                      .Append(index).Append("] = \"").Append(match.Groups[2].Value).Append(index).Append("\"; }\n");
                }
                else sb.Append(line).Append('\n');
                if (inRun && line == "        }") inRun = false;
            }
            return sb.ToString();
        }

        /// <summary>Per-layer totals collected by a --profile build since the last call (then reset).</summary>
        public (string Name, double Microseconds)[] TakeProfile(int calls)
        {
            var type = _assembly.GetType("EdgeAotLayerProfile", throwOnError: true)!;
            var ticks = (long[])type.GetField("Ticks")!.GetValue(null)!;
            var names = (string[])type.GetField("Names")!.GetValue(null)!;
            var rows = new List<(string, double)>();
            for (int i = 0; i < ticks.Length; i++)
            {
                if (names[i] is null) continue;
                rows.Add((names[i], ticks[i] * 1e6 / System.Diagnostics.Stopwatch.Frequency / calls));
                ticks[i] = 0;
            }
            return rows.ToArray();
        }

        /// <summary>A delegate that runs the model once on the given arrays (no allocation per call).</summary>
        public Action CreateRunner(ModelPlan plan, Array[] inputs, Array[] outputs)
        {
            var type = _assembly.GetType(plan.Namespace + "." + plan.ClassName + "BenchRunner", throwOnError: true)!;
            return (Action)type.GetMethod("Create")!.Invoke(null, new object[] { inputs, outputs })!;
        }

        private static string Runner(ModelPlan plan)
        {
            var args = new List<string>();
            var sb = new StringBuilder();
            sb.Append("namespace ").Append(plan.Namespace).Append(" {\n");
            sb.Append("public static class ").Append(plan.ClassName).Append("BenchRunner {\n");
            sb.Append("  public static System.Action Create(System.Array[] inputs, System.Array[] outputs) {\n");
            sb.Append("    var m = new ").Append(plan.ClassName).Append("();\n");
            for (int i = 0; i < plan.Inputs.Count; i++)
            {
                sb.Append("    var a").Append(args.Count).Append(" = (").Append(DataTypes.CSharpName(plan.Tensor(plan.Inputs[i]).Type)).Append("[])inputs[").Append(i).Append("];\n");
                args.Add("a" + args.Count);
            }
            for (int i = 0; i < plan.Outputs.Count; i++)
            {
                sb.Append("    var a").Append(args.Count).Append(" = (").Append(DataTypes.CSharpName(plan.Tensor(plan.Outputs[i]).Type)).Append("[])outputs[").Append(i).Append("];\n");
                args.Add("a" + args.Count);
            }
            sb.Append("    return () => m.Run(").Append(string.Join(", ", args)).Append(");\n  }\n}\n}\n");
            return sb.ToString();
        }

        public static Type ClrType(DataType type) => type switch
        {
            DataType.Float32 => typeof(float),
            DataType.Int8 => typeof(sbyte),
            DataType.UInt8 => typeof(byte),
            DataType.Int32 => typeof(int),
            _ => throw new NotSupportedException(type.ToString()),
        };
    }
}
