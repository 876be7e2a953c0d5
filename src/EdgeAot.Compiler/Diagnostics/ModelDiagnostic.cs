using System;
using System.Text;

namespace EdgeAot.Compiler.Diagnostics
{
    /// <summary>A problem with one model: what, where (file and node) and its stable id.</summary>
    public sealed class ModelDiagnostic
    {
        public ModelDiagnostic(DiagnosticDescriptor descriptor, string message, string? file = null, string? node = null)
        {
            Descriptor = descriptor;
            Message = message;
            File = file;
            Node = node;
        }

        public DiagnosticDescriptor Descriptor { get; }

        public string Id => Descriptor.Id;

        public string Message { get; }

        public string? File { get; set; }

        public string? Node { get; set; }

        /// <summary>The message with file and node, model strings made safe to print on one line.</summary>
        public string FormatMessage()
        {
            var sb = new StringBuilder();
            if (File is not null) sb.Append(File).Append(": ");
            if (Node is not null) sb.Append("node '").Append(Printable(Node, 200)).Append("': ");
            sb.Append(Message);
            return sb.ToString();
        }

        public override string ToString() => Id + ": " + FormatMessage();

        /// <summary>
        /// Makes an untrusted string safe for one-line messages and comments: control, format,
        /// line-separator and bidi characters are escaped, and the text is cut to a bound.
        /// </summary>
        public static string Printable(string text, int maxLength)
        {
            var sb = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
            foreach (char c in text)
            {
                if (sb.Length >= maxLength)
                {
                    sb.Append("...");
                    break;
                }
                var category = char.GetUnicodeCategory(c);
                bool unsafeChar = char.IsControl(c) || char.IsSurrogate(c)
                    || category is System.Globalization.UnicodeCategory.Format
                        or System.Globalization.UnicodeCategory.LineSeparator
                        or System.Globalization.UnicodeCategory.ParagraphSeparator;
                if (unsafeChar) sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                else if (c == '*' && sb.Length > 0 && sb[sb.Length - 1] == '/') sb.Append(" *");
                else if (c == '/' && sb.Length > 0 && sb[sb.Length - 1] == '*') sb.Append(" /");
                else sb.Append(c);
            }
            return sb.ToString();
        }
    }

    /// <summary>Thrown inside the compiler to stop at the first fatal problem with a model.</summary>
    public sealed class ModelException : Exception
    {
        public ModelException(ModelDiagnostic diagnostic)
            : base(diagnostic.ToString())
        {
            Diagnostic = diagnostic;
        }

        public ModelException(DiagnosticDescriptor descriptor, string message, string? node = null)
            : this(new ModelDiagnostic(descriptor, message, null, node))
        {
        }

        public ModelDiagnostic Diagnostic { get; }
    }
}
