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
/// plane; x holds n + max(offsets) values, plus 8 bytes of slack the VNNI path reads). Taps are in
/// (kh, kw) order; rowTaps is kw when the taps of a kernel row are consecutive bytes (dilation 1), else 0.
/// VNNI (rowTaps ≤ 4): per kernel row one vpdpbusd over the 4-byte windows x[i + o .. i + o + 3] of
/// 8 outputs (one byte shuffle of 16 loaded bytes), the row's taps as one broadcast weight word (zero
/// past kw); bytes biased to unsigned (x ^ 0x80) and 128·Σtaps taken off. Portable: 16 outputs per
/// step, bytes widened to int16, multiplied by the broadcast tap (an int8 product fits int16), widened
/// to int32 and summed. Integer adds wrap alike, so every path gives the scalar loop's bits.
/// </summary>
private static void DepthwisePlaneInt8(ref sbyte x, ref int y, int n, global::System.ReadOnlySpan<int> offsets, int rowTaps, global::System.ReadOnlySpan<sbyte> taps, int bias)
{
    int path = IntegerKernelPath, i = 0, count = taps.Length;
    if (path == 3 && rowTaps >= 1 && rowTaps <= 4 && count <= 4 * rowTaps && count % rowTaps == 0)
    {
        int kernelRows = count / rowTaps, tapSum = 0;
        int word0 = 0, word1 = 0, word2 = 0, word3 = 0;
        for (int t = 0; t < count; t++)
        {
            tapSum += taps[t];
            int r = t / rowTaps, shifted = unchecked((byte)taps[t]) << (8 * (t - r * rowTaps)); // the tap's two's-complement byte
            if (r == 0) word0 |= shifted; else if (r == 1) word1 |= shifted; else if (r == 2) word2 |= shifted; else word3 |= shifted;
        }
        var rowWords = global::System.Runtime.Intrinsics.Vector128.Create(word0, word1, word2, word3);
        var start = global::System.Runtime.Intrinsics.Vector256.Create(unchecked(bias - 128 * tapSum));
        // Lane 0 gathers the windows of outputs 0..3 (bytes 0..6), lane 1 those of outputs 4..7 (bytes 4..10).
        var windows = global::System.Runtime.Intrinsics.Vector256.Create((byte)0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6, 4, 5, 6, 7, 5, 6, 7, 8, 6, 7, 8, 9, 7, 8, 9, 10);
        var flip = global::System.Runtime.Intrinsics.Vector256.Create((byte)0x80);
        for (; i + 16 <= n; i += 16)
        {
            var acc0 = start;
            var acc1 = start;
            for (int r = 0; r < kernelRows; r++)
            {
                var weights = global::System.Runtime.Intrinsics.Vector256.AsSByte(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.Intrinsics.Vector128.GetElement(rowWords, r)));
                ref byte at = ref global::System.Runtime.CompilerServices.Unsafe.As<sbyte, byte>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref x, i + offsets[r * rowTaps]));
                var v0 = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref at);
                var v1 = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref at, 8);
                var u0 = global::System.Runtime.Intrinsics.X86.Avx2.Shuffle(global::System.Runtime.Intrinsics.Vector256.Create(v0, v0), windows) ^ flip;
                var u1 = global::System.Runtime.Intrinsics.X86.Avx2.Shuffle(global::System.Runtime.Intrinsics.Vector256.Create(v1, v1), windows) ^ flip;
                acc0 = global::System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(acc0, u0, weights);
                acc1 = global::System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(acc1, u1, weights);
            }
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc0, ref y, (nuint)i);
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc1, ref y, (nuint)(i + 8));
        }
    }
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
/// c[m, p] = Σ_k w[m, k]·u[k, p] for m &lt; rows, p &lt; cols, with w row-major [rows, depth] and the
/// patch u unsigned bytes (activations biased by +128 when packed: x ^ 0x80) packed [depth/4][ldp][4]
/// (the four k of a group contiguous per pixel; depth a multiple of 4). The caller takes 128·Σw off.
/// VNNI: vpdpbusd of 16 pixels (two registers) with one broadcast 4-byte weight group per filter,
/// four filters per pass so every patch load serves four filters (eight accumulators). Portable:
/// four pixels × four k per 16-byte load, widened to int16 (u·w fits), multiplied, widened to int32
/// lanes summed per pixel at the end. Integer adds wrap alike, so every path gives the scalar bits.
/// </summary>
private static void GemmInt8(int rows, int cols, int depth, ref sbyte w, ref byte patch, int ldp, ref int c, int ldc)
{
    int path = IntegerKernelPath, groups = depth / 4, m = 0;
    if (path == 3)
    {
        for (; m + 4 <= rows; m += 4)
        {
            ref sbyte w0 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref w, m * depth);
            ref sbyte w1 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref w0, depth);
            ref sbyte w2 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref w1, depth);
            ref sbyte w3 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref w2, depth);
            ref int c0 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c, m * ldc);
            ref int c1 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c0, ldc);
            ref int c2 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c1, ldc);
            ref int c3 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c2, ldc);
            for (int p = 0; p + 16 <= cols; p += 16)
            {
                var a00 = global::System.Runtime.Intrinsics.Vector256<int>.Zero;
                var a01 = a00; var a10 = a00; var a11 = a00; var a20 = a00; var a21 = a00; var a30 = a00; var a31 = a00;
                ref byte block = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref patch, p * 4);
                for (int g = 0; g < groups; g++)
                {
                    ref byte at = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref block, g * ldp * 4);
                    var x0 = global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref at);
                    var x1 = global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref at, 32);
                    var b0 = WeightGroup(ref w0, g);
                    a00 = global::System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(a00, x0, b0);
                    a01 = global::System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(a01, x1, b0);
                    var b1 = WeightGroup(ref w1, g);
                    a10 = global::System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(a10, x0, b1);
                    a11 = global::System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(a11, x1, b1);
                    var b2 = WeightGroup(ref w2, g);
                    a20 = global::System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(a20, x0, b2);
                    a21 = global::System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(a21, x1, b2);
                    var b3 = WeightGroup(ref w3, g);
                    a30 = global::System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(a30, x0, b3);
                    a31 = global::System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(a31, x1, b3);
                }
                global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(a00, ref c0, (nuint)p);
                global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(a01, ref c0, (nuint)(p + 8));
                global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(a10, ref c1, (nuint)p);
                global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(a11, ref c1, (nuint)(p + 8));
                global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(a20, ref c2, (nuint)p);
                global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(a21, ref c2, (nuint)(p + 8));
                global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(a30, ref c3, (nuint)p);
                global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(a31, ref c3, (nuint)(p + 8));
            }
            for (int r = 0; r < 4; r++) GemmInt8Tail(cols & ~15, cols, depth, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref w0, r * depth), ref patch, ldp, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c0, r * ldc));
        }
    }
    for (; m < rows; m++)
    {
        ref sbyte wRow = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref w, m * depth);
        ref int cRow = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c, m * ldc);
        int p = 0;
        if (path == 3)
        {
            for (; p + 16 <= cols; p += 16)
            {
                var acc0 = global::System.Runtime.Intrinsics.Vector256<int>.Zero;
                var acc1 = acc0;
                ref byte block = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref patch, p * 4);
                for (int g = 0; g < groups; g++)
                {
                    var wv = WeightGroup(ref wRow, g);
                    ref byte at = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref block, g * ldp * 4);
                    acc0 = global::System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(acc0, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref at), wv);
                    acc1 = global::System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(acc1, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref at, 32), wv);
                }
                global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc0, ref cRow, (nuint)p);
                global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc1, ref cRow, (nuint)(p + 8));
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
                ref byte block = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref patch, p * 4);
                for (int g = 0; g < groups; g++)
                {
                    ref sbyte wg = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref wRow, 4 * g);
                    short k0 = wg, k1 = global::System.Runtime.CompilerServices.Unsafe.Add(ref wg, 1), k2 = global::System.Runtime.CompilerServices.Unsafe.Add(ref wg, 2), k3 = global::System.Runtime.CompilerServices.Unsafe.Add(ref wg, 3);
                    var pattern = global::System.Runtime.Intrinsics.Vector128.Create(k0, k1, k2, k3, k0, k1, k2, k3);
                    // Unsigned bytes widen to 0..255, exact as int16; u·w lies in [-32640, 32385].
                    var (lo, hi) = global::System.Runtime.Intrinsics.Vector128.Widen(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref block, g * ldp * 4)));
                    var (p0, p1) = global::System.Runtime.Intrinsics.Vector128.Widen(global::System.Runtime.Intrinsics.Vector128.AsInt16(lo) * pattern);
                    var (p2, p3) = global::System.Runtime.Intrinsics.Vector128.Widen(global::System.Runtime.Intrinsics.Vector128.AsInt16(hi) * pattern);
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
        GemmInt8Tail(p, cols, depth, ref wRow, ref patch, ldp, ref cRow);
    }
}

