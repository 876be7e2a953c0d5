// ---- Shared integer kernels (EdgeAot.Generator/Kernels/IntegerKernels.cs) ----

/// <summary>
/// Instruction path of the integer kernels: 3 = AVX-VNNI (vpdpbusd), 2 = Vector256, 1 = Vector128,
/// 0 = scalar. Every path computes the same int32 sums (integer adds wrap identically, so the
/// bits match the scalar loop); tests lower this value to check each path against the scalar one.
/// </summary>
internal static int IntegerKernelPath = global::System.Runtime.Intrinsics.X86.AvxVnni.IsSupported ? 3
    : global::System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? 2
    : global::System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? 1 : 0;

/// <summary>
/// Σ x[i]·w[i] over n int8 pairs. VNNI multiplies unsigned by signed bytes, so x is biased to
/// x + 128 (x ^ 0x80) and 128·Σw, computed by a second vpdpbusd of the constant 128 with w, is
/// taken off. Portable paths widen to int16 (an int8 product fits), multiply, widen to int32, add.
/// </summary>
private static int DotInt8(ref sbyte x, ref sbyte w, int n)
{
    int path = IntegerKernelPath, i = 0, sum = 0;
    if (path == 3 && n >= 32)
    {
        var acc = global::System.Runtime.Intrinsics.Vector256<int>.Zero;
        var bias = global::System.Runtime.Intrinsics.Vector256<int>.Zero;
        var flip = global::System.Runtime.Intrinsics.Vector256.Create((byte)0x80);
        for (; i + 32 <= n; i += 32)
        {
            var wv = global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref w, (nuint)i);
            var xv = global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref x, (nuint)i)) ^ flip;
            acc = global::System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(acc, xv, wv);
            bias = global::System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(bias, flip, wv);
        }
        sum = global::System.Runtime.Intrinsics.Vector256.Sum(acc - bias);
    }
    else if (path >= 2 && n >= 32)
    {
        var acc = global::System.Runtime.Intrinsics.Vector256<int>.Zero;
        for (; i + 32 <= n; i += 32)
        {
            var (x0, x1) = global::System.Runtime.Intrinsics.Vector256.Widen(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref x, (nuint)i));
            var (w0, w1) = global::System.Runtime.Intrinsics.Vector256.Widen(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref w, (nuint)i));
            var (p0, p1) = global::System.Runtime.Intrinsics.Vector256.Widen(x0 * w0);
            var (p2, p3) = global::System.Runtime.Intrinsics.Vector256.Widen(x1 * w1);
            acc += (p0 + p1) + (p2 + p3);
        }
        sum = global::System.Runtime.Intrinsics.Vector256.Sum(acc);
    }
    if (path >= 1 && n - i >= 16)
    {
        var acc = global::System.Runtime.Intrinsics.Vector128<int>.Zero;
        for (; i + 16 <= n; i += 16)
        {
            var (x0, x1) = global::System.Runtime.Intrinsics.Vector128.Widen(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref x, (nuint)i));
            var (w0, w1) = global::System.Runtime.Intrinsics.Vector128.Widen(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref w, (nuint)i));
            var (p0, p1) = global::System.Runtime.Intrinsics.Vector128.Widen(x0 * w0);
            var (p2, p3) = global::System.Runtime.Intrinsics.Vector128.Widen(x1 * w1);
            acc += (p0 + p1) + (p2 + p3);
        }
        sum = unchecked(sum + global::System.Runtime.Intrinsics.Vector128.Sum(acc));
    }
    for (; i < n; i++) sum = unchecked(sum + global::System.Runtime.CompilerServices.Unsafe.Add(ref x, i) * global::System.Runtime.CompilerServices.Unsafe.Add(ref w, i));
    return sum;
}

