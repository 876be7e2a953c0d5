using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>Reading one index of a run-time or build-time-checked index tensor inside a kernel.</summary>
    internal static class IndexRead
    {
        /// <summary>
        /// Declares <c>int {name} = indices[{at}]</c>; unchecked indices are wrapped when negative and
        /// throw when outside [0, <paramref name="bound"/>).
        /// </summary>
        public static void Emit(EmitContext context, string name, string at, long bound, string op)
        {
            var w = context.Writer;
            if (context.Node.GetInt("indices_checked", 0) == 1)
            {
                w.Line("int " + name + " = (int)indices[" + at + "];");
                return;
            }
            w.Line("long " + name + "Raw = indices[" + at + "];");
            w.Line("if (" + name + "Raw < 0) " + name + "Raw += " + Literals.Int(bound) + ";");
            w.Line("if ((ulong)" + name + "Raw >= " + Literals.Int(bound) + "UL) throw new global::System.IndexOutOfRangeException(\"" + op + " index out of range.\");");
            w.Line("int " + name + " = (int)" + name + "Raw;");
        }

        /// <summary>The statement storing <paramref name="value"/> into <paramref name="target"/> under a scatter reduction.</summary>
        public static string Combine(string reduction, string type, string target, string value) => reduction switch
        {
            "add" => target + " = unchecked((" + type + ")(" + target + " + " + value + "));",
            "mul" => target + " = unchecked((" + type + ")(" + target + " * " + value + "));",
            "max" => target + " = global::System.Math.Max(" + target + ", " + value + ");",
            "min" => target + " = global::System.Math.Min(" + target + ", " + value + ");",
            _ => target + " = " + value + ";",
        };

        /// <summary>Opens one loop per dimension of <paramref name="shape"/> (variables i0, i1, ...).</summary>
        public static List<SourceWriter.BlockScope> OpenLoops(EmitContext context, long[] shape)
        {
            var scopes = new List<SourceWriter.BlockScope>();
            for (int d = 0; d < shape.Length; d++) scopes.Add(StridedLoops.For(context, d, shape[d]));
            return scopes;
        }

        public static void Close(List<SourceWriter.BlockScope> scopes)
        {
            for (int i = scopes.Count - 1; i >= 0; i--) scopes[i].Dispose();
        }

        /// <summary>Strides of <paramref name="shape"/> with the axis dimension zeroed (its coordinate comes from an index).</summary>
        public static long[] WithoutAxis(long[] shape, int axis)
        {
            long[] strides = Shape.Strides(shape);
            strides[axis] = 0;
            return strides;
        }
    }

    /// <summary>GatherElements: loops over the indices' shape, replacing the axis coordinate by the index.</summary>
    internal sealed class GatherElementsEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "GatherElements" };

        public override string InputName(NodePlan node, int index) => index == 0 ? "x" : "indices";

        public override string Describe(EmitContext context) => "axis " + context.Node.GetInt("axis", 0);

        public override void EmitBody(EmitContext context)
        {
            long[] xs = context.InputShape(0), shape = context.InputShape(1);
            int axis = (int)context.Node.GetInt("axis", 0);
            if (Shape.ElementCount(shape) == 0) return;
            long axisStride = Shape.Strides(xs)[axis];
            var scopes = IndexRead.OpenLoops(context, shape);
            context.Line("int at = " + StridedLoops.Index(Shape.Strides(shape), shape.Length) + ";");
            IndexRead.Emit(context, "k", "at", xs[axis], "GatherElements");
            context.Line("y[at] = x[" + Expr.Sum(0, StridedLoops.Index(IndexRead.WithoutAxis(xs, axis), xs.Length), Expr.Mul("k", axisStride)) + "];");
            IndexRead.Close(scopes);
        }
    }

    /// <summary>ScatterElements / Scatter: copy data, then write or combine each update at its indexed position.</summary>
    internal sealed class ScatterElementsEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "ScatterElements", "Scatter" };

        public override string InputName(NodePlan node, int index) => index switch { 0 => "x", 1 => "indices", _ => "updates" };

        public override string Describe(EmitContext context)
            => "axis " + context.Node.GetInt("axis", 0) + ", reduction " + context.Node.GetString("reduction", "none");

        public override void EmitBody(EmitContext context)
        {
            long[] xs = context.InputShape(0), shape = context.InputShape(1);
            int axis = (int)context.Node.GetInt("axis", 0);
            if (!EmitContext.SameStorage(context.Input(0), context.Output(0))) context.Line("x.CopyTo(y);");
            if (Shape.ElementCount(shape) == 0) return;
            string t = EmitContext.ElementType(context.Input(0));
            var scopes = IndexRead.OpenLoops(context, shape);
            context.Line("int at = " + StridedLoops.Index(Shape.Strides(shape), shape.Length) + ";");
            IndexRead.Emit(context, "k", "at", xs[axis], context.Node.OpType);
            string target = "y[" + Expr.Sum(0, StridedLoops.Index(IndexRead.WithoutAxis(xs, axis), xs.Length), Expr.Mul("k", Shape.Strides(xs)[axis])) + "]";
            context.Line(IndexRead.Combine(context.Node.GetString("reduction", "none"), t, target, "updates[at]"));
            IndexRead.Close(scopes);
        }
    }

    /// <summary>GatherND: per index tuple, one contiguous slice copy.</summary>
    internal sealed class GatherNDEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "GatherND" };

        public override string InputName(NodePlan node, int index) => index == 0 ? "x" : "indices";

        public override string Describe(EmitContext context) => "batch_dims " + context.Node.GetInt("batch_dims", 0);

        public override void EmitBody(EmitContext context)
        {
            long[] xs = context.InputShape(0), js = context.InputShape(1);
            int b = (int)context.Node.GetInt("batch_dims", 0);
            int m = (int)js[js.Length - 1];
            long batches = Product(xs, 0, b), tuples = Product(js, b, js.Length - 1), slice = Product(xs, b + m, xs.Length);
            if (batches * tuples * slice == 0) return;
            long[] strides = Shape.Strides(xs);
            long batchStride = b == 0 ? 0 : strides[b - 1];
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            using (w.Block("for (int batch = 0; batch < " + I(batches) + "; batch++)"))
            using (w.Block("for (int t = 0; t < " + I(tuples) + "; t++)"))
            {
                w.Line("int tuple = " + Expr.Sum(0, Expr.Mul("batch", tuples), "t") + ";");
                var terms = new List<string> { Expr.Mul("batch", batchStride) };
                for (int j = 0; j < m; j++)
                {
                    IndexRead.Emit(context, "k" + I(j), Expr.Sum(j, Expr.Mul("tuple", m)), xs[b + j], "GatherND");
                    terms.Add(Expr.Mul("k" + I(j), strides[b + j]));
                }
                string source = Expr.Sum(0, terms.ToArray());
                if (slice == 1) w.Line("y[tuple] = x[" + source + "];");
                else w.Line("x.Slice(" + source + ", " + I(slice) + ").CopyTo(y.Slice(tuple * " + I(slice) + ", " + I(slice) + "));");
            }
        }

        internal static long Product(long[] dims, int from, int to)
        {
            long p = 1;
            for (int i = from; i < to; i++) p *= dims[i];
            return p;
        }
    }

    /// <summary>ScatterND: copy data, then write or combine each update slice at its index tuple.</summary>
    internal sealed class ScatterNDEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "ScatterND" };

        public override string InputName(NodePlan node, int index) => index switch { 0 => "x", 1 => "indices", _ => "updates" };

        public override string Describe(EmitContext context) => "reduction " + context.Node.GetString("reduction", "none");

        public override void EmitBody(EmitContext context)
        {
            long[] xs = context.InputShape(0), js = context.InputShape(1);
            int m = (int)js[js.Length - 1];
            long tuples = GatherNDEmitter.Product(js, 0, js.Length - 1), slice = GatherNDEmitter.Product(xs, m, xs.Length);
            if (!EmitContext.SameStorage(context.Input(0), context.Output(0))) context.Line("x.CopyTo(y);");
            if (tuples * slice == 0) return;
            string reduction = context.Node.GetString("reduction", "none");
            string t = EmitContext.ElementType(context.Input(0));
            long[] strides = Shape.Strides(xs);
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            using (w.Block("for (int tuple = 0; tuple < " + I(tuples) + "; tuple++)"))
            {
                var terms = new List<string>();
                for (int j = 0; j < m; j++)
                {
                    IndexRead.Emit(context, "k" + I(j), Expr.Sum(j, Expr.Mul("tuple", m)), xs[j], "ScatterND");
                    terms.Add(Expr.Mul("k" + I(j), strides[j]));
                }
                string target = Expr.Sum(0, terms.ToArray());
                if (reduction == "none" && slice > 1)
                    w.Line("updates.Slice(tuple * " + I(slice) + ", " + I(slice) + ").CopyTo(y.Slice(" + target + ", " + I(slice) + "));");
                else if (slice == 1) w.Line(IndexRead.Combine(reduction, t, "y[" + target + "]", "updates[tuple]"));
                else
                {
                    w.Line("int start = " + target + ";");
                    using (w.Block("for (int s = 0; s < " + I(slice) + "; s++)"))
                        w.Line(IndexRead.Combine(reduction, t, "y[start + s]", "updates[" + Expr.Sum(0, Expr.Mul("tuple", slice), "s") + "]"));
                }
            }
        }
    }

    /// <summary>TensorScatter: copy the cache, then per position before the axis one block copy per update row.</summary>
    internal sealed class TensorScatterEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "TensorScatter" };

        public override string InputName(NodePlan node, int index) => index switch { 0 => "past", 1 => "update", _ => "writeIndices" };

        public override string Describe(EmitContext context) => "axis " + context.Node.GetInt("axis", 1) + ", " + context.Node.GetString("mode", "linear");

        public override void EmitBody(EmitContext context)
        {
            long[] ps = context.InputShape(0), us = context.InputShape(1);
            int axis = (int)context.Node.GetInt("axis", 1);
            bool circular = context.Node.GetString("mode", "linear") == "circular";
            long prefix = GatherNDEmitter.Product(ps, 0, axis), perBatch = GatherNDEmitter.Product(ps, 1, axis);
            long maxSeq = ps[axis], seq = us[axis], inner = GatherNDEmitter.Product(ps, axis + 1, ps.Length);
            var w = context.Writer;
            if (!EmitContext.SameStorage(context.Input(0), context.Output(0))) w.Line("past.CopyTo(y);");
            if (prefix * seq * inner == 0) return;
            string I(long v) => Literals.Int(v);
            using (w.Block("for (int p = 0; p < " + I(prefix) + "; p++)"))
            {
                if (context.HasInput(2))
                {
                    w.Line("long start = writeIndices[" + (perBatch == 1 ? "p" : "p / " + I(perBatch)) + "];");
                    if (!circular)
                        w.Line("if (start < 0 || start > " + I(maxSeq - seq) + ") throw new global::System.ArgumentOutOfRangeException(nameof(writeIndices), \"TensorScatter write index out of range.\");");
                }
                else w.Line("const long start = 0;");
                using (w.Block("for (int s = 0; s < " + I(seq) + "; s++)"))
                {
                    if (circular)
                    {
                        w.Line("long position = (start + s) % " + I(maxSeq) + ";");
                        w.Line("if (position < 0) position += " + I(maxSeq) + ";");
                    }
                    else w.Line("long position = start + s;");
                    string from = Expr.Mul("(" + Expr.Sum(0, Expr.Mul("p", seq), "s") + ")", inner);
                    string to = Expr.Mul("(" + Expr.Sum(0, Expr.Mul("p", maxSeq), "(int)position") + ")", inner);
                    if (inner == 1) w.Line("y[" + to + "] = update[" + from + "];");
                    else w.Line("update.Slice(" + from + ", " + I(inner) + ").CopyTo(y.Slice(" + to + ", " + I(inner) + "));");
                }
            }
        }
    }

    /// <summary>ReverseSequence: per batch entry, the first sequence_lens[b] time steps in reverse order.</summary>
    internal sealed class ReverseSequenceEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "ReverseSequence" };

        public override string InputName(NodePlan node, int index) => index == 0 ? "x" : "sequenceLens";

        public override string Describe(EmitContext context)
            => "batch_axis " + context.Node.GetInt("batch_axis", 1) + ", time_axis " + context.Node.GetInt("time_axis", 0);

        public override void EmitBody(EmitContext context)
        {
            long[] xs = context.InputShape(0);
            int batchAxis = (int)context.Node.GetInt("batch_axis", 1), timeAxis = (int)context.Node.GetInt("time_axis", 0);
            long inner = GatherNDEmitter.Product(xs, 2, xs.Length);
            long[] strides = Shape.Strides(xs);
            long batches = xs[batchAxis], steps = xs[timeAxis];
            if (batches * steps * inner == 0) return;
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            using (w.Block("for (int b = 0; b < " + I(batches) + "; b++)"))
            {
                w.Line("long length = sequenceLens[b];");
                w.Line("if ((ulong)length > " + I(steps) + "UL) throw new global::System.ArgumentOutOfRangeException(\"sequence_lens\", \"ReverseSequence length out of range.\");");
                using (w.Block("for (int t = 0; t < " + I(steps) + "; t++)"))
                {
                    w.Line("int source = t < length ? (int)length - 1 - t : t;");
                    string from = Expr.Sum(0, Expr.Mul("b", strides[batchAxis]), Expr.Mul("source", strides[timeAxis]));
                    string to = Expr.Sum(0, Expr.Mul("b", strides[batchAxis]), Expr.Mul("t", strides[timeAxis]));
                    if (inner == 1) w.Line("y[" + to + "] = x[" + from + "];");
                    else w.Line("x.Slice(" + from + ", " + I(inner) + ").CopyTo(y.Slice(" + to + ", " + I(inner) + "));");
                }
            }
        }
    }
}
