using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>ConstantOfShape too large to fold: fills the output at run time.</summary>
    internal sealed class ConstantOfShapeEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "ConstantOfShape" };

        public override void EmitBody(EmitContext context)
            => context.Line("y.Fill(" + LoopNest.ScalarLiteral(context.Output(0).Type, context.Node, "value") + ");");
    }

    /// <summary>
    /// Cast, element by element. Float to integer truncates toward zero and saturates (NaN → 0),
    /// written out explicitly so the result does not depend on the runtime's conversion rules;
    /// integer narrowing wraps inside <c>unchecked</c>. To float16, .NET's conversions to
    /// <c>System.Half</c> round once to nearest, ties to even, and overflow to infinity, as the spec asks.
    /// </summary>
    internal sealed class CastEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Cast" };

        public override string Describe(EmitContext context)
            => Literals.TypeName(context.Input(0).Type) + " to " + Literals.TypeName(context.Output(0).Type);

        public override void EmitBody(EmitContext context)
        {
            DataType from = context.Input(0).Type, to = context.Output(0).Type;
            long count = context.Input(0).ElementCount;
            if (count == 0)
            {
                context.Line("// empty: nothing to do");
                return;
            }
            using (context.Block("for (int i = 0; i < " + Literals.Int(count) + "; i++)"))
            {
                if (from == DataType.Float16 && to != DataType.Float16)
                {
                    // Every Half value is a float, so widening first is exact and the float rules below apply.
                    context.Line("float v = (float)x[i];");
                    from = DataType.Float32;
                }
                else context.Line("var v = x[i];");
                context.Line("y[i] = " + Convert(from, to, "v") + ";");
            }
        }

        private static string Convert(DataType from, DataType to, string v)
        {
            string target = DataTypes.CSharpName(to);
            if (from == to) return v;
            if (to == DataType.Bool) return from == DataType.Bool ? v : v + " != 0";
            if (from == DataType.Bool) return v + " ? (" + target + ")1 : (" + target + ")0";
            if (DataTypes.IsFloat(to)) return "(" + target + ")" + v;
            if (!DataTypes.IsFloat(from)) return "unchecked((" + target + ")" + v + ")";
            string nan = (from == DataType.Float32 ? "float" : "double") + ".IsNaN(" + v + ")";
            if (to == DataType.UInt64)
                return nan + " || " + v + " <= 0 ? 0UL : " + v + " >= 18446744073709551615.0 ? ulong.MaxValue : unchecked((ulong)" + v + ")";
            var (min, max) = CastOperator.Range(to);
            return nan + " ? (" + target + ")0 : " + v + " <= " + Literals.Double(min) + " ? " + target + ".MinValue : " + v + " >= " + Literals.Double(max)
                + " ? " + target + ".MaxValue : unchecked((" + target + ")" + v + ")";
        }
    }
}
