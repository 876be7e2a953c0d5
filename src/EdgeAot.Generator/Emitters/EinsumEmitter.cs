using System.Collections.Generic;
using EdgeAot.Compiler.Ops;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// Einsum: one loop per output label (in output order, so the output index counts up) around
    /// one loop per summed label; each input is read through its per-label strides.
    /// </summary>
    internal sealed class EinsumEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Einsum" };

        public override string Describe(EmitContext context) => "\"" + context.Node.GetString("equation", "") + "\"";

        public override void EmitBody(EmitContext context)
        {
            int inputs = context.Node.Inputs.Count;
            var shapes = new List<long[]>();
            for (int i = 0; i < inputs; i++) shapes.Add(context.InputShape(i));
            var layout = EinsumLayout.Resolve(context.Node.GetString("equation", ""), shapes, out string error)
                ?? throw new System.InvalidOperationException("Einsum: " + error);
            var w = context.Writer;
            long outputCount = 1;
            for (int k = 0; k < layout.OutputCount; k++) outputCount *= layout.Sizes[k];
            if (outputCount == 0) return;
            string t = EmitContext.ElementType(context.Output(0));
            var scopes = new List<SourceWriter.BlockScope>();
            var loops = new List<int>();
            w.Line("int o = 0;");
            for (int k = 0; k < layout.Sizes.Length; k++)
            {
                if (k == layout.OutputCount) w.Line(t + " acc = 0;");
                if (layout.Sizes[k] == 1) continue;
                string v = "l" + Literals.Int(k);
                scopes.Add(w.Block("for (int " + v + " = 0; " + v + " < " + Literals.Int(layout.Sizes[k]) + "; " + v + "++)"));
                loops.Add(k);
            }
            if (layout.OutputCount == layout.Sizes.Length) w.Line(t + " acc = 0;");
            int summedScopes = 0;
            foreach (int k in loops) if (k >= layout.OutputCount) summedScopes++;
            var product = new List<string>();
            for (int i = 0; i < inputs; i++)
            {
                var terms = new List<string>();
                foreach (int k in loops) terms.Add(Expr.Mul("l" + Literals.Int(k), layout.InputStrides[i][k]));
                product.Add(context.InputName(i) + "[" + Expr.Sum(0, terms.ToArray()) + "]");
            }
            w.Line("acc += " + string.Join(" * ", product) + ";");
            for (int s = 0; s < summedScopes; s++)
            {
                scopes[scopes.Count - 1].Dispose();
                scopes.RemoveAt(scopes.Count - 1);
            }
            w.Line("y[o++] = acc;");
            for (int s = scopes.Count - 1; s >= 0; s--) scopes[s].Dispose();
        }
    }
}