/// <summary>The 4-byte weight group g of one filter row, broadcast to every int32 lane (the vpdpbusd operand).</summary>
[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
private static global::System.Runtime.Intrinsics.Vector256<sbyte> WeightGroup(ref sbyte row, int g)
    => global::System.Runtime.Intrinsics.Vector256.AsSByte(global::System.Runtime.Intrinsics.Vector256.Create(
        global::System.Runtime.CompilerServices.Unsafe.ReadUnaligned<int>(ref global::System.Runtime.CompilerServices.Unsafe.As<sbyte, byte>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref row, 4 * g)))));

/// <summary>Scalar columns from..cols of one GemmInt8 row (the reference every vector path matches).</summary>
private static void GemmInt8Tail(int from, int cols, int depth, ref sbyte wRow, ref byte patch, int ldp, ref int cRow)
{
    for (int p = from; p < cols; p++)
    {
        int sum = 0;
        for (int k = 0; k < depth; k++)
            sum = unchecked(sum + global::System.Runtime.CompilerServices.Unsafe.Add(ref wRow, k) * global::System.Runtime.CompilerServices.Unsafe.Add(ref patch, ((k >> 2) * ldp + p) * 4 + (k & 3)));
        global::System.Runtime.CompilerServices.Unsafe.Add(ref cRow, p) = sum;
    }
}

/// <summary>
/// Copies rows × width bytes between strided planes: 8- and 4-byte words, then bytes, per row (small
/// planes such as 25×5: cheaper than a memmove call per row). Never touches a byte outside the rows.
/// </summary>
private static void CopyRows(ref sbyte src, int srcStride, ref sbyte dst, int dstStride, int rows, int width)
{
    for (int r = 0; r < rows; r++)
    {
        ref byte s = ref global::System.Runtime.CompilerServices.Unsafe.As<sbyte, byte>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref src, r * srcStride));
        ref byte d = ref global::System.Runtime.CompilerServices.Unsafe.As<sbyte, byte>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref dst, r * dstStride));
        int j = 0;
        for (; j + 8 <= width; j += 8)
            global::System.Runtime.CompilerServices.Unsafe.WriteUnaligned(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref d, j), global::System.Runtime.CompilerServices.Unsafe.ReadUnaligned<ulong>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref s, j)));
        if (j + 4 <= width)
        {
            global::System.Runtime.CompilerServices.Unsafe.WriteUnaligned(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref d, j), global::System.Runtime.CompilerServices.Unsafe.ReadUnaligned<uint>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref s, j)));
            j += 4;
        }
        for (; j < width; j++) global::System.Runtime.CompilerServices.Unsafe.Add(ref d, j) = global::System.Runtime.CompilerServices.Unsafe.Add(ref s, j);
    }
}

/// <summary>
/// Packs four int8 rows (src, src + stride, src + 2·stride, src + 3·stride; count values each) into
/// count 4-byte words [row0, row1, row2, row3] biased to unsigned (x ^ 0x80): one pixel's group of
/// the packed int8 GEMM patch. SSE2 interleaves 16 pixels per step; the rest go word by word.
/// </summary>
private static void PackFourRows(ref sbyte src, int stride, int count, ref byte dst)
{
    int t = 0;
    if (IntegerKernelPath >= 2 && global::System.Runtime.Intrinsics.X86.Sse2.IsSupported)
    {
        var flip = global::System.Runtime.Intrinsics.Vector128.Create((byte)0x80);
        for (; t + 16 <= count; t += 16)
        {
            var r0 = global::System.Runtime.Intrinsics.Vector128.AsByte(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref src, (nuint)t)) ^ flip;
            var r1 = global::System.Runtime.Intrinsics.Vector128.AsByte(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref src, (nuint)(t + stride))) ^ flip;
            var r2 = global::System.Runtime.Intrinsics.Vector128.AsByte(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref src, (nuint)(t + 2 * stride))) ^ flip;
            var r3 = global::System.Runtime.Intrinsics.Vector128.AsByte(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref src, (nuint)(t + 3 * stride))) ^ flip;
            var low01 = global::System.Runtime.Intrinsics.Vector128.AsUInt16(global::System.Runtime.Intrinsics.X86.Sse2.UnpackLow(r0, r1));
            var high01 = global::System.Runtime.Intrinsics.Vector128.AsUInt16(global::System.Runtime.Intrinsics.X86.Sse2.UnpackHigh(r0, r1));
            var low23 = global::System.Runtime.Intrinsics.Vector128.AsUInt16(global::System.Runtime.Intrinsics.X86.Sse2.UnpackLow(r2, r3));
            var high23 = global::System.Runtime.Intrinsics.Vector128.AsUInt16(global::System.Runtime.Intrinsics.X86.Sse2.UnpackHigh(r2, r3));
            ref byte at = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref dst, t * 4);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector128.AsByte(global::System.Runtime.Intrinsics.X86.Sse2.UnpackLow(low01, low23)), ref at);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector128.AsByte(global::System.Runtime.Intrinsics.X86.Sse2.UnpackHigh(low01, low23)), ref at, 16);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector128.AsByte(global::System.Runtime.Intrinsics.X86.Sse2.UnpackLow(high01, high23)), ref at, 32);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector128.AsByte(global::System.Runtime.Intrinsics.X86.Sse2.UnpackHigh(high01, high23)), ref at, 48);
        }
    }
    for (; t < count; t++)
    {
        uint four = unchecked((byte)global::System.Runtime.CompilerServices.Unsafe.Add(ref src, t)
            | (uint)(byte)global::System.Runtime.CompilerServices.Unsafe.Add(ref src, t + stride) << 8
            | (uint)(byte)global::System.Runtime.CompilerServices.Unsafe.Add(ref src, t + 2 * stride) << 16
            | (uint)(byte)global::System.Runtime.CompilerServices.Unsafe.Add(ref src, t + 3 * stride) << 24);
        global::System.Runtime.CompilerServices.Unsafe.WriteUnaligned(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref dst, t * 4), four ^ 0x80808080u);
    }
}

/// <summary>
/// y[i] = clamp(round_half_even((acc[i] + add)·multiplier / 2^shift) + zero, lo, hi) for i &lt; n: the
/// fixed-point requantization of one output row to int8, 32 (then 8) values per step in 64-bit lanes (the
/// same formula as the scalar Requantize, so the same bits).
/// </summary>
private static void RequantizeRow(ref int acc, int n, int add, long multiplier, int shift, int zero, int lo, int hi, ref sbyte y)
{
    int i = 0;
    if (IntegerKernelPath >= 2 && shift < 63)
    {
        var constants = new RequantizeConstants(add, multiplier, shift, zero, lo, hi);
        for (; i + 32 <= n; i += 32)
        {
            var q0 = RequantizeVector(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref acc, (nuint)i), constants);
            var q1 = RequantizeVector(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref acc, (nuint)(i + 8)), constants);
            var q2 = RequantizeVector(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref acc, (nuint)(i + 16)), constants);
            var q3 = RequantizeVector(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref acc, (nuint)(i + 24)), constants);
            var bytes = global::System.Runtime.Intrinsics.Vector256.Narrow(global::System.Runtime.Intrinsics.Vector256.Narrow(q0, q1), global::System.Runtime.Intrinsics.Vector256.Narrow(q2, q3));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(bytes, ref y, (nuint)i);
        }
        for (; i + 8 <= n; i += 8)
        {
            var q = RequantizeVector(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref acc, (nuint)i), constants);
            var shorts = global::System.Runtime.Intrinsics.Vector256.Narrow(q, q);
            var bytes = global::System.Runtime.Intrinsics.Vector256.Narrow(shorts, shorts);
            global::System.Runtime.CompilerServices.Unsafe.WriteUnaligned(ref global::System.Runtime.CompilerServices.Unsafe.As<sbyte, byte>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref y, i)), global::System.Runtime.Intrinsics.Vector256.ToScalar(global::System.Runtime.Intrinsics.Vector256.AsUInt64(bytes)));
        }
    }
    for (; i < n; i++)
    {
        long product = (long)unchecked(global::System.Runtime.CompilerServices.Unsafe.Add(ref acc, i) + add) * multiplier;
        long q = shift >= 63 ? 0 : (product + (1L << (shift - 1)) - 1 + ((product >> shift) & 1)) >> shift;
        global::System.Runtime.CompilerServices.Unsafe.Add(ref y, i) = (sbyte)global::System.Math.Clamp(q + zero, lo, hi);
    }
}

/// <summary>The broadcast constants of one RequantizeRow call, built once outside its loops.</summary>
private readonly struct RequantizeConstants
{
    public readonly global::System.Runtime.Intrinsics.Vector256<int> Add;
    public readonly global::System.Runtime.Intrinsics.Vector256<long> Multiplier, Round, Zero, Low, High;
    public readonly int Shift;

    public RequantizeConstants(int add, long multiplier, int shift, int zero, int lo, int hi)
    {
        Add = global::System.Runtime.Intrinsics.Vector256.Create(add);
        Multiplier = global::System.Runtime.Intrinsics.Vector256.Create(multiplier);
        Round = global::System.Runtime.Intrinsics.Vector256.Create((1L << (shift - 1)) - 1);
        Zero = global::System.Runtime.Intrinsics.Vector256.Create((long)zero);
        Low = global::System.Runtime.Intrinsics.Vector256.Create((long)lo);
        High = global::System.Runtime.Intrinsics.Vector256.Create((long)hi);
        Shift = shift;
    }
}

