// ---- Compressed-weight kernels (EdgeAot.Generator/Kernels/CompressedWeightKernels.cs) ----

/// <summary>
/// Vector width used by the compressed-weight kernels: 3 = Vector512, 2 = Vector256, 1 = Vector128,
/// 0 = scalar. Every path sums each output over k in order, one fused multiply-add per step from 0, on
/// the same exactly decoded weights, so all give the same bits; tests lower this to check each one.
/// </summary>
internal static int CompressedWeightKernelPath = global::System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? 3
    : global::System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? 2
    : global::System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? 1 : 0;

/// <summary>
/// Binary16 bit patterns, sign-extended to 32 bits, to float, exactly, for finite values (the compiler
/// stores no infinity or NaN this way). Shifted left by 13, exponent and fraction land in float position
/// and the sign bit (with its extension) in bits 28–31; keeping bit 31 gives a float equal to 2^-112
/// times the value (a subnormal half lands on a subnormal float), so one multiplication by 2^112
/// rescales normal and subnormal values alike, the sign included.
/// </summary>
private static global::System.Runtime.Intrinsics.Vector512<float> WidenHalfBits(global::System.Runtime.Intrinsics.Vector512<int> bits)
    => global::System.Runtime.Intrinsics.Vector512.AsSingle((bits << 13) & global::System.Runtime.Intrinsics.Vector512.Create(unchecked((int)0x8FFFE000))) * global::System.Runtime.Intrinsics.Vector512.Create(global::System.BitConverter.Int32BitsToSingle(0x77800000));

/// <summary><see cref="WidenHalfBits(global::System.Runtime.Intrinsics.Vector512{int})"/> for eight values.</summary>
private static global::System.Runtime.Intrinsics.Vector256<float> WidenHalfBits(global::System.Runtime.Intrinsics.Vector256<int> bits)
    => global::System.Runtime.Intrinsics.Vector256.AsSingle((bits << 13) & global::System.Runtime.Intrinsics.Vector256.Create(unchecked((int)0x8FFFE000))) * global::System.Runtime.Intrinsics.Vector256.Create(global::System.BitConverter.Int32BitsToSingle(0x77800000));

/// <summary><see cref="WidenHalfBits(global::System.Runtime.Intrinsics.Vector512{int})"/> for four values.</summary>
private static global::System.Runtime.Intrinsics.Vector128<float> WidenHalfBits(global::System.Runtime.Intrinsics.Vector128<int> bits)
    => global::System.Runtime.Intrinsics.Vector128.AsSingle((bits << 13) & global::System.Runtime.Intrinsics.Vector128.Create(unchecked((int)0x8FFFE000))) * global::System.Runtime.Intrinsics.Vector128.Create(global::System.BitConverter.Int32BitsToSingle(0x77800000));

