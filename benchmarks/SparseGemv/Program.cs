// Microbenchmark: M=1 GEMV y = a·B, B [K, N] constant, unstructured sparsity; dense register-blocked vs
// mask + expand sparse formats (AVX-512). Run: dotnet run -c Release -- K N sparsity...
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

static unsafe class P
{
    static void Dense(float[] a, float[] b, int k, int n, float[] y)
    {
        ref float bRef = ref b[0];
        for (int j = 0; j < n; j += 128)
        {
            var c0 = Vector512<float>.Zero; var c1 = c0; var c2 = c0; var c3 = c0; var c4 = c0; var c5 = c0; var c6 = c0; var c7 = c0;
            for (int t = 0; t < k; t++)
            {
                ref float row = ref Unsafe.Add(ref bRef, t * n + j);
                var s = Vector512.Create(a[t]);
                c0 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref row), c0);
                c1 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref row, 16), c1);
                c2 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref row, 32), c2);
                c3 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref row, 48), c3);
                c4 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref row, 64), c4);
                c5 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref row, 80), c5);
                c6 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref row, 96), c6);
                c7 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref row, 112), c7);
            }
            c0.StoreUnsafe(ref y[j]); c1.StoreUnsafe(ref y[j], 16); c2.StoreUnsafe(ref y[j], 32); c3.StoreUnsafe(ref y[j], 48);
            c4.StoreUnsafe(ref y[j], 64); c5.StoreUnsafe(ref y[j], 80); c6.StoreUnsafe(ref y[j], 96); c7.StoreUnsafe(ref y[j], 112);
        }
    }

    // Format A: per (k, 16-column block) a 16-bit mask, nonzeros packed in order; values padded by 16.
    static readonly Vector512<int> Bits = Vector512.Create(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768);
    static Vector512<float> Expand(ushort mask, ref float values, ref int offset)
    {
        var m = Vector512.Equals(Vector512.Create((int)mask) & Bits, Bits).AsSingle();
        var v = Avx512F.Expand(Vector512<float>.Zero, m, Vector512.LoadUnsafe(ref values, (nuint)offset));
        offset += System.Numerics.BitOperations.PopCount(mask);
        return v;
    }
    static void MaskExpand(float[] a, ushort[] masks, float[] values, int k, int n, float[] y)
    {
        int offset = 0;
        fixed (float* v0 = values)
        fixed (ushort* mp = masks)
        for (int j = 0; j < n; j += 128)
        {
            var c0 = Vector512<float>.Zero; var c1 = c0; var c2 = c0; var c3 = c0; var c4 = c0; var c5 = c0; var c6 = c0; var c7 = c0;
            ushort* m = mp + j / 16 * k;
            for (int t = 0; t < k; t++, m += 8)
            {
                var s = Vector512.Create(a[t]);
                // One 128-bit load of the eight masks; each expand reads only its popcount values.
                uint m0 = m[0], m1 = m[1], m2 = m[2], m3 = m[3], m4 = m[4], m5 = m[5], m6 = m[6], m7 = m[7];
                float* p = v0 + offset;
                int o1 = System.Numerics.BitOperations.PopCount(m0), o2 = o1 + System.Numerics.BitOperations.PopCount(m1), o3 = o2 + System.Numerics.BitOperations.PopCount(m2), o4 = o3 + System.Numerics.BitOperations.PopCount(m3);
                int o5 = o4 + System.Numerics.BitOperations.PopCount(m4), o6 = o5 + System.Numerics.BitOperations.PopCount(m5), o7 = o6 + System.Numerics.BitOperations.PopCount(m6);
                offset += o7 + System.Numerics.BitOperations.PopCount(m7);
                c0 = Vector512.FusedMultiplyAdd(s, Avx512F.ExpandLoad(p, Mask(m0), Vector512<float>.Zero), c0);
                c1 = Vector512.FusedMultiplyAdd(s, Avx512F.ExpandLoad(p + o1, Mask(m1), Vector512<float>.Zero), c1);
                c2 = Vector512.FusedMultiplyAdd(s, Avx512F.ExpandLoad(p + o2, Mask(m2), Vector512<float>.Zero), c2);
                c3 = Vector512.FusedMultiplyAdd(s, Avx512F.ExpandLoad(p + o3, Mask(m3), Vector512<float>.Zero), c3);
                c4 = Vector512.FusedMultiplyAdd(s, Avx512F.ExpandLoad(p + o4, Mask(m4), Vector512<float>.Zero), c4);
                c5 = Vector512.FusedMultiplyAdd(s, Avx512F.ExpandLoad(p + o5, Mask(m5), Vector512<float>.Zero), c5);
                c6 = Vector512.FusedMultiplyAdd(s, Avx512F.ExpandLoad(p + o6, Mask(m6), Vector512<float>.Zero), c6);
                c7 = Vector512.FusedMultiplyAdd(s, Avx512F.ExpandLoad(p + o7, Mask(m7), Vector512<float>.Zero), c7);
            }
            c0.StoreUnsafe(ref y[j]); c1.StoreUnsafe(ref y[j], 16); c2.StoreUnsafe(ref y[j], 32); c3.StoreUnsafe(ref y[j], 48);
            c4.StoreUnsafe(ref y[j], 64); c5.StoreUnsafe(ref y[j], 80); c6.StoreUnsafe(ref y[j], 96); c7.StoreUnsafe(ref y[j], 112);
        }
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Mask(uint m) => Vector512.Equals(Vector512.Create((int)m) & Bits, Bits).AsSingle();

    // Format B: like A but one 128-bit mask per (k, 128 columns) and precomputed per-block offsets (no serial popcount chain).
    // Format C: activation-side skip: rows with a[t] == 0 skipped (dense weights); shows what ReLU zeros give.
    static void DenseSkipZeroA(float[] a, float[] b, int k, int n, float[] y)
    {
        ref float bRef = ref b[0];
        for (int j = 0; j < n; j += 128)
        {
            var c0 = Vector512<float>.Zero; var c1 = c0; var c2 = c0; var c3 = c0; var c4 = c0; var c5 = c0; var c6 = c0; var c7 = c0;
            for (int t = 0; t < k; t++)
            {
                float at = a[t];
                if (at == 0f) continue;
                ref float row = ref Unsafe.Add(ref bRef, t * n + j);
                var s = Vector512.Create(at);
                c0 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref row), c0);
                c1 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref row, 16), c1);
                c2 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref row, 32), c2);
                c3 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref row, 48), c3);
                c4 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref row, 64), c4);
                c5 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref row, 80), c5);
                c6 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref row, 96), c6);
                c7 = Vector512.FusedMultiplyAdd(s, Vector512.LoadUnsafe(ref row, 112), c7);
            }
            c0.StoreUnsafe(ref y[j]); c1.StoreUnsafe(ref y[j], 16); c2.StoreUnsafe(ref y[j], 32); c3.StoreUnsafe(ref y[j], 48);
            c4.StoreUnsafe(ref y[j], 64); c5.StoreUnsafe(ref y[j], 80); c6.StoreUnsafe(ref y[j], 96); c7.StoreUnsafe(ref y[j], 112);
        }
    }

    // Format D: per output column, CSR of nonzero rows; 16 columns at a time gather a[] (AVX-512 gather) — dot-product form.
    static void CsrGather(float[] a, int[] rowIdx, float[] vals, int[] colStart, int n, float[] y)
    {
        fixed (float* ap = a)
        for (int j = 0; j < n; j++)
        {
            int p = colStart[j], end = colStart[j + 1];
            var acc = Vector256<float>.Zero; float sum = 0;
            for (; p + 8 <= end; p += 8)
                acc = Vector256.FusedMultiplyAdd(Avx2.GatherVector256(ap, Vector256.LoadUnsafe(ref rowIdx[p]), 4), Vector256.LoadUnsafe(ref vals[p]), acc);
            for (; p < end; p++) sum += a[rowIdx[p]] * vals[p];
            y[j] = sum + Vector256.Sum(acc);
        }
    }

    static double Time(Action f)
    {
        for (int i = 0; i < 2000; i++) f();
        var best = double.MaxValue;
        for (int r = 0; r < 7; r++)
        {
            int calls = 3000; var sw = Stopwatch.StartNew();
            for (int i = 0; i < calls; i++) f();
            best = Math.Min(best, sw.Elapsed.TotalMicroseconds / calls);
        }
        return best;
    }

    static void Main(string[] args)
    {
        int k = int.Parse(args[0]), n = int.Parse(args[1]);
        Console.WriteLine($"CPU AVX-512F: {Avx512F.IsSupported}; K={k}, N={n} (M=1); best of 7 x 3000 calls, µs per call");
        Console.WriteLine("| sparsity | dense | mask+expand | dense, skip a=0 (50% zero a) | CSR + AVX2 gather | max diff |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var sArg in args.Skip(2))
        {
            double sparsity = double.Parse(sArg, System.Globalization.CultureInfo.InvariantCulture);
            var rng = new Random(1);
            var b = new float[k * n];
            for (int i = 0; i < b.Length; i++) b[i] = rng.NextDouble() < sparsity ? 0f : (float)(rng.NextDouble() * 2 - 1);
            var a = new float[k];
            for (int i = 0; i < k; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
            var aRelu = a.Select((v, i) => i % 2 == 0 ? 0f : v).ToArray();
            // mask + expand layout: blocks of 128 columns, k, 8 sub-blocks
            var masks = new List<ushort>(); var values = new List<float>();
            for (int j = 0; j < n; j += 128)
                for (int t = 0; t < k; t++)
                    for (int q = 0; q < 8; q++)
                    {
                        ushort m = 0;
                        for (int l = 0; l < 16; l++) { float w = b[t * n + j + 16 * q + l]; if (w != 0) { m |= (ushort)(1 << l); values.Add(w); } }
                        masks.Add(m);
                    }
            values.AddRange(new float[16]);
            var rowIdx = new List<int>(); var vals = new List<float>(); var colStart = new int[n + 1];
            for (int j = 0; j < n; j++) { colStart[j] = rowIdx.Count; for (int t = 0; t < k; t++) if (b[t * n + j] != 0) { rowIdx.Add(t); vals.Add(b[t * n + j]); } }
            colStart[n] = rowIdx.Count;
            float[] y1 = new float[n], y2 = new float[n], y3 = new float[n], y4 = new float[n];
            var maskArr = masks.ToArray(); var valArr = values.ToArray(); var ri = rowIdx.ToArray(); var va = vals.ToArray();
            double dense = Time(() => Dense(a, b, k, n, y1));
            double expand = Time(() => MaskExpand(a, maskArr, valArr, k, n, y2));
            double skip = Time(() => DenseSkipZeroA(aRelu, b, k, n, y3));
            double csr = Time(() => CsrGather(a, ri, va, colStart, n, y4));
            double diff = 0; for (int j = 0; j < n; j++) diff = Math.Max(diff, Math.Max(Math.Abs(y1[j] - y2[j]), Math.Abs(y1[j] - y4[j])));
            Console.WriteLine($"| {sparsity:P0} | {dense:F2} | {expand:F2} | {skip:F2} | {csr:F2} | {diff:G3} |");
        }
    }
}
