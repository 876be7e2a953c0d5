using System;
using System.Text;

namespace EdgeAot.Generator.Emit
{
    /// <summary>An indented text writer; <see cref="Block"/> opens a brace block closed on dispose.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _sb = new StringBuilder();
        private readonly long _maxLength;
        private int _indent;

        /// <param name="maxLength">Characters after which writing stops with <see cref="SourceTooLargeException"/>; 0 = no limit.</param>
        public SourceWriter(long maxLength = 0) => _maxLength = maxLength;

        public int Indent
        {
            get => _indent;
            set => _indent = Math.Max(0, value);
        }

        public int Length => _sb.Length;

        /// <summary>Whether the text written since position <paramref name="start"/> contains <paramref name="text"/>.</summary>
        public bool WroteSince(int start, string text) => _sb.ToString(start, _sb.Length - start).IndexOf(text, System.StringComparison.Ordinal) >= 0;

        public SourceWriter Line(string text = "")
        {
            if (text.Length > 0) _sb.Append(' ', _indent * 4).Append(text);
            _sb.Append('\n');
            // Checked as it grows, so a huge model stops early instead of filling memory first.
            if (_maxLength > 0 && _sb.Length > _maxLength) throw new SourceTooLargeException(_maxLength);
            return this;
        }

        /// <summary>Writes <paramref name="header"/>, an opening brace, and indents until disposed.</summary>
        public BlockScope Block(string header)
        {
            Line(header);
            Line("{");
            _indent++;
            return new BlockScope(this);
        }

        /// <summary>Opens a bare brace block (a scope for locals).</summary>
        public BlockScope Block()
        {
            Line("{");
            _indent++;
            return new BlockScope(this);
        }

        public override string ToString() => _sb.ToString();

        internal readonly struct BlockScope : IDisposable
        {
            private readonly SourceWriter _writer;

            public BlockScope(SourceWriter writer) => _writer = writer;

            /// <summary>A scope that opened nothing (for optional loops): disposing it writes nothing.</summary>
            public static BlockScope None => default;

            public void Dispose()
            {
                if (_writer is null) return;
                _writer._indent--;
                _writer.Line("}");
            }
        }
    }

    /// <summary>The generated source would exceed EdgeAotMaxSourceBytes.</summary>
    internal sealed class SourceTooLargeException : Exception
    {
        public SourceTooLargeException(long limit)
            : base("the generated source exceeds the limit of " + limit.ToString(System.Globalization.CultureInfo.InvariantCulture)
                + " characters (EdgeAotMaxSourceBytes); raise the property or shrink the model.")
        {
            Limit = limit;
        }

        public long Limit { get; }
    }
}
