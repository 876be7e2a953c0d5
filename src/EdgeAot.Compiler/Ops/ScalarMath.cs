using System;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// The scalar definition of each <see cref="ElementwiseMathOperator"/> op, for constant folding
    /// at build time. Floats are computed in double and rounded to the element type by the caller;
    /// integers in 64 bits and wrapped to the element type (<see cref="Wrap"/>). The generator
    /// writes the same formulas as C# expressions.
    /// </summary>
    public static class ScalarMath
    {
        /// <summary>A float-typed op applied to <paramref name="x"/> (one value per input).</summary>
        public static double Float(string op, double[] x, AttributeSet attributes)
        {
            double v = x[0];
            double Alpha() => attributes.GetFloat("alpha", 0);
            switch (op)
            {
                case "LeakyRelu": return v < 0 ? v * Alpha() : v;
                case "Elu": return v < 0 ? Alpha() * (Math.Exp(v) - 1) : v;
                case "Selu":
                    double gamma = attributes.GetFloat("gamma", 0);
                    return v <= 0 ? gamma * (Alpha() * Math.Exp(v) - Alpha()) : gamma * v;
                case "Celu": return Math.Max(0, v) + Math.Min(0, Alpha() * (Math.Exp(v / Alpha()) - 1));
                case "ThresholdedRelu": return v > Alpha() ? v : 0;
                case "HardSigmoid": return Math.Max(0, Math.Min(1, Alpha() * v + attributes.GetFloat("beta", 0)));
                case "HardSwish": return v * Math.Max(0, Math.Min(1, v / 6 + 0.5));
                case "Softplus": return Softplus(v);
                case "Softsign": return v / (1 + Math.Abs(v));
                case "Mish": return v * Math.Tanh(Softplus(v));
                case "Gelu":
                    if (attributes.GetString("approximate", "none") == "tanh")
                        return 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                    return 0.5 * v * (1 + Erf(v / Math.Sqrt(2)));
                case "Swish": return v / (1 + Math.Exp(-Alpha() * v));
                case "Shrink":
                    double lambd = attributes.GetFloat("lambd", 0), bias = attributes.GetFloat("bias", 0);
                    return v < -lambd ? v + bias : v > lambd ? v - bias : 0;
                case "Erf": return Erf(v);
                case "Exp": return Math.Exp(v);
                case "Log": return Math.Log(v);
                case "Sqrt": return Math.Sqrt(v);
                case "Reciprocal": return 1 / v;
                case "Floor": return Math.Floor(v);
                case "Ceil": return Math.Ceiling(v);
                case "Round": return Math.Round(v, MidpointRounding.ToEven);
                case "Neg": return -v;
                case "Abs": return Math.Abs(v);
                case "Sign": return v > 0 ? 1 : v < 0 ? -1 : v;
                case "Sin": return Math.Sin(v);
                case "Cos": return Math.Cos(v);
                case "Tan": return Math.Tan(v);
                case "Asin": return Math.Asin(v);
                case "Acos": return Math.Acos(v);
                case "Atan": return Math.Atan(v);
                case "Sinh": return Math.Sinh(v);
                case "Cosh": return Math.Cosh(v);
                // netstandard2.0 has no Math.Asinh/Acosh/Atanh; these are their definitions.
                case "Asinh": return double.IsInfinity(v) ? v : Math.Sign(v) * Math.Log(Math.Abs(v) + Math.Sqrt(v * v + 1));
                case "Acosh": return Math.Log(v + Math.Sqrt(v * v - 1));
                case "Atanh": return 0.5 * Math.Log((1 + v) / (1 - v));
                case "PRelu": return v < 0 ? v * x[1] : v;
                case "Pow": return Math.Pow(v, x[1]);
                case "Mod": return v % x[1]; // C fmod (fmod=1 is required for floats)
                case "Min":
                case "Max":
                case "Sum":
                case "Mean":
                    double r = v;
                    for (int i = 1; i < x.Length; i++)
                    {
                        double w = x[i];
                        r = op switch
                        {
                            "Min" => double.IsNaN(r) || double.IsNaN(w) ? double.NaN : Math.Min(r, w),
                            "Max" => double.IsNaN(r) || double.IsNaN(w) ? double.NaN : Math.Max(r, w),
                            _ => r + w,
                        };
                    }
                    return op == "Mean" ? r / x.Length : r;
                default:
                    throw new NotSupportedException(op);
            }
        }

        /// <summary>IsNaN and IsInf.</summary>
        public static bool Predicate(string op, double v, AttributeSet attributes)
        {
            if (op == "IsNaN") return double.IsNaN(v);
            return (double.IsPositiveInfinity(v) && attributes.GetInt("detect_positive", 1) != 0)
                || (double.IsNegativeInfinity(v) && attributes.GetInt("detect_negative", 1) != 0);
        }

        /// <summary>
        /// An integer-typed op. <paramref name="x"/> holds the inputs' bits as 64-bit integers (uint64
        /// as its bit pattern), <paramref name="asDouble"/> the same inputs as doubles (Pow's exponent
        /// may be a float). Sets <paramref name="divisionByZero"/> for Mod by zero.
        /// </summary>
        public static long Integer(string op, long[] x, double[] asDouble, DataType[] types, AttributeSet attributes, out bool divisionByZero)
        {
            divisionByZero = false;
            var type = types[0];
            bool unsigned64 = type == DataType.UInt64;
            long v = x[0];
            unchecked
            {
                switch (op)
                {
                    case "Neg": return -v;
                    case "Abs": return IsUnsigned(type) ? v : v < 0 ? -v : v;
                    case "Sign": return IsUnsigned(type) ? (v != 0 ? 1 : 0) : Math.Sign(v);
                    case "PRelu": return !IsUnsigned(type) && v < 0 ? v * x[1] : v;
                    case "Pow":
                        if (DataTypes.IsFloat(types[1])) return (long)Math.Pow(v, asDouble[1]);
                        return IntegerPower(v, types[1] == DataType.UInt64 && x[1] < 0 ? long.MaxValue : x[1]);
                    case "Mod":
                        long b = x[1];
                        if (b == 0)
                        {
                            divisionByZero = true;
                            return 0;
                        }
                        if (unsigned64) return (long)((ulong)v % (ulong)b);
                        if (b == -1) return 0;
                        long r = v % b;
                        if (attributes.GetInt("fmod", 0) == 0 && r != 0 && (r < 0) != (b < 0)) r += b;
                        return r;
                    case "BitShift":
                        int bits = DataTypes.SizeOf(type) * 8;
                        ulong shift = (ulong)x[1];
                        if (shift >= (ulong)bits) return 0;
                        return attributes.GetString("direction", "") == "LEFT" ? (long)((ulong)v << (int)shift) : (long)((ulong)v >> (int)shift);
                    case "Min":
                    case "Max":
                        long m = v;
                        for (int i = 1; i < x.Length; i++)
                        {
                            int order = unsigned64 ? ((ulong)x[i]).CompareTo((ulong)m) : x[i].CompareTo(m);
                            if (op == "Min" ? order < 0 : order > 0) m = x[i];
                        }
                        return m;
                    default:
                        throw new NotSupportedException(op + " on " + type);
                }
            }
        }

        /// <summary><paramref name="value"/> reduced to the range of <paramref name="type"/> by two's complement wrap-around.</summary>
        public static long Wrap(long value, DataType type) => type switch
        {
            DataType.Int8 => (sbyte)value,
            DataType.UInt8 => (byte)value,
            DataType.Int16 => (short)value,
            DataType.UInt16 => (ushort)value,
            DataType.Int32 => (int)value,
            DataType.UInt32 => (uint)value,
            _ => value,
        };

        /// <summary>
        /// x^n with wrap-around; for n &lt; 0 the truncated value of 1/x^n (0 unless |x| = 1, and 0 for x = 0).
        /// </summary>
        public static long IntegerPower(long x, long n)
        {
            if (n < 0) return x == 1 ? 1 : x == -1 ? ((n & 1) != 0 ? -1 : 1) : 0;
            long result = 1;
            unchecked
            {
                while (n > 0)
                {
                    if ((n & 1) != 0) result *= x;
                    x *= x;
                    n >>= 1;
                }
            }
            return result;
        }

        /// <summary>
        /// The error function: its Maclaurin series below |x| = 1 (relative error under 1e-15 with 18
        /// terms), above it 1 - erfc(x) from the Chebyshev-fitted approximation of erfc published in
        /// Numerical Recipes (relative error of erfc under 1.2e-7, so of erf under 2e-8).
        /// </summary>
        public static double Erf(double x)
        {
            double z = Math.Abs(x);
            if (z < 1)
            {
                // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
                double term = x, sum = x, x2 = x * x;
                for (int n = 1; n < 18; n++)
                {
                    term *= -x2 / n;
                    sum += term / (2 * n + 1);
                }
                return sum * 1.1283791670955126;
            }
            double t = 1 / (1 + 0.5 * z);
            double erfc = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
            return x >= 0 ? 1 - erfc : erfc - 1;
        }

        private static double Softplus(double v) => Math.Max(v, 0) + Math.Log(1 + Math.Exp(-Math.Abs(v)));

        private static bool IsUnsigned(DataType type) => type is DataType.UInt8 or DataType.UInt16 or DataType.UInt32 or DataType.UInt64;
    }
}
