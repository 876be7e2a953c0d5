using System.Collections.Generic;
using System.Text;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// Integer convolution (QLinearConv, ConvInteger, fused QDQ Conv): per output value an integer
    /// accumulator of (x − x_zero)·(w − w_zero) over the window, plus the int32 bias; for
    /// QLinearConv a fixed-point requantization (multiplier and shift per output channel,
    /// rounding half to even) and a clamp that also applies any fused Relu/Clip. No floating
    /// point at run time.
    /// int8 × int8 with a 32-bit accumulator (the usual case) runs patch-wise: for each output
    /// pixel and group the K = C/group·kh·kw input values are gathered once into arena scratch
    /// (padding filled with x_zero, which contributes 0), then each filter is one SIMD dot
    /// product (DotInt8: VNNI / Vector256 / Vector128 / scalar, identical bits). Zero points are
    /// expanded: Σ(x−xz)(w−wz) = Σx·w − xz·Σw − wz·Σx + K·xz·wz; the per-filter constant
    /// bias − xz·Σw + K·xz·wz is computed once per call. Other type pairs and 64-bit
    /// accumulators keep the direct scalar loop. The compiler chose the kernel and its tile
    /// (<see cref="ConvKernels"/>, the node's <c>kernel</c> and <c>tile</c> attributes) and planned its scratch.
    /// </summary>
    internal sealed class QuantizedConvEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "QLinearConv", "ConvInteger" };

        public override string InputName(NodePlan node, int index) => index switch { 0 => "x", 1 => "w", _ => "bias" };

        public override string Describe(EmitContext context)
        {
            var n = context.Node;
            long[] k = n.GetInts("kernel_shape"), s = n.GetInts("strides");
            string integer = context.Input(0).Type.ToString().ToLowerInvariant() + " x " + context.Input(1).Type.ToString().ToLowerInvariant();
            return "integer " + integer + ", " + k[0] + "x" + k[1] + ", stride " + s[0] + "x" + s[1] + ", group " + n.GetInt("group", 1)
                + (n.GetInt("wide", 0) != 0 ? ", 64-bit accumulator" : "");
        }

        public override void EmitBody(EmitContext context)
        {
            var n = context.Node;
            long[] xs = context.InputShape(0), ys = context.OutputShape(0);
            long[] k = n.GetInts("kernel_shape"), s = n.GetInts("strides"), p = n.GetInts("pads"), d = n.GetInts("dilations");
            long batch = xs[0], channels = xs[1], filters = ys[1], group = n.GetInt("group", 1);
            long inH = xs.Length == 4 ? xs[2] : 1, inW = xs[xs.Length - 1];
            long outH = ys.Length == 4 ? ys[2] : 1, outW = ys[ys.Length - 1];
            long cg = channels / group;
            bool requantize = n.OpType == "QLinearConv";
            bool wide = n.GetInt("wide", 0) != 0;
            long[] wZero = n.GetInts("w_zero_points");
            string acc = wide ? "long" : "int";
            var g = new ConvGeometry(xs, ys, group, k, s, p, d);
            var w = context.Writer;
            int bodyStart = w.Length;

            string kernel = n.GetString("kernel", "");
            bool channelLast = kernel == ConvKernels.ChannelLastGemm || kernel == ConvKernels.ChannelLastDepthwise; // their own lane tables
            if (requantize && !channelLast)
            {
                w.Line("global::System.ReadOnlySpan<int> multipliers = " + context.ConstantTable("multipliers", "int", n.GetInts("multipliers")) + ";");
                w.Line("global::System.ReadOnlySpan<byte> shifts = " + context.ConstantTable("shifts", "byte", n.GetInts("shifts")) + ";");
            }
            if (wZero.Length > 1 && !channelLast) w.Line("global::System.ReadOnlySpan<int> wZero = " + context.ConstantTable("wZero", "int", wZero) + ";");
            switch (n.GetString("kernel", ""))
            {
                case ConvKernels.DepthwisePlane:
                    EmitDepthwisePlane(context, g, wZero, requantize);
                    break;
                case ConvKernels.PackedGemm:
                    EmitPackedGemm(context, batch, channels, filters, inH, inW, outH, outW, k, s, p, d, wZero, requantize, n.GetInt("tile", 0));
                    break;
                case ConvKernels.ChannelLastGemm:
                    EmitChannelLastGemm(context, g);
                    break;
                case ConvKernels.ChannelLastDepthwise:
                    EmitChannelLastDepthwise(context, g);
                    break;
                case ConvKernels.PatchDot:
                    EmitPatchDot(context, batch, channels, filters, group, inH, inW, outH, outW, k, s, p, d, wZero, requantize);
                    break;
                case ConvKernels.Direct:
                    EmitDirect(context, batch, channels, filters, group, inH, inW, outH, outW, k, s, p, d, wZero, requantize, acc);
                    break;
                default:
                    throw new System.InvalidOperationException(n.OpType + " #" + n.Index + ": the plan names no kernel the emitter knows ('" + n.GetString("kernel", "") + "').");
            }
            // The SIMD paths requantize whole rows with their own helpers; the scalar Requantize goes in only where it is called.
            if (requantize && w.WroteSince(bodyStart, "Requantize("))
            {
                w.Line();
                foreach (string line in Requantization.CSharpSource.Split('\n')) w.Line(line);
            }
        }

        /// <summary>
        /// Depthwise int8, stride 1, weight zero points 0: each channel is copied into a plane padded
        /// with x_zero (padding then adds x_zero·w, which the per-filter base already takes off), so
        /// tap t of output i (flattened at padded width) reads plane[i + offset[t]]; DepthwisePlaneInt8
        /// keeps 16 int32 sums in registers across the taps (with VNNI one dot product per kernel row).
        /// The padded-width rows are requantized in 8-value steps and the valid columns copied out.
        /// </summary>
        private static void EmitDepthwisePlane(EmitContext context, ConvGeometry g, long[] wZero, bool requantize)
        {
            var n = context.Node;
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            long xz = n.GetInt("x_zero_point", 0), taps = g.Taps, batch = g.Batch, channels = g.Channels;
            long inH = g.InH, inW = g.InW, outH = g.OutH, outW = g.OutW, paddedW = g.PaddedW, span = g.PlaneSpan, steps = g.PlaneSteps;
            long[] p = g.Pads;
            EmitZeroPointBase(context, "filterBase", "w", "wZero", channels, taps, xz, wZero, transposed: true);
            w.Line("// Depthwise stride 1 on a " + I(g.PaddedH) + "x" + I(paddedW) + " plane padded with x_zero: outputs at padded width, one tap offset each.");
            if (EmitContext.SameStorage(context.Input(0), context.Output(0))) w.Line("// In place: y overwrites x, each channel only after its plane was copied out.");
            context.DeclareScratch("padded", g.PaddedPlaneElements + ConvKernels.Int8PlaneSlack);
            w.Line("padded.Fill((sbyte)" + I(xz) + ");");
            context.DeclareScratch("sums", steps);
            w.Line("global::System.ReadOnlySpan<int> offsets = " + context.ConstantTable("offsets", "int", g.PlaneTapOffsets()) + ";");
            if (VectorRequantize(context, requantize)) context.DeclareScratch("rowBytes", steps);
            using (w.Block("for (int n = 0; n < " + I(batch) + "; n++)"))
            using (w.Block("for (int m = 0; m < " + I(channels) + "; m++)"))
            {
                w.Line("var input = x.Slice((n * " + I(channels) + " + m) * " + I(inH * inW) + ", " + I(inH * inW) + ");");
                w.Line("CopyRows(ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in input[0]), " + I(inW) + ", ref padded[" + I(p[0] * paddedW + p[1]) + "], " + I(paddedW) + ", " + I(inH) + ", " + I(inW) + ");");
                w.Line("DepthwisePlaneInt8(ref padded[0], ref sums[0], " + I(steps) + ", offsets, " + I(g.Dilations[1] == 1 ? g.Kernel[1] : 0) + ", w.Slice(m * " + I(taps) + ", " + I(taps) + "), filterBase[m]);");
                if (VectorRequantize(context, requantize))
                {
                    // Requantize the whole padded-width span in 8-value steps (the Wp − OW extra columns are cheap), copy the valid columns.
                    w.Line("RequantizeRow(ref sums[0], " + I((span + 7) / 8 * 8) + ", 0, multipliers[m], shifts[m], " + RequantizeConstants(context) + ", ref rowBytes[0]);");
                    w.Line("CopyRows(ref rowBytes[0], " + I(paddedW) + ", ref y[(n * " + I(channels) + " + m) * " + I(outH * outW) + "], " + I(outW) + ", " + I(outH) + ", " + I(outW) + ");");
                }
                else
                {
                    using (w.Block("for (int oh = 0; oh < " + I(outH) + "; oh++)"))
                    using (w.Block("for (int ow = 0; ow < " + I(outW) + "; ow++)"))
                    {
                        w.Line("int acc = sums[oh * " + I(paddedW) + " + ow];");
                        EmitStore(context, "acc", "((n * " + I(channels) + " + m) * " + I(outH) + " + oh) * " + I(outW) + " + ow", requantize);
                    }
                }
            }
        }

        /// <summary>
        /// Group-1 int8 convolution with K = C·kh·kw a multiple of 4 and weight zero points 0: per tile of
        /// T output pixels the patch is packed as [K/4][T][4] unsigned bytes x + 128 (four consecutive k of
        /// one pixel together, x_zero + 128 in the padding), the layout of a 4-byte dot product per int32
        /// lane (vpdpbusd, SDOT), and GemmInt8 computes four filters' rows W[m..m+3, K]·patch per call with
        /// the pixels in vector lanes, so each patch load serves four filters. The +128 bias adds 128·Σw,
        /// taken off with the per-filter base. Cost model: packing moves K·T bytes once for M·K·T MACs;
        /// the tile is planned by the compiler (<see cref="ConvKernels.IntegerTile"/>).
        /// </summary>
        private static void EmitPackedGemm(EmitContext context, long batch, long channels, long filters, long inH, long inW, long outH, long outW,
            long[] k, long[] s, long[] p, long[] d, long[] wZero, bool requantize, long tile)
        {
            var n = context.Node;
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            long depth = channels * k[0] * k[1], pixels = outH * outW, xz = n.GetInt("x_zero_point", 0);
            EmitZeroPointBase(context, "filterBase", "w", "wZero", filters, depth, xz, wZero, transposed: true);
            EmitWeightSums(context, filters, depth);
            long ldp = ConvKernels.PackedStride(tile); // whole 16-pixel vector steps: the extra columns are computed, never stored
            long block = ConvKernels.PackedFilterBlock;
            string S = "global::System.Runtime.CompilerServices.Unsafe";
            w.Line("// int8 GEMM: tiles of " + I(tile) + " pixels, patch packed [K/4][" + I(ldp) + "][4] (K = " + I(depth) + ") as unsigned bytes x + 128;");
            w.Line("// " + I(block) + " filters per GemmInt8 call share each patch load; their rows of sums, less 128·Σw, are requantized.");
            context.DeclareScratch("patch", depth * ldp);
            context.DeclareScratch("sums", block * ldp);
            using (w.Block("for (int n = 0; n < " + I(batch) + "; n++)"))
            {
                w.Line("var input = x.Slice(n * " + I(channels * inH * inW) + ", " + I(channels * inH * inW) + ");");
                using (w.Block("for (int p0 = 0; p0 < " + I(pixels) + "; p0 += " + I(tile) + ")"))
                {
                    w.Line("int count = global::System.Math.Min(" + I(tile) + ", " + I(pixels) + " - p0);");
                    if (k[0] * k[1] == 1 && s[0] * s[1] == 1 && p[0] + p[1] + p[2] + p[3] == 0 && inH * inW == pixels)
                    {
                        // Pointwise: group c/4 of the patch is input channels c..c+3 at pixels p0.., one 4-byte word per pixel.
                        w.Line("for (int c = 0; c < " + I(channels) + "; c += 4) PackFourRows(ref " + S + ".AsRef(in input[c * " + I(pixels) + " + p0]), " + I(pixels) + ", count, ref " + S + ".As<sbyte, byte>(ref patch[(c >> 2) * " + I(ldp * 4) + "]));");
                    }
                    else
                    {
                        // Rows (c, kh, kw) of the patch walk the tile's pixels with input coordinates stepped by the strides.
                        w.Line("ref sbyte source = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(input);");
                        w.Line("int row = 0;");
                        using (w.Block("for (int c = 0; c < " + I(channels) + "; c++)"))
                        using (w.Block("for (int kh = 0; kh < " + I(k[0]) + "; kh++)"))
                        using (w.Block("for (int kw = 0; kw < " + I(k[1]) + "; kw++, row++)"))
                        {
                            w.Line("ref sbyte dst = ref patch[(row >> 2) * " + I(ldp * 4) + " + (row & 3)];");
                            w.Line("int oh = p0 / " + I(outW) + ", ow = p0 - oh * " + I(outW) + ";");
                            w.Line("int ih = " + Expr.Sum(-p[0], Expr.Mul("oh", s[0]), Expr.Mul("kh", d[0])) + ", iw = " + Expr.Sum(-p[1], Expr.Mul("ow", s[1]), Expr.Mul("kw", d[1])) + ";");
                            using (w.Block("for (int t = 0; t < count; t++)"))
                            {
                                w.Line(S + ".Add(ref dst, t * 4) = unchecked((uint)ih) < " + I(inH) + "u && unchecked((uint)iw) < " + I(inW) + "u ? (sbyte)(" + S + ".Add(ref source, (c * " + I(inH) + " + ih) * " + I(inW) + " + iw) ^ -128) : (sbyte)" + I((sbyte)(xz ^ -128)) + ";");
                                w.Line("iw += " + I(s[1]) + ";");
                                w.Line("if (++ow == " + I(outW) + ") { ow = 0; iw = " + Expr.Sum(-p[1], Expr.Mul("kw", d[1])) + "; ih += " + I(s[0]) + "; }");
                            }
                        }
                    }
                    using (w.Block("for (int m0 = 0; m0 < " + I(filters) + "; m0 += " + I(block) + ")"))
                    {
                        string rows = I(block);
                        if (filters % block != 0)
                        {
                            w.Line("int rows = global::System.Math.Min(" + I(block) + ", " + I(filters) + " - m0);");
                            rows = "rows";
                        }
                        w.Line("GemmInt8(" + rows + ", (count + 15) & ~15, " + I(depth) + ", ref " + S + ".AsRef(in w[m0 * " + I(depth) + "]), ref " + S + ".As<sbyte, byte>(ref patch[0]), " + I(ldp) + ", ref sums[0], " + I(ldp) + ");");
                        using (w.Block("for (int r = 0; r < " + rows + "; r++)"))
                        {
                            w.Line("int m = m0 + r, rowBase = unchecked(filterBase[m] - 128 * weightSums[m]);");
                            if (VectorRequantize(context, requantize))
                                w.Line("RequantizeRow(ref sums[r * " + I(ldp) + "], count, rowBase, multipliers[m], shifts[m], " + RequantizeConstants(context) + ", ref y[(n * " + I(filters) + " + m) * " + I(pixels) + " + p0]);");
                            else
                            {
                                using (w.Block("for (int t = 0; t < count; t++)"))
                                {
                                    w.Line("int acc = unchecked(rowBase + sums[r * " + I(ldp) + " + t]);");
                                    EmitStore(context, "acc", "(n * " + I(filters) + " + m) * " + I(pixels) + " + p0 + t", requantize);
                                }
                            }
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Channel-last GEMM (see <see cref="ConvKernels.ChannelLastGemm"/>): a pointwise layer whose input is
        /// channel-last multiplies its pixel rows as they are; otherwise each tile of pixels gathers its
        /// patch rows (k = (c, kh, kw), the weights' order) from NCHW as unsigned bytes x + 128, x_zero + 128
        /// in the padding. ChannelLastGemmInt8 requantizes in its epilogue and writes channel-last rows.
        /// </summary>
        private static void EmitChannelLastGemm(EmitContext context, ConvGeometry g)
        {
            var n = context.Node;
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            const string S = "global::System.Runtime.CompilerServices.Unsafe";
            long depth = g.Depth, filters = g.Filters, pixels = g.Pixels, xz = n.GetInt("x_zero_point", 0);
            long inPlane = g.Channels * g.InH * g.InW;
            bool rows = EdgeAot.Compiler.Passes.Int8ChannelLastLayout.ReadsChannelLast(n);
            w.Line("// Channel-last output: Y[" + I(pixels) + ", " + I(filters) + "] = A[" + I(pixels) + ", " + I(depth) + "] * W^T, weights packed [K/4][" + I(filters) + "][4] at build time,");
            w.Line("// activations and outputs stored as unsigned bytes x + 128; requantized in the product's epilogue.");
            w.Line("global::System.ReadOnlySpan<long> requantization = " + context.ConstantTable("requantization", "long", RequantizationRows(context, ChannelLastLanes(filters, gemm: true))) + ";");
            string lanes = "default";
            if (ConvKernels.ChannelLastLaneWords(depth) > 0)
            {
                context.DeclareScratch("lanes", ConvKernels.ChannelLastLaneWords(depth));
                lanes = "lanes";
            }
            string call(string a, string lda, string count, string outIndex)
                => "ChannelLastGemmInt8(ref " + a + ", " + lda + ", " + count + ", " + I(depth / 4) + ", ref " + S + ".AsRef(in w[0]), " + I(filters) + ", requantization, "
                    + BiasedConstants(n) + ", ref " + S + ".As<sbyte, byte>(ref y[" + outIndex + "]), " + lanes + ");";
            using (w.Block("for (int n = 0; n < " + I(g.Batch) + "; n++)"))
            {
                if (rows)
                {
                    w.Line("// The input is channel-last: pixel rows of " + I(depth) + " bytes, multiplied as they are.");
                    w.Line(call(S + ".As<sbyte, byte>(ref " + S + ".AsRef(in x[n * " + I(inPlane) + "]))", I(depth), I(pixels), "n * " + I(pixels * filters)));
                    return;
                }
                long tile = n.GetInt("tile", 0);
                context.DeclareScratch("patch", depth * tile);
                w.Line("var input = x.Slice(n * " + I(inPlane) + ", " + I(inPlane) + ");");
                using (w.Block("for (int p0 = 0; p0 < " + I(pixels) + "; p0 += " + I(tile) + ")"))
                {
                    w.Line("int count = global::System.Math.Min(" + I(tile) + ", " + I(pixels) + " - p0);");
                    w.Line("int oh = p0 / " + I(g.OutW) + ", ow = p0 - oh * " + I(g.OutW) + ";");
                    long reach = (g.Kernel[1] - 1) * g.Dilations[1];
                    using (w.Block("for (int t = 0; t < count; t++)"))
                    {
                        w.Line("int k = t * " + I(depth) + ", iw0 = " + Expr.Sum(-g.Pads[1], Expr.Mul("ow", g.Strides[1])) + ";");
                        w.Line("bool columnsInside = iw0 >= 0 && iw0 + " + I(reach) + " < " + I(g.InW) + ";");
                        using (w.Block("for (int c = 0; c < " + I(g.Channels) + "; c++)"))
                        using (w.Block("for (int kh = 0; kh < " + I(g.Kernel[0]) + "; kh++, k += " + I(g.Kernel[1]) + ")"))
                        {
                            w.Line("int ih = " + Expr.Sum(-g.Pads[0], Expr.Mul("oh", g.Strides[0]), Expr.Mul("kh", g.Dilations[0])) + ";");
                            string pad = "(sbyte)" + I((sbyte)(xz ^ -128));
                            bool word = g.Kernel[1] == 4 && g.Dilations[1] == 1;
                            using (w.Block("if (unchecked((uint)ih) < " + I(g.InH) + "u)"))
                            {
                                w.Line("ref sbyte source = ref " + S + ".AsRef(in input[(c * " + I(g.InH) + " + ih) * " + I(g.InW) + "]);");
                                // A kernel row inside the input is copied whole; at the left and right borders each tap is checked.
                                if (word)
                                    w.Line("if (columnsInside) " + S + ".WriteUnaligned(ref " + S + ".As<sbyte, byte>(ref patch[k]), " + S + ".ReadUnaligned<uint>(ref " + S + ".As<sbyte, byte>(ref " + S + ".Add(ref source, iw0))) ^ 0x80808080u);");
                                else
                                    w.Line("if (columnsInside) for (int kw = 0; kw < " + I(g.Kernel[1]) + "; kw++) patch[k + kw] = (sbyte)(" + S + ".Add(ref source, " + Expr.Sum(0, "iw0", Expr.Mul("kw", g.Dilations[1])) + ") ^ -128);");
                                using (w.Block("else for (int kw = 0; kw < " + I(g.Kernel[1]) + "; kw++)"))
                                {
                                    w.Line("int iw = " + Expr.Sum(0, "iw0", Expr.Mul("kw", g.Dilations[1])) + ";");
                                    w.Line("patch[k + kw] = unchecked((uint)iw) < " + I(g.InW) + "u ? (sbyte)(" + S + ".Add(ref source, iw) ^ -128) : " + pad + ";");
                                }
                            }
                            if (word) w.Line("else " + S + ".WriteUnaligned(ref " + S + ".As<sbyte, byte>(ref patch[k]), " + I((long)(byte)(xz ^ -128) * 0x01010101L) + "u);");
                            else w.Line("else patch.Slice(k, " + I(g.Kernel[1]) + ").Fill(" + pad + ");");
                        }
                        w.Line("if (++ow == " + I(g.OutW) + ") { ow = 0; oh++; }");
                    }
                    w.Line(call(S + ".As<sbyte, byte>(ref patch[0])", I(depth), "count", "(n * " + I(pixels) + " + p0) * " + I(filters)));
                }
            }
        }

        /// <summary>
        /// Channel-last depthwise (see <see cref="ConvKernels.ChannelLastDepthwise"/>): every pixel's channels
        /// at once; taps outside the input read padRow, x_zero + 128 in each byte.
        /// </summary>
        private static void EmitChannelLastDepthwise(EmitContext context, ConvGeometry g)
        {
            var n = context.Node;
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            const string S = "global::System.Runtime.CompilerServices.Unsafe";
            long xz = n.GetInt("x_zero_point", 0), plane = g.Channels * g.InH * g.InW;
            w.Line("// Channel-last depthwise " + I(g.Kernel[0]) + "x" + I(g.Kernel[1]) + ", stride 1: four taps per 4-byte dot product, taps packed at build time,");
            w.Line("// activations and outputs stored as unsigned bytes x + 128; taps outside the input read padRow.");
            w.Line("global::System.ReadOnlySpan<long> requantization = " + context.ConstantTable("requantization", "long", RequantizationRows(context, ChannelLastLanes(g.Channels, gemm: false))) + ";");
            var tapRows = new long[g.Taps];
            var tapColumns = new long[g.Taps];
            for (long t = 0; t < g.Taps; t++)
            {
                tapRows[t] = t / g.Kernel[1] * g.Dilations[0] - g.Pads[0];
                tapColumns[t] = t % g.Kernel[1] * g.Dilations[1] - g.Pads[1];
            }
            w.Line("global::System.ReadOnlySpan<int> tapRows = " + context.ConstantTable("tapRows", "int", tapRows) + ";");
            w.Line("global::System.ReadOnlySpan<int> tapColumns = " + context.ConstantTable("tapColumns", "int", tapColumns) + ";");
            context.DeclareScratch("padRow", g.Channels);
            context.DeclareScratch("lanes", ConvKernels.ChannelLastLaneWords(g.Taps));
            w.Line("padRow.Fill((sbyte)" + I((sbyte)(xz ^ -128)) + ");");
            using (w.Block("for (int n = 0; n < " + I(g.Batch) + "; n++)"))
            {
                w.Line("ChannelLastDepthwiseInt8(ref " + S + ".As<sbyte, byte>(ref " + S + ".AsRef(in x[n * " + I(plane) + "])), ref " + S + ".As<sbyte, byte>(ref padRow[0]), "
                    + I(g.OutH) + ", " + I(g.OutW) + ", " + I(g.Channels) + ", tapRows, tapColumns, ref " + S + ".AsRef(in w[0]), requantization, " + BiasedConstants(n) + ", ref " + S + ".As<sbyte, byte>(ref y[n * " + I(plane) + "]), lanes);");
            }
        }

        /// <summary>y_zero, output_min and output_max + 128: the channel-last kernels' unsigned byte domain.</summary>
        private static string BiasedConstants(NodePlan n)
            => Literals.Int(n.GetInt("y_zero_point", 0) + 128) + ", " + Literals.Int(n.GetInt("output_min", 0) + 128) + ", " + Literals.Int(n.GetInt("output_max", 0) + 128);

        /// <summary>
        /// The output channel of each vector lane, 8 lanes per vector: GEMM blocks of 16 filters as two
        /// vectors (0-3, 8-11 | 4-7, 12-15); depthwise blocks of 32 channels as four (4j..4j+3, 16+4j..16+4j+3).
        /// </summary>
        private static long[] ChannelLastLanes(long channels, bool gemm)
        {
            var lanes = new long[channels];
            for (long c = 0; c < channels; c++)
            {
                long position = c % 8, vector = c / 8;
                lanes[c] = gemm
                    ? vector / 2 * 16 + (vector % 2) * 4 + (position & 3) + (position & 4) * 2
                    : vector / 4 * 32 + (vector % 4) * 4 + (position & 3) + (position & 4) * 4;
            }
            return lanes;
        }

        /// <summary>
        /// The requantization table of the channel-last kernels (RequantizePair in IntegerKernels.cs): per
        /// pair of 8-lane vectors 64 longs, eight segments of eight (four for each vector): multipliers of
        /// the even lanes, of the odd lanes, shifts of even and odd lanes, 2^62 + 2^(s−1) − 1 of even and
        /// odd lanes, then int32 fixes −(2^(62−s) mod 2^32) and accumulator bases bias − x_zero·Σw − 128·Σw,
        /// two per long. Constant weights and bias only.
        /// </summary>
        private static long[] RequantizationRows(EmitContext context, long[] lanes)
        {
            var n = context.Node;
            long[] multipliers = n.GetInts("multipliers"), shifts = n.GetInts("shifts");
            long xz = n.GetInt("x_zero_point", 0), filters = lanes.Length;
            byte[] weights = context.Input(1).Data.ToArray();
            byte[]? biasData = context.HasInput(2) ? context.Input(2).Data.ToArray() : null;
            long depth = weights.Length / filters;
            var rows = new long[filters / 16 * 64];
            for (long v = 0; v < filters / 8; v++)
            {
                long start = v / 2 * 64 + v % 2 * 4;
                var fix = new int[8];
                var bases = new int[8];
                for (int l = 0; l < 8; l++)
                {
                    long f = lanes[v * 8 + l], m = multipliers[multipliers.Length == 1 ? 0 : f];
                    int shift = (int)shifts[shifts.Length == 1 ? 0 : f];
                    long at = start + (l & 1) * 8 + (l >> 1);
                    rows[at] = m;
                    rows[at + 16] = shift;
                    rows[at + 32] = (1L << 62) + (1L << (shift - 1)) - 1;
                    fix[l] = unchecked((int)-(shift <= 30 ? 0 : 1L << (62 - shift)));
                    int sum = 0;
                    for (long t = 0; t < depth; t++) sum = unchecked(sum + (sbyte)weights[f * depth + t]);
                    int bias = biasData is null ? 0 : System.BitConverter.ToInt32(biasData, (int)(4 * f));
                    bases[l] = unchecked(bias - (int)xz * sum - 128 * sum);
                }
                for (int i = 0; i < 4; i++)
                {
                    rows[start + 48 + i] = (long)(uint)fix[2 * i] | (long)fix[2 * i + 1] << 32;
                    rows[start + 56 + i] = (long)(uint)bases[2 * i] | (long)bases[2 * i + 1] << 32;
                }
            }
            return rows;
        }

        /// <summary>
        /// Weights of the channel-last kernels in their build-time layout (their weights are constants only
        /// this node reads, see <see cref="EdgeAot.Compiler.Passes.Int8ChannelLastLayout"/>). GEMM: [K/4][M][4]
        /// with each 16-filter block in lane order; depthwise: per 32-channel block and group of four taps,
        /// four vectors of 8 lanes × 4 tap bytes (zero past the last tap).
        /// </summary>
        public override byte[]? PackConstantInput(ModelPlan plan, NodePlan node, int index)
        {
            string kernel = node.GetString("kernel", "");
            if (index != 1 || (kernel != ConvKernels.ChannelLastGemm && kernel != ConvKernels.ChannelLastDepthwise)) return null;
            var weights = plan.Tensor(node.Input(1));
            byte[] data = weights.Data.ToArray();
            long filters = weights.Shape[0], depth = data.Length / filters;
            if (kernel == ConvKernels.ChannelLastGemm)
            {
                var lanes = ChannelLastLanes(filters, gemm: true);
                var packed = new byte[data.Length];
                for (long g = 0; g < depth / 4; g++)
                    for (long position = 0; position < filters; position++)
                        for (long j = 0; j < 4; j++) packed[((g * filters + position) * 4) + j] = data[lanes[position] * depth + 4 * g + j];
                return packed;
            }
            long groups = (depth + 3) / 4, blocks = filters / 32;
            var laneOf = ChannelLastLanes(filters, gemm: false);
            var taps = new byte[blocks * groups * 128];
            for (long b = 0; b < blocks; b++)
                for (long g = 0; g < groups; g++)
                    for (long j = 0; j < 4; j++)
                        for (long l = 0; l < 8; l++)
                            for (long q = 0; q < 4; q++)
                            {
                                long t = 4 * g + q, c = laneOf[b * 32 + j * 8 + l];
                                if (t < depth) taps[(((b * groups + g) * 4 + j) * 8 + l) * 4 + q] = data[c * depth + t];
                            }
            return taps;
        }

        /// <summary>Vector requantization (RequantizeRow) serves int8 outputs; uint8 outputs keep the scalar store.</summary>
        private static bool VectorRequantize(EmitContext context, bool requantize)
            => requantize && context.Output(0).Type == EdgeAot.Compiler.Ir.DataType.Int8;

        private static string RequantizeConstants(EmitContext context)
        {
            var n = context.Node;
            return Literals.Int(n.GetInt("y_zero_point", 0)) + ", " + Literals.Int(n.GetInt("output_min", 0)) + ", " + Literals.Int(n.GetInt("output_max", 0));
        }

        /// <summary>weightSums[m] = Σ_k w[m, k] (int8 rows of length depth): literals for constant weights.</summary>
        private static void EmitWeightSums(EmitContext context, long filters, long depth)
        {
            var w = context.Writer;
            var weights = context.Input(1);
            if (weights.Storage == TensorStorage.Weight)
            {
                byte[] data = weights.Data.ToArray();
                var values = new long[filters];
                for (long m = 0; m < filters; m++)
                    for (long t = 0; t < depth; t++) values[m] += (sbyte)data[m * depth + t];
                w.Line("global::System.ReadOnlySpan<int> weightSums = " + context.ConstantTable("weightSums", "int", values) + ";");
                return;
            }
            context.DeclareScratch("weightSums", filters);
            w.Line("weightSums.Clear();");
            w.Line("for (int m = 0; m < " + Literals.Int(filters) + "; m++) for (int t = 0; t < " + Literals.Int(depth) + "; t++) weightSums[m] += w[m * " + Literals.Int(depth) + " + t];");
        }

        private static void EmitPatchDot(EmitContext context, long batch, long channels, long filters, long group, long inH, long inW, long outH, long outW,
            long[] k, long[] s, long[] p, long[] d, long[] wZero, bool requantize)
        {
            var n = context.Node;
            long cg = channels / group, fg = filters / group, depth = cg * k[0] * k[1];
            long xz = n.GetInt("x_zero_point", 0);
            bool anyWz = false;
            foreach (long z in wZero) anyWz |= z != 0;
            string wz = wZero.Length > 1 ? "wZero[m]" : Literals.Int(wZero[0]);
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            EmitZeroPointBase(context, "filterBase", "w", "wZero", filters, depth, xz, wZero, transposed: true);
            context.DeclareScratch("patch", depth);
            using (w.Block("for (int n = 0; n < " + I(batch) + "; n++)"))
            using (w.Block("for (int g = 0; g < " + I(group) + "; g++)"))
            using (w.Block("for (int oh = 0; oh < " + I(outH) + "; oh++)"))
            using (w.Block("for (int ow = 0; ow < " + I(outW) + "; ow++)"))
            {
                w.Line("int t = 0;");
                using (w.Block("for (int c = 0; c < " + I(cg) + "; c++)"))
                {
                    w.Line("var input = x.Slice((n * " + I(channels) + " + g * " + I(cg) + " + c) * " + I(inH * inW) + ", " + I(inH * inW) + ");");
                    using (w.Block("for (int kh = 0; kh < " + I(k[0]) + "; kh++)"))
                    {
                        w.Line("int ih = " + Expr.Sum(-p[0], Expr.Mul("oh", s[0]), Expr.Mul("kh", d[0])) + ";");
                        using (w.Block("for (int kw = 0; kw < " + I(k[1]) + "; kw++, t++)"))
                        {
                            w.Line("int iw = " + Expr.Sum(-p[1], Expr.Mul("ow", s[1]), Expr.Mul("kw", d[1])) + ";");
                            w.Line("patch[t] = unchecked((uint)ih) < " + I(inH) + "u && unchecked((uint)iw) < " + I(inW) + "u ? input[ih * " + I(inW) + " + iw] : (sbyte)" + I(xz) + ";");
                        }
                    }
                }
                if (anyWz)
                {
                    w.Line("int patchSum = 0;");
                    w.Line("for (int i = 0; i < " + I(depth) + "; i++) patchSum += patch[i];");
                }
                using (w.Block("for (int m = g * " + I(fg) + "; m < (g + 1) * " + I(fg) + "; m++)"))
                {
                    w.Line("int acc = unchecked(filterBase[m] + DotInt8(ref patch[0], ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in w[m * " + I(depth) + "]), " + I(depth) + ")"
                        + (anyWz ? " - " + wz + " * patchSum" : "") + ");");
                    EmitStore(context, "acc", "((n * " + I(filters) + " + m) * " + I(outH) + " + oh) * " + I(outW) + " + ow", requantize);
                }
            }
        }

        /// <summary>
        /// Per output column j (a filter, or a column of B): bias[j] − a_zero·Σ_t w[j, t] + K·a_zero·w_zero[j],
        /// the constant part of the expanded zero-point product. Folded to literals at build time when
        /// the weights (and bias) are constants, else computed once per call. Sums wrap like the kernel's
        /// int32 arithmetic, so the total is exact whenever the true accumulator fits (proven at build time).
        /// </summary>
        internal static void EmitZeroPointBase(EmitContext context, string name, string weightName, string zeroName, long columns, long depth, long aZero, long[] wZero, bool transposed)
        {
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            var weights = context.Input(1);
            bool hasBias = context.HasInput(2);
            bool anyWz = false;
            foreach (long z in wZero) anyWz |= z != 0;
            w.Line("// Per " + (transposed ? "filter" : "column") + ": bias - zero·Σw + K·zero·w_zero (K = " + I(depth) + ").");
            if (weights.Storage == TensorStorage.Weight && (!hasBias || context.Input(2).Storage == TensorStorage.Weight))
            {
                byte[] data = weights.Data.ToArray();
                byte[] biasData = hasBias ? context.Input(2).Data.ToArray() : new byte[0];
                var values = new long[columns];
                for (long j = 0; j < columns; j++)
                {
                    int sum = 0;
                    for (long t = 0; t < depth; t++) sum = unchecked(sum + (sbyte)data[transposed ? j * depth + t : t * columns + j]);
                    int bias = hasBias ? System.BitConverter.ToInt32(biasData, (int)(4 * j)) : 0;
                    long wz = wZero[wZero.Length > 1 ? j : 0];
                    values[j] = unchecked(bias - (int)aZero * sum + (int)(depth * aZero) * (int)wz);
                }
                w.Line("global::System.ReadOnlySpan<int> " + name + " = " + context.ConstantTable(name, "int", values) + ";");
                return;
            }
            string wzj = wZero.Length > 1 ? zeroName + "[j]" : I(wZero[0]);
            context.DeclareScratch(name, columns);
            using (w.Block("for (int j = 0; j < " + I(columns) + "; j++)"))
            {
                w.Line("int wSum = 0;");
                w.Line("for (int t = 0; t < " + I(depth) + "; t++) wSum += " + weightName + "[" + (transposed ? "j * " + I(depth) + " + t" : "t * " + I(columns) + " + j") + "];");
                w.Line(name + "[j] = unchecked(" + (hasBias ? "bias[j]" : "0") + " - " + I(aZero) + " * wSum" + (anyWz ? " + " + I(depth * aZero) + " * " + wzj : "") + ");");
            }
        }

        private static void EmitStore(EmitContext context, string acc, string index, bool requantize)
        {
            var n = context.Node;
            var w = context.Writer;
            if (requantize)
            {
                string type = EmitContext.ElementType(context.Output(0));
                w.Line("long q = Requantize(" + acc + ", multipliers[m], shifts[m]) + " + Literals.Int(n.GetInt("y_zero_point", 0)) + ";");
                w.Line("y[" + index + "] = (" + type + ")global::System.Math.Clamp(q, " + Literals.Int(n.GetInt("output_min", 0)) + ", " + Literals.Int(n.GetInt("output_max", 0)) + ");");
            }
            else w.Line("y[" + index + "] = unchecked((int)" + acc + ");");
        }

        private static void EmitDirect(EmitContext context, long batch, long channels, long filters, long group, long inH, long inW, long outH, long outW,
            long[] k, long[] s, long[] p, long[] d, long[] wZero, bool requantize, string acc)
        {
            var n = context.Node;
            long cg = channels / group, fg = filters / group;
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            using (w.Block("for (int n = 0; n < " + I(batch) + "; n++)"))
            using (w.Block("for (int m = 0; m < " + I(filters) + "; m++)"))
            {
                w.Line("int firstChannel = " + Expr.Sum(0, Expr.Mul("n", channels), group == 1 ? "0" : Expr.Mul("m / " + I(fg), cg)) + ";");
                w.Line("var taps = w.Slice(m * " + I(cg * k[0] * k[1]) + ", " + I(cg * k[0] * k[1]) + ");");
                string wz = wZero.Length > 1 ? "wZero[m]" : I(wZero[0]);
                using (w.Block("for (int oh = 0; oh < " + I(outH) + "; oh++)"))
                using (w.Block("for (int ow = 0; ow < " + I(outW) + "; ow++)"))
                {
                    w.Line(acc + " acc = " + (context.HasInput(2) ? "bias[m]" : "0") + ";");
                    using (w.Block("for (int c = 0; c < " + I(cg) + "; c++)"))
                    {
                        w.Line("var input = x.Slice((firstChannel + c) * " + I(inH * inW) + ", " + I(inH * inW) + ");");
                        using (w.Block("for (int kh = 0; kh < " + I(k[0]) + "; kh++)"))
                        {
                            w.Line("int ih = " + Expr.Sum(-p[0], Expr.Mul("oh", s[0]), Expr.Mul("kh", d[0])) + ";");
                            w.Line("if (ih < 0 || ih >= " + I(inH) + ") continue;");
                            using (w.Block("for (int kw = 0; kw < " + I(k[1]) + "; kw++)"))
                            {
                                w.Line("int iw = " + Expr.Sum(-p[1], Expr.Mul("ow", s[1]), Expr.Mul("kw", d[1])) + ";");
                                w.Line("if (iw < 0 || iw >= " + I(inW) + ") continue;");
                                w.Line("acc += (input[ih * " + I(inW) + " + iw] - " + I(n.GetInt("x_zero_point", 0)) + ") * (taps[(c * " + I(k[0]) + " + kh) * " + I(k[1]) + " + kw] - " + wz + ");");
                            }
                        }
                    }
                    EmitStore(context, "acc", "((n * " + I(filters) + " + m) * " + I(outH) + " + oh) * " + I(outW) + " + ow", requantize);
                }
            }
        }

        internal static string IntList(long[] values)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < values.Length; i++) sb.Append(i > 0 ? ", " : "").Append(Literals.Int(values[i]));
            return sb.ToString();
        }
    }
}
