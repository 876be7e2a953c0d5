using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// CastLike (opset 15): Cast to the element type of the second input, whose values are never
    /// read. Lowering rewrites the node into a plain Cast (<c>to</c> = that type, second input
    /// dropped), so folding, the memory plan and the generator all treat it as the Cast it is.
    /// </summary>
    public sealed class CastLikeOperator : OperatorDefinition
    {
        private static readonly CastOperator Cast = new CastOperator();

        public override IReadOnlyList<string> OpTypes { get; } = new[] { "CastLike" };

        public override Float16Handling Float16(Node node) => Float16Handling.Native;

        public override int MinOpset => 15;

        public override void Lower(Node node, LoweringContext context)
        {
            if (node.Inputs.Count != 2) throw context.Fail(node, "expects 2 inputs, got " + node.Inputs.Count + ".");
            context.Required(node, 0);
            var target = context.Required(node, 1);
            if (!CastOperator.IsCastable(target.Type)) throw context.UnsupportedType(node, target.Type);
            node.Inputs.RemoveAt(1);
            node.OpType = "Cast";
            node.Attributes.Set(Attribute.FromInt("to", (long)target.Type));
            Cast.Lower(node, context);
        }

        public override bool CanEvaluate(Node node) => Cast.CanEvaluate(node);

        public override void Evaluate(Node node, LoweringContext context) => Cast.Evaluate(node, context);
    }
}
