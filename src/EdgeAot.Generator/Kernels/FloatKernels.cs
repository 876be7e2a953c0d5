// ---- Shared float kernels (EdgeAot.Generator/Kernels/FloatKernels.cs) ----

/// <summary>
/// Vector width used by the float kernels: 3 = Vector512, 2 = Vector256, 1 = Vector128, 0 = scalar.
/// The JIT/AOT compiler resolves IsHardwareAccelerated to a constant; tests lower it to check
/// every path computes the same results.
/// </summary>
internal static int FloatKernelPath = global::System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? 3
    : global::System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? 2
    : global::System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? 1 : 0;

/// <summary>
/// C[r, j] = bias[r] + Σ_k A[r, k]·B[k, j] for r &lt; rows, j &lt; cols (row-major, leading dimensions
/// lda/ldb/ldc; bias empty means 0). Register-blocked micro-kernel: 4 rows × two vectors of columns
/// (one where only one fits) in accumulators, each B vector loaded once and used by four FMAs with
/// broadcast A values. A
/// column tail narrower than a vector recomputes the last full vector (C is written, not
/// accumulated, so overlap is harmless); only fewer columns than one vector fall to a narrower path.
/// skipZeroA: the one-row tiles skip the rows of B whose A value is 0 (after a ReLU, often half of
/// them); the caller passes it only for a constant, finite B, where 0·b adds a zero and skipping is exact.
/// </summary>
private static void Gemm(int rows, int cols, int depth, ref float a, int lda, ref float b, int ldb, ref float c, int ldc, global::System.ReadOnlySpan<float> bias, bool skipZeroA = false)
{
    int path = FloatKernelPath;
    int width = path == 3 ? 16 : path == 2 ? 8 : path == 1 ? 4 : 1;
    while (width > 1 && cols < width) width >>= 1;
    int first = 0;
    if (rows < 4 && width > 1)
    {
        // Too few rows for the 4-row tiles (a row-times-matrix product, e.g. a fully connected layer
        // at batch 1): eight vectors of columns per pass keep eight FMAs in flight per k.
        for (; first + 8 * width <= cols; first += 8 * width)
        {
            for (int r = 0; r < rows; r++)
            {
                ref float aRow = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, r * lda);
                ref float bBlock = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref b, first);
                ref float cBlock = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c, r * ldc + first);
                float rowBias = bias.IsEmpty ? 0f : bias[r];
                if (width == 16) GemmRow8x16(depth, ref aRow, ref bBlock, ldb, ref cBlock, rowBias, skipZeroA);
                else if (width == 8) GemmRow8x8(depth, ref aRow, ref bBlock, ldb, ref cBlock, rowBias, skipZeroA);
                else GemmRow8x4(depth, ref aRow, ref bBlock, ldb, ref cBlock, rowBias, skipZeroA);
            }
        }
    }
    bool pair = false;
    for (int j = first; j < cols; j += pair ? 2 * width : width)
    {
        int j0 = j + width <= cols ? j : cols - width;
        // Two vectors of columns per tile where they fit: twice the accumulators, same summation order.
        pair = width > 1 && j + 2 * width <= cols;
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            if (pair && width == 16) GemmTile4x2x16(depth, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, r * lda), lda, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref b, j0), ldb, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c, r * ldc + j0), ldc, bias.IsEmpty ? default : bias.Slice(r, 4));
            else if (pair && width == 8) GemmTile4x2x8(depth, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, r * lda), lda, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref b, j0), ldb, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c, r * ldc + j0), ldc, bias.IsEmpty ? default : bias.Slice(r, 4));
            else if (pair && width == 4) GemmTile4x2x4(depth, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, r * lda), lda, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref b, j0), ldb, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c, r * ldc + j0), ldc, bias.IsEmpty ? default : bias.Slice(r, 4));
            else if (width == 16) GemmTile4x16(depth, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, r * lda), lda, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref b, j0), ldb, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c, r * ldc + j0), ldc, bias.IsEmpty ? default : bias.Slice(r, 4));
            else if (width == 8) GemmTile4x8(depth, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, r * lda), lda, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref b, j0), ldb, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c, r * ldc + j0), ldc, bias.IsEmpty ? default : bias.Slice(r, 4));
            else if (width == 4) GemmTile4x4(depth, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, r * lda), lda, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref b, j0), ldb, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c, r * ldc + j0), ldc, bias.IsEmpty ? default : bias.Slice(r, 4));
            else break;
        }
        for (; r < rows; r++)
        {
            ref float aRow = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, r * lda);
            ref float cRow = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c, r * ldc + j0);
            float rowBias = bias.IsEmpty ? 0f : bias[r];
            if (pair)
            {
                // Row tail of a paired tile: both vectors, one after the other.
                if (width == 16) GemmTile1x16(depth, ref aRow, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref b, j0 + 16), ldb, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref cRow, 16), rowBias);
                else if (width == 8) GemmTile1x8(depth, ref aRow, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref b, j0 + 8), ldb, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref cRow, 8), rowBias);
                else GemmTile1x4(depth, ref aRow, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref b, j0 + 4), ldb, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref cRow, 4), rowBias);
            }
            if (width == 16) GemmTile1x16(depth, ref aRow, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref b, j0), ldb, ref cRow, rowBias);
            else if (width == 8) GemmTile1x8(depth, ref aRow, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref b, j0), ldb, ref cRow, rowBias);
            else if (width == 4) GemmTile1x4(depth, ref aRow, ref global::System.Runtime.CompilerServices.Unsafe.Add(ref b, j0), ldb, ref cRow, rowBias);
            else
            {
                for (int jj = 0; jj < width; jj++)
                {
                    float sum = rowBias;
                    for (int k = 0; k < depth; k++)
                        sum += global::System.Runtime.CompilerServices.Unsafe.Add(ref aRow, k) * global::System.Runtime.CompilerServices.Unsafe.Add(ref b, k * ldb + j0 + jj);
                    global::System.Runtime.CompilerServices.Unsafe.Add(ref cRow, jj) = sum;
                }
            }
        }
    }
}

/// <summary>4 rows × two Vector512 of columns: eight accumulators, enough independent FMAs to hide their latency.</summary>
private static void GemmTile4x2x16(int depth, ref float a, int lda, ref float b, int ldb, ref float c, int ldc, global::System.ReadOnlySpan<float> bias)
{
    var c00 = global::System.Runtime.Intrinsics.Vector512.Create(bias.IsEmpty ? 0f : bias[0]);
    var c01 = c00;
    var c10 = global::System.Runtime.Intrinsics.Vector512.Create(bias.IsEmpty ? 0f : bias[1]);
    var c11 = c10;
    var c20 = global::System.Runtime.Intrinsics.Vector512.Create(bias.IsEmpty ? 0f : bias[2]);
    var c21 = c20;
    var c30 = global::System.Runtime.Intrinsics.Vector512.Create(bias.IsEmpty ? 0f : bias[3]);
    var c31 = c30;
    ref float a1 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, lda);
    ref float a2 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 2 * lda);
    ref float a3 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 3 * lda);
    for (int k = 0; k < depth; k++)
    {
        var b0 = global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref b, (nuint)(k * ldb));
        var b1 = global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref b, (nuint)(k * ldb + 16));
        var s0 = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, k));
        c00 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s0, b0, c00);
        c01 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s0, b1, c01);
        var s1 = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a1, k));
        c10 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s1, b0, c10);
        c11 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s1, b1, c11);
        var s2 = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a2, k));
        c20 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s2, b0, c20);
        c21 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s2, b1, c21);
        var s3 = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a3, k));
        c30 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s3, b0, c30);
        c31 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s3, b1, c31);
    }
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c00, ref c);
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c01, ref c, (nuint)(16));
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c10, ref c, (nuint)(ldc));
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c11, ref c, (nuint)(ldc + 16));
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c20, ref c, (nuint)(2 * ldc));
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c21, ref c, (nuint)(2 * ldc + 16));
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c30, ref c, (nuint)(3 * ldc));
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c31, ref c, (nuint)(3 * ldc + 16));
}

/// <summary>4 rows × two Vector256 of columns: eight accumulators, enough independent FMAs to hide their latency.</summary>
private static void GemmTile4x2x8(int depth, ref float a, int lda, ref float b, int ldb, ref float c, int ldc, global::System.ReadOnlySpan<float> bias)
{
    var c00 = global::System.Runtime.Intrinsics.Vector256.Create(bias.IsEmpty ? 0f : bias[0]);
    var c01 = c00;
    var c10 = global::System.Runtime.Intrinsics.Vector256.Create(bias.IsEmpty ? 0f : bias[1]);
    var c11 = c10;
    var c20 = global::System.Runtime.Intrinsics.Vector256.Create(bias.IsEmpty ? 0f : bias[2]);
    var c21 = c20;
    var c30 = global::System.Runtime.Intrinsics.Vector256.Create(bias.IsEmpty ? 0f : bias[3]);
    var c31 = c30;
    ref float a1 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, lda);
    ref float a2 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 2 * lda);
    ref float a3 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 3 * lda);
    for (int k = 0; k < depth; k++)
    {
        var b0 = global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref b, (nuint)(k * ldb));
        var b1 = global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref b, (nuint)(k * ldb + 8));
        var s0 = global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, k));
        c00 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s0, b0, c00);
        c01 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s0, b1, c01);
        var s1 = global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a1, k));
        c10 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s1, b0, c10);
        c11 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s1, b1, c11);
        var s2 = global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a2, k));
        c20 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s2, b0, c20);
        c21 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s2, b1, c21);
        var s3 = global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a3, k));
        c30 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s3, b0, c30);
        c31 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s3, b1, c31);
    }
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c00, ref c);
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c01, ref c, (nuint)(8));
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c10, ref c, (nuint)(ldc));
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c11, ref c, (nuint)(ldc + 8));
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c20, ref c, (nuint)(2 * ldc));
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c21, ref c, (nuint)(2 * ldc + 8));
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c30, ref c, (nuint)(3 * ldc));
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c31, ref c, (nuint)(3 * ldc + 8));
}

