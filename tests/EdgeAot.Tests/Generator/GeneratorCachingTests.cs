using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator;
using EdgeAot.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace EdgeAot.Tests.Generator
{
    /// <summary>The incremental pipeline: cached on an unchanged plan, holds no Roslyn objects, reports bad plans.</summary>
    public class GeneratorCachingTests
    {
        private sealed class InMemoryText : AdditionalText
        {
            private readonly string _text;

            public InMemoryText(string path, string text)
            {
                Path = path;
                _text = text;
            }

            public override string Path { get; }

            public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(_text);
        }

        private static (GeneratorDriver Driver, CSharpCompilation Compilation) Run(GeneratorDriver? driver, CSharpCompilation compilation, params AdditionalText[] files)
        {
            driver ??= CSharpGeneratorDriver.Create(new[] { new EdgeModelGenerator().AsSourceGenerator() }, files,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
            driver = driver.RunGenerators(compilation);
            return (driver, compilation);
        }

        private static CSharpCompilation EmptyCompilation(string source = "class Program { }")
            => CSharpCompilation.Create("consumer", new[] { CSharpSyntaxTree.ParseText(source) },
                new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        [Fact]
        public void Second_run_with_unchanged_plan_is_fully_cached()
        {
            string plan = PlanWriter.Write(TestModels.Lower(TestModels.ConvPoolMatMul(), "CachedModel"));
            var files = new AdditionalText[] { new InMemoryText("/obj/edgeaot/CachedModel.edgeir", plan), new InMemoryText("/notes.txt", "x") };
            var (driver, compilation) = Run(null, EmptyCompilation(), files);
            var first = driver.GetRunResult();
            Assert.Single(first.GeneratedTrees);
            Assert.Empty(first.Diagnostics);

            // A change to the user's code must not re-run anything model related.
            var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Other { }"));
            driver = driver.RunGenerators(edited);
            var second = driver.GetRunResult().Results.Single();
            foreach (var step in new[] { "PlanText", "ParsedPlan", "GeneratedModel", "AllModels" })
            {
                var outputs = second.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
                Assert.NotEmpty(outputs);
                Assert.All(outputs, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, step + ": " + reason));
            }
        }

        [Fact]
        public void Pipeline_values_hold_no_compilation_symbols_or_syntax()
        {
            string plan = PlanWriter.Write(TestModels.Lower(TestModels.ConvPoolMatMul(), "InspectedModel"));
            var (driver, _) = Run(null, EmptyCompilation(), new InMemoryText("/m.edgeir", plan));
            var result = driver.GetRunResult().Results.Single();
            foreach (var step in result.TrackedSteps.Values.SelectMany(s => s))
            {
                foreach (var (value, _) in step.Outputs)
                {
                    Assert.False(value is Compilation or ISymbol or SyntaxNode, "pipeline holds " + value.GetType().Name);
                }
            }
        }

        [Fact]
        public void Malformed_plan_reports_EAOT0015_and_emits_nothing()
        {
            var (driver, _) = Run(null, EmptyCompilation(), new InMemoryText("/broken.edgeir", "edgeir 1\nmodel file=\"x\"\n"));
            var result = driver.GetRunResult();
            Assert.Empty(result.GeneratedTrees);
            Assert.Equal("EAOT0015", Assert.Single(result.Diagnostics).Id);
        }

        [Fact]
        public void Generated_source_compiles_without_warnings()
        {
            string plan = PlanWriter.Write(TestModels.Lower(TestModels.ConvPoolMatMul(), "WarningFreeModel"));
            var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal))
                .Select(p => MetadataReference.CreateFromFile(p));
            var compilation = CSharpCompilation.Create("consumer", Array.Empty<SyntaxTree>(), references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, checkOverflow: true, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999));
            var driver = CSharpGeneratorDriver.Create(new EdgeModelGenerator()).AddAdditionalTexts(ImmutableArray.Create<AdditionalText>(new InMemoryText("/m.edgeir", plan)));
            driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
            Assert.Empty(generatorDiagnostics);
            var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
    }
}
