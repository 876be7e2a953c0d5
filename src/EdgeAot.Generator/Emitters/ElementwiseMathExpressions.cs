using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// The table behind <see cref="ElementwiseMathEmitter"/>: for each op and element type, the C#
    /// expression computing one output element from operand locals (the same formulas as the
    /// compiler's <see cref="ScalarMath"/>). Ops that need more than an expression name a helper
    /// (<see cref="Helper"/>) that the emitter writes as a local function of the kernel.
    /// </summary>
    internal static class ElementwiseMathExpressions
    {
        public const string Erf = "Erf", Power = "Power", Mod = "Mod";

        private const string SystemMath = "global::System.Math";

        /// <summary>
        /// One output element of <paramref name="node"/> from <paramref name="operands"/> (locals of
        /// <paramref name="types"/>); helpers it calls are added to <paramref name="helpers"/>.
        /// </summary>
        public static string For(NodePlan node, DataType[] types, string[] operands, ISet<string> helpers)
        {
            var type = types[0];
            return DataTypes.IsFloat(type) ? FloatExpression(node, types, operands, helpers) : IntegerExpression(node, types, operands, helpers);
        }

        private static string FloatExpression(NodePlan node, DataType[] types, string[] operands, ISet<string> helpers)
        {
            var type = types[0];
            bool single = type == DataType.Float32;
            string m = single ? "global::System.MathF" : SystemMath;
            string name = single ? "float" : "double";
            string L(double value) => Literal(type, value);
            string A(string attribute) => L(node.GetFloat(attribute, 0));
            string v = operands[0];
            string zero = L(0), one = L(1);
            string? activation = Activation(node.OpType, type, v, attribute => node.GetFloat(attribute, 0));
            if (activation is not null) return activation;
            switch (node.OpType)
            {
                case "Gelu":
                    if (node.GetString("approximate", "none") == "tanh")
                        return L(0.5) + " * " + v + " * (" + one + " + " + m + ".Tanh(" + L(Math.Sqrt(2 / Math.PI)) + " * (" + v + " + " + L(0.044715) + " * " + v + " * " + v + " * " + v + ")))";
                    helpers.Add(Erf);
                    return L(0.5) + " * " + v + " * (" + one + " + " + Cast(name, "Erf(" + v + " * " + L(1 / Math.Sqrt(2)) + ")", single) + ")";
                case "Shrink":
                    return v + " < -" + A("lambd") + " ? " + v + " + " + A("bias") + " : " + v + " > " + A("lambd") + " ? " + v + " - " + A("bias") + " : " + zero;
                case "Erf":
                    helpers.Add(Erf);
                    return Cast(name, "Erf(" + v + ")", single);
                case "Exp": return m + ".Exp(" + v + ")";
                case "Log": return m + ".Log(" + v + ")";
                case "Sqrt": return m + ".Sqrt(" + v + ")";
                case "Reciprocal": return one + " / " + v;
                case "Floor": return m + ".Floor(" + v + ")";
                case "Ceil": return m + ".Ceiling(" + v + ")";
                case "Round": return m + ".Round(" + v + ")"; // MidpointRounding.ToEven
                case "Neg": return "-" + v;
                case "Abs": return m + ".Abs(" + v + ")";
                // Not Math.Sign: it throws on NaN, where ONNX gives NaN.
                case "Sign": return v + " > " + zero + " ? " + one + " : " + v + " < " + zero + " ? " + L(-1) + " : " + v;
                case "Sin": return m + ".Sin(" + v + ")";
                case "Cos": return m + ".Cos(" + v + ")";
                case "Tan": return m + ".Tan(" + v + ")";
                case "Asin": return m + ".Asin(" + v + ")";
                case "Acos": return m + ".Acos(" + v + ")";
                case "Atan": return m + ".Atan(" + v + ")";
                case "Sinh": return m + ".Sinh(" + v + ")";
                case "Cosh": return m + ".Cosh(" + v + ")";
                case "Asinh": return m + ".Asinh(" + v + ")";
                case "Acosh": return m + ".Acosh(" + v + ")";
                case "Atanh": return m + ".Atanh(" + v + ")";
                case "IsNaN": return name + ".IsNaN(" + v + ")";
                case "IsInf":
                    bool negative = node.GetInt("detect_negative", 1) != 0, positive = node.GetInt("detect_positive", 1) != 0;
                    if (negative && positive) return name + ".IsInfinity(" + v + ")";
                    if (positive) return name + ".IsPositiveInfinity(" + v + ")";
                    return negative ? name + ".IsNegativeInfinity(" + v + ")" : "false";
                case "PRelu": return operands[0] + " < " + zero + " ? " + operands[0] + " * " + operands[1] + " : " + operands[0];
                case "Pow":
                    // An integer exponent converts implicitly; a double exponent on a float base is
                    // computed in double, as the reference promotes it.
                    if (single && types[1] == DataType.Float64) return "(float)" + SystemMath + ".Pow(" + operands[0] + ", " + operands[1] + ")";
                    return m + ".Pow(" + operands[0] + ", " + operands[1] + ")";
                case "Mod": return operands[0] + " % " + operands[1]; // C# % on floats is C's fmod (fmod=1)
                case "Min":
                case "Max":
                    return Chain(m + "." + node.OpType, operands);
                case "Sum": return string.Join(" + ", operands);
                case "Mean": return "(" + string.Join(" + ", operands) + ") / " + L(operands.Length);
                default:
                    throw new NotSupportedException(node.OpType + " on " + type);
            }
        }

        /// <summary>
        /// Ops that are a function of one float value and float attributes only: the kernels here use
        /// them, and Conv/Gemm/MatMul apply them as a fused epilogue (<see cref="ActivationEpilogue"/>).
        /// </summary>
        public static readonly IReadOnlyCollection<string> FusableActivations = new[]
        {
            "LeakyRelu", "Elu", "Selu", "Celu", "ThresholdedRelu", "HardSigmoid", "HardSwish", "Softplus", "Softsign", "Mish", "Swish",
        };

        /// <summary>
        /// The expression of a <see cref="FusableActivations"/> op over <paramref name="v"/> (a local
        /// or a parenthesized expression; it may appear several times), or null for any other op.
        /// </summary>
        public static string? Activation(string op, DataType type, string v, Func<string, float> attribute)
        {
            string m = type == DataType.Float32 ? "global::System.MathF" : SystemMath;
            string L(double value) => Literal(type, value);
            string A(string name) => L(attribute(name));
            string zero = L(0), one = L(1);
            string Softplus(string x) => "(" + m + ".Max(" + x + ", " + zero + ") + " + m + ".Log(" + one + " + " + m + ".Exp(-" + m + ".Abs(" + x + "))))";
            switch (op)
            {
                case "LeakyRelu": return v + " < " + zero + " ? " + v + " * " + A("alpha") + " : " + v;
                case "Elu": return v + " < " + zero + " ? " + A("alpha") + " * (" + m + ".Exp(" + v + ") - " + one + ") : " + v;
                case "Selu":
                    return v + " <= " + zero + " ? " + A("gamma") + " * (" + A("alpha") + " * " + m + ".Exp(" + v + ") - " + A("alpha") + ") : " + A("gamma") + " * " + v;
                case "Celu":
                    return m + ".Max(" + zero + ", " + v + ") + " + m + ".Min(" + zero + ", " + A("alpha") + " * (" + m + ".Exp(" + v + " / " + A("alpha") + ") - " + one + "))";
                case "ThresholdedRelu": return v + " > " + A("alpha") + " ? " + v + " : " + zero;
                case "HardSigmoid": return m + ".Max(" + zero + ", " + m + ".Min(" + one + ", " + A("alpha") + " * " + v + " + " + A("beta") + "))";
                case "HardSwish": return v + " * " + m + ".Max(" + zero + ", " + m + ".Min(" + one + ", " + v + " * " + L(1.0 / 6) + " + " + L(0.5) + "))";
                case "Softplus": return Softplus(v);
                case "Softsign": return v + " / (" + one + " + " + m + ".Abs(" + v + "))";
                case "Mish": return v + " * " + m + ".Tanh(" + Softplus(v) + ")";
                case "Swish": return v + " / (" + one + " + " + m + ".Exp(-" + A("alpha") + " * " + v + "))";
                default: return null;
            }
        }

        private static string IntegerExpression(NodePlan node, DataType[] types, string[] operands, ISet<string> helpers)
        {
            var type = types[0];
            string name = DataTypes.CSharpName(type);
            bool unsigned = type is DataType.UInt8 or DataType.UInt16 or DataType.UInt32 or DataType.UInt64;
            // sbyte, byte, short and ushort arithmetic is done in int: the result needs a cast back.
            bool narrow = DataTypes.SizeOf(type) < 4;
            string Wrapped(string expression) => narrow ? "unchecked((" + name + ")(" + expression + "))" : "unchecked(" + expression + ")";
            string v = operands[0];
            switch (node.OpType)
            {
                case "Neg": return Wrapped("-" + v);
                case "Abs": return unsigned ? v : v + " < 0 ? " + Wrapped("-" + v) + " : " + v;
                case "Sign": return "(" + name + ")(" + (unsigned ? v + " > 0 ? 1 : 0" : v + " > 0 ? 1 : " + v + " < 0 ? -1 : 0") + ")";
                case "PRelu": return unsigned ? v : v + " < 0 ? " + Wrapped(v + " * " + operands[1]) + " : " + v;
                case "Pow":
                    var exponent = types[1];
                    if (DataTypes.IsFloat(exponent)) return "unchecked((" + name + ")" + SystemMath + ".Pow(" + operands[0] + ", " + operands[1] + "))";
                    helpers.Add(Power);
                    string n = exponent == DataType.UInt64 ? "(" + operands[1] + " > long.MaxValue ? long.MaxValue : (long)" + operands[1] + ")" : operands[1];
                    return "unchecked((" + name + ")Power(" + operands[0] + ", " + n + "))";
                case "Mod":
                    helpers.Add(Mod);
                    return "Mod(" + operands[0] + ", " + operands[1] + ")";
                case "BitShift":
                    string bits = Literals.Int(DataTypes.SizeOf(type) * 8);
                    string shifted = node.GetString("direction", "") == "LEFT" ? operands[0] + " << (int)" + operands[1] : operands[0] + " >> (int)" + operands[1];
                    // Shifting by the width or more gives 0 (C# would take the count modulo the width).
                    return operands[1] + " >= " + bits + " ? (" + name + ")0 : " + Wrapped(shifted);
                case "Min":
                case "Max":
                    return Chain(SystemMath + "." + node.OpType, operands);
                default:
                    throw new NotSupportedException(node.OpType + " on " + type);
            }
        }

        /// <summary>Writes the local function <paramref name="helper"/> for a kernel over <paramref name="types"/>.</summary>
        public static void Helper(SourceWriter w, string helper, NodePlan node, DataType[] types)
        {
            w.Line();
            switch (helper)
            {
                case Erf:
                    w.Line("// The error function: its Maclaurin series below |x| = 1 (18 terms), above it 1 - erfc(x) with");
                    w.Line("// the Chebyshev-fitted erfc of Numerical Recipes (relative error of erfc under 1.2e-7).");
                    using (w.Block("static double Erf(double x)"))
                    {
                        w.Line("double z = " + SystemMath + ".Abs(x);");
                        using (w.Block("if (z < 1)"))
                        {
                            w.Line("double term = x, sum = x, x2 = x * x;");
                            using (w.Block("for (int n = 1; n < 18; n++)"))
                            {
                                w.Line("term *= -x2 / n;");
                                w.Line("sum += term / (2 * n + 1);");
                            }
                            w.Line("return sum * 1.1283791670955126; // 2 / sqrt(pi)");
                        }
                        w.Line("double t = 1 / (1 + 0.5 * z);");
                        w.Line("double erfc = t * " + SystemMath + ".Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806");
                        w.Line("    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));");
                        w.Line("return x >= 0 ? 1 - erfc : erfc - 1;");
                    }
                    break;
                case Power:
                    w.Line("// x^n by repeated squaring, wrapping around like the integer type; for n < 0 the");
                    w.Line("// truncated 1 / x^-n, which is 0 unless |x| = 1.");
                    using (w.Block("static long Power(long x, long n)"))
                    {
                        w.Line("if (n < 0) return x == 1 ? 1 : x == -1 ? ((n & 1) != 0 ? -1 : 1) : 0;");
                        w.Line("long result = 1;");
                        using (w.Block("while (n > 0)"))
                        {
                            w.Line("if ((n & 1) != 0) result = unchecked(result * x);");
                            w.Line("x = unchecked(x * x);");
                            w.Line("n >>= 1;");
                        }
                        w.Line("return result;");
                    }
                    break;
                case Mod:
                    var type = types[0];
                    string name = DataTypes.CSharpName(type);
                    bool unsigned = type is DataType.UInt8 or DataType.UInt16 or DataType.UInt32 or DataType.UInt64;
                    bool fmod = node.GetInt("fmod", 0) != 0;
                    w.Line(unsigned || fmod
                        ? "// Remainder of truncated division (sign of a); 0 for b = 0 instead of an exception."
                        : "// Remainder of floored division (sign of b, as Python's %); 0 for b = 0 instead of an exception.");
                    using (w.Block("static " + name + " Mod(" + name + " a, " + name + " b)"))
                    {
                        if (unsigned)
                        {
                            w.Line("return b == 0 ? (" + name + ")0 : (" + name + ")(a % b);");
                            break;
                        }
                        w.Line("if (b == 0 || b == -1) return 0; // b = -1: MinValue % -1 would throw");
                        w.Line(name + " r = (" + name + ")(a % b);");
                        w.Line(fmod ? "return r;" : "return r != 0 && (r < 0) != (b < 0) ? (" + name + ")(r + b) : r;");
                    }
                    break;
                default:
                    throw new NotSupportedException(helper);
            }
        }

        /// <summary>A literal of the float element type, parenthesized when negative.</summary>
        public static string Literal(DataType type, double value)
        {
            string text = type == DataType.Float32 ? Literals.Float((float)value) : Literals.Double(value);
            return text.StartsWith("-", StringComparison.Ordinal) ? "(" + text + ")" : text;
        }

        private static string Cast(string type, string expression, bool needed) => needed ? "(" + type + ")" + expression : expression;

        /// <summary>f(f(a, b), c) ...; a single operand stands alone.</summary>
        private static string Chain(string function, string[] operands)
        {
            string result = operands[0];
            for (int i = 1; i < operands.Length; i++) result = function + "(" + result + ", " + operands[i] + ")";
            return result;
        }
    }
}