/// <summary>4 rows × two Vector128 of columns: eight accumulators, enough independent FMAs to hide their latency.</summary>
private static void GemmTile4x2x4(int depth, ref float a, int lda, ref float b, int ldb, ref float c, int ldc, global::System.ReadOnlySpan<float> bias)
{
    var c00 = global::System.Runtime.Intrinsics.Vector128.Create(bias.IsEmpty ? 0f : bias[0]);
    var c01 = c00;
    var c10 = global::System.Runtime.Intrinsics.Vector128.Create(bias.IsEmpty ? 0f : bias[1]);
    var c11 = c10;
    var c20 = global::System.Runtime.Intrinsics.Vector128.Create(bias.IsEmpty ? 0f : bias[2]);
    var c21 = c20;
    var c30 = global::System.Runtime.Intrinsics.Vector128.Create(bias.IsEmpty ? 0f : bias[3]);
    var c31 = c30;
    ref float a1 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, lda);
    ref float a2 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 2 * lda);
    ref float a3 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 3 * lda);
    for (int k = 0; k < depth; k++)
    {
        var b0 = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref b, (nuint)(k * ldb));
        var b1 = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref b, (nuint)(k * ldb + 4));
        var s0 = global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, k));
        c00 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s0, b0, c00);
        c01 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s0, b1, c01);
        var s1 = global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a1, k));
        c10 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s1, b0, c10);
        c11 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s1, b1, c11);
        var s2 = global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a2, k));
        c20 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s2, b0, c20);
        c21 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s2, b1, c21);
        var s3 = global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a3, k));
        c30 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s3, b0, c30);
        c31 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s3, b1, c31);
    }
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c00, ref c);
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c01, ref c, (nuint)(4));
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c10, ref c, (nuint)(ldc));
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c11, ref c, (nuint)(ldc + 4));
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c20, ref c, (nuint)(2 * ldc));
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c21, ref c, (nuint)(2 * ldc + 4));
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c30, ref c, (nuint)(3 * ldc));
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c31, ref c, (nuint)(3 * ldc + 4));
}

/// <summary>One row of C, one vector of columns; two accumulators (even/odd k) hide FMA latency.</summary>
private static void GemmTile1x16(int depth, ref float a, ref float b, int ldb, ref float c, float bias)
{
    var c0 = global::System.Runtime.Intrinsics.Vector512.Create(bias);
    var c1 = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
    int k = 0;
    for (; k + 2 <= depth; k += 2)
    {
        c0 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, k)), global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref b, (nuint)(k * ldb)), c0);
        c1 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, k + 1)), global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref b, (nuint)((k + 1) * ldb)), c1);
    }
    if (k < depth)
        c0 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, k)), global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref b, (nuint)(k * ldb)), c0);
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c0 + c1, ref c);
}

/// <summary>One row of C, one vector of columns; two accumulators (even/odd k) hide FMA latency.</summary>
private static void GemmTile1x8(int depth, ref float a, ref float b, int ldb, ref float c, float bias)
{
    var c0 = global::System.Runtime.Intrinsics.Vector256.Create(bias);
    var c1 = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
    int k = 0;
    for (; k + 2 <= depth; k += 2)
    {
        c0 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, k)), global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref b, (nuint)(k * ldb)), c0);
        c1 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, k + 1)), global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref b, (nuint)((k + 1) * ldb)), c1);
    }
    if (k < depth)
        c0 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, k)), global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref b, (nuint)(k * ldb)), c0);
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c0 + c1, ref c);
}

/// <summary>One row of C, one vector of columns; two accumulators (even/odd k) hide FMA latency.</summary>
private static void GemmTile1x4(int depth, ref float a, ref float b, int ldb, ref float c, float bias)
{
    var c0 = global::System.Runtime.Intrinsics.Vector128.Create(bias);
    var c1 = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
    int k = 0;
    for (; k + 2 <= depth; k += 2)
    {
        c0 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, k)), global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref b, (nuint)(k * ldb)), c0);
        c1 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, k + 1)), global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref b, (nuint)((k + 1) * ldb)), c1);
    }
    if (k < depth)
        c0 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, k)), global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref b, (nuint)(k * ldb)), c0);
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c0 + c1, ref c);
}

private static void GemmTile4x16(int depth, ref float a, int lda, ref float b, int ldb, ref float c, int ldc, global::System.ReadOnlySpan<float> bias)
{
    var c0 = global::System.Runtime.Intrinsics.Vector512.Create(bias.IsEmpty ? 0f : bias[0]);
    var c1 = global::System.Runtime.Intrinsics.Vector512.Create(bias.IsEmpty ? 0f : bias[1]);
    var c2 = global::System.Runtime.Intrinsics.Vector512.Create(bias.IsEmpty ? 0f : bias[2]);
    var c3 = global::System.Runtime.Intrinsics.Vector512.Create(bias.IsEmpty ? 0f : bias[3]);
    ref float a1 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, lda);
    ref float a2 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 2 * lda);
    ref float a3 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 3 * lda);
    for (int k = 0; k < depth; k++)
    {
        var bv = global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref b, (nuint)(k * ldb));
        c0 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, k)), bv, c0);
        c1 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a1, k)), bv, c1);
        c2 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a2, k)), bv, c2);
        c3 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a3, k)), bv, c3);
    }
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c0, ref c);
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c1, ref c, (nuint)ldc);
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c2, ref c, (nuint)(2 * ldc));
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c3, ref c, (nuint)(3 * ldc));
}

private static void GemmTile4x8(int depth, ref float a, int lda, ref float b, int ldb, ref float c, int ldc, global::System.ReadOnlySpan<float> bias)
{
    var c0 = global::System.Runtime.Intrinsics.Vector256.Create(bias.IsEmpty ? 0f : bias[0]);
    var c1 = global::System.Runtime.Intrinsics.Vector256.Create(bias.IsEmpty ? 0f : bias[1]);
    var c2 = global::System.Runtime.Intrinsics.Vector256.Create(bias.IsEmpty ? 0f : bias[2]);
    var c3 = global::System.Runtime.Intrinsics.Vector256.Create(bias.IsEmpty ? 0f : bias[3]);
    ref float a1 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, lda);
    ref float a2 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 2 * lda);
    ref float a3 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 3 * lda);
    for (int k = 0; k < depth; k++)
    {
        var bv = global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref b, (nuint)(k * ldb));
        c0 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, k)), bv, c0);
        c1 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a1, k)), bv, c1);
        c2 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a2, k)), bv, c2);
        c3 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a3, k)), bv, c3);
    }
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c0, ref c);
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c1, ref c, (nuint)ldc);
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c2, ref c, (nuint)(2 * ldc));
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c3, ref c, (nuint)(3 * ldc));
}

private static void GemmTile4x4(int depth, ref float a, int lda, ref float b, int ldb, ref float c, int ldc, global::System.ReadOnlySpan<float> bias)
{
    var c0 = global::System.Runtime.Intrinsics.Vector128.Create(bias.IsEmpty ? 0f : bias[0]);
    var c1 = global::System.Runtime.Intrinsics.Vector128.Create(bias.IsEmpty ? 0f : bias[1]);
    var c2 = global::System.Runtime.Intrinsics.Vector128.Create(bias.IsEmpty ? 0f : bias[2]);
    var c3 = global::System.Runtime.Intrinsics.Vector128.Create(bias.IsEmpty ? 0f : bias[3]);
    ref float a1 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, lda);
    ref float a2 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 2 * lda);
    ref float a3 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 3 * lda);
    for (int k = 0; k < depth; k++)
    {
        var bv = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref b, (nuint)(k * ldb));
        c0 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, k)), bv, c0);
        c1 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a1, k)), bv, c1);
        c2 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a2, k)), bv, c2);
        c3 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a3, k)), bv, c3);
    }
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c0, ref c);
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c1, ref c, (nuint)ldc);
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c2, ref c, (nuint)(2 * ldc));
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c3, ref c, (nuint)(3 * ldc));
}

/// <summary>Σ x[i]·y[i] for i &lt; n: one vector accumulator per width, scalar tail.</summary>
private static float Dot(ref float x, ref float y, int n)
{
    int path = FloatKernelPath, i = 0;
    float sum = 0f;
    if (path == 3 && n >= 16)
    {
        var acc = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
        for (; i + 16 <= n; i += 16)
            acc = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref x, (nuint)i), global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref y, (nuint)i), acc);
        sum = global::System.Runtime.Intrinsics.Vector512.Sum(acc);
    }
    else if (path >= 2 && n >= 8)
    {
        var acc = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
        for (; i + 8 <= n; i += 8)
            acc = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref x, (nuint)i), global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref y, (nuint)i), acc);
        sum = global::System.Runtime.Intrinsics.Vector256.Sum(acc);
    }
    else if (path >= 1 && n >= 4)
    {
        var acc = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
        for (; i + 4 <= n; i += 4)
            acc = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref x, (nuint)i), global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref y, (nuint)i), acc);
        sum = global::System.Runtime.Intrinsics.Vector128.Sum(acc);
    }
    for (; i < n; i++) sum += global::System.Runtime.CompilerServices.Unsafe.Add(ref x, i) * global::System.Runtime.CompilerServices.Unsafe.Add(ref y, i);
    return sum;
}