/// <summary>Eight accumulators requantized and clamped (see RequantizeRow); shift &lt; 63.</summary>
[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
private static global::System.Runtime.Intrinsics.Vector256<int> RequantizeVector(global::System.Runtime.Intrinsics.Vector256<int> acc, in RequantizeConstants c)
{
    var (a0, a1) = global::System.Runtime.Intrinsics.Vector256.Widen(acc + c.Add);
    var one = global::System.Runtime.Intrinsics.Vector256.Create(1L);
    var p0 = a0 * c.Multiplier;
    var p1 = a1 * c.Multiplier;
    var q0 = global::System.Runtime.Intrinsics.Vector256.ShiftRightArithmetic(p0 + c.Round + (global::System.Runtime.Intrinsics.Vector256.ShiftRightArithmetic(p0, c.Shift) & one), c.Shift);
    var q1 = global::System.Runtime.Intrinsics.Vector256.ShiftRightArithmetic(p1 + c.Round + (global::System.Runtime.Intrinsics.Vector256.ShiftRightArithmetic(p1, c.Shift) & one), c.Shift);
    q0 = global::System.Runtime.Intrinsics.Vector256.Max(global::System.Runtime.Intrinsics.Vector256.Min(q0 + c.Zero, c.High), c.Low);
    q1 = global::System.Runtime.Intrinsics.Vector256.Max(global::System.Runtime.Intrinsics.Vector256.Min(q1 + c.Zero, c.High), c.Low);
    return global::System.Runtime.Intrinsics.Vector256.Narrow(q0, q1);
}

/// <summary>
/// Whether the channel-last kernels requantize 16 lanes per step with AVX-512 (same bits as the 8-lane
/// AVX2 steps; tests switch it off to check those).
/// </summary>
internal static bool IntegerRequantize512 = global::System.Runtime.Intrinsics.X86.Avx512F.IsSupported;

/// <summary>
/// Requantizes two vectors of eight int32 accumulators (a: lanes 0-7, b: lanes 8-15) and packs them to
/// sixteen int16: clamp(round_half_even(acc·m / 2^s), lo - zero, hi - zero) + zero per lane, m and s the
/// lane's own (the scalar Requantize's bits, in 32-bit lanes). The constants of the pair are a row of 64
/// longs, eight segments of eight: multipliers of the even lanes (0, 2, 4, 6 of a, then of b), of the
/// odd lanes, shifts of even and odd lanes, 2^62 + 2^(s-1) - 1 of even and odd lanes, int32 fixes
/// -(2^(62-s) mod 2^32) of a then b, and int32 accumulator bases of a then b (two per long). The
/// product P = acc·m (vpmuldq on even and odd lanes) is taken as unsigned P + 2^62 ≥ 0 (|P| &lt; 2^62):
/// bit s is P's own bit s (s ≤ 61), so (P + 2^62 + 2^(s-1) - 1 + bit_s) >> s, a logical shift, is the
/// rounded quotient plus 2^(62-s), and its low 32 bits less that offset are the quotient exactly, which
/// fits int32 because m &lt; 2^s.
/// </summary>
[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
private static global::System.Runtime.Intrinsics.Vector256<short> RequantizePair(global::System.Runtime.Intrinsics.Vector256<int> a, global::System.Runtime.Intrinsics.Vector256<int> b, ref long row, global::System.Runtime.Intrinsics.Vector256<int> low, global::System.Runtime.Intrinsics.Vector256<int> high, global::System.Runtime.Intrinsics.Vector256<int> zero)
{
    if (IntegerRequantize512)
    {
        var one = global::System.Runtime.Intrinsics.Vector512.Create(1UL);
        var acc = global::System.Runtime.Intrinsics.Vector512.Create(a, b);
        var shiftEven = global::System.Runtime.Intrinsics.Vector512.AsUInt64(global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref row, 16));
        var shiftOdd = global::System.Runtime.Intrinsics.Vector512.AsUInt64(global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref row, 24));
        var even = global::System.Runtime.Intrinsics.Vector512.AsUInt64(global::System.Runtime.Intrinsics.X86.Avx512F.Multiply(acc, global::System.Runtime.Intrinsics.Vector512.AsInt32(global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref row))));
        var odd = global::System.Runtime.Intrinsics.Vector512.AsUInt64(global::System.Runtime.Intrinsics.X86.Avx512F.Multiply(global::System.Runtime.Intrinsics.Vector512.AsInt32(global::System.Runtime.Intrinsics.X86.Avx512F.ShiftRightLogical(global::System.Runtime.Intrinsics.Vector512.AsInt64(acc), 32)), global::System.Runtime.Intrinsics.Vector512.AsInt32(global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref row, 8))));
        var qEven = global::System.Runtime.Intrinsics.X86.Avx512F.ShiftRightLogicalVariable(even + global::System.Runtime.Intrinsics.Vector512.AsUInt64(global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref row, 32)) + (global::System.Runtime.Intrinsics.X86.Avx512F.ShiftRightLogicalVariable(even, shiftEven) & one), shiftEven);
        var qOdd = global::System.Runtime.Intrinsics.X86.Avx512F.ShiftRightLogicalVariable(odd + global::System.Runtime.Intrinsics.Vector512.AsUInt64(global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref row, 40)) + (global::System.Runtime.Intrinsics.X86.Avx512F.ShiftRightLogicalVariable(odd, shiftOdd) & one), shiftOdd);
        var oddLanes = global::System.Runtime.Intrinsics.Vector512.AsInt32(global::System.Runtime.Intrinsics.Vector512.Create(0xFFFFFFFF00000000UL));
        var q = global::System.Runtime.Intrinsics.Vector512.ConditionalSelect(oddLanes, global::System.Runtime.Intrinsics.Vector512.AsInt32(global::System.Runtime.Intrinsics.X86.Avx512F.ShiftLeftLogical(qOdd, 32)), global::System.Runtime.Intrinsics.Vector512.AsInt32(qEven)) + global::System.Runtime.Intrinsics.Vector512.AsInt32(global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref row, 48));
        q = global::System.Runtime.Intrinsics.Vector512.Max(global::System.Runtime.Intrinsics.Vector512.Min(q, global::System.Runtime.Intrinsics.Vector512.Create(high, high)), global::System.Runtime.Intrinsics.Vector512.Create(low, low)) + global::System.Runtime.Intrinsics.Vector512.Create(zero, zero);
        return global::System.Runtime.Intrinsics.X86.Avx2.PackSignedSaturate(global::System.Runtime.Intrinsics.Vector512.GetLower(q), global::System.Runtime.Intrinsics.Vector512.GetUpper(q));
    }
    return global::System.Runtime.Intrinsics.X86.Avx2.PackSignedSaturate(RequantizeLanes(a, ref row, low, high, zero), RequantizeLanes(b, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref row, 4), low, high, zero));
}

/// <summary>RequantizePair's eight-lane step: one vector's constants at row + 8·k (see there).</summary>
[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
private static global::System.Runtime.Intrinsics.Vector256<int> RequantizeLanes(global::System.Runtime.Intrinsics.Vector256<int> acc, ref long row, global::System.Runtime.Intrinsics.Vector256<int> low, global::System.Runtime.Intrinsics.Vector256<int> high, global::System.Runtime.Intrinsics.Vector256<int> zero)
{
    var one = global::System.Runtime.Intrinsics.Vector256.Create(1UL);
    var shiftEven = global::System.Runtime.Intrinsics.Vector256.AsUInt64(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref row, 16));
    var shiftOdd = global::System.Runtime.Intrinsics.Vector256.AsUInt64(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref row, 24));
    var even = global::System.Runtime.Intrinsics.Vector256.AsUInt64(global::System.Runtime.Intrinsics.X86.Avx2.Multiply(acc, global::System.Runtime.Intrinsics.Vector256.AsInt32(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref row))));
    var odd = global::System.Runtime.Intrinsics.Vector256.AsUInt64(global::System.Runtime.Intrinsics.X86.Avx2.Multiply(global::System.Runtime.Intrinsics.Vector256.AsInt32(global::System.Runtime.Intrinsics.X86.Avx2.ShiftRightLogical(global::System.Runtime.Intrinsics.Vector256.AsInt64(acc), 32)), global::System.Runtime.Intrinsics.Vector256.AsInt32(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref row, 8))));
    var qEven = global::System.Runtime.Intrinsics.X86.Avx2.ShiftRightLogicalVariable(even + global::System.Runtime.Intrinsics.Vector256.AsUInt64(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref row, 32)) + (global::System.Runtime.Intrinsics.X86.Avx2.ShiftRightLogicalVariable(even, shiftEven) & one), shiftEven);
    var qOdd = global::System.Runtime.Intrinsics.X86.Avx2.ShiftRightLogicalVariable(odd + global::System.Runtime.Intrinsics.Vector256.AsUInt64(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref row, 40)) + (global::System.Runtime.Intrinsics.X86.Avx2.ShiftRightLogicalVariable(odd, shiftOdd) & one), shiftOdd);
    var q = global::System.Runtime.Intrinsics.X86.Avx2.Blend(global::System.Runtime.Intrinsics.Vector256.AsInt32(qEven), global::System.Runtime.Intrinsics.Vector256.AsInt32(global::System.Runtime.Intrinsics.X86.Avx2.ShiftLeftLogical(qOdd, 32)), 0b10101010) + global::System.Runtime.Intrinsics.Vector256.AsInt32(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref row, 48));
    return global::System.Runtime.Intrinsics.Vector256.Max(global::System.Runtime.Intrinsics.Vector256.Min(q, high), low) + zero;
}

