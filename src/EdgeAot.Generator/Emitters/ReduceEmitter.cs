using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// The loop nest of a reduction over any set of axes: the input's dimensions split into kept
    /// and reduced ones, size-1 dimensions dropped and neighbours of the same kind merged, each
    /// with its constant stride. Kept loops run outermost in order, so the output index simply
    /// counts up (keepdims does not change the memory layout).
    /// </summary>
    internal sealed class ReductionLoops
    {
        public readonly List<(long Size, long Stride)> Kept = new List<(long, long)>();
        public readonly List<(long Size, long Stride)> Reduced = new List<(long, long)>();

        public long KeptCount = 1;
        public long ReducedCount = 1;

        public ReductionLoops(long[] shape, ICollection<long> reducedAxes)
        {
            long[] strides = Shape.Strides(shape);
            bool? previousReduced = null;
            for (int i = 0; i < shape.Length; i++)
            {
                bool reduced = reducedAxes.Contains(i);
                if (reduced) ReducedCount *= shape[i];
                else KeptCount *= shape[i];
                if (shape[i] == 1) continue;
                var list = reduced ? Reduced : Kept;
                if (previousReduced == reduced && list.Count > 0)
                {
                    var last = list[list.Count - 1];
                    list[list.Count - 1] = (last.Size * shape[i], strides[i]);
                }
                else list.Add((shape[i], strides[i]));
                previousReduced = reduced;
            }
        }

        /// <summary>Opens the kept loops (variables k0, k1...) and returns the base-index expression.</summary>
        public string OpenKept(SourceWriter w, List<SourceWriter.BlockScope> scopes) => Open(w, scopes, Kept, "k");

        /// <summary>Opens the reduced loops (variables r0, r1...) and returns the offset expression.</summary>
        public string OpenReduced(SourceWriter w, List<SourceWriter.BlockScope> scopes) => Open(w, scopes, Reduced, "r");

        private static string Open(SourceWriter w, List<SourceWriter.BlockScope> scopes, List<(long Size, long Stride)> loops, string prefix)
        {
            var terms = new List<string>();
            for (int i = 0; i < loops.Count; i++)
            {
                string v = prefix + Literals.Int(i);
                scopes.Add(w.Block("for (int " + v + " = 0; " + v + " < " + Literals.Int(loops[i].Size) + "; " + v + "++)"));
                terms.Add(Expr.Mul(v, loops[i].Stride));
            }
            return Expr.Sum(0, terms.ToArray());
        }

        public static void Close(List<SourceWriter.BlockScope> scopes)
        {
            for (int i = scopes.Count - 1; i >= 0; i--) scopes[i].Dispose();
            scopes.Clear();
        }
    }

    /// <summary>Reduce* over explicit axes: one accumulator per output element, constant loop bounds.</summary>
    internal sealed class ReduceEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[]
        {
            "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd",
            "ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp",
        };

        /// <summary>Only the data input survives lowering (axes, roi, scales and sizes become attributes).</summary>
        public override string InputName(NodePlan node, int index) => "x";

        public override string Describe(EmitContext context)
        {
            var n = context.Node;
            long[] axes = n.GetInts("axes");
            return axes.Length == 0 ? "no axes: copy" : "axes " + string.Join(",", axes) + (n.GetInt("keepdims", 1) != 0 ? ", keepdims" : "");
        }

        public override void EmitBody(EmitContext context)
        {
            var n = context.Node;
            var w = context.Writer;
            var input = context.Input(0);
            long[] xs = context.InputShape(0);
            long[] axes = n.GetInts("axes");
            if (axes.Length == 0)
            {
                w.Line("x.CopyTo(y);");
                return;
            }
            var loops = new ReductionLoops(xs, axes);
            if (loops.KeptCount == 0) return;
            string t = EmitContext.ElementType(input);
            bool isFloat = input.Type is DataType.Float32 or DataType.Float64;
            bool isBool = input.Type == DataType.Bool;
            string acc = input.Type switch
            {
                DataType.Float32 => "float",
                DataType.Float64 => "double",
                DataType.Int64 => "long",
                DataType.Int32 => "int",
                _ => t,
            };
            string math = input.Type == DataType.Float32 ? "global::System.MathF" : "global::System.Math";
            string op = n.OpType;

            string init, step, result;
            switch (op)
            {
                case "ReduceMax":
                    init = isBool ? "false" : isFloat ? t + ".NegativeInfinity" : t + ".MinValue";
                    step = isBool ? "acc |= v;" : isFloat ? "if (v > acc || " + t + ".IsNaN(v)) acc = v;" : "if (v > acc) acc = v;";
                    result = "acc";
                    break;
                case "ReduceMin":
                    init = isBool ? "true" : isFloat ? t + ".PositiveInfinity" : t + ".MaxValue";
                    step = isBool ? "acc &= v;" : isFloat ? "if (v < acc || " + t + ".IsNaN(v)) acc = v;" : "if (v < acc) acc = v;";
                    result = "acc";
                    break;
                case "ReduceProd":
                    init = "1";
                    step = isFloat ? "acc *= v;" : "acc = unchecked(acc * v);";
                    result = "acc";
                    break;
                case "ReduceL1":
                    init = "0";
                    step = isFloat ? "acc += " + math + ".Abs(v);" : "acc = unchecked(acc + (v < 0 ? -v : v));";
                    result = "acc";
                    break;
                case "ReduceL2":
                    init = "0";
                    step = "acc += v * v;";
                    result = math + ".Sqrt(acc)";
                    break;
                case "ReduceSumSquare":
                    init = "0";
                    step = isFloat ? "acc += v * v;" : "acc = unchecked(acc + v * v);";
                    result = "acc";
                    break;
                case "ReduceLogSum":
                    init = "0";
                    step = "acc += v;";
                    result = math + ".Log(acc)";
                    break;
                case "ReduceLogSumExp":
                    init = "0";
                    step = "acc += " + math + ".Exp(v - max);";
                    result = "max == " + t + ".NegativeInfinity ? max : " + math + ".Log(acc) + max";
                    break;
                case "ReduceMean":
                    init = "0";
                    step = isFloat ? "acc += v;" : "acc = unchecked(acc + v);";
                    result = loops.ReducedCount == 0 ? (isFloat ? t + ".NaN" : "0")
                        : isFloat ? "acc / " + (input.Type == DataType.Float32 ? Literals.Float(loops.ReducedCount) : Literals.Double(loops.ReducedCount))
                        : "acc / " + Literals.Int(loops.ReducedCount);
                    break;
                default: // ReduceSum
                    init = "0";
                    step = isFloat ? "acc += v;" : "acc = unchecked(acc + v);";
                    result = "acc";
                    break;
            }

            var scopes = new List<SourceWriter.BlockScope>();
            var reducedScopes = new List<SourceWriter.BlockScope>();
            w.Line("int o = 0;");
            string baseIndex = loops.OpenKept(w, scopes);
            if (baseIndex != "0") w.Line("int start = " + baseIndex + ";");
            string start = baseIndex == "0" ? "" : "start";
            if (op == "ReduceLogSumExp")
            {
                w.Line(t + " max = " + t + ".NegativeInfinity;");
                string offset0 = loops.OpenReduced(w, reducedScopes);
                w.Line(t + " m = x[" + Expr.Sum(0, start, offset0) + "];");
                w.Line("if (m > max) max = m;");
                ReductionLoops.Close(reducedScopes);
            }
            w.Line(acc + " acc = " + init + ";");
            string offset = loops.OpenReduced(w, reducedScopes);
            w.Line(t + " v = x[" + Expr.Sum(0, start, offset) + "];");
            w.Line(step);
            ReductionLoops.Close(reducedScopes);
            string value = acc == t ? result : "unchecked((" + t + ")(" + result + "))";
            w.Line("y[o++] = " + value + ";");
            ReductionLoops.Close(scopes);
        }
    }

    /// <summary>ArgMax/ArgMin along one axis: first (or last) index of the extreme value, as int64.</summary>
    internal sealed class ArgReduceEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "ArgMax", "ArgMin" };

        public override string Describe(EmitContext context)
            => "axis " + context.Node.GetInt("axis", 0) + (context.Node.GetInt("select_last_index", 0) != 0 ? ", last index" : "");

        public override void EmitBody(EmitContext context)
        {
            var n = context.Node;
            var w = context.Writer;
            long[] xs = context.InputShape(0);
            int axis = (int)n.GetInt("axis", 0);
            long outer = 1, inner = 1;
            for (int i = 0; i < axis; i++) outer *= xs[i];
            for (int i = axis + 1; i < xs.Length; i++) inner *= xs[i];
            long size = xs[axis];
            if (outer * inner == 0) return;
            string t = EmitContext.ElementType(context.Input(0));
            string cmp = n.OpType == "ArgMax" ? ">" : "<";
            if (n.GetInt("select_last_index", 0) != 0) cmp += "=";
            string I(long v) => Literals.Int(v);
            using (w.Block("for (int outer = 0; outer < " + I(outer) + "; outer++)"))
            using (w.Block("for (int inner = 0; inner < " + I(inner) + "; inner++)"))
            {
                w.Line("int start = " + Expr.Sum(0, Expr.Mul("outer", size * inner), "inner") + ";");
                w.Line(t + " best = x[start];");
                w.Line("long index = 0;");
                using (w.Block("for (int i = 1; i < " + I(size) + "; i++)"))
                {
                    w.Line(t + " v = x[start + " + Expr.Mul("i", inner) + "];");
                    using (w.Block("if (v " + cmp + " best)"))
                    {
                        w.Line("best = v;");
                        w.Line("index = i;");
                    }
                }
                w.Line("y[" + Expr.Sum(0, Expr.Mul("outer", inner), "inner") + "] = index;");
            }
        }
    }
}