/// <summary>y[i] += alpha·x[i] for i &lt; n (contiguous rows of a depthwise/grouped convolution).</summary>
private static void Axpy(float alpha, ref float x, ref float y, int n)
{
    int path = FloatKernelPath, i = 0;
    if (path == 3)
    {
        var va = global::System.Runtime.Intrinsics.Vector512.Create(alpha);
        for (; i + 16 <= n; i += 16)
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(va, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref x, (nuint)i), global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref y, (nuint)i)), ref y, (nuint)i);
    }
    if (path >= 2)
    {
        var va = global::System.Runtime.Intrinsics.Vector256.Create(alpha);
        for (; i + 8 <= n; i += 8)
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(va, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref x, (nuint)i), global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref y, (nuint)i)), ref y, (nuint)i);
    }
    if (path >= 1)
    {
        var va = global::System.Runtime.Intrinsics.Vector128.Create(alpha);
        for (; i + 4 <= n; i += 4)
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(va, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref x, (nuint)i), global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref y, (nuint)i)), ref y, (nuint)i);
    }
    for (; i < n; i++) global::System.Runtime.CompilerServices.Unsafe.Add(ref y, i) += alpha * global::System.Runtime.CompilerServices.Unsafe.Add(ref x, i);
}

/// <summary>
/// y[i] = bias + Σ_t taps[t]·x[i + offsets[t]] for i &lt; n: one depthwise channel over a zero-padded
/// plane. Blocks of four vectors of outputs stay in registers across all taps (four independent FMA
/// chains per tap); x must hold n + max(offsets) values.
/// </summary>
private static void DepthwisePlane(ref float x, ref float y, int n, global::System.ReadOnlySpan<int> offsets, global::System.ReadOnlySpan<float> taps, float bias)
{
    int path = FloatKernelPath, i = 0, count = global::System.Math.Min(taps.Length, offsets.Length);
    ref int o = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(offsets);
    ref float w = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(taps);
    if (path == 3)
    {
        for (; i + 64 <= n; i += 64)
        {
            var a0 = global::System.Runtime.Intrinsics.Vector512.Create(bias);
            var a1 = a0;
            var a2 = a0;
            var a3 = a0;
            for (int t = 0; t < count; t++)
            {
                var tap = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref w, t));
                ref float s = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref x, i + global::System.Runtime.CompilerServices.Unsafe.Add(ref o, t));
                a0 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref s), a0);
                a1 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref s, (nuint)16), a1);
                a2 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref s, (nuint)32), a2);
                a3 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref s, (nuint)48), a3);
            }
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(a0, ref y, (nuint)(i));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(a1, ref y, (nuint)(i + 16));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(a2, ref y, (nuint)(i + 32));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(a3, ref y, (nuint)(i + 48));
        }
        for (; i + 16 <= n; i += 16)
        {
            var acc = global::System.Runtime.Intrinsics.Vector512.Create(bias);
            for (int t = 0; t < count; t++)
                acc = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref w, t)), global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref x, (nuint)(i + global::System.Runtime.CompilerServices.Unsafe.Add(ref o, t))), acc);
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc, ref y, (nuint)i);
        }
    }
    if (path >= 2)
    {
        for (; i + 32 <= n; i += 32)
        {
            var a0 = global::System.Runtime.Intrinsics.Vector256.Create(bias);
            var a1 = a0;
            var a2 = a0;
            var a3 = a0;
            for (int t = 0; t < count; t++)
            {
                var tap = global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref w, t));
                ref float s = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref x, i + global::System.Runtime.CompilerServices.Unsafe.Add(ref o, t));
                a0 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref s), a0);
                a1 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref s, (nuint)8), a1);
                a2 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref s, (nuint)16), a2);
                a3 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref s, (nuint)24), a3);
            }
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(a0, ref y, (nuint)(i));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(a1, ref y, (nuint)(i + 8));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(a2, ref y, (nuint)(i + 16));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(a3, ref y, (nuint)(i + 24));
        }
        for (; i + 8 <= n; i += 8)
        {
            var acc = global::System.Runtime.Intrinsics.Vector256.Create(bias);
            for (int t = 0; t < count; t++)
                acc = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref w, t)), global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref x, (nuint)(i + global::System.Runtime.CompilerServices.Unsafe.Add(ref o, t))), acc);
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc, ref y, (nuint)i);
        }
    }
    if (path >= 1)
    {
        for (; i + 16 <= n; i += 16)
        {
            var a0 = global::System.Runtime.Intrinsics.Vector128.Create(bias);
            var a1 = a0;
            var a2 = a0;
            var a3 = a0;
            for (int t = 0; t < count; t++)
            {
                var tap = global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref w, t));
                ref float s = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref x, i + global::System.Runtime.CompilerServices.Unsafe.Add(ref o, t));
                a0 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref s), a0);
                a1 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref s, (nuint)4), a1);
                a2 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref s, (nuint)8), a2);
                a3 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref s, (nuint)12), a3);
            }
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(a0, ref y, (nuint)(i));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(a1, ref y, (nuint)(i + 4));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(a2, ref y, (nuint)(i + 8));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(a3, ref y, (nuint)(i + 12));
        }
        for (; i + 4 <= n; i += 4)
        {
            var acc = global::System.Runtime.Intrinsics.Vector128.Create(bias);
            for (int t = 0; t < count; t++)
                acc = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref w, t)), global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref x, (nuint)(i + global::System.Runtime.CompilerServices.Unsafe.Add(ref o, t))), acc);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc, ref y, (nuint)i);
        }
    }
    for (; i < n; i++)
    {
        float sum = bias;
        for (int t = 0; t < count; t++) sum += global::System.Runtime.CompilerServices.Unsafe.Add(ref w, t) * global::System.Runtime.CompilerServices.Unsafe.Add(ref x, i + global::System.Runtime.CompilerServices.Unsafe.Add(ref o, t));
        global::System.Runtime.CompilerServices.Unsafe.Add(ref y, i) = sum;
    }
}


/// <summary>
/// C[r, j] = bias[r] + Σ_k A[r, k]·S[offsets[k] + j] for r &lt; rows, j &lt; cols (C row-major with leading
/// dimension ldc; bias empty means 0). B is never materialized: its row k is the source read from
/// offsets[k], which covers plain rows (offsets k·ld) and a convolution's taps over a zero-padded input
/// (implicit im2col: one offset per (channel, kh, kw), no patch copy). A (the weights) is packed at build
/// time into panels of 8 rows, k-major: packedA[(r / 8)·8·depth + k·8 + r % 8], zero past the last row,
/// so each k broadcasts 8 consecutive values. Register tile: 8 rows × two Vector512 (16 accumulators),
/// 8 rows × one vector on the narrower paths. A column tail narrower than a vector recomputes the last
/// full vector (C is written, not accumulated), so the source is never read past column cols - 1.
/// <paramref name="min"/>/<paramref name="max"/>: a fused Relu/Clip, applied before C is stored.
/// </summary>
private static void GemmPanels(int rows, int cols, global::System.ReadOnlySpan<float> packedA, global::System.ReadOnlySpan<int> offsets, ref float source, ref float c, int ldc, global::System.ReadOnlySpan<float> bias, float min = float.NegativeInfinity, float max = float.PositiveInfinity)
{
    // A fused Relu/Clip is applied to the accumulators before they are stored (no second pass over C).
    bool clamp = !float.IsNegativeInfinity(min) || !float.IsPositiveInfinity(max);
    int path = FloatKernelPath, depth = offsets.Length;
    int width = path == 3 ? 16 : path == 2 ? 8 : path == 1 ? 4 : 1;
    while (width > 1 && cols < width) width >>= 1;
    ref float a = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(packedA);
    ref int o = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(offsets);
    for (int j = 0; j < cols;)
    {
        bool two = width == 16 && j + 32 <= cols;
        int j0 = j + width <= cols ? j : cols - width;
        ref float s = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref source, j0);
        // Columns outer, row panels inner: the source columns of this tile stay in L1 across all panels.
        for (int r = 0; r < rows; r += 8)
        {
            int n = global::System.Math.Min(8, rows - r);
            ref float panel = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref a, r * depth);
            ref float cTile = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref c, r * ldc + j0);
            var rowBias = bias.IsEmpty ? default : bias.Slice(r, n);
            if (two) PanelTile8x2x16(depth, ref panel, ref o, ref s, ref cTile, ldc, n, rowBias, clamp, min, max);
            else if (width == 16) PanelTile8x16(depth, ref panel, ref o, ref s, ref cTile, ldc, n, rowBias, clamp, min, max);
            else if (width == 8) PanelTile8x8(depth, ref panel, ref o, ref s, ref cTile, ldc, n, rowBias, clamp, min, max);
            else if (width == 4) PanelTile8x4(depth, ref panel, ref o, ref s, ref cTile, ldc, n, rowBias, clamp, min, max);
            else
            {
                // Scalar: the width (1 or 2, fewer columns than the narrowest vector) columns at j0.
                for (int i = 0; i < n; i++)
                    for (int jj = 0; jj < width; jj++)
                    {
                        float sum = i < rowBias.Length ? rowBias[i] : 0f;
                        for (int k = 0; k < depth; k++)
                            sum += global::System.Runtime.CompilerServices.Unsafe.Add(ref panel, k * 8 + i) * global::System.Runtime.CompilerServices.Unsafe.Add(ref s, global::System.Runtime.CompilerServices.Unsafe.Add(ref o, k) + jj);
                        global::System.Runtime.CompilerServices.Unsafe.Add(ref cTile, i * ldc + jj) = clamp ? global::System.MathF.Min(global::System.MathF.Max(sum, min), max) : sum;
                    }
            }
        }
        j += two ? 32 : width;
    }
}