/// <summary>The eight int32 accumulator bases of vector half (0: a, 1: b) of a pair row.</summary>
[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
private static global::System.Runtime.Intrinsics.Vector256<int> LaneBases(ref long row, int half) => global::System.Runtime.Intrinsics.Vector256.AsInt32(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref row, (nuint)(56 + 4 * half)));

/// <summary>Lane l of vector v of the requantization table (pairs of vectors, see RequantizePair): (multiplier, shift, base) for the scalar path.</summary>
private static (long Multiplier, int Shift, int Base) LaneConstants(global::System.ReadOnlySpan<long> table, int v, int l)
{
    int at = (v >> 1) * 64 + (v & 1) * 4 + (l & 1) * 8 + (l >> 1);
    return (table[at], (int)table[at + 16], unchecked((int)(table[(v >> 1) * 64 + 56 + (v & 1) * 4 + (l >> 1)] >> (32 * (l & 1)))));
}

/// <summary>The scalar requantization (round half to even of acc·m / 2^s) the vector lanes reproduce.</summary>
private static long RequantizeScalar(int acc, long multiplier, int shift)
{
    long product = acc * multiplier;
    if (shift >= 63) return 0;
    return (product + (1L << (shift - 1)) - 1 + ((product >> shift) & 1)) >> shift;
}

/// <summary>
/// Channel-last int8 convolution as a product: y[p, f] = requantize(base[f] + Σ_k a[p, k]·w[f, k])
/// for p &lt; pixels and f &lt; filters, a rows of unsigned bytes x + 128 (pixel p at p·lda, K = 4·groups
/// bytes), w packed at build time as [K/4][filters][4] with the filters of each 16-block in lane order
/// 0-3, 8-11, 4-7, 12-15 (so the two packs to bytes leave them in natural order), and one
/// requantization row per 8 lanes (see RequantizeLanes) (bases include -128·Σw). Output rows of filters unsigned bytes
/// q + 128 (zero, low, high given in that biased domain). VNNI: four pixels × 16 filters per pass,
/// every weight load serving four pixels, each pixel's 4-byte group broadcast (vpdpbusd); the
/// requantization in the epilogue. Vector256 (AVX2): the same steps, each vpdpbusd done in AVX2
/// (Avx2Dot). Scalar: the same sums and Requantize, the reference.
/// </summary>
private static void ChannelLastGemmInt8(ref byte a, int lda, int pixels, int groups, ref sbyte w, int filters,
    global::System.ReadOnlySpan<long> requantization, int zero, int low, int high, ref byte y, global::System.Span<long> lanes)
{
    int blocks = filters / 16;
    if (IntegerKernelPath == 3)
    {
        ChannelLastGemmVector<VnniDot>(ref a, lda, pixels, groups, ref w, filters, requantization, zero, low, high, ref y);
        return;
    }
    if (IntegerKernelPath == 2 && global::System.Runtime.Intrinsics.X86.Avx2.IsSupported)
    {
        ChannelLastGemmVector<Avx2Dot>(ref a, lda, pixels, groups, ref w, filters, requantization, zero, low, high, ref y);
        return;
    }
    if (IntegerKernelPath >= 1 && groups <= 64)
    {
        ChannelLastGemm16(ref a, lda, pixels, groups, ref w, filters, requantization, zero, low, high, ref y, lanes);
        return;
    }
    if (IntegerKernelPath >= 1)
    {
        // Portable: four filters at a time, each an int32 vector of its four k-lane partial sums (u·w fits
        // int16), summed once per output; the same integers as the scalar loop.
        for (int b = 0; b < blocks; b++)
        for (int p = 0; p < pixels; p++)
        {
            ref byte row = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, p * lda);
            for (int q = 0; q < 4; q++)
            {
                var acc0 = global::System.Runtime.Intrinsics.Vector128<int>.Zero; var acc1 = acc0; var acc2 = acc0; var acc3 = acc0;
                ref sbyte wq = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref w, (16 * b + 4 * q) * 4);
                for (int g = 0; g < groups; g++)
                {
                    var pattern = global::System.Runtime.Intrinsics.Vector128.AsInt16(global::System.Runtime.Intrinsics.Vector128.WidenLower(global::System.Runtime.Intrinsics.Vector128.AsByte(global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.ReadUnaligned<uint>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref row, 4 * g))))));
                    var (w01, w23) = global::System.Runtime.Intrinsics.Vector128.Widen(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref wq));
                    var (p0, p1) = global::System.Runtime.Intrinsics.Vector128.Widen(w01 * pattern);
                    var (p2, p3) = global::System.Runtime.Intrinsics.Vector128.Widen(w23 * pattern);
                    acc0 += p0; acc1 += p1; acc2 += p2; acc3 += p3;
                    wq = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref wq, 4 * filters);
                }
                StoreScalarLane(global::System.Runtime.Intrinsics.Vector128.Sum(acc0), 4 * q, b, requantization, zero, low, high, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref y, p * filters));
                StoreScalarLane(global::System.Runtime.Intrinsics.Vector128.Sum(acc1), 4 * q + 1, b, requantization, zero, low, high, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref y, p * filters));
                StoreScalarLane(global::System.Runtime.Intrinsics.Vector128.Sum(acc2), 4 * q + 2, b, requantization, zero, low, high, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref y, p * filters));
                StoreScalarLane(global::System.Runtime.Intrinsics.Vector128.Sum(acc3), 4 * q + 3, b, requantization, zero, low, high, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref y, p * filters));
            }
        }
        return;
    }
    for (int b = 0; b < blocks; b++)
    {
        for (int lane = 0; lane < 16; lane++)
        {
            int f = 16 * b + (lane < 8 ? (lane & 3) + (lane & 4) * 2 : (lane & 3) + 4 + (lane & 4) * 2);
            var (multiplier, shift, accBase) = LaneConstants(requantization, 2 * b + (lane >> 3), lane & 7);
            for (int p = 0; p < pixels; p++)
            {
                int acc = accBase;
                for (int k = 0; k < 4 * groups; k++)
                    acc = unchecked(acc + global::System.Runtime.CompilerServices.Unsafe.Add(ref a, p * lda + k) * global::System.Runtime.CompilerServices.Unsafe.Add(ref w, ((k >> 2) * filters + 16 * b + lane) * 4 + (k & 3)));
                global::System.Runtime.CompilerServices.Unsafe.Add(ref y, p * filters + f) = (byte)global::System.Math.Clamp(RequantizeScalar(acc, multiplier, shift) + zero, low, high);
            }
        }
    }
}

