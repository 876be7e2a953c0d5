using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Einsum over any number of inputs: explicit or implicit output, repeated labels within an
    /// input (diagonals), sums over labels missing from the output, and "..." with numpy
    /// broadcasting. The kernel is one loop per output label around one loop per summed label.
    /// Lowered attributes: equation (spaces removed).
    /// </summary>
    public sealed class EinsumOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Einsum" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override int MinOpset => 12;

        public override void Lower(Node node, LoweringContext context)
        {
            if (node.Inputs.Count == 0) throw context.Fail(node, "Einsum needs at least one input.");
            var shapes = new List<long[]>();
            DataType type = context.Required(node, 0).Type;
            if (type is not (DataType.Float32 or DataType.Float64 or DataType.Int32 or DataType.Int64)) throw context.UnsupportedType(node, type);
            for (int i = 0; i < node.Inputs.Count; i++)
            {
                var v = context.Required(node, i);
                if (v.Type != type) throw context.Fail(node, "all inputs must have the same element type.");
                shapes.Add(v.Shape);
            }
            string equation = node.Attributes.GetString("equation", "").Replace(" ", "");
            var layout = EinsumLayout.Resolve(equation, shapes, out string error)
                ?? throw context.Fail(node, "equation '" + Diagnostics.ModelDiagnostic.Printable(equation, 80) + "': " + error);
            NodeAttributes.KeepOnly(node);
            node.Attributes.Set(Ir.Attribute.FromString("equation", equation));
            context.SetOutput(node, 0, type, layout.OutputShape);
        }

        public override long CountMacs(Node node)
        {
            var shapes = new List<long[]>();
            foreach (var v in node.Inputs) shapes.Add(v!.Shape);
            var layout = EinsumLayout.Resolve(node.Attributes.GetString("equation", ""), shapes, out _);
            if (layout is null) return 0;
            long total = 1;
            foreach (long s in layout.Sizes) total *= s;
            return total * Math.Max(1, shapes.Count - 1);
        }
    }

    /// <summary>
    /// The loop structure of an Einsum: every distinct label with its size, the output labels first
    /// (in output order), then the summed ones, and per input the element stride of each label
    /// (the sum of its dimensions' strides when a label repeats; 0 where a "..." dimension broadcasts).
    /// </summary>
    public sealed class EinsumLayout
    {
        private EinsumLayout(long[] sizes, int outputCount, long[][] inputStrides, long[] outputShape)
        {
            Sizes = sizes;
            OutputCount = outputCount;
            InputStrides = inputStrides;
            OutputShape = outputShape;
        }

        public long[] Sizes { get; }

        public int OutputCount { get; }

        public long[][] InputStrides { get; }

        public long[] OutputShape { get; }

        private const int EllipsisBase = 52;

        /// <summary>Parses <paramref name="equation"/> (no spaces) for inputs of <paramref name="shapes"/>; null with <paramref name="error"/> when invalid.</summary>
        public static EinsumLayout? Resolve(string equation, IReadOnlyList<long[]> shapes, out string error)
        {
            error = "";
            int arrow = equation.IndexOf("->", StringComparison.Ordinal);
            string left = arrow < 0 ? equation : equation.Substring(0, arrow);
            string[] terms = left.Split(',');
            if (terms.Length != shapes.Count)
            {
                error = "it names " + terms.Length + " inputs but the node has " + shapes.Count + ".";
                return null;
            }
            int maxEllipsis = 0;
            var parsed = new List<int>[terms.Length];
            for (int i = 0; i < terms.Length; i++)
            {
                var labels = ParseTerm(terms[i], shapes[i].Length, -1, ref maxEllipsis, out error);
                if (labels is null) return null;
                parsed[i] = labels;
            }
            // Ellipsis dimensions align from the right: re-number them against the widest "...".
            for (int i = 0; i < terms.Length; i++)
            {
                int own = CountEllipsis(parsed[i]);
                for (int d = 0; d < parsed[i].Count; d++)
                {
                    if (parsed[i][d] >= EllipsisBase) parsed[i][d] += maxEllipsis - own;
                }
            }

            var sizes = new Dictionary<int, long>();
            for (int i = 0; i < terms.Length; i++)
            {
                for (int d = 0; d < parsed[i].Count; d++)
                {
                    int label = parsed[i][d];
                    long size = shapes[i][d];
                    if (!sizes.TryGetValue(label, out long known) || known == 1 && label >= EllipsisBase) sizes[label] = size;
                    else if (known != size && !(label >= EllipsisBase && size == 1))
                    {
                        error = "label '" + Name(label) + "' has sizes " + known + " and " + size + ".";
                        return null;
                    }
                }
            }

            List<int> output;
            if (arrow >= 0)
            {
                int dummy = maxEllipsis;
                var o = ParseTerm(equation.Substring(arrow + 2), -1, maxEllipsis, ref dummy, out error);
                if (o is null) return null;
                output = o;
                var seen = new HashSet<int>();
                foreach (int label in output)
                {
                    if (!seen.Add(label)) { error = "output label '" + Name(label) + "' repeats."; return null; }
                    if (!sizes.ContainsKey(label)) { error = "output label '" + Name(label) + "' is not in any input."; return null; }
                }
            }
            else
            {
                output = new List<int>();
                for (int e = 0; e < maxEllipsis; e++) output.Add(EllipsisBase + e);
                var counts = new SortedDictionary<int, int>();
                foreach (var labels in parsed)
                {
                    foreach (int label in labels)
                    {
                        if (label < EllipsisBase) counts[label] = counts.TryGetValue(label, out int c) ? c + 1 : 1;
                    }
                }
                // Implicit output: labels used once, in alphabetical (ordinal character) order.
                var once = new List<int>();
                foreach (var pair in counts) if (pair.Value == 1) once.Add(pair.Key);
                once.Sort((a, b) => string.CompareOrdinal(Name(a), Name(b)));
                output.AddRange(once);
            }

            var order = new List<int>(output);
            foreach (var labels in parsed)
            {
                foreach (int label in labels)
                {
                    if (!order.Contains(label)) order.Add(label);
                }
            }
            var result = new long[order.Count];
            for (int k = 0; k < order.Count; k++) result[k] = sizes[order[k]];
            var strides = new long[terms.Length][];
            for (int i = 0; i < terms.Length; i++)
            {
                strides[i] = new long[order.Count];
                long[] own = Shape.Strides(shapes[i]);
                for (int d = 0; d < parsed[i].Count; d++)
                {
                    int k = order.IndexOf(parsed[i][d]);
                    if (shapes[i][d] == 1 && result[k] != 1) continue; // broadcast
                    strides[i][k] += own[d];
                }
            }
            var outputShape = new long[output.Count];
            for (int k = 0; k < output.Count; k++) outputShape[k] = result[k];
            return new EinsumLayout(result, output.Count, strides, outputShape);
        }

        private static int CountEllipsis(List<int> labels)
        {
            int n = 0;
            foreach (int l in labels) if (l >= EllipsisBase) n++;
            return n;
        }

        /// <summary>Labels of one term; "..." expands to <paramref name="rank"/> minus the letters (or to <paramref name="fixedEllipsis"/> dimensions for the output).</summary>
        private static List<int>? ParseTerm(string term, int rank, int fixedEllipsis, ref int maxEllipsis, out string error)
        {
            error = "";
            var labels = new List<int>();
            int letters = 0;
            bool ellipsis = false;
            for (int i = 0; i < term.Length; i++)
            {
                char ch = term[i];
                if (ch == '.')
                {
                    if (ellipsis || i + 2 >= term.Length || term[i + 1] != '.' || term[i + 2] != '.') { error = "a term has a malformed or second '...'."; return null; }
                    ellipsis = true;
                    labels.Add(-1);
                    i += 2;
                }
                else if (ch >= 'a' && ch <= 'z') { labels.Add(ch - 'a'); letters++; }
                else if (ch >= 'A' && ch <= 'Z') { labels.Add(26 + ch - 'A'); letters++; }
                else { error = "labels must be letters."; return null; }
            }
            int count = fixedEllipsis >= 0 ? fixedEllipsis : rank - letters;
            if (!ellipsis && fixedEllipsis < 0 && count != 0 || count < 0) { error = "a term's labels do not match its input's rank " + rank + "."; return null; }
            var expanded = new List<int>();
            foreach (int l in labels)
            {
                if (l != -1) { expanded.Add(l); continue; }
                for (int e = 0; e < count; e++) expanded.Add(EllipsisBase + e);
            }
            if (fixedEllipsis < 0 && ellipsis) maxEllipsis = Math.Max(maxEllipsis, count);
            return expanded;
        }

        private static string Name(int label) => label < 26 ? ((char)('a' + label)).ToString() : label < 52 ? ((char)('A' + label - 26)).ToString() : "...";
    }
}