/// <summary>8 rows × 2 Vector512 of columns of <see cref="GemmPanels"/>: 16 accumulators; stores only the first <paramref name="rows"/> rows.</summary>
private static void PanelTile8x2x16(int depth, ref float panel, ref int offsets, ref float source, ref float c, int ldc, int rows, global::System.ReadOnlySpan<float> bias, bool clamp, float min, float max)
{
    var c00 = global::System.Runtime.Intrinsics.Vector512.Create(0 < bias.Length ? bias[0] : 0f);
    var c01 = c00;
    var c10 = global::System.Runtime.Intrinsics.Vector512.Create(1 < bias.Length ? bias[1] : 0f);
    var c11 = c10;
    var c20 = global::System.Runtime.Intrinsics.Vector512.Create(2 < bias.Length ? bias[2] : 0f);
    var c21 = c20;
    var c30 = global::System.Runtime.Intrinsics.Vector512.Create(3 < bias.Length ? bias[3] : 0f);
    var c31 = c30;
    var c40 = global::System.Runtime.Intrinsics.Vector512.Create(4 < bias.Length ? bias[4] : 0f);
    var c41 = c40;
    var c50 = global::System.Runtime.Intrinsics.Vector512.Create(5 < bias.Length ? bias[5] : 0f);
    var c51 = c50;
    var c60 = global::System.Runtime.Intrinsics.Vector512.Create(6 < bias.Length ? bias[6] : 0f);
    var c61 = c60;
    var c70 = global::System.Runtime.Intrinsics.Vector512.Create(7 < bias.Length ? bias[7] : 0f);
    var c71 = c70;
    for (int k = 0; k < depth; k++)
    {
        ref float row = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref source, global::System.Runtime.CompilerServices.Unsafe.Add(ref offsets, k));
        ref float a = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref panel, k * 8);
        var b0 = global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref row);
        var b1 = global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref row, (nuint)16);
        var a0 = global::System.Runtime.Intrinsics.Vector512.Create(a);
        c00 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a0, b0, c00);
        c01 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a0, b1, c01);
        var a1 = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 1));
        c10 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a1, b0, c10);
        c11 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a1, b1, c11);
        var a2 = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 2));
        c20 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a2, b0, c20);
        c21 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a2, b1, c21);
        var a3 = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 3));
        c30 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a3, b0, c30);
        c31 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a3, b1, c31);
        var a4 = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 4));
        c40 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a4, b0, c40);
        c41 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a4, b1, c41);
        var a5 = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 5));
        c50 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a5, b0, c50);
        c51 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a5, b1, c51);
        var a6 = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 6));
        c60 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a6, b0, c60);
        c61 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a6, b1, c61);
        var a7 = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 7));
        c70 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a7, b0, c70);
        c71 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a7, b1, c71);
    }
    if (clamp)
    {
        var lo = global::System.Runtime.Intrinsics.Vector512.Create(min);
        var hi = global::System.Runtime.Intrinsics.Vector512.Create(max);
        c00 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c00, lo), hi);
        c01 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c01, lo), hi);
        c10 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c10, lo), hi);
        c11 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c11, lo), hi);
        c20 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c20, lo), hi);
        c21 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c21, lo), hi);
        c30 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c30, lo), hi);
        c31 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c31, lo), hi);
        c40 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c40, lo), hi);
        c41 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c41, lo), hi);
        c50 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c50, lo), hi);
        c51 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c51, lo), hi);
        c60 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c60, lo), hi);
        c61 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c61, lo), hi);
        c70 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c70, lo), hi);
        c71 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c71, lo), hi);
    }
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c00, ref c);
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c01, ref c, (nuint)(16));
    if (rows == 1) return;
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c10, ref c, (nuint)(ldc));
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c11, ref c, (nuint)(ldc + 16));
    if (rows == 2) return;
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c20, ref c, (nuint)(2 * ldc));
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c21, ref c, (nuint)(2 * ldc + 16));
    if (rows == 3) return;
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c30, ref c, (nuint)(3 * ldc));
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c31, ref c, (nuint)(3 * ldc + 16));
    if (rows == 4) return;
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c40, ref c, (nuint)(4 * ldc));
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c41, ref c, (nuint)(4 * ldc + 16));
    if (rows == 5) return;
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c50, ref c, (nuint)(5 * ldc));
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c51, ref c, (nuint)(5 * ldc + 16));
    if (rows == 6) return;
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c60, ref c, (nuint)(6 * ldc));
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c61, ref c, (nuint)(6 * ldc + 16));
    if (rows == 7) return;
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c70, ref c, (nuint)(7 * ldc));
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c71, ref c, (nuint)(7 * ldc + 16));
}

/// <summary>8 rows × 1 Vector512 of columns of <see cref="GemmPanels"/>: 8 accumulators; stores only the first <paramref name="rows"/> rows.</summary>
private static void PanelTile8x16(int depth, ref float panel, ref int offsets, ref float source, ref float c, int ldc, int rows, global::System.ReadOnlySpan<float> bias, bool clamp, float min, float max)
{
    var c00 = global::System.Runtime.Intrinsics.Vector512.Create(0 < bias.Length ? bias[0] : 0f);
    var c10 = global::System.Runtime.Intrinsics.Vector512.Create(1 < bias.Length ? bias[1] : 0f);
    var c20 = global::System.Runtime.Intrinsics.Vector512.Create(2 < bias.Length ? bias[2] : 0f);
    var c30 = global::System.Runtime.Intrinsics.Vector512.Create(3 < bias.Length ? bias[3] : 0f);
    var c40 = global::System.Runtime.Intrinsics.Vector512.Create(4 < bias.Length ? bias[4] : 0f);
    var c50 = global::System.Runtime.Intrinsics.Vector512.Create(5 < bias.Length ? bias[5] : 0f);
    var c60 = global::System.Runtime.Intrinsics.Vector512.Create(6 < bias.Length ? bias[6] : 0f);
    var c70 = global::System.Runtime.Intrinsics.Vector512.Create(7 < bias.Length ? bias[7] : 0f);
    for (int k = 0; k < depth; k++)
    {
        ref float row = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref source, global::System.Runtime.CompilerServices.Unsafe.Add(ref offsets, k));
        ref float a = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref panel, k * 8);
        var b0 = global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref row);
        var a0 = global::System.Runtime.Intrinsics.Vector512.Create(a);
        c00 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a0, b0, c00);
        var a1 = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 1));
        c10 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a1, b0, c10);
        var a2 = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 2));
        c20 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a2, b0, c20);
        var a3 = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 3));
        c30 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a3, b0, c30);
        var a4 = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 4));
        c40 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a4, b0, c40);
        var a5 = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 5));
        c50 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a5, b0, c50);
        var a6 = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 6));
        c60 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a6, b0, c60);
        var a7 = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 7));
        c70 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(a7, b0, c70);
    }
    if (clamp)
    {
        var lo = global::System.Runtime.Intrinsics.Vector512.Create(min);
        var hi = global::System.Runtime.Intrinsics.Vector512.Create(max);
        c00 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c00, lo), hi);
        c10 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c10, lo), hi);
        c20 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c20, lo), hi);
        c30 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c30, lo), hi);
        c40 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c40, lo), hi);
        c50 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c50, lo), hi);
        c60 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c60, lo), hi);
        c70 = global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(c70, lo), hi);
    }
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c00, ref c);
    if (rows == 1) return;
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c10, ref c, (nuint)(ldc));
    if (rows == 2) return;
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c20, ref c, (nuint)(2 * ldc));
    if (rows == 3) return;
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c30, ref c, (nuint)(3 * ldc));
    if (rows == 4) return;
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c40, ref c, (nuint)(4 * ldc));
    if (rows == 5) return;
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c50, ref c, (nuint)(5 * ldc));
    if (rows == 6) return;
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c60, ref c, (nuint)(6 * ldc));
    if (rows == 7) return;
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c70, ref c, (nuint)(7 * ldc));
}

/// <summary>8 rows × 1 Vector256 of columns of <see cref="GemmPanels"/>: 8 accumulators; stores only the first <paramref name="rows"/> rows.</summary>
private static void PanelTile8x8(int depth, ref float panel, ref int offsets, ref float source, ref float c, int ldc, int rows, global::System.ReadOnlySpan<float> bias, bool clamp, float min, float max)
{
    var c00 = global::System.Runtime.Intrinsics.Vector256.Create(0 < bias.Length ? bias[0] : 0f);
    var c10 = global::System.Runtime.Intrinsics.Vector256.Create(1 < bias.Length ? bias[1] : 0f);
    var c20 = global::System.Runtime.Intrinsics.Vector256.Create(2 < bias.Length ? bias[2] : 0f);
    var c30 = global::System.Runtime.Intrinsics.Vector256.Create(3 < bias.Length ? bias[3] : 0f);
    var c40 = global::System.Runtime.Intrinsics.Vector256.Create(4 < bias.Length ? bias[4] : 0f);
    var c50 = global::System.Runtime.Intrinsics.Vector256.Create(5 < bias.Length ? bias[5] : 0f);
    var c60 = global::System.Runtime.Intrinsics.Vector256.Create(6 < bias.Length ? bias[6] : 0f);
    var c70 = global::System.Runtime.Intrinsics.Vector256.Create(7 < bias.Length ? bias[7] : 0f);
    for (int k = 0; k < depth; k++)
    {
        ref float row = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref source, global::System.Runtime.CompilerServices.Unsafe.Add(ref offsets, k));
        ref float a = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref panel, k * 8);
        var b0 = global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref row);
        var a0 = global::System.Runtime.Intrinsics.Vector256.Create(a);
        c00 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(a0, b0, c00);
        var a1 = global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 1));
        c10 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(a1, b0, c10);
        var a2 = global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 2));
        c20 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(a2, b0, c20);
        var a3 = global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 3));
        c30 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(a3, b0, c30);
        var a4 = global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 4));
        c40 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(a4, b0, c40);
        var a5 = global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 5));
        c50 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(a5, b0, c50);
        var a6 = global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 6));
        c60 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(a6, b0, c60);
        var a7 = global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 7));
        c70 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(a7, b0, c70);
    }
    if (clamp)
    {
        var lo = global::System.Runtime.Intrinsics.Vector256.Create(min);
        var hi = global::System.Runtime.Intrinsics.Vector256.Create(max);
        c00 = global::System.Runtime.Intrinsics.Vector256.Min(global::System.Runtime.Intrinsics.Vector256.Max(c00, lo), hi);
        c10 = global::System.Runtime.Intrinsics.Vector256.Min(global::System.Runtime.Intrinsics.Vector256.Max(c10, lo), hi);
        c20 = global::System.Runtime.Intrinsics.Vector256.Min(global::System.Runtime.Intrinsics.Vector256.Max(c20, lo), hi);
        c30 = global::System.Runtime.Intrinsics.Vector256.Min(global::System.Runtime.Intrinsics.Vector256.Max(c30, lo), hi);
        c40 = global::System.Runtime.Intrinsics.Vector256.Min(global::System.Runtime.Intrinsics.Vector256.Max(c40, lo), hi);
        c50 = global::System.Runtime.Intrinsics.Vector256.Min(global::System.Runtime.Intrinsics.Vector256.Max(c50, lo), hi);
        c60 = global::System.Runtime.Intrinsics.Vector256.Min(global::System.Runtime.Intrinsics.Vector256.Max(c60, lo), hi);
        c70 = global::System.Runtime.Intrinsics.Vector256.Min(global::System.Runtime.Intrinsics.Vector256.Max(c70, lo), hi);
    }
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c00, ref c);
    if (rows == 1) return;
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c10, ref c, (nuint)(ldc));
    if (rows == 2) return;
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c20, ref c, (nuint)(2 * ldc));
    if (rows == 3) return;
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c30, ref c, (nuint)(3 * ldc));
    if (rows == 4) return;
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c40, ref c, (nuint)(4 * ldc));
    if (rows == 5) return;
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c50, ref c, (nuint)(5 * ldc));
    if (rows == 6) return;
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c60, ref c, (nuint)(6 * ldc));
    if (rows == 7) return;
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c70, ref c, (nuint)(7 * ldc));
}

