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

/// <summary>
/// c[m, p] = Σ_k w[m, k]·x[k, p] for m &lt; rows, p &lt; cols, with w row-major [rows, depth] and the
/// patch packed [depth/4][ldp][4] (the four k of a group contiguous per pixel; depth a multiple of 4).
/// VNNI: vpdpbusd of the patch biased to unsigned (x ^ 0x80 = x + 128) with one broadcast 4-byte
/// weight group per step, 16 pixels in two registers; 128·Σw (weightSums) is taken off. Portable:
/// four pixels × four k per 16-byte load, widened to int16, multiplied, widened to int32 lanes that
/// are summed per pixel at the end. Integer adds wrap alike, so every path gives the scalar bits.
/// </summary>
private static void GemmInt8(int rows, int cols, int depth, ref sbyte w, ref sbyte patch, int ldp, global::System.ReadOnlySpan<int> weightSums, ref int c, int ldc)
{
    int path = IntegerKernelPath, groups = depth / 4;
    for (int m = 0; m < rows; m++)
    {
        ref sbyte wRow = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref w, m * depth);
        ref int cRow = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c, m * ldc);
        int p = 0;
        if (path == 3)
        {
            var flip = global::System.Runtime.Intrinsics.Vector256.Create((byte)0x80);
            var correction = global::System.Runtime.Intrinsics.Vector256.Create(unchecked(128 * weightSums[m]));
            for (; p + 16 <= cols; p += 16)
            {
                var acc0 = global::System.Runtime.Intrinsics.Vector256<int>.Zero;
                var acc1 = acc0;
                ref sbyte block = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref patch, p * 4);
                for (int g = 0; g < groups; g++)
                {
                    var wv = global::System.Runtime.Intrinsics.Vector256.AsSByte(global::System.Runtime.Intrinsics.Vector256.Create(
                        global::System.Runtime.CompilerServices.Unsafe.ReadUnaligned<int>(ref global::System.Runtime.CompilerServices.Unsafe.As<sbyte, byte>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref wRow, 4 * g)))));
                    ref sbyte at = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref block, g * ldp * 4);
                    acc0 = global::System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(acc0, global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref at)) ^ flip, wv);
                    acc1 = global::System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(acc1, global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref at, 32)) ^ flip, wv);
                }
                global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc0 - correction, ref cRow, (nuint)p);
                global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc1 - correction, ref cRow, (nuint)(p + 8));
            }
        }
        else if (path >= 1)
        {
            for (; p + 4 <= cols; p += 4)
            {
                var acc0 = global::System.Runtime.Intrinsics.Vector128<int>.Zero;
                var acc1 = acc0;
                var acc2 = acc0;
                var acc3 = acc0;
                ref sbyte block = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref patch, p * 4);
                for (int g = 0; g < groups; g++)
                {
                    ref sbyte wg = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref wRow, 4 * g);
                    short w0 = wg, w1 = global::System.Runtime.CompilerServices.Unsafe.Add(ref wg, 1), w2 = global::System.Runtime.CompilerServices.Unsafe.Add(ref wg, 2), w3 = global::System.Runtime.CompilerServices.Unsafe.Add(ref wg, 3);
                    var pattern = global::System.Runtime.Intrinsics.Vector128.Create(w0, w1, w2, w3, w0, w1, w2, w3);
                    var (lo, hi) = global::System.Runtime.Intrinsics.Vector128.Widen(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref block, g * ldp * 4)));
                    var (p0, p1) = global::System.Runtime.Intrinsics.Vector128.Widen(lo * pattern);
                    var (p2, p3) = global::System.Runtime.Intrinsics.Vector128.Widen(hi * pattern);
                    acc0 += p0;
                    acc1 += p1;
                    acc2 += p2;
                    acc3 += p3;
                }
                global::System.Runtime.CompilerServices.Unsafe.Add(ref cRow, p) = global::System.Runtime.Intrinsics.Vector128.Sum(acc0);
                global::System.Runtime.CompilerServices.Unsafe.Add(ref cRow, p + 1) = global::System.Runtime.Intrinsics.Vector128.Sum(acc1);
                global::System.Runtime.CompilerServices.Unsafe.Add(ref cRow, p + 2) = global::System.Runtime.Intrinsics.Vector128.Sum(acc2);
                global::System.Runtime.CompilerServices.Unsafe.Add(ref cRow, p + 3) = global::System.Runtime.Intrinsics.Vector128.Sum(acc3);
            }
        }
        for (; p < cols; p++)
        {
            int sum = 0;
            for (int k = 0; k < depth; k++)
                sum = unchecked(sum + global::System.Runtime.CompilerServices.Unsafe.Add(ref wRow, k) * global::System.Runtime.CompilerServices.Unsafe.Add(ref patch, ((k >> 2) * ldp + p) * 4 + (k & 3)));
            global::System.Runtime.CompilerServices.Unsafe.Add(ref cRow, p) = sum;
        }
    }
}

