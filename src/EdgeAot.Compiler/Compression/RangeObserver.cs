using System;
using System.Collections.Generic;

namespace EdgeAot.Compiler.Compression
{
    public enum CalibrationMethod
    {
        /// <summary>The smallest and largest value seen over all samples.</summary>
        MinMax,

        /// <summary>
        /// Clips the tails: the range holds the given percentile of values on each side (from a
        /// 2048-bin histogram over the min/max range), so rare outliers do not stretch the scale.
        /// </summary>
        Percentile,
    }

    /// <summary>Calibrated real range of one tensor.</summary>
    public readonly struct TensorRange
    {
        public TensorRange(double min, double max)
        {
            Min = min;
            Max = max;
        }

        public double Min { get; }

        public double Max { get; }
    }

    /// <summary>
    /// Collects activation ranges of named tensors over calibration samples. Min/max needs one
    /// pass; percentile needs a second pass that fills histograms over the first pass's ranges.
    /// </summary>
    public sealed class RangeObserver
    {
        private const int Bins = 2048;

        private readonly HashSet<string> _names;
        private readonly Dictionary<string, double[]> _minMax = new Dictionary<string, double[]>(StringComparer.Ordinal);
        private readonly Dictionary<string, long[]> _histograms = new Dictionary<string, long[]>(StringComparer.Ordinal);

        public RangeObserver(IEnumerable<string> names) => _names = new HashSet<string>(names, StringComparer.Ordinal);

        public static Dictionary<string, TensorRange> Calibrate(ReferenceRunner runner, IReadOnlyList<float[][]> samples, IEnumerable<string> names,
            CalibrationMethod method, double percentile)
        {
            var observer = new RangeObserver(names);
            foreach (var sample in samples) runner.Run(sample, (v, values) => observer.ObserveMinMax(v.Name, values));
            if (method == CalibrationMethod.Percentile)
            {
                foreach (var sample in samples) runner.Run(sample, (v, values) => observer.ObserveHistogram(v.Name, values));
            }
            return observer.Ranges(method, percentile);
        }

        public void ObserveMinMax(string name, float[] values)
        {
            if (!_names.Contains(name)) return;
            if (!_minMax.TryGetValue(name, out var mm)) _minMax[name] = mm = new[] { double.PositiveInfinity, double.NegativeInfinity };
            foreach (float v in values)
            {
                if (v < mm[0]) mm[0] = v;
                if (v > mm[1]) mm[1] = v;
            }
        }

        public void ObserveHistogram(string name, float[] values)
        {
            if (!_minMax.TryGetValue(name, out var mm)) return;
            if (!_histograms.TryGetValue(name, out var h)) _histograms[name] = h = new long[Bins];
            double width = (mm[1] - mm[0]) / Bins;
            foreach (float v in values)
            {
                int bin = width > 0 ? (int)Math.Min(Bins - 1, Math.Max(0, (v - mm[0]) / width)) : 0;
                h[bin]++;
            }
        }

        public Dictionary<string, TensorRange> Ranges(CalibrationMethod method, double percentile)
        {
            var result = new Dictionary<string, TensorRange>(StringComparer.Ordinal);
            foreach (var entry in _minMax)
            {
                double lo = entry.Value[0], hi = entry.Value[1];
                if (method == CalibrationMethod.Percentile && _histograms.TryGetValue(entry.Key, out var h))
                {
                    long total = 0;
                    foreach (long c in h) total += c;
                    double tail = total * (100 - percentile) / 100;
                    double width = (hi - lo) / Bins;
                    long seen = 0;
                    int first = 0;
                    for (; first < Bins - 1; first++)
                    {
                        seen += h[first];
                        if (seen > tail) break;
                    }
                    seen = 0;
                    int last = Bins - 1;
                    for (; last > 0; last--)
                    {
                        seen += h[last];
                        if (seen > tail) break;
                    }
                    double newLo = lo + first * width, newHi = lo + (last + 1) * width;
                    if (newHi > newLo)
                    {
                        lo = Math.Max(lo, newLo);
                        hi = Math.Min(hi, newHi);
                    }
                }
                result[entry.Key] = new TensorRange(lo, hi);
            }
            return result;
        }
    }
}