/// <summary>
/// y[j] = Σ_k a[k]·w[k, j] for one row of A, w the binary16 weights bits[k·n + j] widened in registers;
/// each sum runs over k in order, one fused multiply-add per step, from 0. The eight-vector blocks skip
/// the k whose a[k] is 0: CompressedWeightLowering only stores finite weights, so 0·w is a zero, and a
/// sum that starts at +0 is never −0, so adding it changes no bit.
/// </summary>
private static void HalfWeightRow(global::System.ReadOnlySpan<float> a, int depth, global::System.ReadOnlySpan<ushort> bits, int n, global::System.Span<float> y)
{
    ref short w = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(global::System.Runtime.InteropServices.MemoryMarshal.Cast<ushort, short>(bits.Slice(0, depth * n)));
    int j = 0, path = CompressedWeightKernelPath;
    ref float aRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(a.Slice(0, depth));
    ref float yRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(y.Slice(0, n));
    if (path == 3)
    {
        // Eight vectors of columns per pass: eight independent accumulators kept in registers over all of k.
        for (; j + 128 <= n; j += 128)
        {
            var acc0 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc1 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc2 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc3 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc4 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc5 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc6 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc7 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            int c0 = j, c1 = j + 16, c2 = j + 32, c3 = j + 48, c4 = j + 64, c5 = j + 80, c6 = j + 96, c7 = j + 112;
            for (int kk = 0; kk < depth; kk++)
            {
                float ak = global::System.Runtime.CompilerServices.Unsafe.Add(ref aRef, kk);
                if (ak == 0f) continue;
                var s = global::System.Runtime.Intrinsics.Vector512.Create(ak);
                acc0 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector512.WidenLower(global::System.Runtime.Intrinsics.Vector256.ToVector512(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref w, (nuint)(kk * n + c0))))), acc0);
                acc1 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector512.WidenLower(global::System.Runtime.Intrinsics.Vector256.ToVector512(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref w, (nuint)(kk * n + c1))))), acc1);
                acc2 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector512.WidenLower(global::System.Runtime.Intrinsics.Vector256.ToVector512(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref w, (nuint)(kk * n + c2))))), acc2);
                acc3 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector512.WidenLower(global::System.Runtime.Intrinsics.Vector256.ToVector512(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref w, (nuint)(kk * n + c3))))), acc3);
                acc4 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector512.WidenLower(global::System.Runtime.Intrinsics.Vector256.ToVector512(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref w, (nuint)(kk * n + c4))))), acc4);
                acc5 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector512.WidenLower(global::System.Runtime.Intrinsics.Vector256.ToVector512(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref w, (nuint)(kk * n + c5))))), acc5);
                acc6 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector512.WidenLower(global::System.Runtime.Intrinsics.Vector256.ToVector512(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref w, (nuint)(kk * n + c6))))), acc6);
                acc7 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector512.WidenLower(global::System.Runtime.Intrinsics.Vector256.ToVector512(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref w, (nuint)(kk * n + c7))))), acc7);
            }
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc0, ref yRef, (nuint)j);
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc1, ref yRef, (nuint)(j + 16));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc2, ref yRef, (nuint)(j + 32));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc3, ref yRef, (nuint)(j + 48));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc4, ref yRef, (nuint)(j + 64));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc5, ref yRef, (nuint)(j + 80));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc6, ref yRef, (nuint)(j + 96));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc7, ref yRef, (nuint)(j + 112));
        }
    }
    if (path == 3)
    {
        for (; j + 16 <= n; j += 16)
        {
            int c = j;
            var acc = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            for (int kk = 0; kk < depth; kk++) acc = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref aRef, kk)), WidenHalfBits(global::System.Runtime.Intrinsics.Vector512.WidenLower(global::System.Runtime.Intrinsics.Vector256.ToVector512(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref w, (nuint)(kk * n + c))))), acc);
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc, ref yRef, (nuint)j);
        }
    }
    // Narrower vectors (AVX2, NEON): the same eight-accumulator blocks, then single vectors.
    if (path == 2)
    {
        for (; j + 64 <= n; j += 64)
        {
            var acc0 = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
            var acc1 = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
            var acc2 = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
            var acc3 = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
            var acc4 = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
            var acc5 = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
            var acc6 = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
            var acc7 = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
            int c0 = j, c1 = j + 8, c2 = j + 16, c3 = j + 24, c4 = j + 32, c5 = j + 40, c6 = j + 48, c7 = j + 56;
            for (int kk = 0; kk < depth; kk++)
            {
                float ak = global::System.Runtime.CompilerServices.Unsafe.Add(ref aRef, kk);
                if (ak == 0f) continue;
                var s = global::System.Runtime.Intrinsics.Vector256.Create(ak);
                acc0 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector256.WidenLower(global::System.Runtime.Intrinsics.Vector128.ToVector256(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref w, (nuint)(kk * n + c0))))), acc0);
                acc1 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector256.WidenLower(global::System.Runtime.Intrinsics.Vector128.ToVector256(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref w, (nuint)(kk * n + c1))))), acc1);
                acc2 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector256.WidenLower(global::System.Runtime.Intrinsics.Vector128.ToVector256(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref w, (nuint)(kk * n + c2))))), acc2);
                acc3 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector256.WidenLower(global::System.Runtime.Intrinsics.Vector128.ToVector256(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref w, (nuint)(kk * n + c3))))), acc3);
                acc4 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector256.WidenLower(global::System.Runtime.Intrinsics.Vector128.ToVector256(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref w, (nuint)(kk * n + c4))))), acc4);
                acc5 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector256.WidenLower(global::System.Runtime.Intrinsics.Vector128.ToVector256(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref w, (nuint)(kk * n + c5))))), acc5);
                acc6 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector256.WidenLower(global::System.Runtime.Intrinsics.Vector128.ToVector256(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref w, (nuint)(kk * n + c6))))), acc6);
                acc7 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector256.WidenLower(global::System.Runtime.Intrinsics.Vector128.ToVector256(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref w, (nuint)(kk * n + c7))))), acc7);
            }
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc0, ref yRef, (nuint)j);
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc1, ref yRef, (nuint)(j + 8));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc2, ref yRef, (nuint)(j + 16));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc3, ref yRef, (nuint)(j + 24));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc4, ref yRef, (nuint)(j + 32));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc5, ref yRef, (nuint)(j + 40));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc6, ref yRef, (nuint)(j + 48));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc7, ref yRef, (nuint)(j + 56));
        }
    }
    if (path == 1)
    {
        for (; j + 32 <= n; j += 32)
        {
            var acc0 = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
            var acc1 = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
            var acc2 = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
            var acc3 = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
            var acc4 = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
            var acc5 = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
            var acc6 = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
            var acc7 = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
            int c0 = j, c1 = j + 4, c2 = j + 8, c3 = j + 12, c4 = j + 16, c5 = j + 20, c6 = j + 24, c7 = j + 28;
            for (int kk = 0; kk < depth; kk++)
            {
                float ak = global::System.Runtime.CompilerServices.Unsafe.Add(ref aRef, kk);
                if (ak == 0f) continue;
                var s = global::System.Runtime.Intrinsics.Vector128.Create(ak);
                acc0 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector128.WidenLower(global::System.Runtime.Intrinsics.Vector64.ToVector128(global::System.Runtime.Intrinsics.Vector64.LoadUnsafe(ref w, (nuint)(kk * n + c0))))), acc0);
                acc1 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector128.WidenLower(global::System.Runtime.Intrinsics.Vector64.ToVector128(global::System.Runtime.Intrinsics.Vector64.LoadUnsafe(ref w, (nuint)(kk * n + c1))))), acc1);
                acc2 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector128.WidenLower(global::System.Runtime.Intrinsics.Vector64.ToVector128(global::System.Runtime.Intrinsics.Vector64.LoadUnsafe(ref w, (nuint)(kk * n + c2))))), acc2);
                acc3 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector128.WidenLower(global::System.Runtime.Intrinsics.Vector64.ToVector128(global::System.Runtime.Intrinsics.Vector64.LoadUnsafe(ref w, (nuint)(kk * n + c3))))), acc3);
                acc4 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector128.WidenLower(global::System.Runtime.Intrinsics.Vector64.ToVector128(global::System.Runtime.Intrinsics.Vector64.LoadUnsafe(ref w, (nuint)(kk * n + c4))))), acc4);
                acc5 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector128.WidenLower(global::System.Runtime.Intrinsics.Vector64.ToVector128(global::System.Runtime.Intrinsics.Vector64.LoadUnsafe(ref w, (nuint)(kk * n + c5))))), acc5);
                acc6 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector128.WidenLower(global::System.Runtime.Intrinsics.Vector64.ToVector128(global::System.Runtime.Intrinsics.Vector64.LoadUnsafe(ref w, (nuint)(kk * n + c6))))), acc6);
                acc7 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, WidenHalfBits(global::System.Runtime.Intrinsics.Vector128.WidenLower(global::System.Runtime.Intrinsics.Vector64.ToVector128(global::System.Runtime.Intrinsics.Vector64.LoadUnsafe(ref w, (nuint)(kk * n + c7))))), acc7);
            }
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc0, ref yRef, (nuint)j);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc1, ref yRef, (nuint)(j + 4));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc2, ref yRef, (nuint)(j + 8));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc3, ref yRef, (nuint)(j + 12));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc4, ref yRef, (nuint)(j + 16));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc5, ref yRef, (nuint)(j + 20));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc6, ref yRef, (nuint)(j + 24));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc7, ref yRef, (nuint)(j + 28));
        }
    }
    if (path >= 2)
    {
        for (; j + 8 <= n; j += 8)
        {
            int c = j;
            var acc = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
            for (int kk = 0; kk < depth; kk++) acc = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref aRef, kk)), WidenHalfBits(global::System.Runtime.Intrinsics.Vector256.WidenLower(global::System.Runtime.Intrinsics.Vector128.ToVector256(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref w, (nuint)(kk * n + c))))), acc);
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc, ref yRef, (nuint)j);
        }
    }
    if (path >= 1)
    {
        for (; j + 4 <= n; j += 4)
        {
            int c = j;
            var acc = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
            for (int kk = 0; kk < depth; kk++) acc = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref aRef, kk)), WidenHalfBits(global::System.Runtime.Intrinsics.Vector128.WidenLower(global::System.Runtime.Intrinsics.Vector64.ToVector128(global::System.Runtime.Intrinsics.Vector64.LoadUnsafe(ref w, (nuint)(kk * n + c))))), acc);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc, ref yRef, (nuint)j);
        }
    }
    for (; j < n; j++)
    {
        int c = j;
        float sum = 0f;
        for (int kk = 0; kk < depth; kk++) sum = global::System.MathF.FusedMultiplyAdd(a[kk], (float)global::System.BitConverter.UInt16BitsToHalf(bits[kk * n + c]), sum);
        y[j] = sum;
    }
}