/// <summary>
/// ChannelLastGemmInt8's portable Vector128 path (what NEON gets) for K &lt;= 256: per 16-filter block the
/// weights are unpacked once to int16 rows [k][16 filters in natural order], then per pixel each input
/// byte is broadcast, multiplied with its row (u·w fits int16) and widened into four int32 accumulators,
/// one lane per filter; requantization per filter with the scalar Requantize and constants hoisted per block.
/// </summary>
private static void ChannelLastGemm16(ref byte a, int lda, int pixels, int groups, ref sbyte w, int filters,
    global::System.ReadOnlySpan<long> requantization, int zero, int low, int high, ref byte y, global::System.Span<long> lanes)
{
    int depth = 4 * groups;
    // Working rows in the arena scratch (the compiler plans ConvKernels.ChannelLastLaneWords longs): 16
    // multipliers, then 16 bases, 16 shifts and 16 partial sums as ints, then 16 int16 weights per row.
    global::System.Span<long> multipliers = lanes.Slice(0, 16);
    global::System.Span<int> laneInts = global::System.Runtime.InteropServices.MemoryMarshal.Cast<long, int>(lanes.Slice(16, 24));
    global::System.Span<int> bases = laneInts.Slice(0, 16), shifts = laneInts.Slice(16, 16), sums = laneInts.Slice(32, 16);
    global::System.Span<short> weights = global::System.Runtime.InteropServices.MemoryMarshal.Cast<long, short>(lanes.Slice(40, 4 * depth));
    ref short weightRow = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(weights);
    ref int base0 = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(bases);
    ref int sum0 = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(sums);
    for (int b = 0; b < filters / 16; b++)
    {
        for (int lane = 0; lane < 16; lane++)
        {
            int f = lane < 8 ? (lane & 3) + (lane & 4) * 2 : (lane & 3) + 4 + (lane & 4) * 2;
            (multipliers[f], shifts[f], bases[f]) = LaneConstants(requantization, 2 * b + (lane >> 3), lane & 7);
            for (int k = 0; k < depth; k++)
                weights[k * 16 + f] = global::System.Runtime.CompilerServices.Unsafe.Add(ref w, ((k >> 2) * filters + 16 * b + lane) * 4 + (k & 3));
        }
        for (int p = 0; p < pixels; p++)
        {
            var acc0 = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref base0);
            var acc1 = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref base0, 4);
            var acc2 = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref base0, 8);
            var acc3 = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref base0, 12);
            ref byte row = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, p * lda);
            for (int k = 0; k < depth; k++)
            {
                var u = global::System.Runtime.Intrinsics.Vector128.Create((short)global::System.Runtime.CompilerServices.Unsafe.Add(ref row, k));
                var (p0, p1) = global::System.Runtime.Intrinsics.Vector128.Widen(u * global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref weightRow, (nuint)(k * 16)));
                var (p2, p3) = global::System.Runtime.Intrinsics.Vector128.Widen(u * global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref weightRow, (nuint)(k * 16 + 8)));
                acc0 += p0; acc1 += p1; acc2 += p2; acc3 += p3;
            }
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc0, ref sum0);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc1, ref sum0, 4);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc2, ref sum0, 8);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc3, ref sum0, 12);
            ref byte outBlock = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref y, p * filters + 16 * b);
            for (int f = 0; f < 16; f++)
                global::System.Runtime.CompilerServices.Unsafe.Add(ref outBlock, f) = (byte)global::System.Math.Clamp(RequantizeScalar(sums[f], multipliers[f], shifts[f]) + zero, low, high);
        }
    }
}

/// <summary>
/// ChannelLastGemmInt8's vector path over 16-filter blocks: the step per four bytes is TDot's (vpdpbusd, or
/// its AVX2 equivalent), the six-pixel step only with VNNI (the AVX2 step needs more registers than
/// twelve accumulators leave), requantization of the pair rows in the epilogue.
/// </summary>
private static void ChannelLastGemmVector<TDot>(ref byte a, int lda, int pixels, int groups, ref sbyte w, int filters,
    global::System.ReadOnlySpan<long> requantization, int zero, int low, int high, ref byte y) where TDot : struct, IByteDot
{
    int blocks = filters / 16;
    var zeroV = global::System.Runtime.Intrinsics.Vector256.Create(zero);
    var lowV = global::System.Runtime.Intrinsics.Vector256.Create(low - zero);
    var highV = global::System.Runtime.Intrinsics.Vector256.Create(high - zero);
    for (int b = 0; b < blocks; b++)
    {
        ref long pair = ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in requantization[64 * b]);
        ref sbyte wBlock = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref w, 64 * b);
        ref byte yBlock = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref y, 16 * b);
        int p = 0;
        for (; p + 6 <= pixels; p += 6)
            GemmSixPixels<TDot>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, p * lda), lda, groups, ref wBlock, filters, ref pair, lowV, highV, zeroV, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref yBlock, p * filters));
        for (; p + 4 <= pixels; p += 4)
            GemmFourPixels<TDot>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, p * lda), lda, groups, ref wBlock, filters, ref pair, lowV, highV, zeroV, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref yBlock, p * filters));
        for (; p < pixels; p++)
        {
            var accA = LaneBases(ref pair, 0);
            var accB = LaneBases(ref pair, 1);
            ref byte row = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, p * lda);
            for (int g = 0; g < groups; g++)
            {
                ref sbyte wg = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref wBlock, g * filters * 4);
                var x = global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.ReadUnaligned<int>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref row, 4 * g))));
                accA = default(TDot).Add(accA, x, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref wg));
                accB = default(TDot).Add(accB, x, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref wg, 32));
            }
            var s = RequantizePair(accA, accB, ref pair, lowV, highV, zeroV);
            var bytes = global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.X86.Avx2.Permute4x64(global::System.Runtime.Intrinsics.Vector256.AsUInt64(global::System.Runtime.Intrinsics.X86.Avx2.PackUnsignedSaturate(s, s)), 0b11011000));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.GetLower(bytes), ref global::System.Runtime.CompilerServices.Unsafe.Add(ref yBlock, p * filters));
        }
    }
}

/// <summary>
/// ChannelLastGemmInt8's VNNI step for four pixels × 16 filters, a method of its own: with few values
/// live the JIT keeps the eight accumulators in ymm0-15, which VEX-encoded vpdpbusd needs (in a larger
/// loop it places them in ymm16-31 and copies every one in and out around each product).
/// </summary>
[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
private static void GemmFourPixels<TDot>(ref byte row0, int lda, int groups, ref sbyte wBlock, int filters, ref long pair,
    global::System.Runtime.Intrinsics.Vector256<int> low, global::System.Runtime.Intrinsics.Vector256<int> high, global::System.Runtime.Intrinsics.Vector256<int> zero, ref byte out0) where TDot : struct, IByteDot
{
    var a0A = LaneBases(ref pair, 0); var a0B = LaneBases(ref pair, 1); var a1A = a0A; var a1B = a0B;
    var a2A = a0A; var a2B = a0B; var a3A = a0A; var a3B = a0B;
    ref byte row1 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref row0, lda);
    ref byte row2 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref row1, lda);
    ref byte row3 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref row2, lda);
    ref sbyte wg = ref wBlock;
    for (int g = 0; g < groups; g++)
    {
        var wA = global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref wg);
        var wB = global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref wg, 32);
        wg = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref wg, 4 * filters);
        var x0 = global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.ReadUnaligned<int>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref row0, 4 * g))));
        a0A = default(TDot).Add(a0A, x0, wA);
        a0B = default(TDot).Add(a0B, x0, wB);
        var x1 = global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.ReadUnaligned<int>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref row1, 4 * g))));
        a1A = default(TDot).Add(a1A, x1, wA);
        a1B = default(TDot).Add(a1B, x1, wB);
        var x2 = global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.ReadUnaligned<int>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref row2, 4 * g))));
        a2A = default(TDot).Add(a2A, x2, wA);
        a2B = default(TDot).Add(a2B, x2, wB);
        var x3 = global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.ReadUnaligned<int>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref row3, 4 * g))));
        a3A = default(TDot).Add(a3A, x3, wA);
        a3B = default(TDot).Add(a3B, x3, wB);
    }
    var s0 = RequantizePair(a0A, a0B, ref pair, low, high, zero);
    var s1 = RequantizePair(a1A, a1B, ref pair, low, high, zero);
    var s2 = RequantizePair(a2A, a2B, ref pair, low, high, zero);
    var s3 = RequantizePair(a3A, a3B, ref pair, low, high, zero);
    var b01 = global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.X86.Avx2.Permute4x64(global::System.Runtime.Intrinsics.Vector256.AsUInt64(global::System.Runtime.Intrinsics.X86.Avx2.PackUnsignedSaturate(s0, s1)), 0b11011000));
    var b23 = global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.X86.Avx2.Permute4x64(global::System.Runtime.Intrinsics.Vector256.AsUInt64(global::System.Runtime.Intrinsics.X86.Avx2.PackUnsignedSaturate(s2, s3)), 0b11011000));
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.GetLower(b01), ref out0);
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.GetUpper(b01), ref global::System.Runtime.CompilerServices.Unsafe.Add(ref out0, filters));
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.GetLower(b23), ref global::System.Runtime.CompilerServices.Unsafe.Add(ref out0, 2 * filters));
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.GetUpper(b23), ref global::System.Runtime.CompilerServices.Unsafe.Add(ref out0, 3 * filters));
}

