using System.Collections.Generic;
using System.Linq;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// Resize/Upsample, nearest or (bi)linear, through source-index tables computed at build time:
    /// one loop per output axis, a table lookup on resized axes, and for linear a blend of the
    /// two (or four) neighbours.
    /// </summary>
    internal sealed class ResizeEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Resize", "Upsample" };

        /// <summary>Only the data input survives lowering (axes, roi, scales and sizes become attributes).</summary>
        public override string InputName(NodePlan node, int index) => "x";

        public override string Describe(EmitContext context) => context.Node.GetString("mode", "nearest");

        public override void EmitBody(EmitContext context)
        {
            var n = context.Node;
            var w = context.Writer;
            long[] xs = context.InputShape(0), ys = context.OutputShape(0);
            long[] inStrides = Shape.Strides(xs);
            bool linear = n.GetString("mode", "nearest") == "linear";
            int rank = xs.Length;
            string I(long v) => Literals.Int(v);
            var resized = new List<int>();
            for (int d = 0; d < rank; d++)
            {
                string s = I(d);
                if (n.Attribute("index" + s) is null) continue;
                resized.Add(d);
                w.Line("global::System.ReadOnlySpan<int> index" + s + " = " + context.ConstantTable("index" + s, "int", n.GetInts("index" + s)) + ";");
                if (linear)
                {
                    w.Line("global::System.ReadOnlySpan<int> upper" + s + " = " + context.ConstantTable("upper" + s, "int", n.GetInts("upper" + s)) + ";");
                    w.Line("global::System.ReadOnlySpan<float> weight" + s + " = " + context.ConstantTable("weight" + s, n.GetFloats("weight" + s)) + ";");
                }
            }
            w.Line("int o = 0;");
            var scopes = new List<SourceWriter.BlockScope>();
            var fixedTerms = new List<string>();
            for (int d = 0; d < rank; d++)
            {
                string v = "i" + I(d);
                scopes.Add(w.Block("for (int " + v + " = 0; " + v + " < " + I(ys[d]) + "; " + v + "++)"));
                if (resized.Contains(d)) continue;
                fixedTerms.Add(Expr.Mul(v, inStrides[d]));
            }
            w.Line("int start = " + Expr.Sum(0, fixedTerms.ToArray()) + ";");
            if (!linear)
            {
                var terms = new List<string> { "start" };
                foreach (int d in resized) terms.Add(Expr.Mul("index" + I(d) + "[i" + I(d) + "]", inStrides[d]));
                w.Line("y[o++] = x[" + Expr.Sum(0, terms.ToArray()) + "];");
            }
            else if (resized.Count == 0)
            {
                w.Line("y[o++] = x[start];");
            }
            else
            {
                foreach (int d in resized)
                {
                    string s = I(d);
                    w.Line("int lo" + s + " = " + Expr.Mul("index" + s + "[i" + s + "]", inStrides[d]) + ", hi" + s + " = " + Expr.Mul("upper" + s + "[i" + s + "]", inStrides[d]) + ";");
                    w.Line("float t" + s + " = weight" + s + "[i" + s + "];");
                }
                if (resized.Count == 1)
                {
                    string s = I(resized[0]);
                    w.Line("y[o++] = x[start + lo" + s + "] * (1f - t" + s + ") + x[start + hi" + s + "] * t" + s + ";");
                }
                else
                {
                    string a = I(resized[0]), b = I(resized[1]);
                    w.Line("float top = x[start + lo" + a + " + lo" + b + "] * (1f - t" + b + ") + x[start + lo" + a + " + hi" + b + "] * t" + b + ";");
                    w.Line("float bottom = x[start + hi" + a + " + lo" + b + "] * (1f - t" + b + ") + x[start + hi" + a + " + hi" + b + "] * t" + b + ";");
                    w.Line("y[o++] = top * (1f - t" + a + ") + bottom * t" + a + ";");
                }
            }
            ReductionLoops.Close(scopes);
        }
    }
}