/// <summary>
/// 16 weights from 4-bit indices looked up in a 16-entry codebook held in one register (AVX-512
/// permute). A group of 32 columns is 16 bytes: byte t holds column t (low nibble) and column t + 16
/// (high nibble); <paramref name="high"/> picks the second 16 columns.
/// </summary>
private static global::System.Runtime.Intrinsics.Vector512<float> NibbleGroup(ref byte group, bool high, global::System.Runtime.Intrinsics.Vector512<float> table)
{
    var bytes = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref group);
    var nibbles = (high ? global::System.Runtime.Intrinsics.Vector128.ShiftRightLogical(bytes, 4) : bytes) & global::System.Runtime.Intrinsics.Vector128.Create((byte)0x0F);
    return global::System.Runtime.Intrinsics.X86.Avx512F.PermuteVar16x32(table, global::System.Runtime.Intrinsics.X86.Avx512F.ConvertToVector512Int32(nibbles));
}

/// <summary>
/// <see cref="HalfWeightRow"/> for 4-bit codebook indices: rows of <paramref name="rowBytes"/> bytes, 16 bytes
/// per 32 columns (see <see cref="NibbleGroup"/>); the codebook is padded to 16 entries. Vector512 with
/// AVX-512 (one permute decodes 16 weights), scalar otherwise.
/// </summary>
private static void NibbleWeightRow(global::System.ReadOnlySpan<float> a, int depth, global::System.ReadOnlySpan<byte> packed, int rowBytes, global::System.ReadOnlySpan<float> codebook, int n, global::System.Span<float> y)
{
    var table = global::System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? global::System.Runtime.Intrinsics.Vector512.Create(codebook.Slice(0, 16)) : default;
    // Rows are whole 16-byte groups, so every vector load stays inside the span.
    ref byte p = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(packed.Slice(0, depth * rowBytes));
    int j = 0, path = CompressedWeightKernelPath;
    ref float aRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(a.Slice(0, depth));
    ref float yRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(y.Slice(0, n));
    if (path == 3 && global::System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
    {
        // Eight vectors of columns per pass: eight independent accumulators kept in registers over all of k.
        for (; j + 128 <= n; j += 128)
        {
            var acc0 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc1 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc2 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc3 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc4 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc5 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc6 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc7 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            int c0 = j, c1 = j + 16, c2 = j + 32, c3 = j + 48, c4 = j + 64, c5 = j + 80, c6 = j + 96, c7 = j + 112;
            for (int kk = 0; kk < depth; kk++)
            {
                float ak = global::System.Runtime.CompilerServices.Unsafe.Add(ref aRef, kk);
                if (ak == 0f) continue;
                var s = global::System.Runtime.Intrinsics.Vector512.Create(ak);
                acc0 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, NibbleGroup(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref p, kk * rowBytes + c0 / 32 * 16), false, table), acc0);
                acc1 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, NibbleGroup(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref p, kk * rowBytes + c1 / 32 * 16), true, table), acc1);
                acc2 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, NibbleGroup(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref p, kk * rowBytes + c2 / 32 * 16), false, table), acc2);
                acc3 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, NibbleGroup(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref p, kk * rowBytes + c3 / 32 * 16), true, table), acc3);
                acc4 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, NibbleGroup(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref p, kk * rowBytes + c4 / 32 * 16), false, table), acc4);
                acc5 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, NibbleGroup(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref p, kk * rowBytes + c5 / 32 * 16), true, table), acc5);
                acc6 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, NibbleGroup(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref p, kk * rowBytes + c6 / 32 * 16), false, table), acc6);
                acc7 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, NibbleGroup(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref p, kk * rowBytes + c7 / 32 * 16), true, table), acc7);
            }
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc0, ref yRef, (nuint)j);
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc1, ref yRef, (nuint)(j + 16));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc2, ref yRef, (nuint)(j + 32));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc3, ref yRef, (nuint)(j + 48));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc4, ref yRef, (nuint)(j + 64));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc5, ref yRef, (nuint)(j + 80));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc6, ref yRef, (nuint)(j + 96));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc7, ref yRef, (nuint)(j + 112));
        }
    }
    if (path == 3 && global::System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
    {
        for (; j + 16 <= n; j += 16)
        {
            int c = j;
            var acc = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            for (int kk = 0; kk < depth; kk++) acc = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref aRef, kk)), NibbleGroup(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref p, kk * rowBytes + c / 32 * 16), c % 32 != 0, table), acc);
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc, ref yRef, (nuint)j);
        }
    }
    for (; j < n; j++)
    {
        int c = j;
        float sum = 0f;
        for (int kk = 0; kk < depth; kk++) sum = global::System.MathF.FusedMultiplyAdd(a[kk], codebook[(packed[kk * rowBytes + c / 32 * 16 + c % 16] >> (c % 32 < 16 ? 0 : 4)) & 0x0F], sum);
        y[j] = sum;
    }
}

