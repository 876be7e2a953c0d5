using System;
using System.Diagnostics;
using System.Globalization;

namespace EdgeAot.Sample
{
    /// <summary>
    /// Runs the generated <see cref="SampleModel"/> on a few deterministic inputs and times it.
    /// Works for any model with one float input and one float output: buffer sizes come from
    /// <c>InputLengths</c>/<c>OutputLengths</c> and <c>Run</c> is called positionally, so the graph's
    /// input and output names (which name the other generated constants) do not matter.
    /// </summary>
    public static class Program
    {
        private const int TimedRuns = 200;

        public static int Main()
        {
            var c = CultureInfo.InvariantCulture;
            var model = new SampleModel();
            var input = new float[SampleModel.InputLengths[0]];
            var output = new float[SampleModel.OutputLengths[0]];

            Console.WriteLine(string.Format(c, "SampleModel: input {0} floats, output {1} floats, ArenaBytes {2:N0}, WeightBytes {3:N0}",
                input.Length, output.Length, SampleModel.ArenaBytes, SampleModel.WeightBytes));

            for (int pattern = 0; pattern < 3; pattern++)
            {
                Fill(input, pattern);
                model.Run(input, output);
                Console.WriteLine(string.Format(c, "input #{0}: top class {1} ({2:G6}); first outputs {3}",
                    pattern, ArgMax(output), output[ArgMax(output)], Preview(output, 8)));
            }

            Fill(input, 1);
            for (int i = 0; i < 20; i++) model.Run(input, output); // warm-up: tiered JIT, caches
            var times = new double[TimedRuns];
            for (int i = 0; i < TimedRuns; i++)
            {
                long start = Stopwatch.GetTimestamp();
                model.Run(input, output);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
            Array.Sort(times);
            Console.WriteLine(string.Format(c, "median latency over {0} runs: {1:F2} us", TimedRuns, times[TimedRuns / 2]));
            return 0;
        }

        /// <summary>0: zeros; 1: a ramp in [-1, 1]; 2: a sine wave. Same values on every machine.</summary>
        private static void Fill(float[] input, int pattern)
        {
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = pattern switch
                {
                    0 => 0f,
                    1 => input.Length > 1 ? -1f + 2f * i / (input.Length - 1) : 0f,
                    _ => MathF.Sin(i * 0.05f),
                };
            }
        }

        private static int ArgMax(float[] values)
        {
            int best = 0;
            for (int i = 1; i < values.Length; i++)
            {
                if (values[i] > values[best]) best = i;
            }
            return best;
        }

        private static string Preview(float[] values, int count)
        {
            var parts = new string[Math.Min(count, values.Length)];
            for (int i = 0; i < parts.Length; i++) parts[i] = values[i].ToString("G6", CultureInfo.InvariantCulture);
            return "[" + string.Join(", ", parts) + (values.Length > count ? ", ...]" : "]");
        }
    }
}