/// <summary>8 rows × 1 Vector128 of columns of <see cref="GemmPanels"/>: 8 accumulators; stores only the first <paramref name="rows"/> rows.</summary>
private static void PanelTile8x4(int depth, ref float panel, ref int offsets, ref float source, ref float c, int ldc, int rows, global::System.ReadOnlySpan<float> bias, bool clamp, float min, float max)
{
    var c00 = global::System.Runtime.Intrinsics.Vector128.Create(0 < bias.Length ? bias[0] : 0f);
    var c10 = global::System.Runtime.Intrinsics.Vector128.Create(1 < bias.Length ? bias[1] : 0f);
    var c20 = global::System.Runtime.Intrinsics.Vector128.Create(2 < bias.Length ? bias[2] : 0f);
    var c30 = global::System.Runtime.Intrinsics.Vector128.Create(3 < bias.Length ? bias[3] : 0f);
    var c40 = global::System.Runtime.Intrinsics.Vector128.Create(4 < bias.Length ? bias[4] : 0f);
    var c50 = global::System.Runtime.Intrinsics.Vector128.Create(5 < bias.Length ? bias[5] : 0f);
    var c60 = global::System.Runtime.Intrinsics.Vector128.Create(6 < bias.Length ? bias[6] : 0f);
    var c70 = global::System.Runtime.Intrinsics.Vector128.Create(7 < bias.Length ? bias[7] : 0f);
    for (int k = 0; k < depth; k++)
    {
        ref float row = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref source, global::System.Runtime.CompilerServices.Unsafe.Add(ref offsets, k));
        ref float a = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref panel, k * 8);
        var b0 = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref row);
        var a0 = global::System.Runtime.Intrinsics.Vector128.Create(a);
        c00 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(a0, b0, c00);
        var a1 = global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 1));
        c10 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(a1, b0, c10);
        var a2 = global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 2));
        c20 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(a2, b0, c20);
        var a3 = global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 3));
        c30 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(a3, b0, c30);
        var a4 = global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 4));
        c40 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(a4, b0, c40);
        var a5 = global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 5));
        c50 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(a5, b0, c50);
        var a6 = global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 6));
        c60 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(a6, b0, c60);
        var a7 = global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref a, 7));
        c70 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(a7, b0, c70);
    }
    if (clamp)
    {
        var lo = global::System.Runtime.Intrinsics.Vector128.Create(min);
        var hi = global::System.Runtime.Intrinsics.Vector128.Create(max);
        c00 = global::System.Runtime.Intrinsics.Vector128.Min(global::System.Runtime.Intrinsics.Vector128.Max(c00, lo), hi);
        c10 = global::System.Runtime.Intrinsics.Vector128.Min(global::System.Runtime.Intrinsics.Vector128.Max(c10, lo), hi);
        c20 = global::System.Runtime.Intrinsics.Vector128.Min(global::System.Runtime.Intrinsics.Vector128.Max(c20, lo), hi);
        c30 = global::System.Runtime.Intrinsics.Vector128.Min(global::System.Runtime.Intrinsics.Vector128.Max(c30, lo), hi);
        c40 = global::System.Runtime.Intrinsics.Vector128.Min(global::System.Runtime.Intrinsics.Vector128.Max(c40, lo), hi);
        c50 = global::System.Runtime.Intrinsics.Vector128.Min(global::System.Runtime.Intrinsics.Vector128.Max(c50, lo), hi);
        c60 = global::System.Runtime.Intrinsics.Vector128.Min(global::System.Runtime.Intrinsics.Vector128.Max(c60, lo), hi);
        c70 = global::System.Runtime.Intrinsics.Vector128.Min(global::System.Runtime.Intrinsics.Vector128.Max(c70, lo), hi);
    }
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c00, ref c);
    if (rows == 1) return;
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c10, ref c, (nuint)(ldc));
    if (rows == 2) return;
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c20, ref c, (nuint)(2 * ldc));
    if (rows == 3) return;
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c30, ref c, (nuint)(3 * ldc));
    if (rows == 4) return;
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c40, ref c, (nuint)(4 * ldc));
    if (rows == 5) return;
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c50, ref c, (nuint)(5 * ldc));
    if (rows == 6) return;
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c60, ref c, (nuint)(6 * ldc));
    if (rows == 7) return;
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c70, ref c, (nuint)(7 * ldc));
}

/// <summary>One row of C × 8 vectors of columns (128): eight independent accumulators for a row-times-matrix product.</summary>
private static void GemmRow8x16(int depth, ref float a, ref float b, int ldb, ref float c, float bias, bool skipZeroA)
{
    var c0 = global::System.Runtime.Intrinsics.Vector512.Create(bias);
    var c1 = c0;
    var c2 = c0;
    var c3 = c0;
    var c4 = c0;
    var c5 = c0;
    var c6 = c0;
    var c7 = c0;
    for (int k = 0; k < depth; k++)
    {
        float ak = global::System.Runtime.CompilerServices.Unsafe.Add(ref a, k);
        if (skipZeroA && ak == 0f) continue;
        ref float bRow = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref b, k * ldb);
        var s = global::System.Runtime.Intrinsics.Vector512.Create(ak);
        c0 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref bRow), c0);
        c1 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref bRow, (nuint)16), c1);
        c2 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref bRow, (nuint)32), c2);
        c3 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref bRow, (nuint)48), c3);
        c4 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref bRow, (nuint)64), c4);
        c5 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref bRow, (nuint)80), c5);
        c6 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref bRow, (nuint)96), c6);
        c7 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref bRow, (nuint)112), c7);
    }
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c0, ref c);
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c1, ref c, (nuint)16);
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c2, ref c, (nuint)32);
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c3, ref c, (nuint)48);
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c4, ref c, (nuint)64);
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c5, ref c, (nuint)80);
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c6, ref c, (nuint)96);
    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(c7, ref c, (nuint)112);
}

/// <summary>One row of C × 8 vectors of columns (64): eight independent accumulators for a row-times-matrix product.</summary>
private static void GemmRow8x8(int depth, ref float a, ref float b, int ldb, ref float c, float bias, bool skipZeroA)
{
    var c0 = global::System.Runtime.Intrinsics.Vector256.Create(bias);
    var c1 = c0;
    var c2 = c0;
    var c3 = c0;
    var c4 = c0;
    var c5 = c0;
    var c6 = c0;
    var c7 = c0;
    for (int k = 0; k < depth; k++)
    {
        float ak = global::System.Runtime.CompilerServices.Unsafe.Add(ref a, k);
        if (skipZeroA && ak == 0f) continue;
        ref float bRow = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref b, k * ldb);
        var s = global::System.Runtime.Intrinsics.Vector256.Create(ak);
        c0 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref bRow), c0);
        c1 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref bRow, (nuint)8), c1);
        c2 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref bRow, (nuint)16), c2);
        c3 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref bRow, (nuint)24), c3);
        c4 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref bRow, (nuint)32), c4);
        c5 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref bRow, (nuint)40), c5);
        c6 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref bRow, (nuint)48), c6);
        c7 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref bRow, (nuint)56), c7);
    }
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c0, ref c);
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c1, ref c, (nuint)8);
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c2, ref c, (nuint)16);
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c3, ref c, (nuint)24);
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c4, ref c, (nuint)32);
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c5, ref c, (nuint)40);
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c6, ref c, (nuint)48);
    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(c7, ref c, (nuint)56);
}

/// <summary>One row of C × 8 vectors of columns (32): eight independent accumulators for a row-times-matrix product.</summary>
private static void GemmRow8x4(int depth, ref float a, ref float b, int ldb, ref float c, float bias, bool skipZeroA)
{
    var c0 = global::System.Runtime.Intrinsics.Vector128.Create(bias);
    var c1 = c0;
    var c2 = c0;
    var c3 = c0;
    var c4 = c0;
    var c5 = c0;
    var c6 = c0;
    var c7 = c0;
    for (int k = 0; k < depth; k++)
    {
        float ak = global::System.Runtime.CompilerServices.Unsafe.Add(ref a, k);
        if (skipZeroA && ak == 0f) continue;
        ref float bRow = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref b, k * ldb);
        var s = global::System.Runtime.Intrinsics.Vector128.Create(ak);
        c0 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref bRow), c0);
        c1 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref bRow, (nuint)4), c1);
        c2 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref bRow, (nuint)8), c2);
        c3 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref bRow, (nuint)12), c3);
        c4 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref bRow, (nuint)16), c4);
        c5 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref bRow, (nuint)20), c5);
        c6 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref bRow, (nuint)24), c6);
        c7 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(s, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref bRow, (nuint)28), c7);
    }
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c0, ref c);
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c1, ref c, (nuint)4);
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c2, ref c, (nuint)8);
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c3, ref c, (nuint)12);
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c4, ref c, (nuint)16);
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c5, ref c, (nuint)20);
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c6, ref c, (nuint)24);
    global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(c7, ref c, (nuint)28);
}

