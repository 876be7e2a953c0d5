using EdgeAot.Compiler.Plan;

namespace EdgeAot.Generator.Emit
{
    /// <summary>The fused activation of a Conv/Gemm/MatMul node as a C# expression over a value.</summary>
    internal static class ActivationEpilogue
    {
        public static bool IsPresent(NodePlan node) => node.GetString("activation", "").Length > 0;

        /// <summary>Wraps <paramref name="value"/> in the node's activation (or returns it unchanged).</summary>
        public static string Apply(NodePlan node, string value)
        {
            switch (node.GetString("activation", ""))
            {
                case "":
                    return value;
                case "Clip":
                    float min = node.GetFloat("activation_min", float.NegativeInfinity);
                    float max = node.GetFloat("activation_max", float.PositiveInfinity);
                    string result = value;
                    if (!float.IsNegativeInfinity(min)) result = "global::System.MathF.Max(" + result + ", " + Literals.Float(min) + ")";
                    if (!float.IsPositiveInfinity(max)) result = "global::System.MathF.Min(" + result + ", " + Literals.Float(max) + ")";
                    return result;
                case "Sigmoid":
                    // Parenthesized: value may be a sum (e.g. "row[j] + c[j]" for Gemm with C).
                    return "(1f / (1f + global::System.MathF.Exp(-(" + value + "))))";
                case "Tanh":
                    return "global::System.MathF.Tanh(" + value + ")";
                default:
                    // LeakyRelu, HardSigmoid, ...: the elementwise kernels' expression, over the
                    // parenthesized value, with the attributes the fusion pass stored as activation_<name>.
                    string op = node.GetString("activation", "");
                    string? expression = Emitters.ElementwiseMathExpressions.Activation(op, EdgeAot.Compiler.Ir.DataType.Float32, "(" + value + ")", name => node.GetFloat("activation_" + name, 0));
                    return "(" + (expression ?? throw new System.NotSupportedException("Unknown fused activation " + op)) + ")";
            }
        }

        public static string Describe(NodePlan node)
        {
            string activation = node.GetString("activation", "");
            if (activation != "Clip")
            {
                var parameters = new System.Text.StringBuilder();
                foreach (var a in node.Attributes)
                {
                    if (a.Name.StartsWith("activation_", System.StringComparison.Ordinal))
                        parameters.Append(parameters.Length > 0 ? ", " : "").Append(a.Name.Substring("activation_".Length)).Append(' ').Append(Literals.Float(a.Float));
                }
                return activation.Length == 0 ? "" : " + " + activation + (parameters.Length > 0 ? "(" + parameters + ")" : "");
            }
            float min = node.GetFloat("activation_min", float.NegativeInfinity), max = node.GetFloat("activation_max", float.PositiveInfinity);
            return min == 0 && float.IsPositiveInfinity(max) ? " + Relu" : " + Clip(" + Literals.Float(min) + ", " + Literals.Float(max) + ")";
        }
    }
}
