using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// Softmax over <c>size</c> elements <c>inner</c> apart, for each of <c>outer</c> × <c>inner</c>
    /// rows: subtract the row maximum before exp so large inputs cannot overflow.
    /// </summary>
    internal sealed class SoftmaxEmitter : OpEmitter
    {
        private const string MathF = "global::System.MathF";

        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Softmax" };

        public override string Describe(EmitContext context)
        {
            var node = context.Node;
            return "axis " + Literals.Int(node.GetInt("axis", 0)) + ": " + Literals.Int(node.GetInt("outer", 1)) + " x " + Literals.Int(node.GetInt("inner", 1))
                + " rows of " + Literals.Int(node.GetInt("size", 1));
        }

        public override void EmitBody(EmitContext context)
        {
            var node = context.Node;
            long outer = node.GetInt("outer", 1), size = node.GetInt("size", 1), inner = node.GetInt("inner", 1);
            if (outer * size * inner == 0)
            {
                context.Line("// Empty tensor: nothing to compute.");
                return;
            }
            string x = context.InputName(0), y = context.OutputName(0);
            // Element k of a row sits at start + k * inner.
            string element = inner == 1 ? "start + k" : "start + k * " + Literals.Int(inner);
            using (context.Block("for (int o = 0; o < " + Literals.Int(outer) + "; o++)"))
            {
                string start = outer == 1 ? "0" : "o * " + Literals.Int(size * inner);
                if (inner == 1)
                {
                    EmitRow(context, x, y, start, element, size);
                }
                else
                {
                    using (context.Block("for (int j = 0; j < " + Literals.Int(inner) + "; j++)"))
                    {
                        EmitRow(context, x, y, start == "0" ? "j" : start + " + j", element, size);
                    }
                }
            }
        }

        private static void EmitRow(EmitContext context, string x, string y, string start, string element, long size)
        {
            context.Line("int start = " + start + ";");
            context.Line("float max = " + x + "[start];");
            using (context.Block("for (int k = 1; k < " + Literals.Int(size) + "; k++)"))
            {
                context.Line("max = " + MathF + ".Max(max, " + x + "[" + element + "]);");
            }
            context.Line("float sum = 0f;");
            using (context.Block("for (int k = 0; k < " + Literals.Int(size) + "; k++)"))
            {
                context.Line("float e = " + MathF + ".Exp(" + x + "[" + element + "] - max);");
                context.Line(y + "[" + element + "] = e;");
                context.Line("sum += e;");
            }
            using (context.Block("for (int k = 0; k < " + Literals.Int(size) + "; k++)"))
            {
                context.Line(y + "[" + element + "] /= sum;");
            }
        }
    }
}
