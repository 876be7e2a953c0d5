// ---- Compressed-weight kernels (EdgeAot.Generator/Kernels/CompressedWeightKernels.cs) ----

/// <summary>
/// Vector width used by the compressed-weight kernels: 3 = Vector512, 2 = Vector256, 1 = Vector128,
/// 0 = scalar. Every path computes y[j] = fma(scale, w[j], y[j]) with the same decoded w[j], so all
/// give the same bits; tests lower this to check each one.
/// </summary>
internal static int CompressedWeightKernelPath = global::System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? 3
    : global::System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? 2
    : global::System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? 1 : 0;

/// <summary>
/// Binary16 bit patterns (zero-extended to 32 bits) to float, exactly, for finite values (the compiler
/// stores no infinity or NaN this way): exponent and fraction shifted into float position read as a
/// float 2^-112 times the value (a subnormal half lands on a subnormal float), so one multiplication by
/// 2^112 rescales normal and subnormal values alike; then the sign bit is put back.
/// </summary>
private static global::System.Runtime.Intrinsics.Vector512<float> WidenHalfBits(global::System.Runtime.Intrinsics.Vector512<uint> bits)
{
    var sign = (bits & global::System.Runtime.Intrinsics.Vector512.Create(0x8000u)) << 16;
    var scaled = global::System.Runtime.Intrinsics.Vector512.AsSingle((bits & global::System.Runtime.Intrinsics.Vector512.Create(0x7FFFu)) << 13) * global::System.Runtime.Intrinsics.Vector512.Create(global::System.BitConverter.Int32BitsToSingle(0x77800000));
    return global::System.Runtime.Intrinsics.Vector512.AsSingle(global::System.Runtime.Intrinsics.Vector512.AsUInt32(scaled) | sign);
}

/// <summary><see cref="WidenHalfBits(global::System.Runtime.Intrinsics.Vector512{uint})"/> for eight values.</summary>
private static global::System.Runtime.Intrinsics.Vector256<float> WidenHalfBits(global::System.Runtime.Intrinsics.Vector256<uint> bits)
{
    var sign = (bits & global::System.Runtime.Intrinsics.Vector256.Create(0x8000u)) << 16;
    var scaled = global::System.Runtime.Intrinsics.Vector256.AsSingle((bits & global::System.Runtime.Intrinsics.Vector256.Create(0x7FFFu)) << 13) * global::System.Runtime.Intrinsics.Vector256.Create(global::System.BitConverter.Int32BitsToSingle(0x77800000));
    return global::System.Runtime.Intrinsics.Vector256.AsSingle(global::System.Runtime.Intrinsics.Vector256.AsUInt32(scaled) | sign);
}

/// <summary><see cref="WidenHalfBits(global::System.Runtime.Intrinsics.Vector512{uint})"/> for four values.</summary>
private static global::System.Runtime.Intrinsics.Vector128<float> WidenHalfBits(global::System.Runtime.Intrinsics.Vector128<uint> bits)
{
    var sign = (bits & global::System.Runtime.Intrinsics.Vector128.Create(0x8000u)) << 16;
    var scaled = global::System.Runtime.Intrinsics.Vector128.AsSingle((bits & global::System.Runtime.Intrinsics.Vector128.Create(0x7FFFu)) << 13) * global::System.Runtime.Intrinsics.Vector128.Create(global::System.BitConverter.Int32BitsToSingle(0x77800000));
    return global::System.Runtime.Intrinsics.Vector128.AsSingle(global::System.Runtime.Intrinsics.Vector128.AsUInt32(scaled) | sign);
}

/// <summary>y[j] = fma(scale, w[j], y[j]) for j &lt; y.Length, w[j] the binary16 weight bits[j] widened in registers.</summary>
private static void MultiplyAddHalfRow(float scale, global::System.ReadOnlySpan<ushort> bits, global::System.Span<float> y)
{
    int n = y.Length, j = 0, path = CompressedWeightKernelPath;
    ref float yRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
    ref ushort wRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(bits.Slice(0, n));
    if (path == 3)
    {
        var s = global::System.Runtime.Intrinsics.Vector512.Create(scale);
        for (; j + 16 <= n; j += 16)
        {
            var w = WidenHalfBits(global::System.Runtime.Intrinsics.Vector512.WidenLower(global::System.Runtime.Intrinsics.Vector256.ToVector512(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref wRef, (nuint)j))));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, w, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref yRef, (nuint)j)), ref yRef, (nuint)j);
        }
    }
    if (path >= 2)
    {
        var s = global::System.Runtime.Intrinsics.Vector256.Create(scale);
        for (; j + 8 <= n; j += 8)
        {
            var w = WidenHalfBits(global::System.Runtime.Intrinsics.Vector256.WidenLower(global::System.Runtime.Intrinsics.Vector128.ToVector256(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref wRef, (nuint)j))));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, w, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref yRef, (nuint)j)), ref yRef, (nuint)j);
        }
    }
    if (path >= 1)
    {
        var s = global::System.Runtime.Intrinsics.Vector128.Create(scale);
        for (; j + 4 <= n; j += 4)
        {
            var w = WidenHalfBits(global::System.Runtime.Intrinsics.Vector128.WidenLower(global::System.Runtime.Intrinsics.Vector64.ToVector128(global::System.Runtime.Intrinsics.Vector64.LoadUnsafe(ref wRef, (nuint)j))));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, w, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref yRef, (nuint)j)), ref yRef, (nuint)j);
        }
    }
    for (; j < n; j++) y[j] = global::System.MathF.FusedMultiplyAdd(scale, (float)global::System.BitConverter.UInt16BitsToHalf(bits[j]), y[j]);
}

