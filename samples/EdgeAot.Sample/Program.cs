using System;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;

namespace EdgeAot.Sample
{
    /// <summary>The shape of every one-input, one-output generated <c>Run</c>.</summary>
    public delegate void Runner<TIn, TOut>(ReadOnlySpan<TIn> input, Span<TOut> output);

    /// <summary>
    /// Runs the generated <see cref="SampleModel"/> on a few deterministic inputs and times it.
    /// Works for any model with one input and one output of the same element type: float, sbyte
    /// (int8 QDQ models such as kws_ref_model) or byte. The <c>Exercise</c> overload is picked by
    /// the compiler from <c>Run</c>'s signature, buffer sizes come from <c>InputLengths</c>/
    /// <c>OutputLengths</c>, so the graph's names (which name the other constants) do not matter.
    /// <c>--dump</c> prints every output value in a form build/aot-arm64.sh compares across
    /// architectures, and skips the timing.
    /// </summary>
    public static class Program
    {
        private const int TimedRuns = 200;

        public static int Main(string[] args)
        {
            bool dump = args.Length == 1 && args[0] == "--dump";
            if (args.Length > 0 && !dump)
            {
                Console.Error.WriteLine("usage: EdgeAot.Sample [--dump]");
                return 2;
            }
            var model = new SampleModel();
            return Exercise(model.Run, dump);
        }

        private static int Exercise(Runner<float, float> run, bool dump) => Exercise<float, float>(run, dump);

        private static int Exercise(Runner<sbyte, sbyte> run, bool dump) => Exercise<sbyte, sbyte>(run, dump);

        private static int Exercise(Runner<byte, byte> run, bool dump) => Exercise<byte, byte>(run, dump);

        private static int Exercise<TIn, TOut>(Runner<TIn, TOut> run, bool dump)
            where TIn : unmanaged, INumber<TIn>
            where TOut : unmanaged, INumber<TOut>
        {
            var c = CultureInfo.InvariantCulture;
            var input = new TIn[SampleModel.InputLengths[0]];
            var output = new TOut[SampleModel.OutputLengths[0]];

            if (dump)
            {
                // One value per line, "<pattern> <index> <value>"; floats round-trip ("R"), integers exact.
                Console.WriteLine("type " + typeof(TOut).Name);
                for (int pattern = 0; pattern < 3; pattern++)
                {
                    Fill(input, pattern);
                    run(input, output);
                    for (int i = 0; i < output.Length; i++) Console.WriteLine(string.Format(c, "{0} {1} {2}", pattern, i, Format(output[i], "R")));
                }
                return 0;
            }

            Console.WriteLine(string.Format(c, "SampleModel: input {0} {1}, output {2} {3}, ArenaBytes {4:N0}, WeightBytes {5:N0}",
                input.Length, typeof(TIn).Name, output.Length, typeof(TOut).Name, SampleModel.ArenaBytes, SampleModel.WeightBytes));

            for (int pattern = 0; pattern < 3; pattern++)
            {
                Fill(input, pattern);
                run(input, output);
                int top = ArgMax(output);
                Console.WriteLine(string.Format(c, "input #{0}: top class {1} ({2}); first outputs {3}",
                    pattern, top, Format(output[top], "G6"), Preview(output, 8)));
            }

            Fill(input, 1);
            // Warm-up for half a second: under the JIT, kernels start as quick unoptimized code and are
            // recompiled optimized after enough calls (tiered compilation); a NativeAOT binary starts
            // optimized. 20 calls measured the unoptimized code (kws int8: 540 us instead of 33).
            long warmUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 2;
            for (int i = 0; i < 20 || Stopwatch.GetTimestamp() < warmUntil; i++) run(input, output);
            var times = new double[TimedRuns];
            for (int i = 0; i < TimedRuns; i++)
            {
                long start = Stopwatch.GetTimestamp();
                run(input, output);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
            Array.Sort(times);
            Console.WriteLine(string.Format(c, "median latency over {0} runs: {1:F2} us", TimedRuns, times[TimedRuns / 2]));
            return 0;
        }

        /// <summary>
        /// 0: zeros; 1: a ramp over [-1, 1]; 2: uniform noise in [-1, 1) from a fixed-seed LCG. Integer
        /// types get the value scaled by 127 (saturated to the type's range). Only exact arithmetic,
        /// no sin/exp: libm may differ by an ulp between x64 and arm64, the inputs must not.
        /// </summary>
        private static void Fill<T>(T[] input, int pattern)
            where T : unmanaged, INumber<T>
        {
            uint state = 12345;
            for (int i = 0; i < input.Length; i++)
            {
                float value;
                if (pattern == 0) value = 0f;
                else if (pattern == 1) value = input.Length > 1 ? -1f + 2f * i / (input.Length - 1) : 0f;
                else
                {
                    state = state * 1664525u + 1013904223u;
                    value = (state >> 8) * (2f / (1 << 24)) - 1f;
                }
                input[i] = typeof(T) == typeof(float) ? T.CreateTruncating(value) : T.CreateSaturating(MathF.Round(value * 127f));
            }
        }

        private static int ArgMax<T>(T[] values)
            where T : unmanaged, INumber<T>
        {
            int best = 0;
            for (int i = 1; i < values.Length; i++)
            {
                if (values[i] > values[best]) best = i;
            }
            return best;
        }

        private static string Format<T>(T value, string floatFormat)
            where T : unmanaged, INumber<T>
            => value.ToString(typeof(T) == typeof(float) ? floatFormat : null, CultureInfo.InvariantCulture);

        private static string Preview<T>(T[] values, int count)
            where T : unmanaged, INumber<T>
        {
            var parts = new string[Math.Min(count, values.Length)];
            for (int i = 0; i < parts.Length; i++) parts[i] = Format(values[i], "G6");
            return "[" + string.Join(", ", parts) + (values.Length > count ? ", ...]" : "]");
        }
    }
}