/// <summary>
/// y[i] = clamp(round_half_even((acc[i] + add)·multiplier / 2^shift) + zero, lo, hi) for i &lt; n: the
/// fixed-point requantization of one output row to int8, 32 values per step in 64-bit lanes (the
/// same formula as the scalar Requantize, so the same bits).
/// </summary>
private static void RequantizeRow(ref int acc, int n, int add, long multiplier, int shift, int zero, int lo, int hi, ref sbyte y)
{
    int i = 0;
    if (IntegerKernelPath >= 2 && shift < 63)
    {
        for (; i + 32 <= n; i += 32)
        {
            var q0 = RequantizeVector(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref acc, (nuint)i), add, multiplier, shift, zero, lo, hi);
            var q1 = RequantizeVector(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref acc, (nuint)(i + 8)), add, multiplier, shift, zero, lo, hi);
            var q2 = RequantizeVector(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref acc, (nuint)(i + 16)), add, multiplier, shift, zero, lo, hi);
            var q3 = RequantizeVector(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref acc, (nuint)(i + 24)), add, multiplier, shift, zero, lo, hi);
            var bytes = global::System.Runtime.Intrinsics.Vector256.Narrow(global::System.Runtime.Intrinsics.Vector256.Narrow(q0, q1), global::System.Runtime.Intrinsics.Vector256.Narrow(q2, q3));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(bytes, ref y, (nuint)i);
        }
    }
    for (; i < n; i++)
    {
        long product = (long)unchecked(global::System.Runtime.CompilerServices.Unsafe.Add(ref acc, i) + add) * multiplier;
        long q = shift >= 63 ? 0 : (product + (1L << (shift - 1)) - 1 + ((product >> shift) & 1)) >> shift;
        global::System.Runtime.CompilerServices.Unsafe.Add(ref y, i) = (sbyte)global::System.Math.Clamp(q + zero, lo, hi);
    }
}

/// <summary>Eight accumulators requantized and clamped (see RequantizeRow); shift &lt; 63.</summary>
private static global::System.Runtime.Intrinsics.Vector256<int> RequantizeVector(global::System.Runtime.Intrinsics.Vector256<int> acc, int add, long multiplier, int shift, int zero, int lo, int hi)
{
    var (a0, a1) = global::System.Runtime.Intrinsics.Vector256.Widen(acc + global::System.Runtime.Intrinsics.Vector256.Create(add));
    var m = global::System.Runtime.Intrinsics.Vector256.Create(multiplier);
    var round = global::System.Runtime.Intrinsics.Vector256.Create((1L << (shift - 1)) - 1);
    var one = global::System.Runtime.Intrinsics.Vector256.Create(1L);
    var p0 = a0 * m;
    var p1 = a1 * m;
    var q0 = global::System.Runtime.Intrinsics.Vector256.ShiftRightArithmetic(p0 + round + (global::System.Runtime.Intrinsics.Vector256.ShiftRightArithmetic(p0, shift) & one), shift);
    var q1 = global::System.Runtime.Intrinsics.Vector256.ShiftRightArithmetic(p1 + round + (global::System.Runtime.Intrinsics.Vector256.ShiftRightArithmetic(p1, shift) & one), shift);
    var z = global::System.Runtime.Intrinsics.Vector256.Create((long)zero);
    var low = global::System.Runtime.Intrinsics.Vector256.Create((long)lo);
    var high = global::System.Runtime.Intrinsics.Vector256.Create((long)hi);
    q0 = global::System.Runtime.Intrinsics.Vector256.Max(global::System.Runtime.Intrinsics.Vector256.Min(q0 + z, high), low);
    q1 = global::System.Runtime.Intrinsics.Vector256.Max(global::System.Runtime.Intrinsics.Vector256.Min(q1 + z, high), low);
    return global::System.Runtime.Intrinsics.Vector256.Narrow(q0, q1);
}
