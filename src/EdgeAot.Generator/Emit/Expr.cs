using System.Globalization;

namespace EdgeAot.Generator.Emit
{
    /// <summary>
    /// Builds small integer index expressions with constants folded away, so generated code reads
    /// <c>oh * 2 + kh - 1</c> rather than <c>oh * 2 + kh * 1 - 1 + 0</c>.
    /// </summary>
    internal static class Expr
    {
        public static string Mul(string term, long factor) => factor switch
        {
            0 => "0",
            1 => term,
            _ => term + " * " + factor.ToString(CultureInfo.InvariantCulture),
        };

        /// <summary>Sum of terms (each already an expression; "0" terms dropped) plus a constant.</summary>
        public static string Sum(long constant, params string[] terms)
        {
            string result = "";
            foreach (string t in terms)
            {
                if (t == "0" || t.Length == 0) continue;
                result = result.Length == 0 ? t : result + " + " + t;
            }
            if (constant == 0) return result.Length == 0 ? "0" : result;
            if (result.Length == 0) return constant.ToString(CultureInfo.InvariantCulture);
            return constant > 0
                ? result + " + " + constant.ToString(CultureInfo.InvariantCulture)
                : result + " - " + (-constant).ToString(CultureInfo.InvariantCulture);
        }
    }
}