/// <summary>y[j] += alpha·w[j] over n int8 weights (alpha an 8-bit activation, so each product fits int16).</summary>
private static void AxpyInt8(int alpha, ref sbyte w, ref int y, int n)
{
    int path = IntegerKernelPath, j = 0;
    if (path >= 2)
    {
        var a = global::System.Runtime.Intrinsics.Vector256.Create((short)alpha);
        for (; j + 16 <= n; j += 16)
        {
            var (w0, w1) = global::System.Runtime.Intrinsics.Vector128.Widen(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref w, (nuint)j));
            var (p0, p1) = global::System.Runtime.Intrinsics.Vector256.Widen(global::System.Runtime.Intrinsics.Vector256.Create(w0, w1) * a);
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref y, (nuint)j) + p0, ref y, (nuint)j);
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref y, (nuint)(j + 8)) + p1, ref y, (nuint)(j + 8));
        }
    }
    if (path >= 1)
    {
        var a = global::System.Runtime.Intrinsics.Vector128.Create((short)alpha);
        for (; j + 8 <= n; j += 8)
        {
            var wv = global::System.Runtime.Intrinsics.Vector128.WidenLower(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref w, (nuint)j));
            var (p0, p1) = global::System.Runtime.Intrinsics.Vector128.Widen(wv * a);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref y, (nuint)j) + p0, ref y, (nuint)j);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref y, (nuint)(j + 4)) + p1, ref y, (nuint)(j + 4));
        }
    }
    for (; j < n; j++) global::System.Runtime.CompilerServices.Unsafe.Add(ref y, j) += alpha * global::System.Runtime.CompilerServices.Unsafe.Add(ref w, j);
}

/// <summary>
/// y[i] = bias + Σ_t taps[t]·x[i + offsets[t]] for i &lt; n (one depthwise int8 channel on a padded
/// plane; x holds n + max(offsets) values). 16 outputs per step: bytes widened to int16, multiplied
/// by the broadcast tap (an int8 product fits int16), widened to int32 and summed, so every path
/// gives the scalar loop's bits.
/// </summary>
private static void DepthwisePlaneInt8(ref sbyte x, ref int y, int n, global::System.ReadOnlySpan<int> offsets, global::System.ReadOnlySpan<sbyte> taps, int bias)
{
    int path = IntegerKernelPath, i = 0, count = taps.Length;
    if (path >= 2)
    {
        for (; i + 16 <= n; i += 16)
        {
            var acc0 = global::System.Runtime.Intrinsics.Vector256.Create(bias);
            var acc1 = acc0;
            for (int t = 0; t < count; t++)
            {
                var bytes = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref x, (nuint)(i + offsets[t]));
                var (lo, hi) = global::System.Runtime.Intrinsics.Vector128.Widen(bytes);
                var product = global::System.Runtime.Intrinsics.Vector256.Create(lo, hi) * global::System.Runtime.Intrinsics.Vector256.Create((short)taps[t]);
                var (p0, p1) = global::System.Runtime.Intrinsics.Vector256.Widen(product);
                acc0 += p0;
                acc1 += p1;
            }
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc0, ref y, (nuint)i);
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc1, ref y, (nuint)(i + 8));
        }
    }
    if (path >= 1)
    {
        for (; i + 16 <= n; i += 16)
        {
            var acc0 = global::System.Runtime.Intrinsics.Vector128.Create(bias);
            var acc1 = acc0;
            var acc2 = acc0;
            var acc3 = acc0;
            for (int t = 0; t < count; t++)
            {
                var (lo, hi) = global::System.Runtime.Intrinsics.Vector128.Widen(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref x, (nuint)(i + offsets[t])));
                var tap = global::System.Runtime.Intrinsics.Vector128.Create((short)taps[t]);
                var (p0, p1) = global::System.Runtime.Intrinsics.Vector128.Widen(lo * tap);
                var (p2, p3) = global::System.Runtime.Intrinsics.Vector128.Widen(hi * tap);
                acc0 += p0;
                acc1 += p1;
                acc2 += p2;
                acc3 += p3;
            }
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc0, ref y, (nuint)i);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc1, ref y, (nuint)(i + 4));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc2, ref y, (nuint)(i + 8));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc3, ref y, (nuint)(i + 12));
        }
    }
    for (; i < n; i++)
    {
        int sum = bias;
        for (int t = 0; t < count; t++) sum = unchecked(sum + taps[t] * global::System.Runtime.CompilerServices.Unsafe.Add(ref x, i + offsets[t]));
        global::System.Runtime.CompilerServices.Unsafe.Add(ref y, i) = sum;
    }
}
