using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// Add, Sub, Mul, Div. Three kernel shapes: same-shape operands → one flat loop; a single-element
    /// operand → a flat loop with that value held in a local (or written as a literal when it is a
    /// weight); otherwise nested loops over the collapsed output shape with constant strides.
    /// </summary>
    internal sealed class BinaryElementwiseEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Add", "Sub", "Mul", "Div" };

        public override string Describe(EmitContext context)
        {
            var y = context.OutputShape(0);
            string text = "";
            for (int i = 0; i < 2; i++)
            {
                var shape = context.InputShape(i);
                if (Shape.SameAs(shape, y)) continue;
                text += (text.Length > 0 ? ", " : "") + (Shape.ElementCount(shape) == 1 ? "scalar " : "broadcast ") + Shape.Format(shape);
            }
            return (text.Length == 0 ? "same shape" : text) + ActivationEpilogue.Describe(context.Node);
        }

        public override void EmitBody(EmitContext context)
        {
            var node = context.Node;
            long[] y = context.OutputShape(0);
            long n = Shape.ElementCount(y);
            if (n == 0)
            {
                context.Line("// Empty output: nothing to compute.");
                return;
            }
            long? axis = node.Attribute(BinaryElementwiseOperator.BroadcastAxis)?.Int;
            var strides = new[]
            {
                Shape.Strides(y),
                BinaryElementwiseOperator.InputStrides(context.InputShape(0), y, 0, axis),
                BinaryElementwiseOperator.InputStrides(context.InputShape(1), y, 1, axis),
            };
            var (dims, collapsed) = StridedLoops.Collapse(y, strides);
            string type = EmitContext.ElementType(context.Output(0));

            if (dims.Length == 1 && collapsed[1][0] == 1 && collapsed[2][0] == 1 && UsesVectorAdd(context))
            {
                // Same-shape float Add (a residual connection), its Relu/Clip fused: one vector pass.
                bool clamp = node.GetString("activation", "") == "Clip";
                context.Line("AddClamp(" + context.InputName(0) + ", " + context.InputName(1) + ", " + context.OutputName(0) + ", " + (clamp ? "true, "
                    + Literals.Float(node.GetFloat("activation_min", float.NegativeInfinity)) + ", " + Literals.Float(node.GetFloat("activation_max", float.PositiveInfinity)) : "false, 0f, 0f") + ");");
                return;
            }

            if (dims.Length <= 1)
            {
                // Each operand is either walked contiguously or is a single element.
                var operands = new string[2];
                for (int k = 0; k < 2; k++)
                {
                    if (dims.Length == 1 && collapsed[k + 1][0] == 1)
                    {
                        operands[k] = context.InputName(k) + "[i]";
                        continue;
                    }
                    operands[k] = ScalarLiteral(context.Input(k)) ?? (k == 0 ? "a" : "b");
                    if (operands[k] is "a" or "b") context.Line(type + " " + operands[k] + " = " + context.InputName(k) + "[0];");
                }
                if (dims.Length == 0)
                {
                    context.Line(context.OutputName(0) + "[0] = " + Operation(context, operands[0], operands[1]) + ";");
                    return;
                }
                using (context.Block("for (int i = 0; i < " + Literals.Int(n) + "; i++)"))
                {
                    context.Line(context.OutputName(0) + "[i] = " + Operation(context, operands[0], operands[1]) + ";");
                }
                return;
            }

            int rank = dims.Length;
            context.Line("// Element strides per loop " + StridedLoops.Format(dims) + ": "
                + context.InputName(0) + " " + StridedLoops.Format(collapsed[1]) + ", "
                + context.InputName(1) + " " + StridedLoops.Format(collapsed[2]) + " (0 = broadcast).");
            EmitLoops(context, dims, collapsed, type, 0);
        }

        /// <summary>
        /// Float Add with no activation or a fused Relu/Clip: one vector pass of the float kernel library's AddClamp.
        /// </summary>
        private static bool UsesVectorAdd(EmitContext context)
        {
            var node = context.Node;
            string activation = node.GetString("activation", "");
            return node.OpType == "Add" && context.Output(0).Type == DataType.Float32 && (activation.Length == 0 || activation == "Clip");
        }

        private static void EmitLoops(EmitContext context, long[] dims, long[][] strides, string type, int d)
        {
            int inner = dims.Length - 1;
            using (StridedLoops.For(context, d, dims[d]))
            {
                if (d + 1 < inner)
                {
                    EmitLoops(context, dims, strides, type, d + 1);
                    return;
                }
                if (d + 1 == inner)
                {
                    // Operands constant along the innermost loop are read once per row.
                    var operands = new string[2];
                    for (int k = 0; k < 2; k++)
                    {
                        if (strides[k + 1][inner] != 0) continue;
                        operands[k] = k == 0 ? "a" : "b";
                        context.Line(type + " " + operands[k] + " = " + context.InputName(k) + "[" + StridedLoops.Index(strides[k + 1], inner) + "];");
                    }
                    using (StridedLoops.For(context, inner, dims[inner]))
                    {
                        EmitElement(context, strides, operands, dims.Length);
                    }
                    return;
                }
                EmitElement(context, strides, new string[2], dims.Length);
            }
        }

        private static void EmitElement(EmitContext context, long[][] strides, string[] hoisted, int rank)
        {
            string a = hoisted[0] ?? context.InputName(0) + "[" + StridedLoops.Index(strides[1], rank) + "]";
            string b = hoisted[1] ?? context.InputName(1) + "[" + StridedLoops.Index(strides[2], rank) + "]";
            context.Line(context.OutputName(0) + "[" + StridedLoops.Index(strides[0], rank) + "] = " + Operation(context, a, b) + ";");
        }

        private static bool ContainsMinusOne(TensorPlan constant)
        {
            byte[] data = constant.Data.ToArray();
            for (long i = 0; i < constant.ElementCount; i++)
            {
                if (TensorData.ReadAsInt64(data, constant.Type, i) == -1) return true;
            }
            return false;
        }

        /// <summary>The value of a one-element weight as a C# literal, or null.</summary>
        private static string? ScalarLiteral(TensorPlan tensor)
        {
            if (tensor.Storage != TensorStorage.Weight || tensor.ElementCount != 1) return null;
            byte[] data = tensor.Data.ToArray();
            string literal = tensor.Type switch
            {
                DataType.Float32 => Literals.Float(BitConverter.ToSingle(data, 0)),
                DataType.Float64 => Literals.Double(BitConverter.ToDouble(data, 0)),
                DataType.Int32 => Literals.Int(BitConverter.ToInt32(data, 0)),
                _ => Literals.Long(BitConverter.ToInt64(data, 0)),
            };
            return literal.StartsWith("-", StringComparison.Ordinal) ? "(" + literal + ")" : literal;
        }

        private static string Operation(EmitContext context, string a, string b)
        {
            string op = context.Node.OpType;
            var type = context.Output(0).Type;
            string symbol = op switch
            {
                "Add" => " + ",
                "Sub" => " - ",
                "Mul" => " * ",
                _ => " / ",
            };
            if (ActivationEpilogue.IsPresent(context.Node)) return ActivationEpilogue.Apply(context.Node, "(" + a + symbol + b + ")");
            if (type is not (DataType.Int32 or DataType.Int64)) return a + symbol + b;
            // Integer Add/Sub/Mul wrap around (two's complement), also in checked builds.
            if (op != "Div") return "unchecked(" + a + symbol + b + ")";
            // Integer Div truncates toward zero as C# does, but never throws from Run: ONNX leaves
            // x / 0 undefined and EdgeAot gives 0 (as its Mod does), and MinValue / -1 wraps to MinValue.
            // A constant divisor is nonzero (the compiler refuses a zero) and usually not -1: no test.
            var divisor = context.Input(1);
            if (divisor.Storage == TensorStorage.Weight && !ContainsMinusOne(divisor)) return a + symbol + b;
            return "(" + b + " == 0 ? 0 : " + b + " == -1 ? unchecked(-" + a + ") : " + a + symbol + b + ")";
        }
    }
}
