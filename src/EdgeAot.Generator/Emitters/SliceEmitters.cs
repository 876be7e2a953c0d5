using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>Slice: a strided copy; start offsets and steps (possibly negative) are folded into constant strides.</summary>
    internal sealed class SliceEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Slice" };

        public override string Describe(EmitContext context)
            => "starts " + string.Join(",", context.Node.GetInts("starts")) + ", steps " + string.Join(",", context.Node.GetInts("steps"));

        public override void EmitBody(EmitContext context)
        {
            long[] xs = context.InputShape(0);
            long[] starts = context.Node.GetInts("starts"), steps = context.Node.GetInts("steps");
            long[] strides = Shape.Strides(xs);
            long offset = 0;
            var sourceStrides = new long[xs.Length];
            for (int d = 0; d < xs.Length; d++)
            {
                offset += starts[d] * strides[d];
                sourceStrides[d] = steps[d] * strides[d];
            }
            LoopNest.EmitCopy(context.Writer, context.OutputShape(0), new IndexedTensor("src", sourceStrides, offset), "x", "y");
        }
    }

    /// <summary>Split: one block copy per output along the split axis.</summary>
    internal sealed class SplitEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Split" };

        public override string Describe(EmitContext context)
            => "axis " + context.Node.GetInt("axis", 0) + ", sizes " + string.Join(",", context.Node.GetInts("split"));

        public override void EmitBody(EmitContext context)
        {
            long[] xs = context.InputShape(0);
            int axis = (int)context.Node.GetInt("axis", 0);
            long[] split = context.Node.GetInts("split");
            long[] strides = Shape.Strides(xs);
            long first = 0;
            for (int i = 0; i < split.Length; i++)
            {
                context.Line("// part " + Literals.Int(i) + ": rows " + Literals.Int(first) + ".." + Literals.Int(first + split[i]) + " of axis " + Literals.Int(axis));
                LoopNest.EmitCopy(context.Writer, context.OutputShape(i), new IndexedTensor("src", strides, first * strides[axis]), "x", context.OutputName(i), IndexedTensor.RowMajor("dst", context.OutputShape(i)));
                first += split[i];
            }
        }
    }

    /// <summary>
    /// Pad. Constant mode fills the output with the pad value and copies the input into the inner
    /// region; edge, wrap and reflect map each output coordinate back into the input.
    /// </summary>
    internal sealed class PadEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Pad" };

        public override string Describe(EmitContext context)
            => context.Node.GetString("mode", "constant") + ", pads " + string.Join(",", context.Node.GetInts("pads"));

        public override void EmitBody(EmitContext context)
        {
            var node = context.Node;
            long[] xs = context.InputShape(0), ys = context.OutputShape(0);
            long[] pads = node.GetInts("pads");
            string mode = node.GetString("mode", "constant");
            int rank = xs.Length;
            long[] xStrides = Shape.Strides(xs), yStrides = Shape.Strides(ys);
            if (Shape.ElementCount(ys) == 0)
            {
                context.Line("// empty output: nothing to do");
                return;
            }
            if (mode == "constant")
            {
                context.Line("y.Fill(" + LoopNest.ScalarLiteral(context.Input(0).Type, node, "value") + ");");
                var region = new long[rank];
                long sourceOffset = 0, destinationOffset = 0;
                for (int d = 0; d < rank; d++)
                {
                    long begin = pads[d];
                    long lo = System.Math.Max(0, begin), hi = System.Math.Min(ys[d], begin + xs[d]);
                    region[d] = System.Math.Max(0, hi - lo);
                    sourceOffset += (lo - begin) * xStrides[d];
                    destinationOffset += lo * yStrides[d];
                }
                if (Shape.ElementCount(region) == 0) return;
                LoopNest.EmitCopy(context.Writer, region, new IndexedTensor("src", xStrides, sourceOffset), "x", "y", new IndexedTensor("dst", yStrides, destinationOffset));
                return;
            }

            // Coordinate o of dimension d reads input coordinate map(o - begin); dimensions without padding stay linear.
            long linearOffset = 0;
            for (int d = 0; d < rank; d++)
            {
                if (IsLinear(d)) linearOffset -= pads[d] * xStrides[d];
            }
            bool IsLinear(int d) => pads[d] <= 0 && pads[d + rank] <= 0;
            string? Coordinate(int d, string o)
            {
                if (IsLinear(d)) return null;
                long n = xs[d], begin = pads[d];
                if (mode == "edge") return "global::System.Math.Clamp(" + Expr.Sum(-begin, o) + ", 0, " + Literals.Int(n - 1) + ")";
                if (mode == "wrap") return "(" + Expr.Sum(Mod(-begin, n), o) + ") % " + Literals.Int(n);
                if (n == 1) return "0";
                long period = 2 * (n - 1);
                string t = "(" + Expr.Sum(Mod(-begin, period), o) + ") % " + Literals.Int(period);
                return t + " < " + Literals.Int(n) + " ? " + t + " : " + Literals.Int(period) + " - " + t;
            }
            LoopNest.EmitCopy(context.Writer, ys, new IndexedTensor("src", xStrides, linearOffset, Coordinate), "x", "y");
        }

        private static long Mod(long a, long n) => (a % n + n) % n;
    }
}
