using System;
using System.Globalization;
using System.Text;

namespace EdgeAot.Generator.Emit
{
    /// <summary>C# literals written culture-invariantly so they round-trip exactly.</summary>
    internal static class Literals
    {
        public static string Float(float value)
        {
            if (float.IsNaN(value)) return "float.NaN";
            if (float.IsPositiveInfinity(value)) return "float.PositiveInfinity";
            if (float.IsNegativeInfinity(value)) return "float.NegativeInfinity";
            if (value == 0 && BitConverter.ToInt32(BitConverter.GetBytes(value), 0) != 0) return "-0f";
            return value.ToString("R", CultureInfo.InvariantCulture) + "f";
        }

        public static string Double(double value)
        {
            if (double.IsNaN(value)) return "double.NaN";
            if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
            if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
            string text = value.ToString("R", CultureInfo.InvariantCulture);
            return text.IndexOfAny(new[] { '.', 'E', 'e' }) < 0 ? text + ".0" : text;
        }

        /// <summary>
        /// A <c>System.Half</c> value from its bit pattern: a float literal converted to Half (every
        /// binary16 value is a float, so the conversion is exact), or Half's named NaN and infinities.
        /// </summary>
        public static string Half(ushort bits)
        {
            if (EdgeAot.Compiler.Ir.Binary16.IsNaN(bits)) return HalfType + ".NaN";
            if (bits == EdgeAot.Compiler.Ir.Binary16.PositiveInfinity) return HalfType + ".PositiveInfinity";
            if (bits == (0x8000 | EdgeAot.Compiler.Ir.Binary16.PositiveInfinity)) return HalfType + ".NegativeInfinity";
            string text = Float((float)EdgeAot.Compiler.Ir.Binary16.ToDouble(bits));
            return "(" + HalfType + ")" + (text.StartsWith("-", StringComparison.Ordinal) ? "(" + text + ")" : text);
        }

        public const string HalfType = "global::System.Half";

        /// <summary>The element type's C# name as comments show it (<c>Half</c> rather than its qualified name).</summary>
        public static string TypeName(EdgeAot.Compiler.Ir.DataType type)
            => type == EdgeAot.Compiler.Ir.DataType.Float16 ? "Half" : EdgeAot.Compiler.Ir.DataTypes.CSharpName(type);

        public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

        public static string Long(long value) => value == long.MinValue ? "long.MinValue" : value.ToString(CultureInfo.InvariantCulture) + "L";

        /// <summary>A C# string literal with everything outside printable ASCII escaped.</summary>
        public static string String(string value)
        {
            var sb = new StringBuilder(value.Length + 2).Append('"');
            foreach (char c in value)
            {
                if (c == '"' || c == '\\') sb.Append('\\').Append(c);
                else if (c < 0x20 || c > 0x7E) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else sb.Append(c);
            }
            return sb.Append('"').ToString();
        }

        /// <summary>Model text made safe inside a // or /// comment: one line, no markup, bounded.</summary>
        public static string Comment(string text, int maxLength = 120)
        {
            var sb = new StringBuilder();
            foreach (char c in text)
            {
                if (sb.Length >= maxLength)
                {
                    sb.Append("...");
                    break;
                }
                bool safe = c >= 0x20 && c < 0x7F && c != '<' && c != '>' && c != '&' && c != '\\';
                if (safe) sb.Append(c);
                else if (c == '<' || c == '>' || c == '&' || c == '\\') sb.Append('_');
                else sb.Append('?');
            }
            return sb.ToString().Replace("*/", "*_/").Replace("/*", "/_*");
        }

        public static string Shape(EdgeAot.Compiler.EquatableArray<long> shape)
        {
            var sb = new StringBuilder("[");
            for (int i = 0; i < shape.Count; i++)
            {
                if (i > 0) sb.Append(", ");
                sb.Append(shape[i].ToString(CultureInfo.InvariantCulture));
            }
            return sb.Append(']').ToString();
        }
    }
}
