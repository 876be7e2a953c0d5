using System.Collections.Generic;
using System.Text;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Plan;

namespace EdgeAot.Generator.Emit
{
    /// <summary>
    /// Names of Run's parameters and the public shape constants, derived from the graph's input
    /// and output names: ASCII letters and digits only, camelCase, never a keyword, unique.
    /// </summary>
    internal static class ParameterNames
    {
        public static (string[] Inputs, string[] Outputs) For(ModelPlan plan)
        {
            var used = new HashSet<string> { "arena" };
            var inputs = new string[plan.Inputs.Count];
            for (int i = 0; i < inputs.Length; i++) inputs[i] = Unique(Sanitize(plan.Tensor(plan.Inputs[i]).Name, "input" + i), used);
            var outputs = new string[plan.Outputs.Count];
            for (int i = 0; i < outputs.Length; i++) outputs[i] = Unique(Sanitize(plan.Tensor(plan.Outputs[i]).Name, "output" + i), used);
            return (inputs, outputs);
        }

        public static string Pascal(string camel) => char.ToUpperInvariant(camel[0]) + camel.Substring(1);

        private static string Sanitize(string name, string fallback)
        {
            var sb = new StringBuilder();
            bool upperNext = false;
            foreach (char c in name)
            {
                if (c < 128 && char.IsLetterOrDigit(c))
                {
                    if (sb.Length == 0 && char.IsDigit(c)) sb.Append(fallback.Substring(0, fallback.Length - 1));
                    sb.Append(sb.Length == 0 ? char.ToLowerInvariant(c) : upperNext ? char.ToUpperInvariant(c) : c);
                    upperNext = false;
                }
                else upperNext = sb.Length > 0;
                if (sb.Length >= 40) break;
            }
            string result = sb.ToString();
            return result.Length == 0 || !Identifiers.IsValidIdentifier(result) ? fallback : result;
        }

        private static string Unique(string name, HashSet<string> used)
        {
            string candidate = name;
            for (int n = 2; used.Contains(candidate) || used.Contains(Pascal(candidate)); n++)
            {
                candidate = name + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            used.Add(candidate);
            used.Add(Pascal(candidate));
            return candidate;
        }
    }
}
