using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeAot.Benchmarks
{
    /// <summary>
    /// Single-core peak probes: independent FMA chains (enough to hide FMA latency) on the widest
    /// accelerated float vector, and int8 dot products (AVX-VNNI vpdpbusd when present, else the
    /// widest portable widening multiply-add). One MAC = one multiply plus one add.
    /// </summary>
    internal static class PeakThroughput
    {
        public sealed record Result(double FloatGmacs, string FloatIsa, double Int8Gmacs, string Int8Isa);

        private const int Iterations = 2_000_000;

        public static Result Measure()
        {
            double f = 0, i8 = 0;
            string fIsa = "", iIsa = "";
            for (int rep = 0; rep < 5; rep++) // best of 5: a probe for the ceiling, not a typical value
            {
                var (gf, fi) = Float();
                var (gi, ii) = Int8();
                if (gf > f) (f, fIsa) = (gf, fi);
                if (gi > i8) (i8, iIsa) = (gi, ii);
            }
            return new Result(f, fIsa, i8, iIsa);
        }

        private static (double, string) Float()
        {
            if (Vector512.IsHardwareAccelerated) return (Time(() => Fma512(Iterations), Iterations * 8L * 16), "Vector512 FMA");
            if (Vector256.IsHardwareAccelerated) return (Time(() => Fma256(Iterations), Iterations * 8L * 8), "Vector256 FMA");
            return (Time(() => Fma128(Iterations), Iterations * 8L * 4), "Vector128 FMA");
        }

        private static (double, string) Int8()
        {
            // .NET 10 exposes VNNI as AvxVnni (256-bit vpdpbusd); there is no public 512-bit VNNI class
            // outside Avx10v1.V512, which this class of CPU (Zen 4) does not report.
            if (AvxVnni.IsSupported) return (Time(() => Vnni256(Iterations), Iterations * 8L * 32), "AVX-VNNI vpdpbusd");
            return (Time(() => Widen256(Iterations), Iterations * 8L * 16), "Vector256 widen + multiply-add");
        }

        private static double Time(Func<float> body, long macs)
        {
            body(); // JIT
            long t0 = Stopwatch.GetTimestamp();
            float sink = body();
            long t1 = Stopwatch.GetTimestamp();
            GC.KeepAlive(sink);
            return macs / ((t1 - t0) / (double)Stopwatch.Frequency) / 1e9;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static float Fma512(int n)
        {
            Vector512<float> a = Vector512.Create(1.0001f), b = Vector512.Create(0.9999f);
            Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
            for (int i = 0; i < n; i++)
            {
                c0 = Vector512.FusedMultiplyAdd(a, b, c0); c1 = Vector512.FusedMultiplyAdd(a, b, c1);
                c2 = Vector512.FusedMultiplyAdd(a, b, c2); c3 = Vector512.FusedMultiplyAdd(a, b, c3);
                c4 = Vector512.FusedMultiplyAdd(a, b, c4); c5 = Vector512.FusedMultiplyAdd(a, b, c5);
                c6 = Vector512.FusedMultiplyAdd(a, b, c6); c7 = Vector512.FusedMultiplyAdd(a, b, c7);
            }
            return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static float Fma256(int n)
        {
            Vector256<float> a = Vector256.Create(1.0001f), b = Vector256.Create(0.9999f);
            Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
            for (int i = 0; i < n; i++)
            {
                c0 = Vector256.FusedMultiplyAdd(a, b, c0); c1 = Vector256.FusedMultiplyAdd(a, b, c1);
                c2 = Vector256.FusedMultiplyAdd(a, b, c2); c3 = Vector256.FusedMultiplyAdd(a, b, c3);
                c4 = Vector256.FusedMultiplyAdd(a, b, c4); c5 = Vector256.FusedMultiplyAdd(a, b, c5);
                c6 = Vector256.FusedMultiplyAdd(a, b, c6); c7 = Vector256.FusedMultiplyAdd(a, b, c7);
            }
            return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static float Fma128(int n)
        {
            Vector128<float> a = Vector128.Create(1.0001f), b = Vector128.Create(0.9999f);
            Vector128<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
            for (int i = 0; i < n; i++)
            {
                c0 = Vector128.FusedMultiplyAdd(a, b, c0); c1 = Vector128.FusedMultiplyAdd(a, b, c1);
                c2 = Vector128.FusedMultiplyAdd(a, b, c2); c3 = Vector128.FusedMultiplyAdd(a, b, c3);
                c4 = Vector128.FusedMultiplyAdd(a, b, c4); c5 = Vector128.FusedMultiplyAdd(a, b, c5);
                c6 = Vector128.FusedMultiplyAdd(a, b, c6); c7 = Vector128.FusedMultiplyAdd(a, b, c7);
            }
            return Vector128.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static float Vnni256(int n)
        {
            var a = Vector256.Create((byte)3);
            var b = Vector256.Create((sbyte)-2);
            Vector256<int> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
            for (int i = 0; i < n; i++)
            {
                c0 = AvxVnni.MultiplyWideningAndAdd(c0, a, b); c1 = AvxVnni.MultiplyWideningAndAdd(c1, a, b);
                c2 = AvxVnni.MultiplyWideningAndAdd(c2, a, b); c3 = AvxVnni.MultiplyWideningAndAdd(c3, a, b);
                c4 = AvxVnni.MultiplyWideningAndAdd(c4, a, b); c5 = AvxVnni.MultiplyWideningAndAdd(c5, a, b);
                c6 = AvxVnni.MultiplyWideningAndAdd(c6, a, b); c7 = AvxVnni.MultiplyWideningAndAdd(c7, a, b);
            }
            return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7);
        }

        /// <summary>Portable: widen 16 int8 lanes to int16, multiply, widen products to int32 and add (16 MACs per step).</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static float Widen256(int n)
        {
            var a = Vector256.Create((short)3);
            var b = Vector256.Create((short)-2);
            Vector256<int> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
            for (int i = 0; i < n; i++)
            {
                var p = a * b;
                var (lo, hi) = Vector256.Widen(p);
                c0 += lo; c1 += hi; c2 += lo; c3 += hi; c4 += lo; c5 += hi; c6 += lo; c7 += hi;
                a += Vector256<short>.One;
            }
            return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7);
        }
    }
}
