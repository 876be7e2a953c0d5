using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using EdgeAot.Compiler.Diagnostics;

namespace EdgeAot.Compiler.Compression
{
    /// <summary>
    /// Sample inputs for calibration and fidelity measurement: raw little-endian float32 files.
    /// One sample is every graph input's elements concatenated in input order; a file may hold
    /// one sample or several back to back. A folder means all its regular files in ordinal name
    /// order (subfolders and hidden files ignored).
    /// </summary>
    public static class CalibrationData
    {
        /// <summary>Files a path names, in the order they are read (also the build's cache inputs).</summary>
        public static string[] Files(string path)
        {
            if (Directory.Exists(path))
            {
                var files = new List<string>();
                foreach (string f in Directory.GetFiles(path))
                {
                    if (!Path.GetFileName(f).StartsWith(".", StringComparison.Ordinal)) files.Add(f);
                }
                files.Sort(StringComparer.Ordinal);
                return files.ToArray();
            }
            if (File.Exists(path)) return new[] { path };
            throw new ModelException(DiagnosticCatalog.CalibrationDataInvalid, "calibration data '" + ModelDiagnostic.Printable(path, 200) + "' is neither a file nor a folder.");
        }

        /// <summary>Reads samples for a model whose inputs have <paramref name="inputLengths"/> elements.</summary>
        public static List<float[][]> Load(string path, long[] inputLengths, int maxSamples = int.MaxValue)
        {
            string[] files = Files(path);
            if (files.Length == 0) throw new ModelException(DiagnosticCatalog.CalibrationDataInvalid, "the calibration folder '" + ModelDiagnostic.Printable(path, 200) + "' has no files.");
            long sampleFloats = 0;
            foreach (long n in inputLengths) sampleFloats += n;
            long sampleBytes = sampleFloats * 4;
            var samples = new List<float[][]>();
            foreach (string file in files)
            {
                long length = new FileInfo(file).Length;
                if (length == 0 || length % sampleBytes != 0)
                {
                    throw new ModelException(DiagnosticCatalog.CalibrationDataInvalid, "calibration file '" + ModelDiagnostic.Printable(Path.GetFileName(file), 200) + "' has "
                        + length.ToString(CultureInfo.InvariantCulture) + " bytes, not a multiple of one sample (" + sampleBytes.ToString(CultureInfo.InvariantCulture)
                        + " bytes = float32 × " + sampleFloats.ToString(CultureInfo.InvariantCulture) + ").");
                }
                byte[] bytes = File.ReadAllBytes(file);
                for (long offset = 0; offset < bytes.Length && samples.Count < maxSamples; offset += sampleBytes)
                {
                    var sample = new float[inputLengths.Length][];
                    long at = offset;
                    for (int i = 0; i < inputLengths.Length; i++)
                    {
                        var values = new float[inputLengths[i]];
                        for (long j = 0; j < values.Length; j++, at += 4)
                        {
                            float v = BitConverter.ToSingle(LittleEndian(bytes, at), 0);
                            if (float.IsNaN(v) || float.IsInfinity(v))
                                throw new ModelException(DiagnosticCatalog.CalibrationDataInvalid, "calibration file '" + ModelDiagnostic.Printable(Path.GetFileName(file), 200) + "' holds a NaN or infinity.");
                            values[j] = v;
                        }
                        sample[i] = values;
                    }
                    samples.Add(sample);
                }
            }
            return samples;
        }

        /// <summary>
        /// The documented seeded procedure for synthetic calibration inputs: sample <c>s</c> of a
        /// set is <c>new System.Random(seed + s)</c> drawing every element of every input in order
        /// as <c>min + (max − min)·NextDouble()</c>, cast to float32. Real data calibrates better;
        /// this is for reproducible tests and smoke runs.
        /// </summary>
        public static List<float[][]> Generate(long[] inputLengths, int count, int seed, float min, float max)
        {
            var samples = new List<float[][]>();
            for (int s = 0; s < count; s++)
            {
                var rng = new Random(seed + s);
                var sample = new float[inputLengths.Length][];
                for (int i = 0; i < inputLengths.Length; i++)
                {
                    sample[i] = new float[inputLengths[i]];
                    for (long j = 0; j < sample[i].Length; j++) sample[i][j] = (float)(min + (max - min) * rng.NextDouble());
                }
                samples.Add(sample);
            }
            return samples;
        }

        /// <summary>Writes samples one file each (sample_0000.f32 ...) in the raw format <see cref="Load"/> reads.</summary>
        public static void Write(string folder, IReadOnlyList<float[][]> samples)
        {
            Directory.CreateDirectory(folder);
            for (int s = 0; s < samples.Count; s++)
            {
                using var stream = File.Create(Path.Combine(folder, "sample_" + s.ToString("D4", CultureInfo.InvariantCulture) + ".f32"));
                foreach (var input in samples[s])
                {
                    var bytes = new byte[input.Length * 4];
                    for (int j = 0; j < input.Length; j++)
                    {
                        byte[] b = BitConverter.GetBytes(input[j]);
                        if (!BitConverter.IsLittleEndian) Array.Reverse(b);
                        Buffer.BlockCopy(b, 0, bytes, j * 4, 4);
                    }
                    stream.Write(bytes, 0, bytes.Length);
                }
            }
        }

        private static byte[] LittleEndian(byte[] bytes, long at)
        {
            var b = new byte[4];
            Array.Copy(bytes, at, b, 0, 4);
            if (!BitConverter.IsLittleEndian) Array.Reverse(b);
            return b;
        }
    }
}
