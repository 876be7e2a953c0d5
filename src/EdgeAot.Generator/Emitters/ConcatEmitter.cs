using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// Concat as block copies: for each of the <c>outer</c> slices before the axis, every input
    /// contributes one contiguous block of (its axis size × inner) elements.
    /// </summary>
    internal sealed class ConcatEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Concat" };

        public override string Describe(EmitContext context) => "axis " + Literals.Int(context.Node.GetInt("axis", 0));

        public override void EmitBody(EmitContext context)
        {
            int axis = (int)context.Node.GetInt("axis", 0);
            long[] y = context.OutputShape(0);
            long outer = Product(y, 0, axis), inner = Product(y, axis + 1, y.Length);
            long row = y[axis] * inner;
            var copies = new List<(string Name, long Block, long Offset)>();
            long offset = 0;
            for (int i = 0; i < context.Node.Inputs.Count; i++)
            {
                long block = context.InputShape(i)[axis] * inner;
                if (block > 0) copies.Add((context.InputName(i), block, offset));
                offset += block;
            }
            string output = context.OutputName(0);
            if (outer == 1 || copies.Count == 0)
            {
                foreach (var c in copies)
                {
                    context.Line(c.Name + ".CopyTo(" + output + ".Slice(" + Literals.Int(c.Offset) + ", " + Literals.Int(c.Block) + "));");
                }
                return;
            }
            // Output row o is [input 0 block o | input 1 block o | ...], each row holds row-many elements.
            using (context.Block("for (int o = 0; o < " + Literals.Int(outer) + "; o++)"))
            {
                foreach (var c in copies)
                {
                    string target = "o * " + Literals.Int(row) + (c.Offset > 0 ? " + " + Literals.Int(c.Offset) : "");
                    context.Line(c.Name + ".Slice(o * " + Literals.Int(c.Block) + ", " + Literals.Int(c.Block) + ").CopyTo(" + output + ".Slice(" + target + ", " + Literals.Int(c.Block) + "));");
                }
            }
        }

        private static long Product(long[] dims, int from, int to)
        {
            long p = 1;
            for (int i = from; i < to; i++) p *= dims[i];
            return p;
        }
    }
}