/// <summary>Σ x[i]: vector partial sums (independent lanes instead of one serial chain of adds), scalar tail.</summary>
private static float SumOf(global::System.ReadOnlySpan<float> x)
{
    int path = FloatKernelPath, i = 0, n = x.Length;
    ref float r = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
    float sum = 0f;
    if (path == 3 && n >= 16)
    {
        var acc = global::System.Runtime.Intrinsics.Vector512<float>.Zero;
        for (; i + 16 <= n; i += 16) acc += global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref r, (nuint)i);
        sum = global::System.Runtime.Intrinsics.Vector512.Sum(acc);
    }
    else if (path >= 2 && n >= 8)
    {
        var acc = global::System.Runtime.Intrinsics.Vector256<float>.Zero;
        for (; i + 8 <= n; i += 8) acc += global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref r, (nuint)i);
        sum = global::System.Runtime.Intrinsics.Vector256.Sum(acc);
    }
    else if (path >= 1 && n >= 4)
    {
        var acc = global::System.Runtime.Intrinsics.Vector128<float>.Zero;
        for (; i + 4 <= n; i += 4) acc += global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref r, (nuint)i);
        sum = global::System.Runtime.Intrinsics.Vector128.Sum(acc);
    }
    for (; i < n; i++) sum += global::System.Runtime.CompilerServices.Unsafe.Add(ref r, i);
    return sum;
}

/// <summary>y[i] = Min(Max(x[i], min), max) (Relu, Clip); NaN stays NaN as with MathF. x and y may be the same memory.</summary>
private static void Clamp(global::System.ReadOnlySpan<float> x, global::System.Span<float> y, float min, float max)
{
    int path = FloatKernelPath, i = 0, n = global::System.Math.Min(x.Length, y.Length);
    ref float s = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
    ref float r = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
    if (path == 3)
    {
        var lo = global::System.Runtime.Intrinsics.Vector512.Create(min);
        var hi = global::System.Runtime.Intrinsics.Vector512.Create(max);
        for (; i + 16 <= n; i += 16)
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref s, (nuint)i), lo), hi), ref r, (nuint)i);
    }
    if (path >= 2)
    {
        var lo = global::System.Runtime.Intrinsics.Vector256.Create(min);
        var hi = global::System.Runtime.Intrinsics.Vector256.Create(max);
        for (; i + 8 <= n; i += 8)
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.Min(global::System.Runtime.Intrinsics.Vector256.Max(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref s, (nuint)i), lo), hi), ref r, (nuint)i);
    }
    if (path >= 1)
    {
        var lo = global::System.Runtime.Intrinsics.Vector128.Create(min);
        var hi = global::System.Runtime.Intrinsics.Vector128.Create(max);
        for (; i + 4 <= n; i += 4)
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector128.Min(global::System.Runtime.Intrinsics.Vector128.Max(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref s, (nuint)i), lo), hi), ref r, (nuint)i);
    }
    for (; i < n; i++) global::System.Runtime.CompilerServices.Unsafe.Add(ref r, i) = global::System.MathF.Min(global::System.MathF.Max(global::System.Runtime.CompilerServices.Unsafe.Add(ref s, i), min), max);
}

/// <summary>
/// dst[dstStart + r·dstStride + j] = src[srcStart + r·srcStride + j·step] for r &lt; rows, j &lt; count: rows
/// copied into or out of a padded (or stride-phase) plane. Bounds are checked once for the whole block,
/// then plain loops (inline vector row copies when rows are contiguous and at least 8 wide).
/// </summary>
private static void CopyRows(global::System.ReadOnlySpan<float> src, int srcStart, int srcStride, int step, global::System.Span<float> dst, int dstStart, int dstStride, int rows, int count)
{
    if (rows <= 0 || count <= 0) return;
    if (srcStart < 0 || dstStart < 0 || (long)srcStart + (long)(rows - 1) * srcStride + (long)(count - 1) * step >= src.Length || (long)dstStart + (long)(rows - 1) * dstStride + count > dst.Length)
        throw new global::System.ArgumentOutOfRangeException(nameof(rows));
    ref float s = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(src), srcStart);
    ref float d = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(dst), dstStart);
    int path = FloatKernelPath;
    if (step == 1 && count >= 8 && path >= 2)
    {
        // Contiguous rows (src and dst never overlap): vector copies inline, the last vector of a row
        // re-copying a few values instead of a scalar tail; no per-row call.
        for (int r = 0; r < rows; r++)
        {
            ref float sRow = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref s, r * srcStride);
            ref float dRow = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref d, r * dstStride);
            if (path == 3 && count >= 16)
            {
                for (int j = 0; j < count; j += 16)
                {
                    int at = j + 16 <= count ? j : count - 16;
                    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref sRow, (nuint)at), ref dRow, (nuint)at);
                }
            }
            else
            {
                for (int j = 0; j < count; j += 8)
                {
                    int at = j + 8 <= count ? j : count - 8;
                    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref sRow, (nuint)at), ref dRow, (nuint)at);
                }
            }
        }
        return;
    }
    for (int r = 0; r < rows; r++)
    {
        ref float sRow = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref s, r * srcStride);
        ref float dRow = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref d, r * dstStride);
        int j = 0;
        // Stride 2 (a stride-2 layer's phase planes): every other value of two vectors, gathered by one
        // permute each; only while both loads stay inside src (reading past the row end is harmless).
        long rowStart = srcStart + (long)r * srcStride;
        if (step == 2 && path == 3)
        {
            var pick = global::System.Runtime.Intrinsics.Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
            for (; j + 16 <= count && rowStart + 2L * j + 32 <= src.Length; j += 16)
            {
                var lo = global::System.Runtime.Intrinsics.Vector512.Shuffle(global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref sRow, (nuint)(2 * j)), pick);
                var hi = global::System.Runtime.Intrinsics.Vector512.Shuffle(global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref sRow, (nuint)(2 * j + 16)), pick);
                global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.Intrinsics.Vector512.GetLower(lo), global::System.Runtime.Intrinsics.Vector512.GetLower(hi)), ref dRow, (nuint)j);
            }
        }
        if (step == 2 && path >= 2)
        {
            var pick = global::System.Runtime.Intrinsics.Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
            for (; j + 8 <= count && rowStart + 2L * j + 16 <= src.Length; j += 8)
            {
                var lo = global::System.Runtime.Intrinsics.Vector256.Shuffle(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref sRow, (nuint)(2 * j)), pick);
                var hi = global::System.Runtime.Intrinsics.Vector256.Shuffle(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref sRow, (nuint)(2 * j + 8)), pick);
                global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.Intrinsics.Vector256.GetLower(lo), global::System.Runtime.Intrinsics.Vector256.GetLower(hi)), ref dRow, (nuint)j);
            }
        }
        for (; j < count; j++) global::System.Runtime.CompilerServices.Unsafe.Add(ref dRow, j) = global::System.Runtime.CompilerServices.Unsafe.Add(ref sRow, j * step);
    }
}

/// <summary><see cref="CopyRows"/> with unit step and Min(Max(v, min), max) applied (a fused Relu / Clip on the way out).</summary>
private static void CopyRowsClamped(global::System.ReadOnlySpan<float> src, int srcStart, int srcStride, global::System.Span<float> dst, int dstStart, int dstStride, int rows, int count, float min, float max)
{
    if (rows <= 0 || count <= 0) return;
    if (srcStart < 0 || dstStart < 0 || (long)srcStart + (long)(rows - 1) * srcStride + count > src.Length || (long)dstStart + (long)(rows - 1) * dstStride + count > dst.Length)
        throw new global::System.ArgumentOutOfRangeException(nameof(rows));
    ref float s = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(src), srcStart);
    ref float d = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(dst), dstStart);
    int path = FloatKernelPath;
    if (count >= 8 && path >= 2)
    {
        // As CopyRows: inline vector rows, the last vector overlapping (clamping twice gives the same value).
        var lo16 = global::System.Runtime.Intrinsics.Vector512.Create(min);
        var hi16 = global::System.Runtime.Intrinsics.Vector512.Create(max);
        var lo8 = global::System.Runtime.Intrinsics.Vector256.Create(min);
        var hi8 = global::System.Runtime.Intrinsics.Vector256.Create(max);
        for (int r = 0; r < rows; r++)
        {
            ref float sRow = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref s, r * srcStride);
            ref float dRow = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref d, r * dstStride);
            if (path == 3 && count >= 16)
            {
                for (int j = 0; j < count; j += 16)
                {
                    int at = j + 16 <= count ? j : count - 16;
                    global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref sRow, (nuint)at), lo16), hi16), ref dRow, (nuint)at);
                }
            }
            else
            {
                for (int j = 0; j < count; j += 8)
                {
                    int at = j + 8 <= count ? j : count - 8;
                    global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.Min(global::System.Runtime.Intrinsics.Vector256.Max(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref sRow, (nuint)at), lo8), hi8), ref dRow, (nuint)at);
                }
            }
        }
        return;
    }
    for (int r = 0; r < rows; r++)
    {
        ref float sRow = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref s, r * srcStride);
        ref float dRow = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref d, r * dstStride);
        for (int j = 0; j < count; j++) global::System.Runtime.CompilerServices.Unsafe.Add(ref dRow, j) = global::System.MathF.Min(global::System.MathF.Max(global::System.Runtime.CompilerServices.Unsafe.Add(ref sRow, j), min), max);
    }
}