/// <summary>GemmFourPixels for six pixels: twelve accumulators, each weight load serving six pixels (all in ymm0-15).</summary>
[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
private static void GemmSixPixels<TDot>(ref byte row0, int lda, int groups, ref sbyte wBlock, int filters, ref long pair,
    global::System.Runtime.Intrinsics.Vector256<int> low, global::System.Runtime.Intrinsics.Vector256<int> high, global::System.Runtime.Intrinsics.Vector256<int> zero, ref byte out0) where TDot : struct, IByteDot
{
    var a0A = LaneBases(ref pair, 0); var a0B = LaneBases(ref pair, 1); var a1A = a0A; var a1B = a0B;
    var a2A = a0A; var a2B = a0B; var a3A = a0A; var a3B = a0B; var a4A = a0A; var a4B = a0B; var a5A = a0A; var a5B = a0B;
    ref sbyte wg = ref wBlock;
    ref byte xg = ref row0;
    for (int g = 0; g < groups; g++)
    {
        var wA = global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref wg);
        var wB = global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref wg, 32);
        wg = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref wg, 4 * filters);
        var x = global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.ReadUnaligned<int>(ref xg)));
        a0A = default(TDot).Add(a0A, x, wA);
        a0B = default(TDot).Add(a0B, x, wB);
        x = global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.ReadUnaligned<int>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref xg, lda))));
        a1A = default(TDot).Add(a1A, x, wA);
        a1B = default(TDot).Add(a1B, x, wB);
        x = global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.ReadUnaligned<int>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref xg, 2 * lda))));
        a2A = default(TDot).Add(a2A, x, wA);
        a2B = default(TDot).Add(a2B, x, wB);
        x = global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.ReadUnaligned<int>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref xg, 3 * lda))));
        a3A = default(TDot).Add(a3A, x, wA);
        a3B = default(TDot).Add(a3B, x, wB);
        x = global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.ReadUnaligned<int>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref xg, 4 * lda))));
        a4A = default(TDot).Add(a4A, x, wA);
        a4B = default(TDot).Add(a4B, x, wB);
        x = global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.ReadUnaligned<int>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref xg, 5 * lda))));
        a5A = default(TDot).Add(a5A, x, wA);
        a5B = default(TDot).Add(a5B, x, wB);
        xg = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref xg, 4);
    }
    StorePixelPair(RequantizePair(a0A, a0B, ref pair, low, high, zero), RequantizePair(a1A, a1B, ref pair, low, high, zero), ref out0, filters);
    StorePixelPair(RequantizePair(a2A, a2B, ref pair, low, high, zero), RequantizePair(a3A, a3B, ref pair, low, high, zero), ref global::System.Runtime.CompilerServices.Unsafe.Add(ref out0, 2 * filters), filters);
    StorePixelPair(RequantizePair(a4A, a4B, ref pair, low, high, zero), RequantizePair(a5A, a5B, ref pair, low, high, zero), ref global::System.Runtime.CompilerServices.Unsafe.Add(ref out0, 4 * filters), filters);
}

/// <summary>Two pixels' 16 requantized int16 values packed to unsigned bytes and stored in their rows (out, out + stride).</summary>
[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
private static void StorePixelPair(global::System.Runtime.Intrinsics.Vector256<short> first, global::System.Runtime.Intrinsics.Vector256<short> second, ref byte out0, int stride)
{
    var bytes = global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.X86.Avx2.Permute4x64(global::System.Runtime.Intrinsics.Vector256.AsUInt64(global::System.Runtime.Intrinsics.X86.Avx2.PackUnsignedSaturate(first, second)), 0b11011000));
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.GetLower(bytes), ref out0);
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.GetUpper(bytes), ref global::System.Runtime.CompilerServices.Unsafe.Add(ref out0, stride));
}

/// <summary>The GEMM's portable epilogue for block position lane of 16-filter block b: base, Requantize, clamp, store at its filter in the pixel's row.</summary>
private static void StoreScalarLane(int sum, int lane, int b, global::System.ReadOnlySpan<long> requantization, int zero, int low, int high, ref byte pixelRow)
{
    int f = 16 * b + (lane < 8 ? (lane & 3) + (lane & 4) * 2 : (lane & 3) + 4 + (lane & 4) * 2);
    var (multiplier, shift, accBase) = LaneConstants(requantization, 2 * b + (lane >> 3), lane & 7);
    global::System.Runtime.CompilerServices.Unsafe.Add(ref pixelRow, f) = (byte)global::System.Math.Clamp(RequantizeScalar(unchecked(accBase + sum), multiplier, shift) + zero, low, high);
}

/// <summary>
/// Channel-last int8 depthwise convolution, stride 1: y[oh, ow, c] = requantize(base[c] + Σ_t w[c, t]·x[ih, iw, c])
/// over the taps t at ih = oh + tapRows[t], iw = ow + tapColumns[t] (i·dilH - padTop, j·dilW - padLeft); a tap outside the
/// input reads padRow (channels bytes of x_zero + 128, which the base accounts for). x and y hold
/// unsigned bytes x + 128; x and padRow must lie in one array (the arena: the VNNI path addresses the pad
/// row relative to x). Weights packed at build time per 32-channel block and group of four taps
/// as four 8-lane vectors of 4-byte words [tap 4g..4g+3] (zero past the last tap); lane order of vector
/// j: channels 4j..4j+3, 16+4j..16+4j+3, the order the byte interleave of four tap rows gives (and
/// the packs to bytes undo). VNNI: per pixel and block four vpdpbusd per group of four taps; Vector256
/// (AVX2): the same with each vpdpbusd done in AVX2 (Avx2Dot).
/// Scalar: the same sums and Requantize, the reference.
/// </summary>
private static void ChannelLastDepthwiseInt8(ref byte x, ref byte padRow, int height, int width, int channels,
    global::System.ReadOnlySpan<int> tapRows, global::System.ReadOnlySpan<int> tapColumns, ref sbyte w,
    global::System.ReadOnlySpan<long> requantization, int zero, int low, int high, ref byte y, global::System.Span<long> lanes)
{
    int taps = tapRows.Length, groups = (taps + 3) / 4, blocks = channels / 32;
    if (IntegerKernelPath == 3)
    {
        ChannelLastDepthwiseVector<VnniDot>(ref x, ref padRow, height, width, channels, tapRows, tapColumns, ref w, requantization, zero, low, high, ref y);
        return;
    }
    if (IntegerKernelPath == 2 && global::System.Runtime.Intrinsics.X86.Avx2.IsSupported)
    {
        ChannelLastDepthwiseVector<Avx2Dot>(ref x, ref padRow, height, width, channels, tapRows, tapColumns, ref w, requantization, zero, low, high, ref y);
        return;
    }
    if (IntegerKernelPath >= 1 && tapRows.Length <= 64)
    {
        ChannelLastDepthwise16(ref x, ref padRow, height, width, channels, tapRows, tapColumns, ref w, requantization, zero, low, high, ref y, lanes);
        return;
    }
    for (int c = 0; c < channels; c++)
    {
        int b = c / 32, r = c % 32, j = (r & 15) >> 2, lane = (r & 3) + (r >> 4) * 4;
        var (multiplier, shift, accBase) = LaneConstants(requantization, 4 * b + j, lane);
        for (int oh = 0; oh < height; oh++)
        for (int ow = 0; ow < width; ow++)
        {
        int acc = accBase;
        for (int t = 0; t < taps; t++)
        {
            int ih = oh + tapRows[t], iw = ow + tapColumns[t];
            byte u = unchecked((uint)ih) < (uint)height && unchecked((uint)iw) < (uint)width ? global::System.Runtime.CompilerServices.Unsafe.Add(ref x, (ih * width + iw) * channels + c) : global::System.Runtime.CompilerServices.Unsafe.Add(ref padRow, c);
            acc = unchecked(acc + u * global::System.Runtime.CompilerServices.Unsafe.Add(ref w, (((b * groups + t / 4) * 4 + j) * 8 + lane) * 4 + t % 4));
        }
        global::System.Runtime.CompilerServices.Unsafe.Add(ref y, (oh * width + ow) * channels + c) = (byte)global::System.Math.Clamp(RequantizeScalar(acc, multiplier, shift) + zero, low, high);
        }
    }
}

/// <summary>
/// ChannelLastDepthwiseInt8's portable Vector128 path (what NEON gets), 16 channels at a time over all
/// pixels: the chunk's taps are unpacked once to int16 rows in channel order, then per pixel and tap the
/// 16 input bytes are widened to int16, multiplied (u·w fits int16) and widened into four int32
/// accumulators; requantization per channel with the scalar Requantize. taps &lt;= 64 (rows in the arena scratch).
/// </summary>
private static void ChannelLastDepthwise16(ref byte x, ref byte padRow, int height, int width, int channels,
    global::System.ReadOnlySpan<int> tapRows, global::System.ReadOnlySpan<int> tapColumns, ref sbyte w,
    global::System.ReadOnlySpan<long> requantization, int zero, int low, int high, ref byte y, global::System.Span<long> lanes)
{
    int taps = tapRows.Length, groups = (taps + 3) / 4;
    // Working rows in the arena scratch (the compiler plans ConvKernels.ChannelLastLaneWords longs): 16
    // multipliers, then 16 bases, 16 shifts and 16 partial sums as ints, then 16 int16 weights per row.
    global::System.Span<long> multipliers = lanes.Slice(0, 16);
    global::System.Span<int> laneInts = global::System.Runtime.InteropServices.MemoryMarshal.Cast<long, int>(lanes.Slice(16, 24));
    global::System.Span<int> bases = laneInts.Slice(0, 16), shifts = laneInts.Slice(16, 16), sums = laneInts.Slice(32, 16);
    global::System.Span<short> weights = global::System.Runtime.InteropServices.MemoryMarshal.Cast<long, short>(lanes.Slice(40, 4 * taps));
    ref short weightRow = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(weights);
    ref int sum0 = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(sums);
    for (int c0 = 0; c0 < channels; c0 += 16)
    {
        for (int k = 0; k < 16; k++)
        {
            int c = c0 + k, b = c / 32, r = c % 32, j = (r & 15) >> 2, lane = (r & 3) + (r >> 4) * 4;
            (multipliers[k], shifts[k], bases[k]) = LaneConstants(requantization, 4 * b + j, lane);
            for (int t = 0; t < taps; t++)
                weights[t * 16 + k] = global::System.Runtime.CompilerServices.Unsafe.Add(ref w, (((b * groups + t / 4) * 4 + j) * 8 + lane) * 4 + t % 4);
        }
        var base0 = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(bases), 0);
        var base1 = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(bases), 4);
        var base2 = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(bases), 8);
        var base3 = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(bases), 12);
        ref byte pad = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref padRow, c0);
        for (int oh = 0; oh < height; oh++)
        for (int ow = 0; ow < width; ow++)
        {
            var acc0 = base0; var acc1 = base1; var acc2 = base2; var acc3 = base3;
            for (int t = 0; t < taps; t++)
            {
                int ih = oh + tapRows[t], iw = ow + tapColumns[t];
                ref byte at = ref unchecked((uint)ih) < (uint)height && unchecked((uint)iw) < (uint)width ? ref global::System.Runtime.CompilerServices.Unsafe.Add(ref x, (ih * width + iw) * channels + c0) : ref pad;
                var (u0, u1) = global::System.Runtime.Intrinsics.Vector128.Widen(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref at));
                var (p0, p1) = global::System.Runtime.Intrinsics.Vector128.Widen(global::System.Runtime.Intrinsics.Vector128.AsInt16(u0) * global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref weightRow, (nuint)(t * 16)));
                var (p2, p3) = global::System.Runtime.Intrinsics.Vector128.Widen(global::System.Runtime.Intrinsics.Vector128.AsInt16(u1) * global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref weightRow, (nuint)(t * 16 + 8)));
                acc0 += p0; acc1 += p1; acc2 += p2; acc3 += p3;
            }
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc0, ref sum0);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc1, ref sum0, 4);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc2, ref sum0, 8);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc3, ref sum0, 12);
            ref byte outChunk = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref y, (oh * width + ow) * channels + c0);
            for (int k = 0; k < 16; k++)
                global::System.Runtime.CompilerServices.Unsafe.Add(ref outChunk, k) = (byte)global::System.Math.Clamp(RequantizeScalar(sums[k], multipliers[k], shifts[k]) + zero, low, high);
        }
    }
}

