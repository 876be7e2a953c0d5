using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Xml.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace EdgeAot.Tests.Limits
{
    /// <summary>The build's size limits: defaults agree between the props file and CompileOptions, and the source limit stops the generator.</summary>
    public class LimitTests
    {
        [Fact]
        public void PropsDefaults_EqualTheCompilerDefaults()
        {
            string props = Path.Combine(RepoRoot(), "src", "EdgeAot.Build", "build", "EdgeAot.props");
            var values = XDocument.Load(props).Descendants()
                .Where(e => e.Name.LocalName.StartsWith("EdgeAotMax", StringComparison.Ordinal))
                .ToDictionary(e => e.Name.LocalName, e => long.Parse(e.Value, System.Globalization.CultureInfo.InvariantCulture));
            var o = new CompileOptions();

            Assert.Equal(o.MaxTensorBytes, values["EdgeAotMaxTensorBytes"]);
            Assert.Equal(o.MaxTensorElements, values["EdgeAotMaxTensorElements"]);
            Assert.Equal(o.MaxWeightBytes, values["EdgeAotMaxWeightBytes"]);
            Assert.Equal(o.MaxNodes, values["EdgeAotMaxNodes"]);
            Assert.Equal(o.MaxFoldedBytes, values["EdgeAotMaxFoldedBytes"]);
            Assert.Equal(o.MaxSourceBytes, values["EdgeAotMaxSourceBytes"]);
            Assert.Equal(o.MaxNesting, values["EdgeAotMaxNesting"]);
            Assert.Equal(7, values.Count);
        }

        [Fact]
        public void MaxSourceBytes_TravelsThroughThePlanText()
        {
            var plan = Compile(new CompileOptions { MaxSourceBytes = 12345 });

            Assert.Equal(12345, PlanReader.Read(PlanWriter.Write(plan)).MaxSourceBytes);
        }

        [Fact]
        public void GeneratedSourceOverTheLimit_IsEaot0013NamingTheProperty()
        {
            var plan = Compile(new CompileOptions { MaxSourceBytes = 2000 });
            var text = new PlanText("/obj/edgeaot/Big.edgeir", PlanWriter.Write(plan));
            var driver = CSharpGeneratorDriver.Create(new[] { new EdgeModelGenerator().AsSourceGenerator() }, new AdditionalText[] { text });
            var compilation = CSharpCompilation.Create("c", new[] { CSharpSyntaxTree.ParseText("class P { }") });

            var result = driver.RunGenerators(compilation).GetRunResult();

            Assert.Empty(result.GeneratedTrees);
            var d = Assert.Single(result.Diagnostics);
            Assert.Equal("EAOT0013", d.Id);
            Assert.Contains("EdgeAotMaxSourceBytes", d.GetMessage());
        }

        [Fact]
        public void GeneratedSourceUnderTheLimit_IsGenerated()
        {
            var plan = Compile(new CompileOptions());
            var text = new PlanText("/obj/edgeaot/Big.edgeir", PlanWriter.Write(plan));
            var driver = CSharpGeneratorDriver.Create(new[] { new EdgeModelGenerator().AsSourceGenerator() }, new AdditionalText[] { text });
            var result = driver.RunGenerators(CSharpCompilation.Create("c")).GetRunResult();

            Assert.Empty(result.Diagnostics);
            Assert.Single(result.GeneratedTrees);
        }

        private static ModelPlan Compile(CompileOptions options)
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string x = b.Input("x", DataType.Float32, 1, 64);
            string w = b.Initializer("w", new long[] { 64, 64 }, Enumerable.Range(0, 64 * 64).Select(i => (float)i).ToArray());
            b.Output(b.Node("MatMul", new[] { x, w }), DataType.Float32, 1, 64);
            options.ClassName = "Big";
            var result = ModelCompiler.Compile(b.ToBytes(), options);
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            return result.Plan!;
        }

        private static string RepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EdgeAot.sln"))) return dir.FullName;
            }
            throw new DirectoryNotFoundException("EdgeAot.sln");
        }

        private sealed class PlanText : AdditionalText
        {
            private readonly string _text;

            public PlanText(string path, string text)
            {
                Path = path;
                _text = text;
            }

            public override string Path { get; }

            public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(_text);
        }
    }
}
