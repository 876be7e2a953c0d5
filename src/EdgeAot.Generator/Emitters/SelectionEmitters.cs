using System.Collections.Generic;
using System.Linq;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// TopK: per line along the axis, an insertion into the k output slots kept sorted; a later
    /// element displaces an earlier one only when strictly better, so ties keep the lower index.
    /// </summary>
    internal sealed class TopKEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "TopK" };

        public override string InputName(NodePlan node, int index) => "x";

        public override string OutputName(NodePlan node, int index) => index == 0 ? "values" : "indices";

        public override string Describe(EmitContext context)
            => "k " + context.Node.GetInt("k", 0) + ", axis " + context.Node.GetInt("axis", 0) + (context.Node.GetInt("largest", 1) != 0 ? ", largest" : ", smallest");

        public override void EmitBody(EmitContext context)
        {
            long[] xs = context.InputShape(0);
            int axis = (int)context.Node.GetInt("axis", 0);
            long k = context.Node.GetInt("k", 0);
            long outer = GatherNDEmitter.Product(xs, 0, axis), n = xs[axis], inner = GatherNDEmitter.Product(xs, axis + 1, xs.Length);
            if (outer * inner * k == 0) return;
            string t = EmitContext.ElementType(context.Input(0));
            string better = context.Node.GetInt("largest", 1) != 0 ? " > " : " < ";
            string I(long v) => Literals.Int(v);
            string Slot(string p) => "target + " + Expr.Mul(p, inner);
            var w = context.Writer;
            using (w.Block("for (int outer = 0; outer < " + I(outer) + "; outer++)"))
            using (w.Block("for (int inner = 0; inner < " + I(inner) + "; inner++)"))
            {
                w.Line("int source = " + Expr.Sum(0, Expr.Mul("outer", n * inner), "inner") + ";");
                w.Line("int target = " + Expr.Sum(0, Expr.Mul("outer", k * inner), "inner") + ";");
                w.Line("int count = 0;");
                using (w.Block("for (int i = 0; i < " + I(n) + "; i++)"))
                {
                    w.Line(t + " v = x[source + " + Expr.Mul("i", inner) + "];");
                    w.Line("if (count == " + I(k) + " && !(v" + better + "values[" + Slot(I(k - 1)) + "])) continue;");
                    w.Line("int p = count == " + I(k) + " ? " + I(k - 1) + " : count++;");
                    using (w.Block("while (p > 0 && v" + better + "values[" + Slot("(p - 1)") + "])"))
                    {
                        w.Line("values[" + Slot("p") + "] = values[" + Slot("(p - 1)") + "];");
                        w.Line("indices[" + Slot("p") + "] = indices[" + Slot("(p - 1)") + "];");
                        w.Line("p--;");
                    }
                    w.Line("values[" + Slot("p") + "] = v;");
                    w.Line("indices[" + Slot("p") + "] = i;");
                }
            }
        }
    }

    /// <summary>Hardmax: 1 at the first maximum of each line, 0 elsewhere.</summary>
    internal sealed class HardmaxEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Hardmax" };

        public override void EmitBody(EmitContext context)
        {
            var n = context.Node;
            long outer = n.GetInt("outer", 1), size = n.GetInt("size", 1), inner = n.GetInt("inner", 1);
            if (outer * size * inner == 0) return;
            string t = EmitContext.ElementType(context.Input(0));
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            w.Line("y.Clear();");
            using (w.Block("for (int outer = 0; outer < " + I(outer) + "; outer++)"))
            using (w.Block("for (int inner = 0; inner < " + I(inner) + "; inner++)"))
            {
                w.Line("int start = " + Expr.Sum(0, Expr.Mul("outer", size * inner), "inner") + ";");
                w.Line(t + " best = x[start];");
                w.Line("int at = 0;");
                using (w.Block("for (int i = 1; i < " + I(size) + "; i++)"))
                {
                    w.Line(t + " v = x[start + " + Expr.Mul("i", inner) + "];");
                    using (w.Block("if (v > best)"))
                    {
                        w.Line("best = v;");
                        w.Line("at = i;");
                    }
                }
                w.Line("y[start + " + Expr.Mul("at", inner) + "] = 1;");
            }
        }
    }

    /// <summary>Compress: copies the selected positions (a constant list) along the axis.</summary>
    internal sealed class CompressEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Compress" };

        public override string Describe(EmitContext context)
        {
            long axis = context.Node.GetInt("axis", -1);
            return (axis < 0 ? "flattened" : "axis " + axis) + ", " + context.Node.GetInts("selected").Length + " selected";
        }

        public override void EmitBody(EmitContext context)
        {
            long[] xs = context.InputShape(0);
            int axis = (int)context.Node.GetInt("axis", -1);
            long[] selected = context.Node.GetInts("selected");
            long outer = axis < 0 ? 1 : GatherNDEmitter.Product(xs, 0, axis);
            long n = axis < 0 ? GatherNDEmitter.Product(xs, 0, xs.Length) : xs[axis];
            long inner = axis < 0 ? 1 : GatherNDEmitter.Product(xs, axis + 1, xs.Length);
            if (outer * inner * selected.Length == 0) return;
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            w.Line("global::System.ReadOnlySpan<int> selected = new int[] { " + string.Join(", ", selected.Select(I)) + " };");
            using (outer == 1 ? SourceWriter.BlockScope.None : w.Block("for (int outer = 0; outer < " + I(outer) + "; outer++)"))
            using (w.Block("for (int j = 0; j < " + I(selected.Length) + "; j++)"))
            {
                string o = outer == 1 ? "0" : "outer";
                string from = Expr.Sum(0, Expr.Mul(o, n * inner), Expr.Mul("selected[j]", inner));
                string to = Expr.Sum(0, Expr.Mul(o, selected.Length * inner), Expr.Mul("j", inner));
                if (inner == 1) w.Line("y[" + to + "] = x[" + from + "];");
                else w.Line("x.Slice(" + from + ", " + I(inner) + ").CopyTo(y.Slice(" + to + ", " + I(inner) + "));");
            }
        }
    }
}
