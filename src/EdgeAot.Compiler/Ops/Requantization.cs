using System;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Build-time fixed-point requantization: a real scale s is stored as an integer multiplier m
    /// and a right shift k with s ≈ m·2^-k, and the kernel computes round_half_even(acc·m / 2^k)
    /// with 64-bit integers only. The multiplier gets as many bits as the proven accumulator bound
    /// leaves room for (at most 31), so acc·m never overflows. The same function serves as the
    /// scalar reference the generated kernels are tested against.
    /// </summary>
    public static class Requantization
    {
        public static (long Multiplier, int Shift) FromScale(double scale, long accumulatorBound)
        {
            if (!(scale > 0) || double.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "Requantization scales must be positive and finite.");
            int boundBits = 1;
            while (boundBits < 63 && (1L << boundBits) <= accumulatorBound) boundBits++;
            int bits = Math.Min(31, 62 - boundBits);
            if (bits < 8) throw new ArgumentOutOfRangeException(nameof(accumulatorBound), accumulatorBound, "Accumulator bound leaves no room for the multiplier.");
            int exponent = 0;
            double mantissa = scale;
            while (mantissa >= 1) { mantissa /= 2; exponent++; }
            while (mantissa < 0.5) { mantissa *= 2; exponent--; }
            long m = (long)Math.Round(mantissa * (1L << bits), MidpointRounding.ToEven);
            if (m == 1L << bits)
            {
                m >>= 1;
                exponent++;
            }
            int shift = bits - exponent; // scale = m · 2^(exponent − bits)
            if (shift < 1) throw new ArgumentOutOfRangeException(nameof(scale), scale, "Requantization scale too large.");
            return (m, Math.Min(shift, 63));
        }

        /// <summary>round_half_even(acc · multiplier / 2^shift): the kernels' integer requantization.</summary>
        public static long Apply(long acc, long multiplier, int shift)
        {
            long product = acc * multiplier;
            if (shift >= 63) return 0; // |product| < 2^62, so the quotient rounds to zero
            // Round half to even without branches: adding half − 1 carries into the quotient exactly
            // when the remainder exceeds half; the quotient's low bit adds the carry at a tie when odd.
            return (product + (1L << (shift - 1)) - 1 + ((product >> shift) & 1)) >> shift;
        }

        /// <summary>The C# text of <see cref="Apply"/> for generated kernels (kept in step with it by tests).</summary>
        public const string CSharpSource =
            "static long Requantize(long acc, long multiplier, int shift)\n" +
            "{\n" +
            "    long product = acc * multiplier;\n" +
            "    if (shift >= 63) return 0;\n" +
            "    return (product + (1L << (shift - 1)) - 1 + ((product >> shift) & 1)) >> shift;\n" +
            "}";
    }
}
