using System;
using System.Globalization;
using System.Text;

namespace EdgeAot.Compiler.Plan
{
    /// <summary>Culture-invariant, round-trippable spelling of plan-file tokens.</summary>
    internal static class PlanText
    {
        public static string Quote(string text)
        {
            var sb = new StringBuilder(text.Length + 2).Append('"');
            foreach (char c in text)
            {
                if (c == '"' || c == '\\') sb.Append('\\').Append(c);
                else if (c < 0x20 || c > 0x7E) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else sb.Append(c);
            }
            return sb.Append('"').ToString();
        }

        public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

        public static string Float(float value)
        {
            if (float.IsNaN(value)) return "NaN";
            if (float.IsPositiveInfinity(value)) return "Infinity";
            if (float.IsNegativeInfinity(value)) return "-Infinity";
            if (value == 0 && BitConverter.ToInt32(BitConverter.GetBytes(value), 0) != 0) return "-0";
            return value.ToString("R", CultureInfo.InvariantCulture);
        }

        public static float ParseFloat(string text) => text switch
        {
            "NaN" => float.NaN,
            "Infinity" => float.PositiveInfinity,
            "-Infinity" => float.NegativeInfinity,
            "-0" => -0.0f,
            _ => float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };

        public static long ParseInt(string text) => long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }
}