/// <summary>
/// y[i] = bias + Σ_t taps[t]·(x[i + offsets[t]] AND masks[maskRows[t]·n + i]) for i &lt; n: a depthwise channel of
/// narrow rows read in place (row stride = output width, zero rows above and below, no zero columns).
/// A tap whose column falls off the row would read the neighbouring row; its mask lanes there are all
/// zero bits (the value becomes +0 whatever it was, even infinity or NaN), elsewhere all one bits.
/// Four vectors of outputs per pass; a tail narrower than a vector recomputes the last full vector.
/// </summary>
private static void DepthwiseMasked(ref float x, ref float y, int n, global::System.ReadOnlySpan<int> offsets, global::System.ReadOnlySpan<int> maskRows, global::System.ReadOnlySpan<int> masks, global::System.ReadOnlySpan<float> taps, float bias)
{
    int path = FloatKernelPath, count = global::System.Math.Min(taps.Length, global::System.Math.Min(offsets.Length, maskRows.Length));
    ref int o = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(offsets);
    ref int mr = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(maskRows);
    ref float w = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(taps);
    ref float mask = ref global::System.Runtime.CompilerServices.Unsafe.As<int, float>(ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(masks));
    if (path == 3 && n >= 16)
    {
        int i = 0;
        for (; i + 64 <= n; i += 64)
        {
            var a0 = global::System.Runtime.Intrinsics.Vector512.Create(bias);
            var a1 = a0;
            var a2 = a0;
            var a3 = a0;
            for (int t = 0; t < count; t++)
            {
                var tap = global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref w, t));
                ref float s = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref x, i + global::System.Runtime.CompilerServices.Unsafe.Add(ref o, t));
                ref float m = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref mask, global::System.Runtime.CompilerServices.Unsafe.Add(ref mr, t) * n + i);
                a0 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref s) & global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref m), a0);
                a1 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref s, (nuint)16) & global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref m, (nuint)16), a1);
                a2 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref s, (nuint)32) & global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref m, (nuint)32), a2);
                a3 = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref s, (nuint)48) & global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref m, (nuint)48), a3);
            }
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(a0, ref y, (nuint)(i));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(a1, ref y, (nuint)(i + 16));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(a2, ref y, (nuint)(i + 32));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(a3, ref y, (nuint)(i + 48));
        }
        for (; i < n; i += 16)
        {
            int at = i + 16 <= n ? i : n - 16;
            var acc = global::System.Runtime.Intrinsics.Vector512.Create(bias);
            for (int t = 0; t < count; t++)
                acc = global::System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector512.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref w, t)), global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref x, (nuint)(at + global::System.Runtime.CompilerServices.Unsafe.Add(ref o, t))) & global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref mask, (nuint)(global::System.Runtime.CompilerServices.Unsafe.Add(ref mr, t) * n + at)), acc);
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(acc, ref y, (nuint)at);
        }
        return;
    }
    if (path >= 2 && n >= 8)
    {
        int i = 0;
        for (; i + 32 <= n; i += 32)
        {
            var a0 = global::System.Runtime.Intrinsics.Vector256.Create(bias);
            var a1 = a0;
            var a2 = a0;
            var a3 = a0;
            for (int t = 0; t < count; t++)
            {
                var tap = global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref w, t));
                ref float s = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref x, i + global::System.Runtime.CompilerServices.Unsafe.Add(ref o, t));
                ref float m = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref mask, global::System.Runtime.CompilerServices.Unsafe.Add(ref mr, t) * n + i);
                a0 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref s) & global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref m), a0);
                a1 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref s, (nuint)8) & global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref m, (nuint)8), a1);
                a2 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref s, (nuint)16) & global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref m, (nuint)16), a2);
                a3 = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref s, (nuint)24) & global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref m, (nuint)24), a3);
            }
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(a0, ref y, (nuint)(i));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(a1, ref y, (nuint)(i + 8));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(a2, ref y, (nuint)(i + 16));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(a3, ref y, (nuint)(i + 24));
        }
        for (; i < n; i += 8)
        {
            int at = i + 8 <= n ? i : n - 8;
            var acc = global::System.Runtime.Intrinsics.Vector256.Create(bias);
            for (int t = 0; t < count; t++)
                acc = global::System.Runtime.Intrinsics.Vector256.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector256.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref w, t)), global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref x, (nuint)(at + global::System.Runtime.CompilerServices.Unsafe.Add(ref o, t))) & global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref mask, (nuint)(global::System.Runtime.CompilerServices.Unsafe.Add(ref mr, t) * n + at)), acc);
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(acc, ref y, (nuint)at);
        }
        return;
    }
    if (path >= 1 && n >= 4)
    {
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var a0 = global::System.Runtime.Intrinsics.Vector128.Create(bias);
            var a1 = a0;
            var a2 = a0;
            var a3 = a0;
            for (int t = 0; t < count; t++)
            {
                var tap = global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref w, t));
                ref float s = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref x, i + global::System.Runtime.CompilerServices.Unsafe.Add(ref o, t));
                ref float m = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref mask, global::System.Runtime.CompilerServices.Unsafe.Add(ref mr, t) * n + i);
                a0 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref s) & global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref m), a0);
                a1 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref s, (nuint)4) & global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref m, (nuint)4), a1);
                a2 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref s, (nuint)8) & global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref m, (nuint)8), a2);
                a3 = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(tap, global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref s, (nuint)12) & global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref m, (nuint)12), a3);
            }
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(a0, ref y, (nuint)(i));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(a1, ref y, (nuint)(i + 4));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(a2, ref y, (nuint)(i + 8));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(a3, ref y, (nuint)(i + 12));
        }
        for (; i < n; i += 4)
        {
            int at = i + 4 <= n ? i : n - 4;
            var acc = global::System.Runtime.Intrinsics.Vector128.Create(bias);
            for (int t = 0; t < count; t++)
                acc = global::System.Runtime.Intrinsics.Vector128.FusedMultiplyAdd(global::System.Runtime.Intrinsics.Vector128.Create(global::System.Runtime.CompilerServices.Unsafe.Add(ref w, t)), global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref x, (nuint)(at + global::System.Runtime.CompilerServices.Unsafe.Add(ref o, t))) & global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref mask, (nuint)(global::System.Runtime.CompilerServices.Unsafe.Add(ref mr, t) * n + at)), acc);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(acc, ref y, (nuint)at);
        }
        return;
    }
    for (int i = 0; i < n; i++)
    {
        float sum = bias;
        for (int t = 0; t < count; t++)
            if (global::System.Runtime.CompilerServices.Unsafe.As<float, int>(ref global::System.Runtime.CompilerServices.Unsafe.Add(ref mask, global::System.Runtime.CompilerServices.Unsafe.Add(ref mr, t) * n + i)) != 0) sum += global::System.Runtime.CompilerServices.Unsafe.Add(ref w, t) * global::System.Runtime.CompilerServices.Unsafe.Add(ref x, i + global::System.Runtime.CompilerServices.Unsafe.Add(ref o, t));
        global::System.Runtime.CompilerServices.Unsafe.Add(ref y, i) = sum;
    }
}

/// <summary>row[j] = Min(Max(row[j] + bias[j], min), max) for j &lt; row.Length (a Gemm's C row broadcast plus a fused Relu / Clip, or none with ±infinity).</summary>
private static void AddRowClamp(global::System.Span<float> row, global::System.ReadOnlySpan<float> bias, float min, float max)
{
    int path = FloatKernelPath, j = 0, n = global::System.Math.Min(row.Length, bias.Length);
    ref float r = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(row);
    ref float c = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(bias);
    if (path == 3)
    {
        var lo = global::System.Runtime.Intrinsics.Vector512.Create(min);
        var hi = global::System.Runtime.Intrinsics.Vector512.Create(max);
        for (; j + 16 <= n; j += 16)
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref r, (nuint)j) + global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref c, (nuint)j), lo), hi), ref r, (nuint)j);
    }
    if (path >= 2)
    {
        var lo = global::System.Runtime.Intrinsics.Vector256.Create(min);
        var hi = global::System.Runtime.Intrinsics.Vector256.Create(max);
        for (; j + 8 <= n; j += 8)
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.Min(global::System.Runtime.Intrinsics.Vector256.Max(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref r, (nuint)j) + global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref c, (nuint)j), lo), hi), ref r, (nuint)j);
    }
    if (path >= 1)
    {
        var lo = global::System.Runtime.Intrinsics.Vector128.Create(min);
        var hi = global::System.Runtime.Intrinsics.Vector128.Create(max);
        for (; j + 4 <= n; j += 4)
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector128.Min(global::System.Runtime.Intrinsics.Vector128.Max(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref r, (nuint)j) + global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref c, (nuint)j), lo), hi), ref r, (nuint)j);
    }
    for (; j < n; j++) global::System.Runtime.CompilerServices.Unsafe.Add(ref r, j) = global::System.MathF.Min(global::System.MathF.Max(global::System.Runtime.CompilerServices.Unsafe.Add(ref r, j) + global::System.Runtime.CompilerServices.Unsafe.Add(ref c, j), min), max);
}

