using System;
using System.IO;
using System.Text;

namespace EdgeAot.Compiler
{
    /// <summary>Derives C# identifiers from file names; model strings never become identifiers.</summary>
    public static class Identifiers
    {
        private static readonly string[] Keywords =
        {
            "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
            "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
            "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
            "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
            "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
            "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
            "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
        };

        /// <summary>"Models/kws_ref-model.onnx" → "KwsRefModel"; always a valid identifier ending in "Model".</summary>
        public static string ClassNameFromFile(string path)
        {
            string stem = Path.GetFileNameWithoutExtension(path.Replace('\\', '/').Substring(path.Replace('\\', '/').LastIndexOf('/') + 1));
            var sb = new StringBuilder();
            bool upperNext = true;
            foreach (char c in stem)
            {
                if (c < 128 && char.IsLetterOrDigit(c))
                {
                    sb.Append(upperNext ? char.ToUpperInvariant(c) : c);
                    upperNext = false;
                }
                else upperNext = true;
                if (sb.Length >= 64) break;
            }
            if (sb.Length == 0 || char.IsDigit(sb[0])) sb.Insert(0, "Model");
            string name = sb.ToString();
            return name.EndsWith("Model", StringComparison.Ordinal) ? name : name + "Model";
        }

        /// <summary>An ASCII C# identifier that is not a keyword.</summary>
        public static bool IsValidIdentifier(string name)
        {
            if (name.Length == 0 || name.Length > 255) return false;
            if (!(char.IsLetter(name[0]) || name[0] == '_') || name[0] >= 128) return false;
            foreach (char c in name)
            {
                if (c >= 128 || !(char.IsLetterOrDigit(c) || c == '_')) return false;
            }
            return Array.IndexOf(Keywords, name) < 0;
        }

        public static bool IsValidNamespace(string name)
        {
            if (name.Length == 0) return false;
            foreach (string part in name.Split('.'))
            {
                if (!IsValidIdentifier(part)) return false;
            }
            return true;
        }
    }
}