/// <summary>
/// <see cref="HalfWeightRow"/> for 8-bit codebook indices x[k·n + j]: each vector of weights is assembled
/// from its codebook entries in registers.
/// </summary>
private static void CodebookWeightRow(global::System.ReadOnlySpan<float> a, int depth, global::System.ReadOnlySpan<byte> x, global::System.ReadOnlySpan<float> codebook, int n, global::System.Span<float> y)
{
    int j = 0, path = CompressedWeightKernelPath;
    ref float aRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(a.Slice(0, depth));
    ref float yRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(y.Slice(0, n));
    if (path == 3)
    {
        // Eight vectors of columns per pass: eight independent accumulators kept in registers over all of k.
        for (; j + 128 <= n; j += 128)
        {
            var acc0 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc1 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc2 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc3 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc4 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc5 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc6 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            var acc7 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            int c0 = j, c1 = j + 16, c2 = j + 32, c3 = j + 48, c4 = j + 64, c5 = j + 80, c6 = j + 96, c7 = j + 112;
            for (int kk = 0; kk < depth; kk++)
            {
                float ak = global::System.Runtime.CompilerServices.Unsafe.Add(ref aRef, kk);
                if (ak == 0f) continue;
                var s = global::System.Runtime.Intrinsics.Vector512.Create(ak);
                acc0 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector512.Create(codebook[x[kk * n + c0]], codebook[x[kk * n + c0 + 1]], codebook[x[kk * n + c0 + 2]], codebook[x[kk * n + c0 + 3]], codebook[x[kk * n + c0 + 4]], codebook[x[kk * n + c0 + 5]], codebook[x[kk * n + c0 + 6]], codebook[x[kk * n + c0 + 7]], codebook[x[kk * n + c0 + 8]], codebook[x[kk * n + c0 + 9]], codebook[x[kk * n + c0 + 10]], codebook[x[kk * n + c0 + 11]], codebook[x[kk * n + c0 + 12]], codebook[x[kk * n + c0 + 13]], codebook[x[kk * n + c0 + 14]], codebook[x[kk * n + c0 + 15]]), acc0);
                acc1 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector512.Create(codebook[x[kk * n + c1]], codebook[x[kk * n + c1 + 1]], codebook[x[kk * n + c1 + 2]], codebook[x[kk * n + c1 + 3]], codebook[x[kk * n + c1 + 4]], codebook[x[kk * n + c1 + 5]], codebook[x[kk * n + c1 + 6]], codebook[x[kk * n + c1 + 7]], codebook[x[kk * n + c1 + 8]], codebook[x[kk * n + c1 + 9]], codebook[x[kk * n + c1 + 10]], codebook[x[kk * n + c1 + 11]], codebook[x[kk * n + c1 + 12]], codebook[x[kk * n + c1 + 13]], codebook[x[kk * n + c1 + 14]], codebook[x[kk * n + c1 + 15]]), acc1);
                acc2 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector512.Create(codebook[x[kk * n + c2]], codebook[x[kk * n + c2 + 1]], codebook[x[kk * n + c2 + 2]], codebook[x[kk * n + c2 + 3]], codebook[x[kk * n + c2 + 4]], codebook[x[kk * n + c2 + 5]], codebook[x[kk * n + c2 + 6]], codebook[x[kk * n + c2 + 7]], codebook[x[kk * n + c2 + 8]], codebook[x[kk * n + c2 + 9]], codebook[x[kk * n + c2 + 10]], codebook[x[kk * n + c2 + 11]], codebook[x[kk * n + c2 + 12]], codebook[x[kk * n + c2 + 13]], codebook[x[kk * n + c2 + 14]], codebook[x[kk * n + c2 + 15]]), acc2);
                acc3 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector512.Create(codebook[x[kk * n + c3]], codebook[x[kk * n + c3 + 1]], codebook[x[kk * n + c3 + 2]], codebook[x[kk * n + c3 + 3]], codebook[x[kk * n + c3 + 4]], codebook[x[kk * n + c3 + 5]], codebook[x[kk * n + c3 + 6]], codebook[x[kk * n + c3 + 7]], codebook[x[kk * n + c3 + 8]], codebook[x[kk * n + c3 + 9]], codebook[x[kk * n + c3 + 10]], codebook[x[kk * n + c3 + 11]], codebook[x[kk * n + c3 + 12]], codebook[x[kk * n + c3 + 13]], codebook[x[kk * n + c3 + 14]], codebook[x[kk * n + c3 + 15]]), acc3);
                acc4 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector512.Create(codebook[x[kk * n + c4]], codebook[x[kk * n + c4 + 1]], codebook[x[kk * n + c4 + 2]], codebook[x[kk * n + c4 + 3]], codebook[x[kk * n + c4 + 4]], codebook[x[kk * n + c4 + 5]], codebook[x[kk * n + c4 + 6]], codebook[x[kk * n + c4 + 7]], codebook[x[kk * n + c4 + 8]], codebook[x[kk * n + c4 + 9]], codebook[x[kk * n + c4 + 10]], codebook[x[kk * n + c4 + 11]], codebook[x[kk * n + c4 + 12]], codebook[x[kk * n + c4 + 13]], codebook[x[kk * n + c4 + 14]], codebook[x[kk * n + c4 + 15]]), acc4);
                acc5 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector512.Create(codebook[x[kk * n + c5]], codebook[x[kk * n + c5 + 1]], codebook[x[kk * n + c5 + 2]], codebook[x[kk * n + c5 + 3]], codebook[x[kk * n + c5 + 4]], codebook[x[kk * n + c5 + 5]], codebook[x[kk * n + c5 + 6]], codebook[x[kk * n + c5 + 7]], codebook[x[kk * n + c5 + 8]], codebook[x[kk * n + c5 + 9]], codebook[x[kk * n + c5 + 10]], codebook[x[kk * n + c5 + 11]], codebook[x[kk * n + c5 + 12]], codebook[x[kk * n + c5 + 13]], codebook[x[kk * n + c5 + 14]], codebook[x[kk * n + c5 + 15]]), acc5);
                acc6 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector512.Create(codebook[x[kk * n + c6]], codebook[x[kk * n + c6 + 1]], codebook[x[kk * n + c6 + 2]], codebook[x[kk * n + c6 + 3]], codebook[x[kk * n + c6 + 4]], codebook[x[kk * n + c6 + 5]], codebook[x[kk * n + c6 + 6]], codebook[x[kk * n + c6 + 7]], codebook[x[kk * n + c6 + 8]], codebook[x[kk * n + c6 + 9]], codebook[x[kk * n + c6 + 10]], codebook[x[kk * n + c6 + 11]], codebook[x[kk * n + c6 + 12]], codebook[x[kk * n + c6 + 13]], codebook[x[kk * n + c6 + 14]], codebook[x[kk * n + c6 + 15]]), acc6);
                acc7 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector512.Create(codebook[x[kk * n + c7]], codebook[x[kk * n + c7 + 1]], codebook[x[kk * n + c7 + 2]], codebook[x[kk * n + c7 + 3]], codebook[x[kk * n + c7 + 4]], codebook[x[kk * n + c7 + 5]], codebook[x[kk * n + c7 + 6]], codebook[x[kk * n + c7 + 7]], codebook[x[kk * n + c7 + 8]], codebook[x[kk * n + c7 + 9]], codebook[x[kk * n + c7 + 10]], codebook[x[kk * n + c7 + 11]], codebook[x[kk * n + c7 + 12]], codebook[x[kk * n + c7 + 13]], codebook[x[kk * n + c7 + 14]], codebook[x[kk * n + c7 + 15]]), acc7);
            }
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc0, ref yRef, (nuint)j);
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc1, ref yRef, (nuint)(j + 16));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc2, ref yRef, (nuint)(j + 32));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc3, ref yRef, (nuint)(j + 48));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc4, ref yRef, (nuint)(j + 64));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc5, ref yRef, (nuint)(j + 80));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc6, ref yRef, (nuint)(j + 96));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc7, ref yRef, (nuint)(j + 112));
        }
    }
    if (path == 3)
    {
        for (; j + 16 <= n; j += 16)
        {
            int c = j;
            var acc = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
            for (int kk = 0; kk < depth; kk++) acc = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref aRef, kk)), global::System.Runtime.Intrinsics.Vector512.Create(codebook[x[kk * n + c]], codebook[x[kk * n + c + 1]], codebook[x[kk * n + c + 2]], codebook[x[kk * n + c + 3]], codebook[x[kk * n + c + 4]], codebook[x[kk * n + c + 5]], codebook[x[kk * n + c + 6]], codebook[x[kk * n + c + 7]], codebook[x[kk * n + c + 8]], codebook[x[kk * n + c + 9]], codebook[x[kk * n + c + 10]], codebook[x[kk * n + c + 11]], codebook[x[kk * n + c + 12]], codebook[x[kk * n + c + 13]], codebook[x[kk * n + c + 14]], codebook[x[kk * n + c + 15]]), acc);
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc, ref yRef, (nuint)j);
        }
    }
    // Narrower vectors (AVX2, NEON): the same eight-accumulator blocks, then single vectors.
    if (path == 2)
    {
        for (; j + 64 <= n; j += 64)
        {
            var acc0 = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
            var acc1 = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
            var acc2 = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
            var acc3 = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
            var acc4 = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
            var acc5 = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
            var acc6 = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
            var acc7 = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
            int c0 = j, c1 = j + 8, c2 = j + 16, c3 = j + 24, c4 = j + 32, c5 = j + 40, c6 = j + 48, c7 = j + 56;
            for (int kk = 0; kk < depth; kk++)
            {
                float ak = global::System.Runtime.CompilerServices.Unsafe.Add(ref aRef, kk);
                if (ak == 0f) continue;
                var s = global::System.Runtime.Intrinsics.Vector256.Create(ak);
                acc0 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector256.Create(codebook[x[kk * n + c0]], codebook[x[kk * n + c0 + 1]], codebook[x[kk * n + c0 + 2]], codebook[x[kk * n + c0 + 3]], codebook[x[kk * n + c0 + 4]], codebook[x[kk * n + c0 + 5]], codebook[x[kk * n + c0 + 6]], codebook[x[kk * n + c0 + 7]]), acc0);
                acc1 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector256.Create(codebook[x[kk * n + c1]], codebook[x[kk * n + c1 + 1]], codebook[x[kk * n + c1 + 2]], codebook[x[kk * n + c1 + 3]], codebook[x[kk * n + c1 + 4]], codebook[x[kk * n + c1 + 5]], codebook[x[kk * n + c1 + 6]], codebook[x[kk * n + c1 + 7]]), acc1);
                acc2 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector256.Create(codebook[x[kk * n + c2]], codebook[x[kk * n + c2 + 1]], codebook[x[kk * n + c2 + 2]], codebook[x[kk * n + c2 + 3]], codebook[x[kk * n + c2 + 4]], codebook[x[kk * n + c2 + 5]], codebook[x[kk * n + c2 + 6]], codebook[x[kk * n + c2 + 7]]), acc2);
                acc3 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector256.Create(codebook[x[kk * n + c3]], codebook[x[kk * n + c3 + 1]], codebook[x[kk * n + c3 + 2]], codebook[x[kk * n + c3 + 3]], codebook[x[kk * n + c3 + 4]], codebook[x[kk * n + c3 + 5]], codebook[x[kk * n + c3 + 6]], codebook[x[kk * n + c3 + 7]]), acc3);
                acc4 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector256.Create(codebook[x[kk * n + c4]], codebook[x[kk * n + c4 + 1]], codebook[x[kk * n + c4 + 2]], codebook[x[kk * n + c4 + 3]], codebook[x[kk * n + c4 + 4]], codebook[x[kk * n + c4 + 5]], codebook[x[kk * n + c4 + 6]], codebook[x[kk * n + c4 + 7]]), acc4);
                acc5 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector256.Create(codebook[x[kk * n + c5]], codebook[x[kk * n + c5 + 1]], codebook[x[kk * n + c5 + 2]], codebook[x[kk * n + c5 + 3]], codebook[x[kk * n + c5 + 4]], codebook[x[kk * n + c5 + 5]], codebook[x[kk * n + c5 + 6]], codebook[x[kk * n + c5 + 7]]), acc5);
                acc6 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector256.Create(codebook[x[kk * n + c6]], codebook[x[kk * n + c6 + 1]], codebook[x[kk * n + c6 + 2]], codebook[x[kk * n + c6 + 3]], codebook[x[kk * n + c6 + 4]], codebook[x[kk * n + c6 + 5]], codebook[x[kk * n + c6 + 6]], codebook[x[kk * n + c6 + 7]]), acc6);
                acc7 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector256.Create(codebook[x[kk * n + c7]], codebook[x[kk * n + c7 + 1]], codebook[x[kk * n + c7 + 2]], codebook[x[kk * n + c7 + 3]], codebook[x[kk * n + c7 + 4]], codebook[x[kk * n + c7 + 5]], codebook[x[kk * n + c7 + 6]], codebook[x[kk * n + c7 + 7]]), acc7);
            }
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc0, ref yRef, (nuint)j);
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc1, ref yRef, (nuint)(j + 8));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc2, ref yRef, (nuint)(j + 16));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc3, ref yRef, (nuint)(j + 24));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc4, ref yRef, (nuint)(j + 32));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc5, ref yRef, (nuint)(j + 40));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc6, ref yRef, (nuint)(j + 48));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc7, ref yRef, (nuint)(j + 56));
        }
    }
    if (path == 1)
    {
        for (; j + 32 <= n; j += 32)
        {
            var acc0 = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
            var acc1 = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
            var acc2 = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
            var acc3 = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
            var acc4 = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
            var acc5 = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
            var acc6 = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
            var acc7 = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
            int c0 = j, c1 = j + 4, c2 = j + 8, c3 = j + 12, c4 = j + 16, c5 = j + 20, c6 = j + 24, c7 = j + 28;
            for (int kk = 0; kk < depth; kk++)
            {
                float ak = global::System.Runtime.CompilerServices.Unsafe.Add(ref aRef, kk);
                if (ak == 0f) continue;
                var s = global::System.Runtime.Intrinsics.Vector128.Create(ak);
                acc0 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector128.Create(codebook[x[kk * n + c0]], codebook[x[kk * n + c0 + 1]], codebook[x[kk * n + c0 + 2]], codebook[x[kk * n + c0 + 3]]), acc0);
                acc1 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector128.Create(codebook[x[kk * n + c1]], codebook[x[kk * n + c1 + 1]], codebook[x[kk * n + c1 + 2]], codebook[x[kk * n + c1 + 3]]), acc1);
                acc2 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector128.Create(codebook[x[kk * n + c2]], codebook[x[kk * n + c2 + 1]], codebook[x[kk * n + c2 + 2]], codebook[x[kk * n + c2 + 3]]), acc2);
                acc3 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector128.Create(codebook[x[kk * n + c3]], codebook[x[kk * n + c3 + 1]], codebook[x[kk * n + c3 + 2]], codebook[x[kk * n + c3 + 3]]), acc3);
                acc4 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector128.Create(codebook[x[kk * n + c4]], codebook[x[kk * n + c4 + 1]], codebook[x[kk * n + c4 + 2]], codebook[x[kk * n + c4 + 3]]), acc4);
                acc5 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector128.Create(codebook[x[kk * n + c5]], codebook[x[kk * n + c5 + 1]], codebook[x[kk * n + c5 + 2]], codebook[x[kk * n + c5 + 3]]), acc5);
                acc6 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector128.Create(codebook[x[kk * n + c6]], codebook[x[kk * n + c6 + 1]], codebook[x[kk * n + c6 + 2]], codebook[x[kk * n + c6 + 3]]), acc6);
                acc7 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector128.Create(codebook[x[kk * n + c7]], codebook[x[kk * n + c7 + 1]], codebook[x[kk * n + c7 + 2]], codebook[x[kk * n + c7 + 3]]), acc7);
            }
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc0, ref yRef, (nuint)j);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc1, ref yRef, (nuint)(j + 4));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc2, ref yRef, (nuint)(j + 8));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc3, ref yRef, (nuint)(j + 12));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc4, ref yRef, (nuint)(j + 16));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc5, ref yRef, (nuint)(j + 20));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc6, ref yRef, (nuint)(j + 24));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc7, ref yRef, (nuint)(j + 28));
        }
    }
    if (path >= 2)
    {
        for (; j + 8 <= n; j += 8)
        {
            int c = j;
            var acc = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
            for (int kk = 0; kk < depth; kk++) acc = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref aRef, kk)), global::System.Runtime.Intrinsics.Vector256.Create(codebook[x[kk * n + c]], codebook[x[kk * n + c + 1]], codebook[x[kk * n + c + 2]], codebook[x[kk * n + c + 3]], codebook[x[kk * n + c + 4]], codebook[x[kk * n + c + 5]], codebook[x[kk * n + c + 6]], codebook[x[kk * n + c + 7]]), acc);
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc, ref yRef, (nuint)j);
        }
    }
    if (path >= 1)
    {
        for (; j + 4 <= n; j += 4)
        {
            int c = j;
            var acc = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
            for (int kk = 0; kk < depth; kk++) acc = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref aRef, kk)), global::System.Runtime.Intrinsics.Vector128.Create(codebook[x[kk * n + c]], codebook[x[kk * n + c + 1]], codebook[x[kk * n + c + 2]], codebook[x[kk * n + c + 3]]), acc);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc, ref yRef, (nuint)j);
        }
    }
    for (; j < n; j++)
    {
        int c = j;
        float sum = 0f;
        for (int kk = 0; kk < depth; kk++) sum = global::System.MathF.FusedMultiplyAdd(a[kk], codebook[x[kk * n + c]], sum);
        y[j] = sum;
    }
}
