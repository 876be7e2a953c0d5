using System;

namespace EdgeAot.Compiler.Ir
{
    /// <summary>
    /// IEEE 754 binary16 bit patterns for build-time work (folding constants, writing literals):
    /// this library targets netstandard2.0, which has no <c>System.Half</c>. Generated code uses
    /// <c>System.Half</c>, whose conversions round the same way (tests compare both).
    /// </summary>
    public static class Binary16
    {
        public const ushort PositiveInfinity = 0x7C00;

        public const ushort QuietNaN = 0x7E00;

        public static bool IsNaN(ushort bits) => (bits & 0x7FFF) > PositiveInfinity;

        /// <summary>The exact value of a binary16 bit pattern (every one is a double, and a float).</summary>
        public static double ToDouble(ushort bits)
        {
            int exponent = (bits >> 10) & 0x1F;
            int fraction = bits & 0x3FF;
            double magnitude = exponent switch
            {
                0 => fraction * Math.Pow(2, -24),
                0x1F => fraction == 0 ? double.PositiveInfinity : double.NaN,
                _ => (1024 + fraction) * Math.Pow(2, exponent - 25),
            };
            return (bits & 0x8000) != 0 ? -magnitude : magnitude;
        }

        /// <summary>
        /// Rounds a double to the nearest binary16, ties to even, in one step (a detour through float
        /// could round twice). Magnitudes from 65520 up become infinity; NaN becomes a quiet NaN of the same sign.
        /// </summary>
        public static ushort FromDouble(double value)
        {
            ushort sign = (ushort)(BitConverter.DoubleToInt64Bits(value) < 0 ? 0x8000 : 0);
            if (double.IsNaN(value)) return (ushort)(sign | QuietNaN);
            double magnitude = Math.Abs(value);
            // 65520 is halfway between 65504 and the first power of two past the range: it rounds to even, i.e. up.
            if (magnitude >= 65520) return (ushort)(sign | PositiveInfinity);
            const double MinNormal = 6.103515625e-05; // 2^-14
            if (magnitude < MinNormal)
            {
                // Subnormal: a multiple of 2^-24; rounding up to 1024 lands exactly on the smallest normal's encoding.
                return (ushort)(sign | (int)Math.Round(magnitude * 16777216.0, MidpointRounding.ToEven));
            }
            int exponent = (int)((BitConverter.DoubleToInt64Bits(magnitude) >> 52) & 0x7FF) - 1023;
            double significand = Math.Round(magnitude * Math.Pow(2, 10 - exponent), MidpointRounding.ToEven); // in [1024, 2048]
            if (significand == 2048)
            {
                significand = 1024;
                exponent++;
            }
            return (ushort)(sign | ((exponent + 15) << 10) | ((int)significand - 1024));
        }
    }
}