/// <summary>
/// y[j] = fma(scale, codebook[index j], y[j]) for a row of 4-bit indices: per 16 columns, 8 bytes whose
/// low nibbles index columns 0–7 and high nibbles columns 8–15. With AVX-512 the 16-entry codebook
/// (padded to 16 by the compiler) sits in one register and one permute decodes 16 weights.
/// </summary>
private static void MultiplyAddNibbleRow(float scale, global::System.ReadOnlySpan<byte> packed, global::System.ReadOnlySpan<float> codebook, global::System.Span<float> y)
{
    int n = y.Length, j = 0;
    if (CompressedWeightKernelPath == 3 && global::System.Runtime.Intrinsics.X86.Avx512F.IsSupported && codebook.Length >= 16)
    {
        var table = global::System.Runtime.Intrinsics.Vector512.Create(codebook.Slice(0, 16));
        var s = global::System.Runtime.Intrinsics.Vector512.Create(scale);
        var lowNibble = global::System.Runtime.Intrinsics.Vector128.Create((byte)0x0F);
        ref float yRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
        for (; j + 16 <= n; j += 16)
        {
            var bytes = global::System.Runtime.Intrinsics.Vector128.AsByte(global::System.Runtime.Intrinsics.Vector128.CreateScalar(global::System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(packed.Slice(j / 2, 8))));
            ulong low = global::System.Runtime.Intrinsics.Vector128.ToScalar(global::System.Runtime.Intrinsics.Vector128.AsUInt64(bytes & lowNibble));
            ulong high = global::System.Runtime.Intrinsics.Vector128.ToScalar(global::System.Runtime.Intrinsics.Vector128.AsUInt64(global::System.Runtime.Intrinsics.Vector128.ShiftRightLogical(bytes, 4)));
            var columns = global::System.Runtime.Intrinsics.Vector128.AsByte(global::System.Runtime.Intrinsics.Vector128.Create(low, high));
            var w = global::System.Runtime.Intrinsics.X86.Avx512F.PermuteVar16x32(table, global::System.Runtime.Intrinsics.X86.Avx512F.ConvertToVector512Int32(columns));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, w, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref yRef, (nuint)j)), ref yRef, (nuint)j);
        }
    }
    for (; j < n; j++)
    {
        int index = (packed[j / 16 * 8 + j % 8] >> (j % 16 < 8 ? 0 : 4)) & 0x0F;
        y[j] = global::System.MathF.FusedMultiplyAdd(scale, codebook[index], y[j]);
    }
}

/// <summary>row[j] = codebook[indices[j]]: one row of 8-bit codebook weights decoded for <see cref="MultiplyAddRow"/>.</summary>
private static void DecodeCodebookRow(global::System.ReadOnlySpan<byte> indices, global::System.ReadOnlySpan<float> codebook, global::System.Span<float> row)
{
    for (int j = 0; j < row.Length; j++) row[j] = codebook[indices[j]];
}

/// <summary>y[j] = fma(scale, w[j], y[j]) for j &lt; y.Length.</summary>
private static void MultiplyAddRow(float scale, global::System.ReadOnlySpan<float> w, global::System.Span<float> y)
{
    int n = y.Length, j = 0, path = CompressedWeightKernelPath;
    ref float yRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
    ref float wRef = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(w.Slice(0, n));
    if (path == 3)
    {
        var s = global::System.Runtime.Intrinsics.Vector512.Create(scale);
        for (; j + 16 <= n; j += 16)
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref wRef, (nuint)j), global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref yRef, (nuint)j)), ref yRef, (nuint)j);
    }
    if (path >= 2)
    {
        var s = global::System.Runtime.Intrinsics.Vector256.Create(scale);
        for (; j + 8 <= n; j += 8)
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref wRef, (nuint)j), global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref yRef, (nuint)j)), ref yRef, (nuint)j);
    }
    if (path >= 1)
    {
        var s = global::System.Runtime.Intrinsics.Vector128.Create(scale);
        for (; j + 4 <= n; j += 4)
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref wRef, (nuint)j), global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref yRef, (nuint)j)), ref yRef, (nuint)j);
    }
    for (; j < n; j++) y[j] = global::System.MathF.FusedMultiplyAdd(scale, w[j], y[j]);
}