/// <summary>ChannelLastDepthwiseInt8's vector path (x and padRow in one array): per pixel and 32-channel block four TDot steps per group of four taps.</summary>
private static void ChannelLastDepthwiseVector<TDot>(ref byte x, ref byte padRow, int height, int width, int channels,
    global::System.ReadOnlySpan<int> tapRows, global::System.ReadOnlySpan<int> tapColumns, ref sbyte w,
    global::System.ReadOnlySpan<long> requantization, int zero, int low, int high, ref byte y) where TDot : struct, IByteDot
{
    int taps = tapRows.Length, groups = (taps + 3) / 4, blocks = channels / 32;
    var zeroV = global::System.Runtime.Intrinsics.Vector256.Create(zero);
    var lowV = global::System.Runtime.Intrinsics.Vector256.Create(low - zero);
    var highV = global::System.Runtime.Intrinsics.Vector256.Create(high - zero);
    nint padOffset = global::System.Runtime.CompilerServices.Unsafe.ByteOffset(ref x, ref padRow); // both in the model's arena, so the distance is fixed
    if (taps == 9 && tapRows[3] == tapRows[0] + 1 && tapRows[6] == tapRows[0] + 2 && tapColumns[1] == tapColumns[0] + 1 && tapColumns[2] == tapColumns[0] + 2)
    {
        DepthwiseChannelLast3x3<TDot>(ref x, padOffset, height, width, channels, tapRows[0], tapColumns[0], ref w, ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in requantization[0]), lowV, highV, zeroV, ref y);
        return;
    }
    for (int b = 0; b < blocks; b++)
    {
        ref long c0 = ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in requantization[128 * b]);
        for (int oh = 0; oh < height; oh++)
        for (int ow = 0; ow < width; ow++)
        {
            var acc0 = LaneBases(ref c0, 0); var acc1 = LaneBases(ref c0, 1); var acc2 = LaneBases(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c0, 64), 0); var acc3 = LaneBases(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c0, 64), 1);
            int t = 0;
            for (int g = 0; g < groups; g++)
            {
                var r0 = TapRow(ref x, padOffset, t++, taps, oh, ow, height, width, channels, tapRows, tapColumns, 32 * b);
                var r1 = TapRow(ref x, padOffset, t++, taps, oh, ow, height, width, channels, tapRows, tapColumns, 32 * b);
                var r2 = TapRow(ref x, padOffset, t++, taps, oh, ow, height, width, channels, tapRows, tapColumns, 32 * b);
                var r3 = TapRow(ref x, padOffset, t++, taps, oh, ow, height, width, channels, tapRows, tapColumns, 32 * b);
                FourTaps<TDot>(r0, r1, r2, r3, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref w, (b * groups + g) * 128), ref acc0, ref acc1, ref acc2, ref acc3);
            }
            StoreChannelBlock(acc0, acc1, acc2, acc3, ref c0, lowV, highV, zeroV, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref y, (oh * width + ow) * channels + 32 * b));
        }
    }
}

/// <summary>32 channel bytes from offset of tap t's input pixel (the pad row at x + padOffset outside the input; zero past the last tap).</summary>
[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
private static global::System.Runtime.Intrinsics.Vector256<byte> TapRow(ref byte x, nint padOffset, int t, int taps, int oh, int ow, int height, int width, int channels,
    global::System.ReadOnlySpan<int> tapRows, global::System.ReadOnlySpan<int> tapColumns, int offset)
{
    if (t >= taps) return global::System.Runtime.Intrinsics.Vector256<byte>.Zero;
    int ih = oh + global::System.Runtime.CompilerServices.Unsafe.Add(ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(tapRows), t);
    int iw = ow + global::System.Runtime.CompilerServices.Unsafe.Add(ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(tapColumns), t);
    // A select rather than a branch: border pixels would mispredict.
    nint at = unchecked((uint)ih) < (uint)height && unchecked((uint)iw) < (uint)width ? (nint)((ih * width + iw) * channels) : padOffset;
    return global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref global::System.Runtime.CompilerServices.Unsafe.AddByteOffset(ref x, at), (nuint)offset);
}

/// <summary>Σ_p x[p, c0 + l] for the eight channels c0..c0+7 of channel-last unsigned bytes (pixels rows of channels bytes).</summary>
private static global::System.Runtime.Intrinsics.Vector256<int> ChannelSums8(ref byte x, int pixels, int channels, int c0)
{
    var sums = global::System.Runtime.Intrinsics.Vector256<int>.Zero;
    if (IntegerKernelPath >= 1)
    {
        for (int p = 0; p < pixels; p++)
            sums += global::System.Runtime.Intrinsics.Vector256.AsInt32(global::System.Runtime.Intrinsics.Vector256.WidenLower(global::System.Runtime.Intrinsics.Vector256.WidenLower(global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.Vector256.CreateScalar(global::System.Runtime.CompilerServices.Unsafe.ReadUnaligned<ulong>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref x, p * channels + c0)))))));
        return sums;
    }
    for (int l = 0; l < 8; l++)
    {
        int sum = 0;
        for (int p = 0; p < pixels; p++) sum += global::System.Runtime.CompilerServices.Unsafe.Add(ref x, p * channels + c0 + l);
        sums = global::System.Runtime.Intrinsics.Vector256.WithElement(sums, l, sum);
    }
    return sums;
}

/// <summary>
/// One group of four taps of 32 channels: the tap rows' bytes interleaved to [c][t0..t3] words (two
/// unpack levels, in-lane) and one vpdpbusd per vector of eight channels (lane order as packed).
/// </summary>
[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
private static void FourTaps<TDot>(global::System.Runtime.Intrinsics.Vector256<byte> r0, global::System.Runtime.Intrinsics.Vector256<byte> r1, global::System.Runtime.Intrinsics.Vector256<byte> r2, global::System.Runtime.Intrinsics.Vector256<byte> r3, ref sbyte w,
    ref global::System.Runtime.Intrinsics.Vector256<int> acc0, ref global::System.Runtime.Intrinsics.Vector256<int> acc1, ref global::System.Runtime.Intrinsics.Vector256<int> acc2, ref global::System.Runtime.Intrinsics.Vector256<int> acc3) where TDot : struct, IByteDot
{
    var low01 = global::System.Runtime.Intrinsics.Vector256.AsUInt16(global::System.Runtime.Intrinsics.X86.Avx2.UnpackLow(r0, r1));
    var high01 = global::System.Runtime.Intrinsics.Vector256.AsUInt16(global::System.Runtime.Intrinsics.X86.Avx2.UnpackHigh(r0, r1));
    var low23 = global::System.Runtime.Intrinsics.Vector256.AsUInt16(global::System.Runtime.Intrinsics.X86.Avx2.UnpackLow(r2, r3));
    var high23 = global::System.Runtime.Intrinsics.Vector256.AsUInt16(global::System.Runtime.Intrinsics.X86.Avx2.UnpackHigh(r2, r3));
    acc0 = default(TDot).Add(acc0, global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.X86.Avx2.UnpackLow(low01, low23)), global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref w));
    acc1 = default(TDot).Add(acc1, global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.X86.Avx2.UnpackHigh(low01, low23)), global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref w, 32));
    acc2 = default(TDot).Add(acc2, global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.X86.Avx2.UnpackLow(high01, high23)), global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref w, 64));
    acc3 = default(TDot).Add(acc3, global::System.Runtime.Intrinsics.Vector256.AsByte(global::System.Runtime.Intrinsics.X86.Avx2.UnpackHigh(high01, high23)), global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref w, 96));
}

