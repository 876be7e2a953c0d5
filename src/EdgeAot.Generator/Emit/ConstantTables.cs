using System.Collections.Generic;
using System.Text;

namespace EdgeAot.Generator.Emit
{
    /// <summary>
    /// Small per-layer constant tables (requantization multipliers and shifts, per-channel zero
    /// points, resize indices) written once as <c>static readonly</c> arrays of the generated class,
    /// so kernels read them without allocating.
    /// </summary>
    /// <remarks>
    /// A local <c>ReadOnlySpan&lt;int&gt; t = new int[] { ... }</c> is not free for element types wider
    /// than a byte: csc compiles it to <c>RuntimeHelpers.CreateSpan</c>, which only an optimizing
    /// JIT expands; without optimization (a Debug build of the consuming project) every call
    /// executes the field's <c>ldtoken</c> and allocates a runtime field stub. An array created once
    /// when the class initializes costs its few bytes once and nothing per call.
    /// </remarks>
    internal sealed class ConstantTables
    {
        private readonly List<(string Name, string ElementType, IReadOnlyList<string> Literals)> _tables = new List<(string, string, IReadOnlyList<string>)>();

        /// <summary>Registers a table of C# literals and returns the name kernels read it by.</summary>
        public string Add(string name, string elementType, IReadOnlyList<string> literals)
        {
            _tables.Add((name, elementType, literals));
            return name;
        }

        public void Emit(SourceWriter w)
        {
            foreach (var (name, type, literals) in _tables)
            {
                w.Line();
                var sb = new StringBuilder();
                sb.Append("private static readonly ").Append(type).Append("[] ").Append(name).Append(" = { ");
                for (int i = 0; i < literals.Count; i++) sb.Append(i > 0 ? ", " : "").Append(literals[i]);
                w.Line(sb.Append(" };").ToString());
            }
        }
    }
}
