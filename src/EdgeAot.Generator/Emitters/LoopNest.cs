using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// How one tensor is indexed inside a <see cref="LoopNest"/>: its element for output
    /// coordinates (o0, o1, ...) is at Offset + Σ coordinate_d · Strides[d], where coordinate_d is
    /// the loop variable itself unless <see cref="Coordinate"/> maps it (wrap-around, reflection).
    /// </summary>
    internal sealed class IndexedTensor
    {
        public IndexedTensor(string prefix, long[] strides, long offset = 0, Func<int, string, string?>? coordinate = null)
        {
            Prefix = prefix;
            Strides = strides;
            Offset = offset;
            Coordinate = coordinate;
        }

        /// <summary>Prefix of the offset locals (e.g. "src" gives src0, src1, ...).</summary>
        public string Prefix { get; }

        public long[] Strides { get; }

        public long Offset { get; }

        /// <summary>(dimension, loop variable) → coordinate expression, or null when the coordinate is the loop variable.</summary>
        public Func<int, string, string?>? Coordinate { get; }

        public bool IsLinear(int d) => Coordinate is null || Coordinate(d, "o") is null;

        public static IndexedTensor RowMajor(string prefix, long[] shape) => new IndexedTensor(prefix, Shape.Strides(shape));
    }

    /// <summary>
    /// Emits nested loops with constant bounds over an output shape, keeping one running offset per
    /// indexed tensor so the innermost statement reads <c>y[dst2] = x[src2];</c>. Dimensions of size 1
    /// get no loop when every tensor indexes them linearly.
    /// </summary>
    internal static class LoopNest
    {
        /// <summary>
        /// Loops over the first <paramref name="loopDims"/> dimensions of <paramref name="shape"/> and
        /// writes <paramref name="statement"/>(offset expression per tensor) innermost.
        /// </summary>
        public static void Emit(SourceWriter w, long[] shape, IReadOnlyList<IndexedTensor> tensors, Func<string[], string> statement, int loopDims = -1)
        {
            if (loopDims < 0) loopDims = shape.Length;
            var current = new string[tensors.Count];
            for (int t = 0; t < tensors.Count; t++) current[t] = Literals.Int(tensors[t].Offset);
            var scopes = new Stack<SourceWriter.BlockScope>();
            for (int d = 0; d < loopDims; d++)
            {
                bool allLinear = true;
                foreach (var t in tensors) allLinear &= t.IsLinear(d);
                if (shape[d] == 1 && allLinear) continue;
                string o = "o" + Literals.Int(d);
                scopes.Push(w.Block("for (int " + o + " = 0; " + o + " < " + Literals.Int(shape[d]) + "; " + o + "++)"));
                for (int t = 0; t < tensors.Count; t++)
                {
                    var tensor = tensors[t];
                    string? coordinate = tensor.Coordinate?.Invoke(d, o);
                    string term = coordinate is null ? Expr.Mul(o, tensor.Strides[d]) : tensor.Strides[d] == 0 ? "0" : Expr.Mul("(" + coordinate + ")", tensor.Strides[d]);
                    if (term == "0") continue;
                    string name = tensor.Prefix + Literals.Int(d);
                    w.Line("int " + name + " = " + Sum(current[t], term) + ";");
                    current[t] = name;
                }
            }
            w.Line(statement(current));
            while (scopes.Count > 0) scopes.Pop().Dispose();
        }

        /// <summary>
        /// y[i] = x[source index], the innermost run as one <c>CopyTo</c> when the source reads it
        /// contiguously.
        /// </summary>
        public static void EmitCopy(SourceWriter w, long[] shape, IndexedTensor source, string x, string y, IndexedTensor? destination = null)
        {
            if (Shape.ElementCount(shape) == 0)
            {
                w.Line("// empty: nothing to copy");
                return;
            }
            destination ??= IndexedTensor.RowMajor("dst", shape);
            int rank = shape.Length;
            if (rank > 0 && source.IsLinear(rank - 1) && source.Strides[rank - 1] == 1 && destination.IsLinear(rank - 1) && destination.Strides[rank - 1] == 1 && shape[rank - 1] > 1)
            {
                string n = Literals.Int(shape[rank - 1]);
                Emit(w, shape, new[] { source, destination }, i => x + ".Slice(" + i[0] + ", " + n + ").CopyTo(" + y + ".Slice(" + i[1] + ", " + n + "));", rank - 1);
            }
            else
            {
                Emit(w, shape, new[] { source, destination }, i => y + "[" + i[1] + "] = " + x + "[" + i[0] + "];");
            }
        }

        /// <summary>A C# literal of one element of <paramref name="type"/> stored by the compiler as a scalar attribute.</summary>
        public static string ScalarLiteral(DataType type, NodePlan node, string name)
        {
            long i = node.GetInt(name, 0);
            return type switch
            {
                DataType.Float32 => Literals.Float(node.GetFloat(name, 0)),
                DataType.Float64 => Literals.Double(BitConverter.Int64BitsToDouble(i)),
                DataType.Float16 => Literals.Half((ushort)i),
                DataType.Bool => i != 0 ? "true" : "false",
                DataType.Int64 => Literals.Long(i),
                DataType.Int32 => i == int.MinValue ? "int.MinValue" : Literals.Int(i),
                DataType.UInt64 => "unchecked((ulong)" + Literals.Long(i) + ")",
                _ => "(" + DataTypes.CSharpName(type) + ")(" + Literals.Int(i) + ")",
            };
        }

        private static string Sum(string previous, string term)
        {
            if (previous == "0") return term;
            return previous + " + " + term;
        }
    }
}
