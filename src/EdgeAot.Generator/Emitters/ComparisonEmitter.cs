using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>Comparisons and bool logic with broadcasting: one nested loop, bool output.</summary>
    internal sealed class ComparisonEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "Not", "And", "Or", "Xor" };

        public override string InputName(NodePlan node, int index) => node.Inputs.Count == 1 ? "x" : index == 0 ? "a" : "b";

        public override void EmitBody(EmitContext context)
        {
            string op = context.Node.OpType;
            long[] ys = context.OutputShape(0);
            long count = Shape.ElementCount(ys);
            if (count == 0)
            {
                context.Line("// empty output: nothing to do");
                return;
            }
            if (op == "Not")
            {
                context.Line("for (int i = 0; i < " + Literals.Int(count) + "; i++) y[i] = !x[i];");
                return;
            }
            string symbol = op switch
            {
                "Equal" => "==",
                "Greater" => ">",
                "Less" => "<",
                "GreaterOrEqual" => ">=",
                "LessOrEqual" => "<=",
                "And" => "&",
                "Or" => "|",
                _ => "^",
            };
            var tensors = new[]
            {
                new IndexedTensor("a", ExpandOperator.BroadcastStrides(context.InputShape(0), ys)),
                new IndexedTensor("b", ExpandOperator.BroadcastStrides(context.InputShape(1), ys)),
                IndexedTensor.RowMajor("i", ys),
            };
            LoopNest.Emit(context.Writer, ys, tensors, i => "y[" + i[2] + "] = a[" + i[0] + "] " + symbol + " b[" + i[1] + "];");
        }
    }
}
