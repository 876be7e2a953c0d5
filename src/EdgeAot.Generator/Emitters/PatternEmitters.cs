using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>Trilu: per matrix row, one copied run and one cleared run split at column i + k.</summary>
    internal sealed class TriluEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Trilu" };

        public override string InputName(NodePlan node, int index) => index == 0 ? "x" : "kInput";

        public override string Describe(EmitContext context)
            => (context.Node.GetInt("upper", 1) != 0 ? "upper" : "lower") + (context.HasInput(1) ? ", k at run time" : ", k " + context.Node.GetInt("k", 0));

        public override void EmitBody(EmitContext context)
        {
            long[] xs = context.InputShape(0);
            int r = xs.Length;
            long rows = xs[r - 2], cols = xs[r - 1], matrices = GatherNDEmitter.Product(xs, 0, r - 2);
            if (matrices * rows * cols == 0) return;
            bool upper = context.Node.GetInt("upper", 1) != 0;
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            // Upper keeps columns j ≥ i + k, lower keeps j ≤ i + k: the split column is i + k or i + k + 1.
            long constantSplit = context.Node.GetInt("k", 0) + (upper ? 0 : 1);
            string shifted = context.HasInput(1) ? "i + k" : constantSplit < 0 ? "i - " + Literals.Long(-constantSplit) : "i + " + Literals.Long(constantSplit);
            if (context.HasInput(1)) w.Line("long k = kInput[0]" + (upper ? "" : " + 1") + ";");
            using (w.Block("for (int m = 0; m < " + I(matrices) + "; m++)"))
            using (w.Block("for (int i = 0; i < " + I(rows) + "; i++)"))
            {
                w.Line("int row = " + Expr.Sum(0, Expr.Mul("m", rows * cols), Expr.Mul("i", cols)) + ";");
                w.Line("int split = (int)global::System.Math.Clamp(" + shifted + ", 0L, " + I(cols) + "L);");
                string keepFrom = upper ? "row + split" : "row", keepLength = upper ? I(cols) + " - split" : "split";
                string clearFrom = upper ? "row" : "row + split", clearLength = upper ? "split" : I(cols) + " - split";
                w.Line("x.Slice(" + keepFrom + ", " + keepLength + ").CopyTo(y.Slice(" + keepFrom + ", " + keepLength + "));");
                w.Line("y.Slice(" + clearFrom + ", " + clearLength + ").Clear();");
            }
        }
    }

    /// <summary>EyeLike: clear, then ones along diagonal k.</summary>
    internal sealed class EyeLikeEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "EyeLike" };

        public override string Describe(EmitContext context) => "k " + context.Node.GetInt("k", 0);

        public override void EmitBody(EmitContext context)
        {
            long[] ys = context.OutputShape(0);
            long k = context.Node.GetInt("k", 0), rows = ys[0], cols = ys[1];
            var w = context.Writer;
            w.Line("y.Clear();");
            long first = System.Math.Max(0, -k), end = System.Math.Min(rows, cols - k);
            if (first >= end) return;
            var type = context.Output(0).Type;
            string one = type == DataType.Bool ? "true" : "(" + EmitContext.ElementType(context.Output(0)) + ")1";
            using (w.Block("for (int i = " + Literals.Int(first) + "; i < " + Literals.Int(end) + "; i++)"))
                w.Line("y[" + Expr.Sum(k, Expr.Mul("i", cols + 1)) + "] = " + one + ";");
        }
    }

    /// <summary>OneHot: fill with off_value, then on_value where each (wrapped, in-range) index points.</summary>
    internal sealed class OneHotEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "OneHot" };

        public override string InputName(NodePlan node, int index) => index == 0 ? "indices" : "values";

        public override string Describe(EmitContext context) => "depth " + context.Node.GetInt("depth", 1) + ", axis " + context.Node.GetInt("axis", 0);

        public override void EmitBody(EmitContext context)
        {
            long[] js = context.InputShape(0);
            int axis = (int)context.Node.GetInt("axis", 0);
            long depth = context.Node.GetInt("depth", 1);
            long outer = GatherNDEmitter.Product(js, 0, axis), inner = GatherNDEmitter.Product(js, axis, js.Length);
            var w = context.Writer;
            w.Line("y.Fill(values[0]);");
            if (outer * inner == 0) return;
            string I(long v) => Literals.Int(v);
            using (w.Block("for (int outer = 0; outer < " + I(outer) + "; outer++)"))
            using (w.Block("for (int inner = 0; inner < " + I(inner) + "; inner++)"))
            {
                w.Line("long k = (long)indices[" + Expr.Sum(0, Expr.Mul("outer", inner), "inner") + "];");
                w.Line("if (k < 0) k += " + I(depth) + ";");
                w.Line("if ((ulong)k < " + I(depth) + "UL) y[" + Expr.Sum(0, "(" + Expr.Sum(0, Expr.Mul("outer", depth), "(int)k") + ") * " + I(inner), "inner") + "] = values[1];");
            }
        }
    }

    /// <summary>CumSum / CumProd: a running sum or product along the axis; a run-time axis selects one of the per-axis loops.</summary>
    internal sealed class CumSumEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "CumSum", "CumProd" };

        public override string InputName(NodePlan node, int index) => index == 0 ? "x" : "axis";

        public override string Describe(EmitContext context)
        {
            var n = context.Node;
            return (context.HasInput(1) ? "axis at run time" : "axis " + n.GetInt("axis", 0))
                + (n.GetInt("exclusive", 0) != 0 ? ", exclusive" : "") + (n.GetInt("reverse", 0) != 0 ? ", reverse" : "");
        }

        public override void EmitBody(EmitContext context)
        {
            long[] xs = context.InputShape(0);
            if (Shape.ElementCount(xs) == 0) return;
            var w = context.Writer;
            if (!context.HasInput(1))
            {
                EmitAxis(context, xs, (int)context.Node.GetInt("axis", 0));
                return;
            }
            w.Line("long a = axis[0];");
            w.Line("if (a < 0) a += " + Literals.Int(xs.Length) + ";");
            using (w.Block("switch (a)"))
            {
                for (int d = 0; d < xs.Length; d++)
                {
                    w.Line("case " + Literals.Int(d) + ":");
                    using (w.Block())
                    {
                        EmitAxis(context, xs, d);
                        w.Line("break;");
                    }
                }
                w.Line("default:");
                w.Indent++;
                w.Line("throw new global::System.ArgumentOutOfRangeException(nameof(axis), \"" + context.Node.OpType + " axis out of range.\");");
                w.Indent--;
            }
        }

        private static void EmitAxis(EmitContext context, long[] xs, int axis)
        {
            bool exclusive = context.Node.GetInt("exclusive", 0) != 0, reverse = context.Node.GetInt("reverse", 0) != 0;
            long outer = GatherNDEmitter.Product(xs, 0, axis), n = xs[axis], inner = GatherNDEmitter.Product(xs, axis + 1, xs.Length);
            string t = EmitContext.ElementType(context.Input(0));
            bool product = context.Node.OpType == "CumProd";
            string combine = product ? " * " : " + ";
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            using (w.Block("for (int outer = 0; outer < " + I(outer) + "; outer++)"))
            using (w.Block("for (int inner = 0; inner < " + I(inner) + "; inner++)"))
            {
                w.Line("int start = " + Expr.Sum(0, Expr.Mul("outer", n * inner), "inner") + ";");
                w.Line(t + " acc = " + (product ? "1" : "0") + ";");
                using (w.Block("for (int s = 0; s < " + I(n) + "; s++)"))
                {
                    w.Line("int at = start + " + Expr.Mul(reverse ? "(" + I(n - 1) + " - s)" : "s", inner) + ";");
                    if (exclusive)
                    {
                        w.Line(t + " v = x[at];");
                        w.Line("y[at] = acc;");
                        w.Line("acc = unchecked(acc" + combine + "v);");
                    }
                    else
                    {
                        w.Line("acc = unchecked(acc" + combine + "x[at]);");
                        w.Line("y[at] = acc;");
                    }
                }
            }
        }
    }
}