/// <summary>Requantizes the four accumulators of a 32-channel block (pair rows at c0 and c0 + 64) and stores its 32 bytes in channel order.</summary>
[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
private static void StoreChannelBlock(global::System.Runtime.Intrinsics.Vector256<int> acc0, global::System.Runtime.Intrinsics.Vector256<int> acc1, global::System.Runtime.Intrinsics.Vector256<int> acc2, global::System.Runtime.Intrinsics.Vector256<int> acc3, ref long c0,
    global::System.Runtime.Intrinsics.Vector256<int> low, global::System.Runtime.Intrinsics.Vector256<int> high, global::System.Runtime.Intrinsics.Vector256<int> zero, ref byte y)
{
    var s01 = RequantizePair(acc0, acc1, ref c0, low, high, zero);
    var s23 = RequantizePair(acc2, acc3, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c0, 64), low, high, zero);
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(global::System.Runtime.Intrinsics.X86.Avx2.PackUnsignedSaturate(s01, s23), ref y);
}

/// <summary>
/// The VNNI depthwise path for 3×3 kernels with dilation 1 (firstRow, firstColumn: the top-left tap's
/// offset from the output pixel, minus the padding): the nine tap offsets are computed once per pixel
/// with a select for taps outside the input (the pad row at x + padOffset), then every 32-channel block
/// runs taps 0-3, 4-7 and 8 (with three zero rows, whose packed weights are zero).
/// </summary>
private static void DepthwiseChannelLast3x3<TDot>(ref byte x, nint padOffset, int height, int width, int channels, int firstRow, int firstColumn,
    ref sbyte w, ref long requantization, global::System.Runtime.Intrinsics.Vector256<int> low, global::System.Runtime.Intrinsics.Vector256<int> high, global::System.Runtime.Intrinsics.Vector256<int> zero, ref byte y) where TDot : struct, IByteDot
{
    nint rowBytes = (nint)width * channels, outside = -((nint)1 << 40);
    int blocks = channels / 32;
    for (int oh = 0; oh < height; oh++)
    {
        int ih = oh + firstRow;
        nint row0 = unchecked((uint)ih) < (uint)height ? ih * rowBytes : outside;
        nint row1 = unchecked((uint)(ih + 1)) < (uint)height ? (ih + 1) * rowBytes : outside;
        nint row2 = unchecked((uint)(ih + 2)) < (uint)height ? (ih + 2) * rowBytes : outside;
        for (int ow = 0; ow < width; ow++)
        {
            int iw = ow + firstColumn;
            nint col0 = unchecked((uint)iw) < (uint)width ? (nint)iw * channels : outside;
            nint col1 = unchecked((uint)(iw + 1)) < (uint)width ? (nint)(iw + 1) * channels : outside;
            nint col2 = unchecked((uint)(iw + 2)) < (uint)width ? (nint)(iw + 2) * channels : outside;
            nint t0 = TapOffset(row0 + col0, padOffset), t1 = TapOffset(row0 + col1, padOffset), t2 = TapOffset(row0 + col2, padOffset);
            nint t3 = TapOffset(row1 + col0, padOffset), t4 = TapOffset(row1 + col1, padOffset), t5 = TapOffset(row1 + col2, padOffset);
            nint t6 = TapOffset(row2 + col0, padOffset), t7 = TapOffset(row2 + col1, padOffset), t8 = TapOffset(row2 + col2, padOffset);
            ref byte outPixel = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref y, (oh * width + ow) * channels);
            for (int b = 0; b < blocks; b++)
            {
                ref long c0 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref requantization, 128 * b);
                ref byte block = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref x, 32 * b);
                ref sbyte wb = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref w, 384 * b);
                var acc0 = LaneBases(ref c0, 0); var acc1 = LaneBases(ref c0, 1); var acc2 = LaneBases(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c0, 64), 0); var acc3 = LaneBases(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c0, 64), 1);
                FourTaps<TDot>(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref global::System.Runtime.CompilerServices.Unsafe.AddByteOffset(ref block, t0)), global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref global::System.Runtime.CompilerServices.Unsafe.AddByteOffset(ref block, t1)),
                    global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref global::System.Runtime.CompilerServices.Unsafe.AddByteOffset(ref block, t2)), global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref global::System.Runtime.CompilerServices.Unsafe.AddByteOffset(ref block, t3)), ref wb, ref acc0, ref acc1, ref acc2, ref acc3);
                FourTaps<TDot>(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref global::System.Runtime.CompilerServices.Unsafe.AddByteOffset(ref block, t4)), global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref global::System.Runtime.CompilerServices.Unsafe.AddByteOffset(ref block, t5)),
                    global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref global::System.Runtime.CompilerServices.Unsafe.AddByteOffset(ref block, t6)), global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref global::System.Runtime.CompilerServices.Unsafe.AddByteOffset(ref block, t7)), ref global::System.Runtime.CompilerServices.Unsafe.Add(ref wb, 128), ref acc0, ref acc1, ref acc2, ref acc3);
                FourTaps<TDot>(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref global::System.Runtime.CompilerServices.Unsafe.AddByteOffset(ref block, t8)), global::System.Runtime.Intrinsics.Vector256<byte>.Zero, global::System.Runtime.Intrinsics.Vector256<byte>.Zero, global::System.Runtime.Intrinsics.Vector256<byte>.Zero, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref wb, 256), ref acc0, ref acc1, ref acc2, ref acc3);
                StoreChannelBlock(acc0, acc1, acc2, acc3, ref c0, low, high, zero, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref outPixel, 32 * b));
            }
        }
    }
}

/// <summary>A tap's byte offset from x, or the pad row's when the tap lies outside the input (a select, no branch).</summary>
[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
private static nint TapOffset(nint offset, nint padOffset) => offset >= 0 ? offset : padOffset;

/// <summary>
/// acc + the sum of the four products u·w of each 4-byte lane (u unsigned, w signed): the channel-last
/// kernels' step, a type parameter so each instruction path's loops are compiled for its own step.
/// </summary>
private interface IByteDot
{
    global::System.Runtime.Intrinsics.Vector256<int> Add(global::System.Runtime.Intrinsics.Vector256<int> acc, global::System.Runtime.Intrinsics.Vector256<byte> u, global::System.Runtime.Intrinsics.Vector256<sbyte> w);
}

/// <summary>The step as one vpdpbusd (AVX-VNNI).</summary>
private struct VnniDot : IByteDot
{
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public global::System.Runtime.Intrinsics.Vector256<int> Add(global::System.Runtime.Intrinsics.Vector256<int> acc, global::System.Runtime.Intrinsics.Vector256<byte> u, global::System.Runtime.Intrinsics.Vector256<sbyte> w)
        => global::System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(acc, u, w);
}

/// <summary>
/// The step in AVX2: bytes 0 and 2 of each lane widened to int16 words (u zero-, w sign-extended), then
/// bytes 1 and 3, one vpmaddwd each (a sum of two products, at most 2·255·128, is exact in int32; no
/// vpmaddubsw, whose int16 sums saturate). The same int32 sums as vpdpbusd, added with the same wrap.
/// </summary>
private struct Avx2Dot : IByteDot
{
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public global::System.Runtime.Intrinsics.Vector256<int> Add(global::System.Runtime.Intrinsics.Vector256<int> acc, global::System.Runtime.Intrinsics.Vector256<byte> u, global::System.Runtime.Intrinsics.Vector256<sbyte> w)
    {
        var words = global::System.Runtime.Intrinsics.Vector256.AsInt16(u);
        var weights = global::System.Runtime.Intrinsics.Vector256.AsInt16(w);
        var uEven = words & global::System.Runtime.Intrinsics.Vector256.Create((short)0xFF);
        var uOdd = global::System.Runtime.Intrinsics.Vector256.AsInt16(global::System.Runtime.Intrinsics.Vector256.ShiftRightLogical(global::System.Runtime.Intrinsics.Vector256.AsUInt16(u), 8));
        var wEven = global::System.Runtime.Intrinsics.Vector256.ShiftRightArithmetic(global::System.Runtime.Intrinsics.Vector256.ShiftLeft(weights, 8), 8);
        var wOdd = global::System.Runtime.Intrinsics.Vector256.ShiftRightArithmetic(weights, 8);
        return acc + global::System.Runtime.Intrinsics.X86.Avx2.MultiplyAddAdjacent(uEven, wEven) + global::System.Runtime.Intrinsics.X86.Avx2.MultiplyAddAdjacent(uOdd, wOdd);
    }
}
