using System.Collections.Generic;
using System.Text;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// Every <see cref="ElementwiseMathOperator"/> op: loops over the output (one flat loop when no
    /// operand is broadcast, otherwise nested loops over the collapsed output shape with constant
    /// strides), each element read into a local and the op's expression from
    /// <see cref="ElementwiseMathExpressions"/> applied. Helpers (Erf, integer Power, Mod) follow as
    /// local functions.
    /// </summary>
    internal sealed class ElementwiseMathEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new ElementwiseMathOperator().OpTypes;

        public override string Describe(EmitContext context)
        {
            var node = context.Node;
            var text = new StringBuilder();
            void Add(string part) => text.Append(text.Length > 0 ? ", " : "").Append(part);
            foreach (var (name, _) in ElementwiseMathOperator.Specs[node.OpType].Floats) Add(name + " " + Literals.Float(node.GetFloat(name, 0)));
            switch (node.OpType)
            {
                case "Gelu": Add("approximate " + node.GetString("approximate", "none")); break;
                case "BitShift": Add(node.GetString("direction", "") == "LEFT" ? "left" : "right"); break;
                case "Mod": Add(node.GetInt("fmod", 0) != 0 ? "fmod" : "floored"); break;
                case "IsInf": Add("detect_negative " + node.GetInt("detect_negative", 1) + ", detect_positive " + node.GetInt("detect_positive", 1)); break;
            }
            var y = context.OutputShape(0);
            for (int i = 0; i < context.Node.Inputs.Count; i++)
            {
                var shape = context.InputShape(i);
                if (!Shape.SameAs(shape, y)) Add("input " + i + (Shape.ElementCount(shape) == 1 ? " scalar" : " broadcast " + Shape.Format(shape)));
            }
            return text.ToString();
        }

        public override void EmitBody(EmitContext context)
        {
            var node = context.Node;
            long[] y = context.OutputShape(0);
            if (Shape.ElementCount(y) == 0)
            {
                context.Line("// Empty output: nothing to compute.");
                return;
            }
            int count = node.Inputs.Count;
            var types = new DataType[count];
            var strides = new long[count + 1][];
            strides[0] = Shape.Strides(y);
            for (int k = 0; k < count; k++)
            {
                types[k] = context.Input(k).Type;
                var shape = context.InputShape(k);
                strides[k + 1] = Broadcasting.Strides(Broadcasting.Align(shape, y.Length, y.Length - shape.Length), y);
            }
            var (dims, collapsed) = StridedLoops.Collapse(y, strides);
            var locals = LocalNames(count);
            var helpers = new SortedSet<string>(System.StringComparer.Ordinal);
            bool square = IsSquare(context);
            string expression = square ? locals[0] + " * " + locals[0] : ElementwiseMathExpressions.For(node, types, locals, helpers);

            int rank = dims.Length;
            if (rank > 1)
            {
                var names = new StringBuilder();
                for (int k = 0; k < count; k++) names.Append(k > 0 ? ", " : "").Append(context.InputName(k)).Append(' ').Append(StridedLoops.Format(collapsed[k + 1]));
                context.Line("// Element strides per loop " + StridedLoops.Format(dims) + ": " + names + " (0 = broadcast).");
            }
            // A single-element operand (a scalar exponent, slope, bound) is read once, before the loops.
            var scalar = new bool[count];
            for (int k = 0; k < count; k++)
            {
                scalar[k] = rank > 0 && Shape.ElementCount(context.InputShape(k)) == 1;
                if (square && k == 1) continue; // the exponent is the literal 2
                if (scalar[k]) context.Line(DataTypes.CSharpName(types[k]) + " " + locals[k] + " = " + context.InputName(k) + "[0];");
            }
            var scopes = new Stack<SourceWriter.BlockScope>();
            for (int d = 0; d < rank; d++) scopes.Push(StridedLoops.For(context, d, dims[d]));
            for (int k = 0; k < count; k++)
            {
                if (!scalar[k] && !(square && k == 1)) context.Line(DataTypes.CSharpName(types[k]) + " " + locals[k] + " = " + context.InputName(k) + "[" + StridedLoops.Index(collapsed[k + 1], rank) + "];");
            }
            context.Line(context.OutputName(0) + "[" + StridedLoops.Index(collapsed[0], rank) + "] = " + expression + ";");
            while (scopes.Count > 0) scopes.Pop().Dispose();

            foreach (string helper in helpers) ElementwiseMathExpressions.Helper(context.Writer, helper, node, types);
        }

        /// <summary>
        /// Pow of a float base by the constant 2 (x² in normalization layers): a * a, which is the
        /// correctly rounded square that pow returns, without the call.
        /// </summary>
        private static bool IsSquare(EmitContext context)
        {
            if (context.Node.OpType != "Pow" || !DataTypes.IsFloat(context.Input(0).Type)) return false;
            var exponent = context.Input(1);
            if (exponent.Storage != TensorStorage.Weight || exponent.ElementCount != 1) return false;
            byte[] data = exponent.Data.ToArray();
            return exponent.Type switch
            {
                DataType.Float32 => System.BitConverter.ToSingle(data, 0) == 2f,
                DataType.Float64 => System.BitConverter.ToDouble(data, 0) == 2.0,
                DataType.Int32 => System.BitConverter.ToInt32(data, 0) == 2,
                DataType.Int64 => System.BitConverter.ToInt64(data, 0) == 2,
                _ => false,
            };
        }

        /// <summary>v for one operand, a and b for two, v0, v1, ... for more.</summary>
        private static string[] LocalNames(int count)
        {
            if (count == 1) return new[] { "v" };
            if (count == 2) return new[] { "a", "b" };
            var names = new string[count];
            for (int k = 0; k < count; k++) names[k] = "v" + Literals.Int(k);
            return names;
        }
    }
}
