using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EdgeAot.Generator.Emit
{
    /// <summary>
    /// Shared SIMD kernels (Kernels/*.cs, embedded resources) copied into a generated class: only the
    /// members the class's own code names, and what those name in turn. Per-layer code stays
    /// specialized (constant shapes, weights, zero points); these hold the vector micro-kernels with
    /// their portable scalar fallbacks. A model that only adds and clamps gets two small methods, not
    /// a thousand lines of GEMM it never calls.
    /// </summary>
    internal static class KernelLibrary
    {
        private static readonly string[] Files = { "FloatKernels.cs", "IntegerKernels.cs" };

        private static readonly Lazy<IReadOnlyList<KernelMember>> Members = new Lazy<IReadOnlyList<KernelMember>>(Load);

        /// <summary>
        /// Writes the library members reachable from the identifiers in <paramref name="generated"/>
        /// (the class text written so far), in library order, each file under its banner.
        /// </summary>
        public static void Emit(SourceWriter w, string generated)
        {
            var used = Reachable(Identifiers(generated));
            string? file = null;
            foreach (var member in Members.Value)
            {
                if (!used.Contains(member)) continue;
                if (member.File != file)
                {
                    file = member.File;
                    w.Line();
                    w.Line("// ---- Shared kernels used by this model (EdgeAot.Generator/Kernels/" + file + ") ----");
                }
                w.Line();
                foreach (var line in member.Lines) w.Line(line);
            }
        }

        private static HashSet<KernelMember> Reachable(IEnumerable<string> roots)
        {
            var byName = Members.Value.ToLookup(m => m.Name, StringComparer.Ordinal);
            var used = new HashSet<KernelMember>();
            var pending = new Stack<string>(roots.Distinct(StringComparer.Ordinal));
            var seen = new HashSet<string>(pending, StringComparer.Ordinal);
            while (pending.Count > 0)
            {
                foreach (var member in byName[pending.Pop()])
                {
                    if (!used.Add(member)) continue;
                    foreach (var name in member.References)
                    {
                        if (seen.Add(name)) pending.Push(name);
                    }
                }
            }
            return used;
        }

        /// <summary>Identifier-like words of generated text (comments and strings included: a spare match only keeps a member).</summary>
        private static IEnumerable<string> Identifiers(string text)
        {
            var words = new HashSet<string>(StringComparer.Ordinal);
            int i = 0;
            while (i < text.Length)
            {
                if (!IsWordStart(text[i])) { i++; continue; }
                int start = i;
                while (i < text.Length && (IsWordStart(text[i]) || char.IsDigit(text[i]))) i++;
                words.Add(text.Substring(start, i - start));
            }
            return words;
        }

        private static bool IsWordStart(char c) => c == '_' || (c < 128 && char.IsLetter(c));

        private static IReadOnlyList<KernelMember> Load()
        {
            var members = new List<KernelMember>();
            foreach (var file in Files)
            {
                string text = ReadResource(file);
                // The files are class members without a class (they are pasted into each model class);
                // parse them inside one to see each member's extent and the names its body uses.
                var root = CSharpSyntaxTree.ParseText("class Library\n{\n" + text + "\n}\n").GetCompilationUnitRoot();
                var library = (ClassDeclarationSyntax)root.Members[0];
                foreach (var member in library.Members)
                {
                    var references = new HashSet<string>(
                        member.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText),
                        StringComparer.Ordinal);
                    foreach (var name in DeclaredNames(member))
                    {
                        references.Remove(name);
                        members.Add(new KernelMember(file, name, SourceLines(member), references));
                    }
                }
            }
            return members;
        }

        private static IEnumerable<string> DeclaredNames(MemberDeclarationSyntax member) => member switch
        {
            MethodDeclarationSyntax m => new[] { m.Identifier.ValueText },
            FieldDeclarationSyntax f => f.Declaration.Variables.Select(v => v.Identifier.ValueText),
            PropertyDeclarationSyntax p => new[] { p.Identifier.ValueText },
            BaseTypeDeclarationSyntax t => new[] { t.Identifier.ValueText },
            _ => throw new InvalidOperationException("Kernel library member of unexpected kind " + member.Kind() + ": " + member.ToString().Split('\n')[0]),
        };

        /// <summary>The member with its doc comment, without the file banner or blank lines around it.</summary>
        private static string[] SourceLines(MemberDeclarationSyntax member)
        {
            var lines = member.ToFullString().Replace("\r\n", "\n").Split('\n')
                .Where(l => !l.StartsWith("// ----", StringComparison.Ordinal))
                .SkipWhile(l => l.Trim().Length == 0)
                .ToList();
            while (lines.Count > 0 && lines[lines.Count - 1].Trim().Length == 0) lines.RemoveAt(lines.Count - 1);
            return lines.ToArray();
        }

        private static string ReadResource(string name)
        {
            using var stream = typeof(KernelLibrary).Assembly.GetManifestResourceStream("EdgeAot.Generator.Kernels." + name)!;
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }

        private sealed class KernelMember
        {
            public KernelMember(string file, string name, string[] lines, HashSet<string> references)
            {
                File = file;
                Name = name;
                Lines = lines;
                References = references;
            }

            public string File { get; }
            public string Name { get; }
            public string[] Lines { get; }
            public HashSet<string> References { get; }
        }
    }
}