/// <summary>
/// Three interleaved channels to three planes (an NHWC → NCHW Transpose of RGB input): y[c·pixels + p] = x[3p + c].
/// A vector step loads the 3 vectors that hold its pixels and builds each channel's vector from
/// three constant shuffles (lanes a vector does not hold come out zero) joined by bitwise or.
/// </summary>
private static void PixelsToPlanes3(ref float x, ref float y, int pixels)
{
    int path = FloatKernelPath, p = 0;
    ref float y1 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref y, pixels);
    ref float y2 = ref global::System.Runtime.CompilerServices.Unsafe.Add(ref y, 2 * pixels);
    if (path == 3)
    {
        for (; p + 16 <= pixels; p += 16)
        {
            var v0 = global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref x, (nuint)(3 * p));
            var v1 = global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref x, (nuint)(3 * p + 16));
            var v2 = global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref x, (nuint)(3 * p + 32));
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(global::System.Runtime.Intrinsics.Vector512.Shuffle(v0, global::System.Runtime.Intrinsics.Vector512.Create(0, 3, 6, 9, 12, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1))
                | global::System.Runtime.Intrinsics.Vector512.Shuffle(v1, global::System.Runtime.Intrinsics.Vector512.Create(-1, -1, -1, -1, -1, -1, 2, 5, 8, 11, 14, -1, -1, -1, -1, -1))
                | global::System.Runtime.Intrinsics.Vector512.Shuffle(v2, global::System.Runtime.Intrinsics.Vector512.Create(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1, 4, 7, 10, 13)), ref y, (nuint)p);
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(global::System.Runtime.Intrinsics.Vector512.Shuffle(v0, global::System.Runtime.Intrinsics.Vector512.Create(1, 4, 7, 10, 13, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1))
                | global::System.Runtime.Intrinsics.Vector512.Shuffle(v1, global::System.Runtime.Intrinsics.Vector512.Create(-1, -1, -1, -1, -1, 0, 3, 6, 9, 12, 15, -1, -1, -1, -1, -1))
                | global::System.Runtime.Intrinsics.Vector512.Shuffle(v2, global::System.Runtime.Intrinsics.Vector512.Create(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 2, 5, 8, 11, 14)), ref y1, (nuint)p);
            global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(global::System.Runtime.Intrinsics.Vector512.Shuffle(v0, global::System.Runtime.Intrinsics.Vector512.Create(2, 5, 8, 11, 14, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1))
                | global::System.Runtime.Intrinsics.Vector512.Shuffle(v1, global::System.Runtime.Intrinsics.Vector512.Create(-1, -1, -1, -1, -1, 1, 4, 7, 10, 13, -1, -1, -1, -1, -1, -1))
                | global::System.Runtime.Intrinsics.Vector512.Shuffle(v2, global::System.Runtime.Intrinsics.Vector512.Create(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 3, 6, 9, 12, 15)), ref y2, (nuint)p);
        }
    }
    else if (path == 2)
    {
        for (; p + 8 <= pixels; p += 8)
        {
            var v0 = global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref x, (nuint)(3 * p));
            var v1 = global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref x, (nuint)(3 * p + 8));
            var v2 = global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref x, (nuint)(3 * p + 16));
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.Shuffle(v0, global::System.Runtime.Intrinsics.Vector256.Create(0, 3, 6, -1, -1, -1, -1, -1))
                | global::System.Runtime.Intrinsics.Vector256.Shuffle(v1, global::System.Runtime.Intrinsics.Vector256.Create(-1, -1, -1, 1, 4, 7, -1, -1))
                | global::System.Runtime.Intrinsics.Vector256.Shuffle(v2, global::System.Runtime.Intrinsics.Vector256.Create(-1, -1, -1, -1, -1, -1, 2, 5)), ref y, (nuint)p);
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.Shuffle(v0, global::System.Runtime.Intrinsics.Vector256.Create(1, 4, 7, -1, -1, -1, -1, -1))
                | global::System.Runtime.Intrinsics.Vector256.Shuffle(v1, global::System.Runtime.Intrinsics.Vector256.Create(-1, -1, -1, 2, 5, -1, -1, -1))
                | global::System.Runtime.Intrinsics.Vector256.Shuffle(v2, global::System.Runtime.Intrinsics.Vector256.Create(-1, -1, -1, -1, -1, 0, 3, 6)), ref y1, (nuint)p);
            global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.Shuffle(v0, global::System.Runtime.Intrinsics.Vector256.Create(2, 5, -1, -1, -1, -1, -1, -1))
                | global::System.Runtime.Intrinsics.Vector256.Shuffle(v1, global::System.Runtime.Intrinsics.Vector256.Create(-1, -1, 0, 3, 6, -1, -1, -1))
                | global::System.Runtime.Intrinsics.Vector256.Shuffle(v2, global::System.Runtime.Intrinsics.Vector256.Create(-1, -1, -1, -1, -1, 1, 4, 7)), ref y2, (nuint)p);
        }
    }
    else if (path == 1)
    {
        for (; p + 4 <= pixels; p += 4)
        {
            var v0 = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref x, (nuint)(3 * p));
            var v1 = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref x, (nuint)(3 * p + 4));
            var v2 = global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref x, (nuint)(3 * p + 8));
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector128.Shuffle(v0, global::System.Runtime.Intrinsics.Vector128.Create(0, 3, -1, -1))
                | global::System.Runtime.Intrinsics.Vector128.Shuffle(v1, global::System.Runtime.Intrinsics.Vector128.Create(-1, -1, 2, -1))
                | global::System.Runtime.Intrinsics.Vector128.Shuffle(v2, global::System.Runtime.Intrinsics.Vector128.Create(-1, -1, -1, 1)), ref y, (nuint)p);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector128.Shuffle(v0, global::System.Runtime.Intrinsics.Vector128.Create(1, -1, -1, -1))
                | global::System.Runtime.Intrinsics.Vector128.Shuffle(v1, global::System.Runtime.Intrinsics.Vector128.Create(-1, 0, 3, -1))
                | global::System.Runtime.Intrinsics.Vector128.Shuffle(v2, global::System.Runtime.Intrinsics.Vector128.Create(-1, -1, -1, 2)), ref y1, (nuint)p);
            global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector128.Shuffle(v0, global::System.Runtime.Intrinsics.Vector128.Create(2, -1, -1, -1))
                | global::System.Runtime.Intrinsics.Vector128.Shuffle(v1, global::System.Runtime.Intrinsics.Vector128.Create(-1, 1, -1, -1))
                | global::System.Runtime.Intrinsics.Vector128.Shuffle(v2, global::System.Runtime.Intrinsics.Vector128.Create(-1, -1, 0, 3)), ref y2, (nuint)p);
        }
    }
    for (; p < pixels; p++)
    {
        global::System.Runtime.CompilerServices.Unsafe.Add(ref y, p) = global::System.Runtime.CompilerServices.Unsafe.Add(ref x, 3 * p);
        global::System.Runtime.CompilerServices.Unsafe.Add(ref y1, p) = global::System.Runtime.CompilerServices.Unsafe.Add(ref x, 3 * p + 1);
        global::System.Runtime.CompilerServices.Unsafe.Add(ref y2, p) = global::System.Runtime.CompilerServices.Unsafe.Add(ref x, 3 * p + 2);
    }
}

/// <summary>
/// y[i] = a[i] + b[i], clamped to [min, max] when <paramref name="clamp"/> (a residual Add with its
/// Relu/Clip fused); NaN stays NaN as with MathF. y may be the same memory as a or b (element i is
/// read before it is written).
/// </summary>
private static void AddClamp(global::System.ReadOnlySpan<float> a, global::System.ReadOnlySpan<float> b, global::System.Span<float> y, bool clamp, float min, float max)
{
    int path = FloatKernelPath, i = 0, n = global::System.Math.Min(global::System.Math.Min(a.Length, b.Length), y.Length);
    ref float s = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(a);
    ref float t = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(b);
    ref float r = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
    if (path == 3)
    {
        var lo = global::System.Runtime.Intrinsics.Vector512.Create(clamp ? min : float.NegativeInfinity);
        var hi = global::System.Runtime.Intrinsics.Vector512.Create(clamp ? max : float.PositiveInfinity);
        if (clamp)
        {
            for (; i + 16 <= n; i += 16)
                global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(global::System.Runtime.Intrinsics.Vector512.Min(global::System.Runtime.Intrinsics.Vector512.Max(global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref s, (nuint)i) + global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref t, (nuint)i), lo), hi), ref r, (nuint)i);
        }
        else
        {
            for (; i + 16 <= n; i += 16)
                global::System.Runtime.Intrinsics.Vector512.StoreUnsafe(global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref s, (nuint)i) + global::System.Runtime.Intrinsics.Vector512.LoadUnsafe(ref t, (nuint)i), ref r, (nuint)i);
        }
    }
    if (path >= 2)
    {
        var lo = global::System.Runtime.Intrinsics.Vector256.Create(clamp ? min : float.NegativeInfinity);
        var hi = global::System.Runtime.Intrinsics.Vector256.Create(clamp ? max : float.PositiveInfinity);
        if (clamp)
        {
            for (; i + 8 <= n; i += 8)
                global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.Min(global::System.Runtime.Intrinsics.Vector256.Max(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref s, (nuint)i) + global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref t, (nuint)i), lo), hi), ref r, (nuint)i);
        }
        else
        {
            for (; i + 8 <= n; i += 8)
                global::System.Runtime.Intrinsics.Vector256.StoreUnsafe(global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref s, (nuint)i) + global::System.Runtime.Intrinsics.Vector256.LoadUnsafe(ref t, (nuint)i), ref r, (nuint)i);
        }
    }
    if (path >= 1)
    {
        var lo = global::System.Runtime.Intrinsics.Vector128.Create(clamp ? min : float.NegativeInfinity);
        var hi = global::System.Runtime.Intrinsics.Vector128.Create(clamp ? max : float.PositiveInfinity);
        if (clamp)
        {
            for (; i + 4 <= n; i += 4)
                global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector128.Min(global::System.Runtime.Intrinsics.Vector128.Max(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref s, (nuint)i) + global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref t, (nuint)i), lo), hi), ref r, (nuint)i);
        }
        else
        {
            for (; i + 4 <= n; i += 4)
                global::System.Runtime.Intrinsics.Vector128.StoreUnsafe(global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref s, (nuint)i) + global::System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref t, (nuint)i), ref r, (nuint)i);
        }
    }
    for (; i < n; i++)
    {
        float sum = global::System.Runtime.CompilerServices.Unsafe.Add(ref s, i) + global::System.Runtime.CompilerServices.Unsafe.Add(ref t, i);
        global::System.Runtime.CompilerServices.Unsafe.Add(ref r, i) = clamp ? global::System.MathF.Min(global::System.MathF.Max(sum, min), max) : sum;
    }
}
