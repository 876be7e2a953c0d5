using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

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
        private static readonly string[] Files = { "FloatKernels.cs", "IntegerKernels.cs", "CompressedWeightKernels.cs" };

        private static readonly HashSet<string> Modifiers = new HashSet<string>(StringComparer.Ordinal) { "private", "internal", "public", "static", "readonly", "unsafe", "const" };

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

        /// <summary>
        /// Identifier-like words of C# text that are not member accesses (comments and strings included: a
        /// spare match only keeps a member; overloads share a name, so they come together).
        /// </summary>
        private static IEnumerable<string> Identifiers(string text)
        {
            var words = new HashSet<string>(StringComparer.Ordinal);
            int i = 0;
            while (i < text.Length)
            {
                if (!IsWordStart(text[i])) { i++; continue; }
                int start = i;
                while (i < text.Length && (IsWordStart(text[i]) || char.IsDigit(text[i]))) i++;
                // A member access (Math.Clamp, x.CopyTo) names something else; library members are called bare.
                if (start == 0 || text[start - 1] != '.') words.Add(text.Substring(start, i - start));
            }
            return words;
        }

        private static bool IsWordStart(char c) => c == '_' || (c < 128 && char.IsLetter(c));

        private static IReadOnlyList<KernelMember> Load()
        {
            var members = new List<KernelMember>();
            foreach (var file in Files)
            {
                foreach (var lines in SplitMembers(ReadResource(file)))
                {
                    string code = string.Join("\n", lines.Select(StripComment));
                    string[] names = DeclaredNames(string.Join("\n", code.Split('\n').Where(l => !l.TrimStart().StartsWith("[", StringComparison.Ordinal))));
                    if (names.Length == 0 || names.Any(n => Modifiers.Contains(n))) throw new InvalidOperationException("Kernels/" + file + ": no declared name in the member starting '" + lines[0] + "'.");
                    var references = new HashSet<string>(Identifiers(code), StringComparer.Ordinal);
                    foreach (var name in names) references.Remove(name);
                    foreach (var name in names) members.Add(new KernelMember(file, name, lines, references));
                }
            }
            return members;
        }

        /// <summary>
        /// The files are class members without a class (they are pasted into each model class), one
        /// declaration per member at column 0 with its doc comment above it: a member ends where its braces
        /// close, or at a column-0 line ending in ';' (a field). Braces in comments, strings and
        /// character literals do not count.
        /// </summary>
        private static IEnumerable<string[]> SplitMembers(string text)
        {
            var current = new List<string>();
            int depth = 0;
            bool opened = false;
            foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
            {
                if (depth == 0 && current.Count == 0 && (line.Trim().Length == 0 || line.StartsWith("// ----", StringComparison.Ordinal))) continue;
                current.Add(line);
                foreach (char c in CodeOf(StripComment(line)))
                {
                    if (c == '{') { depth++; opened = true; }
                    else if (c == '}') depth--;
                }
                bool fieldEnds = !opened && depth == 0 && line.TrimEnd().EndsWith(";", StringComparison.Ordinal) && !line.TrimStart().StartsWith("//", StringComparison.Ordinal);
                if ((opened && depth == 0) || fieldEnds)
                {
                    yield return current.ToArray();
                    current.Clear();
                    opened = false;
                }
            }
            if (current.Any(l => l.Trim().Length > 0)) throw new InvalidOperationException("Kernel library: unterminated member starting '" + current[0] + "'.");
        }

        /// <summary>The line without a trailing // comment (the kernels have no "//" inside string literals).</summary>
        private static string StripComment(string line)
        {
            int at = line.IndexOf("//", StringComparison.Ordinal);
            return at < 0 ? line : line.Substring(0, at);
        }

        /// <summary>Characters outside string and character literals.</summary>
        private static IEnumerable<char> CodeOf(string line)
        {
            char quote = '\0';
            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if (quote != '\0')
                {
                    if (c == '\\') i++;
                    else if (c == quote) quote = '\0';
                }
                else if (c == '"' || c == '\'') quote = c;
                else yield return c;
            }
        }

        /// <summary>
        /// The name a member declares (its attribute lines removed): the identifier before the first '('
        /// (methods), '=' or ';' (fields) or '{' (types, properties) of its declaration.
        /// </summary>
        private static string[] DeclaredNames(string code)
        {
            int end = -1;
            for (int i = 0; i < code.Length && end < 0; i++)
            {
                char c = code[i];
                // A method's '(' follows its name (or type parameters) directly; a tuple return type's '(' follows a space.
                bool call = c == '(' && i > 0 && (IsWordStart(code[i - 1]) || char.IsDigit(code[i - 1]) || code[i - 1] == '>');
                if (call || c == '=' || c == ';' || c == '{') end = i;
            }
            if (end < 0) return Array.Empty<string>();
            string head = code.Substring(0, end).TrimEnd();
            int start = head.Length;
            while (start > 0 && (IsWordStart(head[start - 1]) || char.IsDigit(head[start - 1]))) start--;
            // A generic method's name sits before its type parameters: "Name<T>(".
            if (start == head.Length && head.EndsWith(">", StringComparison.Ordinal))
            {
                int open = head.LastIndexOf('<');
                return open > 0 ? DeclaredNames(head.Substring(0, open) + "(") : Array.Empty<string>();
            }
            return start < head.Length ? new[] { head.Substring(start) } : Array.Empty<string>();
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
