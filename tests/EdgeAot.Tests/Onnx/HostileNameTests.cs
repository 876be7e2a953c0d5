using System;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;
using EdgeAot.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EdgeAot.Tests.Onnx
{
    /// <summary>
    /// Model strings that try to break out of generated code: line terminators that end a // comment,
    /// `*/`, #-directives, bidi and zero-width characters, C# keywords, 100 kB names and names that
    /// collide after sanitization. The model must compile, the generated C# must compile and run
    /// correctly, and no model string may reach the source except as inert comment text.
    /// </summary>
    public class HostileNameTests
    {
        public static readonly string[] HostileNames =
        {
            "line\nbreak", "carriage\rreturn", "next\u0085line", "line\u2028separator", "paragraph\u2029separator",
            "x */ public static int Evil = 1; /* ", "\n#error injected", "#pragma warning disable", "\r\n#define EVIL",
            "\u202Eevil\u202C", "zero\u200Bwidth\uFEFF", "class", "int", "arena", "Run", "@class", "ArenaBytes",
            "</summary><c>", "\\u000A#error", "\"quoted\"", "\uD800lone-surrogate", "x\0nul",
        };

        [Fact]
        public void HostileNamesEverywhere_GiveSafeCompilableCodeThatComputesTheRightThing()
        {
            // y = ((a + b) + c) + w, with every name hostile and the three input names colliding after sanitization.
            string longName = new string('n', 100_000);
            var b = new OnnxModelBuilder("\n#error graph", opset: 13).Producer("*/ #error producer\u2028", "\u202E1");
            string a = b.Input("a-b", DataType.Float32, 2);
            string bb = b.Input("a_b", DataType.Float32, 2);
            string c = b.Input("aB", DataType.Float32, 2);
            string w = b.Initializer("x */ static int Evil; /*\n#error w", new long[] { 2 }, new float[] { 1000, 2000 });
            b.AddNode("Add", new[] { a, bb }, new[] { HostileNames[0] }).Name = HostileNames[5];
            string previous = HostileNames[0];
            for (int i = 1; i < HostileNames.Length; i++)
            {
                string next = HostileNames[i];
                b.AddNode("Identity", new[] { previous }, new[] { next }).Name = HostileNames[(i + 6) % HostileNames.Length];
                previous = next;
            }
            b.AddNode("Add", new[] { previous, c }, new[] { longName }).Name = longName;
            b.AddNode("Add", new[] { longName, w }, new[] { "\u2028#error out */" }).Name = "class";
            b.Output("\u2028#error out */", DataType.Float32, 2);

            var result = ModelCompiler.Compile(b.ToBytes(), new CompileOptions { ModelPath = "models/\n#error evil\u202E.onnx", ClassName = "HostileNames" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));

            // Through the plan text, as in a real build.
            var plan = PlanReader.Read(PlanWriter.Write(result.Plan!));
            string source = ModelEmitter.Emit(plan);

            AssertInert(source);
            var compiled = GeneratedCode.Compile(plan);
            var y = (float[])compiled.Run(new float[] { 1, 2 }, new float[] { 10, 20 }, new float[] { 100, 200 })[0];
            Assert.Equal(new float[] { 1111, 2222 }, y);
        }

        [Fact]
        public void InputsThatCollideAfterSanitization_GetDistinctParametersInGraphOrder()
        {
            var b = new OnnxModelBuilder("g", opset: 13);
            string[] names = { "in-put", "in_put", "inPut", "in put", "IN.PUT" };
            foreach (var n in names) b.Input(n, DataType.Float32, 1);
            string acc = b.Node("Sub", new[] { names[0], names[1] });
            acc = b.Node("Mul", new[] { acc, names[2] });
            acc = b.Node("Sub", new[] { acc, names[3] });
            acc = b.Node("Div", new[] { acc, names[4] });
            b.Output(acc, DataType.Float32, 1);

            var result = ModelCompiler.Compile(b.ToBytes(), new CompileOptions { ClassName = "Colliding" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            string source = ModelEmitter.Emit(result.Plan!);
            AssertInert(source);

            var y = (float[])GeneratedCode.Compile(result.Plan!).Run(new float[] { 7 }, new float[] { 2 }, new float[] { 3 }, new float[] { 5 }, new float[] { 2 })[0];
            Assert.Equal(((7f - 2f) * 3f - 5f) / 2f, y[0]);
        }

        /// <summary>
        /// The generated source is printable ASCII plus '\n' (so no line terminator, bidi or zero-width
        /// character can hide anything), its only directive is the header's #nullable, and it declares
        /// nothing a model string spelled (no member called Evil).
        /// </summary>
        internal static void AssertInert(string source)
        {
            for (int i = 0; i < source.Length; i++)
            {
                char ch = source[i];
                Assert.True(ch == '\n' || (ch >= 0x20 && ch < 0x7F), "character U+" + ((int)ch).ToString("X4") + " at " + i + " in the generated source");
            }
            var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
            var root = tree.GetRoot();
            Assert.Empty(tree.GetDiagnostics());
            var directives = root.DescendantTrivia(descendIntoTrivia: true).Where(t => t.IsDirective).Select(t => t.ToFullString().Trim()).ToArray();
            Assert.Equal(new[] { "#nullable enable" }, directives);
            Assert.DoesNotContain(root.DescendantNodes().OfType<VariableDeclaratorSyntax>(), v => v.Identifier.Text == "Evil");
            Assert.DoesNotContain(root.DescendantNodes().OfType<MemberDeclarationSyntax>(), m => m.ToString().Contains("Evil =", StringComparison.Ordinal) && m is FieldDeclarationSyntax);
            // Every comment is single-line and stays so; no comment contains a block-comment end.
            foreach (var trivia in root.DescendantTrivia(descendIntoTrivia: true))
            {
                if (trivia.IsKind(SyntaxKind.MultiLineCommentTrivia)) Assert.Fail("a block comment in generated code: " + trivia);
                if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia)) Assert.DoesNotContain("*/", trivia.ToString());
            }
            Assert.True(source.Length < 200_000, "model names inflate the source to " + source.Length + " characters");
        }
    }
}
