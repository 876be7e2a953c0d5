using System;
using System.Numerics;
using EdgeAot.Compiler.Ops;

namespace EdgeAot.Tests.Ops
{
    /// <summary>The branch-free fixed-point requantization against exact rational rounding (BigInteger).</summary>
    public class RequantizationTests
    {
        private static long Reference(long acc, long multiplier, int shift)
        {
            var product = new BigInteger(acc) * multiplier;
            var divisor = BigInteger.One << shift;
            var quotient = BigInteger.Divide(product, divisor);
            var remainder = product - quotient * divisor;
            if (remainder.Sign < 0) { quotient -= 1; remainder += divisor; } // floor division
            var twice = remainder * 2;
            if (twice > divisor || twice == divisor && !quotient.IsEven) quotient += 1;
            return (long)quotient;
        }

        [Fact]
        public void Apply_rounds_half_to_even_like_exact_arithmetic()
        {
            var rng = new Random(5);
            for (int i = 0; i < 200_000; i++)
            {
                int shift = rng.Next(1, 63);
                long multiplier = rng.Next(1 << 8, int.MaxValue) >> rng.Next(0, 23);
                long acc = rng.NextInt64(-(1L << 30), 1L << 30); // |acc·m| < 2^61, as the build-time bound guarantees
                if (i % 4 == 0)
                {
                    // Exact ties and their neighbours: acc·m = (2q + 1)·2^(shift−1) + {−1, 0, 1}.
                    multiplier = 1;
                    long q = rng.Next(-1000, 1000);
                    acc = ((2 * q + 1) << (Math.Min(shift, 30) - 1)) + rng.Next(-1, 2);
                    shift = Math.Min(shift, 30);
                }
                Assert.Equal(Reference(acc, multiplier, shift), Requantization.Apply(acc, multiplier, shift));
            }
        }
    }
}
