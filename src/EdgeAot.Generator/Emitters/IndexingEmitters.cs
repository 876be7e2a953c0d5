using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// Gather: for every outer position and index, one contiguous block copy. Run-time indices are
    /// made non-negative and checked; constant ones were checked at build time.
    /// </summary>
    internal sealed class GatherEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Gather" };

        public override string InputName(NodePlan node, int index) => index == 0 ? "x" : "indices";

        public override string Describe(EmitContext context)
            => "axis " + context.Node.GetInt("axis", 0) + (context.Node.GetInt("indices_checked", 0) == 1 ? ", constant indices" : "");

        public override void EmitBody(EmitContext context)
        {
            long[] xs = context.InputShape(0);
            int axis = (int)context.Node.GetInt("axis", 0);
            bool isChecked = context.Node.GetInt("indices_checked", 0) == 1;
            long outer = 1, inner = 1, n = xs[axis], m = context.Input(1).ElementCount;
            for (int d = 0; d < axis; d++) outer *= xs[d];
            for (int d = axis + 1; d < xs.Length; d++) inner *= xs[d];
            var w = context.Writer;
            if (outer * m * inner == 0)
            {
                w.Line("// empty output: nothing to do");
                return;
            }
            string I(long v) => Literals.Int(v);
            if (outer == 1) w.Line("const int outer = 0;");
            using (outer == 1 ? SourceWriter.BlockScope.None : w.Block("for (int outer = 0; outer < " + I(outer) + "; outer++)"))
            using (w.Block("for (int j = 0; j < " + I(m) + "; j++)"))
            {
                if (isChecked) w.Line("int k = (int)indices[j];");
                else
                {
                    w.Line("long index = indices[j];");
                    w.Line("if (index < 0) index += " + I(n) + ";");
                    w.Line("if (unchecked((ulong)index) >= " + I(n) + "UL) throw new global::System.IndexOutOfRangeException(\"Gather index out of range.\");");
                    w.Line("int k = (int)index;");
                }
                string source = Expr.Sum(0, Expr.Mul("outer", n), "k");
                string destination = Expr.Sum(0, Expr.Mul("outer", m), "j");
                if (inner == 1) w.Line("y[" + destination + "] = x[" + source + "];");
                else w.Line("x.Slice((" + source + ") * " + I(inner) + ", " + I(inner) + ").CopyTo(y.Slice((" + destination + ") * " + I(inner) + ", " + I(inner) + "));");
            }
        }
    }

    /// <summary>Expand: a copy whose broadcast dimensions have source stride 0.</summary>
    internal sealed class ExpandEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Expand" };

        public override void EmitBody(EmitContext context)
        {
            long[] ys = context.OutputShape(0);
            LoopNest.EmitCopy(context.Writer, ys, new IndexedTensor("src", ExpandOperator.BroadcastStrides(context.InputShape(0), ys)), "x", "y");
        }
    }

    /// <summary>Tile: output coordinate o of a repeated dimension reads input coordinate o % n.</summary>
    internal sealed class TileEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Tile" };

        public override string Describe(EmitContext context) => "repeats " + string.Join(",", context.Node.GetInts("repeats"));

        public override void EmitBody(EmitContext context)
        {
            long[] xs = context.InputShape(0);
            long[] repeats = context.Node.GetInts("repeats");
            string? Coordinate(int d, string o) => repeats[d] > 1 && xs[d] > 1 ? o + " % " + Literals.Int(xs[d]) : null;
            var strides = Shape.Strides(xs);
            for (int d = 0; d < xs.Length; d++)
            {
                if (xs[d] == 1) strides[d] = 0;
            }
            LoopNest.EmitCopy(context.Writer, context.OutputShape(0), new IndexedTensor("src", strides, 0, Coordinate), "x", "y");
        }
    }

    /// <summary>Where: y = condition ? a : b, all three broadcast to the output.</summary>
    internal sealed class WhereEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Where" };

        public override string InputName(NodePlan node, int index) => index switch { 0 => "condition", 1 => "a", _ => "b" };

        public override void EmitBody(EmitContext context)
        {
            long[] ys = context.OutputShape(0);
            if (Shape.ElementCount(ys) == 0)
            {
                context.Line("// empty output: nothing to do");
                return;
            }
            var tensors = new[]
            {
                new IndexedTensor("c", ExpandOperator.BroadcastStrides(context.InputShape(0), ys)),
                new IndexedTensor("a", ExpandOperator.BroadcastStrides(context.InputShape(1), ys)),
                new IndexedTensor("b", ExpandOperator.BroadcastStrides(context.InputShape(2), ys)),
                IndexedTensor.RowMajor("i", ys),
            };
            LoopNest.Emit(context.Writer, ys, tensors, i => "y[" + i[3] + "] = condition[" + i[0] + "] ? a[" + i[1] + "] : b[" + i[2] + "];");
        }
    }

    /// <summary>DepthToSpace / SpaceToDepth: a strided copy over a 6-D view of the output.</summary>
    internal sealed class DepthSpaceEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "DepthToSpace", "SpaceToDepth" };

        public override string Describe(EmitContext context)
            => "blocksize " + context.Node.GetInt("blocksize", 1) + (context.Node.OpType == "DepthToSpace" ? ", " + context.Node.GetString("mode", "DCR") : "");

        public override void EmitBody(EmitContext context)
        {
            var node = context.Node;
            var (view, strides) = DepthSpaceOperator.Layout(node.OpType, context.InputShape(0), node.GetInt("blocksize", 1), node.GetString("mode", "DCR"));
            LoopNest.EmitCopy(context.Writer, view, new IndexedTensor("src", strides), "x", "y");
        }
    }
}
