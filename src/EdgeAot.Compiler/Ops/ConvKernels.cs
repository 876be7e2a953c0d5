using System;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// The shape of a lowered 2-D convolution (1-D arrives as height 1), read the same way by the
    /// compiler (kernel choice, scratch sizes) and the emitter (loops over the same buffers).
    /// </summary>
    public sealed class ConvGeometry
    {
        public ConvGeometry(long[] xShape, long[] yShape, long group, long[] kernel, long[] strides, long[] pads, long[] dilations)
        {
            Batch = xShape[0];
            Channels = xShape[1];
            Filters = yShape[1];
            Group = group;
            InH = xShape.Length == 4 ? xShape[2] : 1;
            InW = xShape[xShape.Length - 1];
            OutH = yShape.Length == 4 ? yShape[2] : 1;
            OutW = yShape[yShape.Length - 1];
            Kernel = kernel;
            Strides = strides;
            Pads = pads;
            Dilations = dilations;
        }

        public long Batch { get; }
        public long Channels { get; }
        public long Filters { get; }
        public long Group { get; }
        public long InH { get; }
        public long InW { get; }
        public long OutH { get; }
        public long OutW { get; }
        public long[] Kernel { get; }
        public long[] Strides { get; }
        public long[] Pads { get; }
        public long[] Dilations { get; }

        public long ChannelsPerGroup => Channels / Group;
        public long FiltersPerGroup => Filters / Group;
        public long Pixels => OutH * OutW;
        public long Taps => Kernel[0] * Kernel[1];

        /// <summary>Patch length per output value: input channels of one group × taps.</summary>
        public long Depth => ChannelsPerGroup * Taps;

        public long PaddedH => InH + Pads[0] + Pads[2];
        public long PaddedW => InW + Pads[1] + Pads[3];

        public bool IsPointwise => Group == 1 && Taps == 1 && Strides[0] * Strides[1] == 1 && Pads[0] + Pads[1] + Pads[2] + Pads[3] == 0 && InH * InW == Pixels;

        /// <summary>
        /// One filter per channel, stride 1, and the output exactly the padded plane minus the kernel
        /// reach: the depthwise plane kernels apply (see <see cref="PlaneSpan"/>).
        /// </summary>
        public bool IsDepthwiseStride1 => ChannelsPerGroup == 1 && FiltersPerGroup == 1 && Strides[0] == 1 && Strides[1] == 1
            && OutH == PaddedH - (Kernel[0] - 1) * Dilations[0] && OutW == PaddedW - (Kernel[1] - 1) * Dilations[1];

        /// <summary>Outputs of one channel flattened at the padded width: the last valid one is at (OH−1)·Wp + OW − 1.</summary>
        public long PlaneSpan => (OutH - 1) * PaddedW + OutW;

        /// <summary>The plane kernels' output count rounded up to whole 16-wide vector steps.</summary>
        public long PlaneSteps => (PlaneSpan + 15) / 16 * 16;

        /// <summary>The padded plane plus the slack the last vector step reads past the final output.</summary>
        public long PaddedPlaneElements => PaddedH * PaddedW + PlaneSteps - PlaneSpan;

        /// <summary>
        /// One filter per channel, stride 1, rows narrower than one 16-wide vector and the output as
        /// wide as the input: the masked depthwise kernel reads the channel between zero rows, no zero columns.
        /// </summary>
        public bool IsDepthwiseMasked => ChannelsPerGroup == 1 && FiltersPerGroup == 1 && Strides[0] == 1 && Strides[1] == 1 && OutW == InW && InW < 16;

        /// <summary>
        /// Buffer of the masked depthwise kernel: the channel at Pads[0]·W + Pads[1], and reads up to the
        /// last output (OH·W values) plus the farthest tap offset.
        /// </summary>
        public long MaskedPlaneElements => Math.Max(Pads[0] * InW + Pads[1] + InH * InW, OutH * InW + (Kernel[0] - 1) * Dilations[0] * InW + (Kernel[1] - 1) * Dilations[1]);

        /// <summary>Tap offsets into the padded plane, in (kh, kw) order.</summary>
        public long[] PlaneTapOffsets()
        {
            var offsets = new long[Taps];
            int i = 0;
            for (long kh = 0; kh < Kernel[0]; kh++)
                for (long kw = 0; kw < Kernel[1]; kw++) offsets[i++] = kh * Dilations[0] * PaddedW + kw * Dilations[1];
            return offsets;
        }
    }

    /// <summary>
    /// A zero-padded input split into stride phases, so that every tap of a strided or dilated
    /// convolution reads one contiguous run: phase (a, b) holds padded rows a, a + sh, ... and columns
    /// b, b + sw, ... of each channel as a PhaseH × PhaseW plane. Output (oh, ow) is column
    /// q = oh·PhaseW + ow, and tap (kh, kw) of channel c reads phase (kh·dh % sh, kw·dw % sw) at
    /// q + (kh·dh / sh)·PhaseW + kw·dw / sw. Stride 1 is the plain padded plane. Only phases some tap
    /// reads are stored (a 1×1 stride-2 layer keeps one of four); the rest of the buffer stays zero.
    /// </summary>
    public sealed class PhaseLayout
    {
        private PhaseLayout(long channels, ConvGeometry g)
        {
            long[] k = g.Kernel, s = g.Strides, d = g.Dilations;
            Channels = channels;
            InH = g.InH;
            InW = g.InW;
            StrideH = s[0];
            StrideW = s[1];
            PadTop = g.Pads[0];
            PadLeft = g.Pads[1];
            PhaseH = (g.PaddedH + s[0] - 1) / s[0];
            PhaseW = (g.PaddedW + s[1] - 1) / s[1];
            var slot = new long[s[0], s[1]];
            for (long a = 0; a < s[0]; a++) for (long b = 0; b < s[1]; b++) slot[a, b] = -1;
            long phases = 0;
            for (long kh = 0; kh < k[0]; kh++)
                for (long kw = 0; kw < k[1]; kw++)
                    if (slot[kh * d[0] % s[0], kw * d[1] % s[1]] < 0) slot[kh * d[0] % s[0], kw * d[1] % s[1]] = phases++;
            Phases = phases;
            var offsets = new long[channels * k[0] * k[1]];
            long maxOffset = 0;
            for (long c = 0, t = 0; c < channels; c++)
                for (long kh = 0; kh < k[0]; kh++)
                    for (long kw = 0; kw < k[1]; kw++, t++)
                    {
                        long rowTap = kh * d[0], colTap = kw * d[1];
                        offsets[t] = (slot[rowTap % s[0], colTap % s[1]] * channels + c) * Plane + rowTap / s[0] * PhaseW + colTap / s[1];
                        maxOffset = Math.Max(maxOffset, offsets[t]);
                    }
            Slots = slot;
            Offsets = offsets;
            MaxOffset = maxOffset;
        }

        /// <summary>The layout of <paramref name="channels"/> input channels (1 for a depthwise channel at a time).</summary>
        public static PhaseLayout For(ConvGeometry g, long channels) => new PhaseLayout(channels, g);

        public long Channels { get; }
        public long InH { get; }
        public long InW { get; }
        public long StrideH { get; }
        public long StrideW { get; }
        public long PadTop { get; }
        public long PadLeft { get; }
        public long PhaseH { get; }
        public long PhaseW { get; }
        public long Plane => PhaseH * PhaseW;

        /// <summary>Stored phases (those some tap reads).</summary>
        public long Phases { get; }

        /// <summary>Buffer offset of tap (c, kh, kw), in the weights' order.</summary>
        public long[] Offsets { get; }

        public long MaxOffset { get; }

        private long[,] Slots { get; }

        /// <summary>Stored index of phase (a, b), -1 when no tap reads it.</summary>
        public long Slot(long a, long b) => Slots[a, b];

        /// <summary>Elements the buffer needs when <paramref name="columns"/> output columns are read from every tap offset.</summary>
        public long Elements(long columns) => Math.Max(Phases * Channels * Plane, MaxOffset + columns);
    }

    /// <summary>
    /// Shapes, tap offsets and buffer sizes of the float panel kernels (GemmPanels on weights stored
    /// in 8-filter panels, or W^T in column panels for the transposed pointwise), or null when the
    /// layer does not qualify: group 1, at least 4 filters, and for non-pointwise layers the padded
    /// source copy and one output row of tile within their bounds. Whether the weights may be packed
    /// (a constant only this node reads) is the caller's question (see <see cref="ConvKernels.ChooseFloat"/>).
    /// </summary>
    public sealed class PanelGeometry
    {
        /// <summary>Bound on the zero-padded, phase-split input copy: 32,768 floats = 128 KiB.</summary>
        public const long MaxSourceFloats = 32768;

        /// <summary>Bound on the output tile (filters × whole rows at phase width): 8,192 floats = 32 KiB.</summary>
        public const long MaxTileFloats = 8192;

        private PanelGeometry(ConvGeometry g, PhaseLayout? layout, bool filtersInLanes)
        {
            Geometry = g;
            Layout = layout;
            FiltersInLanes = filtersInLanes;
            if (layout is null)
            {
                var rows = new long[g.Depth];
                for (long c = 0; c < g.Depth; c++) rows[c] = c * g.Pixels;
                Offsets = rows;
            }
            else
            {
                Offsets = layout.Offsets;
                PhaseW = layout.PhaseW;
                // Reads reach offset + every computed column (OH rows at phase width).
                SourceElements = layout.Elements(g.OutH * layout.PhaseW);
            }
        }

        public ConvGeometry Geometry { get; }

        /// <summary>The padded, phase-split input copy (null when <see cref="InPlace"/>).</summary>
        public PhaseLayout? Layout { get; }

        /// <summary>Pointwise without stride or padding: the product reads the activations in place.</summary>
        public bool InPlace => Layout is null;

        /// <summary>
        /// Pointwise over fewer pixels than a Vector512 holds (and at least 16 filters): the product runs
        /// transposed, Y^T[P, M] = X^T[P, C]·W^T[C, M], with filters in the vector lanes.
        /// </summary>
        public bool FiltersInLanes { get; }

        public long PhaseW { get; }

        public long SourceElements { get; }

        /// <summary>Source offset of B row k = (c, kh, kw), the weights' own order.</summary>
        public long[] Offsets { get; }

        public static PanelGeometry? For(ConvGeometry g)
        {
            if (g.Group != 1 || g.Filters < 4 || g.Pixels == 0 || g.Depth == 0 || g.Batch == 0) return null;
            if (g.IsPointwise) return new PanelGeometry(g, null, g.Pixels < 16 && g.Filters >= 16);
            var layout = PhaseLayout.For(g, g.Channels);
            var p = new PanelGeometry(g, layout, false);
            if (p.SourceElements > MaxSourceFloats || g.Filters * p.PhaseW > MaxTileFloats || p.PhaseW < g.OutW) return null;
            return p;
        }
    }

    /// <summary>
    /// Kernel selection for float and integer convolutions, and the scratch each kernel needs. The
    /// memory planner calls <see cref="ChooseFloat"/>/<see cref="ChooseInteger"/> and the tile
    /// functions with the arena bytes free at the node's step, and records the choice in the node's
    /// <c>kernel</c> and <c>tile</c> attributes; the emitter reads those attributes and the planned
    /// scratch, so the two can never disagree about a buffer's size.
    /// </summary>
    public static class ConvKernels
    {
        /// <summary>1×1, stride 1, group 1: one Gemm over the activations, no scratch.</summary>
        public const string Pointwise = "pointwise";

        /// <summary>Float group-1: im2col patch of <c>tile</c> pixels, then Gemm.</summary>
        public const string Im2col = "im2col";

        /// <summary>
        /// Depthwise: one channel at a time in a padded plane, taps at fixed offsets (int8: stride 1;
        /// float: any stride, the plane split into stride phases, see <see cref="PhaseLayout"/>).
        /// </summary>
        public const string DepthwisePlane = "depthwise_plane";

        /// <summary>int8 group-1: patch packed for 4-byte dot products, tiles of <c>tile</c> pixels.</summary>
        public const string PackedGemm = "packed_gemm";

        /// <summary>int8 other groups: one patch per output pixel, a dot product per filter.</summary>
        public const string PatchDot = "patch_dot";

        /// <summary>
        /// Float group-1 with packed weights (<see cref="PanelGeometry"/>): the input copied once into a
        /// zero-padded, stride-phase-split <c>source</c>, GemmPanels into a <c>tile</c> of <c>tile</c>
        /// output rows at phase width (implicit im2col), valid columns copied out.
        /// </summary>
        public const string Panels = "panels";

        /// <summary>Float pointwise with packed weights: GemmPanels straight on the activations, no scratch.</summary>
        public const string PanelsPointwise = "panels_pointwise";

        /// <summary>
        /// Float pointwise over fewer than 16 pixels with packed W^T: transposed product with filters in
        /// the vector lanes through <c>xT</c> and <c>yT</c>.
        /// </summary>
        public const string TransposedPointwise = "transposed_pointwise";

        /// <summary>
        /// Float depthwise, stride 1, rows narrower than 16 with same-width output: the channel copied
        /// between zero rows of <c>padded</c>, taps masked per column shift.
        /// </summary>
        public const string DepthwiseMasked = "depthwise_masked";

        /// <summary>Scalar loops over the window, no scratch.</summary>
        public const string Direct = "direct";

        /// <summary>
        /// int8, group 1, output channel-last (see <see cref="Passes.Int8ChannelLastLayout"/>): rows of
        /// K activation bytes per pixel (a pointwise layer's NHWC input as it is, otherwise a patch of
        /// <c>tile</c> pixels gathered from NCHW) times weights packed at build time as [K/4][M][4], the
        /// requantization in the product's epilogue, output rows of M bytes.
        /// </summary>
        public const string ChannelLastGemm = "channel_last_gemm";

        /// <summary>int8 depthwise, stride 1, channel-last in and out: all channels of a pixel per step.</summary>
        public const string ChannelLastDepthwise = "channel_last_depthwise";


        /// <summary>Largest float im2col patch (16,384 floats, 64 KiB): bigger tiles gain nothing measurable.</summary>
        public const long MaxPatchFloats = 16384;

        /// <summary>Largest int8 packed patch in bytes (32 KiB).</summary>
        public const long MaxPatchBytes = 32768;

        /// <summary>Largest padded plane of the depthwise plane kernels, in elements.</summary>
        public const long MaxPlaneElements = 16384;

        /// <summary>Bound on the column-mask table of the masked depthwise kernel (ints, a constant of the generated class): 8,192 = 32 KiB.</summary>
        public const long MaxMaskInts = 8192;

        /// <summary>Smallest float tile: one 16-wide vector step of pixels.</summary>
        public const long MinTile = 16;

        /// <summary>
        /// Smallest int8 tile, and the step tiles grow by: one 32-value step of the vector
        /// requantization (RequantizeRow), so no tile but the last ends in its scalar tail.
        /// </summary>
        public const long MinIntegerTile = 32;

        /// <summary>Bytes past the int8 padded plane that DepthwisePlaneInt8's VNNI path reads (16-byte loads of 11-byte windows).</summary>
        public const long Int8PlaneSlack = 8;

        /// <summary>Filters per int8 GEMM pass (GemmInt8 register-blocks four rows): rows of sums the packed kernel keeps.</summary>
        public const long PackedFilterBlock = 4;

        /// <summary>
        /// The float kernel of a layer, first match wins. <paramref name="ownsWeights"/>: the weights
        /// are a constant only this node reads (not a graph output), so they may be stored packed for
        /// the panel kernels; shared or runtime weights keep their layout and the older kernels.
        /// <paramref name="budgetBytes"/>: the arena bytes free at the node's step. The panel kernel's
        /// padded source copy is about the size of the input, so it runs only where it and one row of
        /// tile fit in the free bytes (it never raises the arena's peak); elsewhere, typically at the
        /// layers that set the peak, im2col runs with the tile that fits. Depthwise choices do not depend
        /// on the budget (the planner asks before the budget is known, for <c>CanRunInPlaceWhenSmaller</c>).
        /// </summary>
        public static string ChooseFloat(ConvGeometry g, bool ownsWeights, long budgetBytes = long.MaxValue)
        {
            var panels = ownsWeights ? PanelGeometry.For(g) : null;
            if (panels is not null && (panels.InPlace || 4 * (panels.SourceElements + g.Filters * panels.PhaseW) <= budgetBytes))
                return panels.FiltersInLanes ? TransposedPointwise : panels.InPlace ? PanelsPointwise : Panels;
            if (g.IsPointwise) return Pointwise;
            if (g.Group == 1 && g.Filters >= 4 && MinTile * g.Depth <= MaxPatchFloats) return Im2col;
            if (g.IsDepthwiseMasked && g.MaskedPlaneElements <= MaxPlaneElements && g.OutH * g.OutW * g.Kernel[1] <= MaxMaskInts) return DepthwiseMasked;
            if (g.ChannelsPerGroup == 1 && g.FiltersPerGroup == 1)
            {
                var layout = PhaseLayout.For(g, 1);
                if (layout.PhaseW >= g.OutW && layout.Elements(DepthwiseSteps(g, layout)) <= MaxPlaneElements) return DepthwisePlane;
            }
            return Direct;
        }

        /// <summary>Outputs the depthwise plane kernel computes per channel: up to the last valid column at phase width, in whole 16-wide vector steps.</summary>
        public static long DepthwiseSteps(ConvGeometry g, PhaseLayout layout) => ((g.OutH - 1) * layout.PhaseW + g.OutW + 15) / 16 * 16;

        /// <summary>
        /// Pixels per im2col tile: as many as fit in <paramref name="budgetBytes"/> (the arena bytes
        /// free at the node's step, so the patch does not raise the peak), at least one vector step,
        /// at most <see cref="MaxPatchFloats"/> floats of patch.
        /// </summary>
        public static long FloatTile(ConvGeometry g, long budgetBytes)
        {
            long cap = Math.Max(MinTile, MaxPatchFloats / g.Depth / MinTile * MinTile);
            long fits = Math.Max(0, budgetBytes) / (4 * g.Depth) / MinTile * MinTile;
            return Math.Min(g.Pixels, Math.Max(MinTile, Math.Min(cap, fits)));
        }

        /// <summary>
        /// Output rows per tile of the panel kernel: as many as fit in <paramref name="budgetBytes"/>
        /// after the padded source copy, at least one, at most <see cref="PanelGeometry.MaxTileFloats"/>
        /// floats of tile; then spread evenly (16 rows in 2 × 8, not 15 + 1).
        /// </summary>
        public static long PanelTileRows(PanelGeometry p, long budgetBytes)
        {
            long rowFloats = p.Geometry.Filters * p.PhaseW;
            long cap = Math.Max(1, Math.Min(p.Geometry.OutH, PanelGeometry.MaxTileFloats / rowFloats));
            long fits = Math.Max(0, budgetBytes - 4 * p.SourceElements) / (4 * rowFloats);
            long rows = Math.Max(1, Math.Min(cap, fits));
            long tiles = (p.Geometry.OutH + rows - 1) / rows;
            return (p.Geometry.OutH + tiles - 1) / tiles;
        }

        public static ScratchBuffer[] FloatScratch(ConvGeometry g, string kernel, long tile)
        {
            switch (kernel)
            {
                case Im2col:
                    return new[] { new ScratchBuffer("patch", DataType.Float32, g.Depth * tile) };
                case DepthwisePlane:
                {
                    var layout = PhaseLayout.For(g, 1);
                    long steps = DepthwiseSteps(g, layout);
                    return new[]
                    {
                        new ScratchBuffer("padded", DataType.Float32, layout.Elements(steps)),
                        new ScratchBuffer("sums", DataType.Float32, steps),
                    };
                }
                case DepthwiseMasked:
                    return new[] { new ScratchBuffer("padded", DataType.Float32, g.MaskedPlaneElements) };
                case Panels:
                {
                    var p = PanelGeometry.For(g) ?? throw new InvalidOperationException("Conv: panel kernel chosen for a layer it does not fit.");
                    return new[]
                    {
                        new ScratchBuffer("source", DataType.Float32, p.SourceElements),
                        new ScratchBuffer("tile", DataType.Float32, g.Filters * tile * p.PhaseW),
                    };
                }
                case TransposedPointwise:
                    return new[]
                    {
                        new ScratchBuffer("xT", DataType.Float32, g.Pixels * g.Channels),
                        new ScratchBuffer("yT", DataType.Float32, g.Pixels * g.Filters),
                    };
                default:
                    return ScratchBuffer.None;
            }
        }

        /// <summary>
        /// int8 × int8 with an int32 accumulator runs a vector kernel; zero weight zero points allow
        /// the plane and packed kernels (their expansion drops the w_zero terms).
        /// </summary>
        public static string ChooseInteger(ConvGeometry g, DataType xType, DataType wType, bool wide, long[] wZero)
        {
            bool simd = !wide && xType == DataType.Int8 && wType == DataType.Int8 && g.Depth <= 4096 && g.Filters <= 4096;
            bool anyWz = false;
            foreach (long z in wZero) anyWz |= z != 0;
            if (simd && !anyWz && g.IsDepthwiseStride1 && g.PaddedH * g.PaddedW <= MaxPlaneElements) return DepthwisePlane;
            if (simd && !anyWz && g.Group == 1 && g.Depth % 4 == 0 && g.Filters >= 4 && g.Depth <= 2048 && g.Filters <= 1024) return PackedGemm;
            return simd ? PatchDot : Direct;
        }

        /// <summary>Filters per register block of the channel-last GEMM (two 8-lane int32 vectors).</summary>
        public const long ChannelLastFilterBlock = 16;

        /// <summary>
        /// Longs of working rows the portable (Vector128) channel-last kernels use for a patch depth or
        /// tap count of <paramref name="rows"/>: 16 multipliers, 48 ints of bases/shifts/sums, and
        /// 16 int16 weights per row; 0 past 256 rows, where that path is not taken.
        /// </summary>
        public static long ChannelLastLaneWords(long rows) => rows <= 256 ? 16 + 24 + 4 * rows : 0;

        /// <summary>Channels per step of the channel-last depthwise kernel (four 8-lane int32 vectors).</summary>
        public const long ChannelLastChannelBlock = 32;

        /// <summary>
        /// The channel-last kernel a QLinearConv could run, or null. Requires int8 in, weights and out,
        /// a 32-bit accumulator, weight zero points 0, and a requantization whose every quotient fits
        /// int32 (multiplier &lt; 2^shift, so |q| ≤ |acc|) with 1 ≤ shift ≤ 61, the range of the exact
        /// 32-bit-lane vector requantization. GEMM: group 1, K a multiple of 4, filters a multiple of
        /// <see cref="ChannelLastFilterBlock"/>; depthwise: stride 1, same-size output, channels a
        /// multiple of <see cref="ChannelLastChannelBlock"/>.
        /// </summary>
        public static string? ChannelLastKernel(Node node)
        {
            if (node.OpType != "QLinearConv" || node.Inputs[0]!.Type != DataType.Int8 || node.Inputs[1]!.Type != DataType.Int8 || node.Outputs[0].Type != DataType.Int8) return null;
            var a = node.Attributes;
            if (a.GetInt("wide", 0) != 0) return null;
            foreach (long z in a.GetInts("w_zero_points") ?? new long[] { 0 }) if (z != 0) return null;
            long[]? multipliers = a.GetInts("multipliers"), shifts = a.GetInts("shifts");
            if (multipliers is null || shifts is null || multipliers.Length != shifts.Length) return null;
            for (int i = 0; i < shifts.Length; i++)
                if (shifts[i] < 1 || shifts[i] > 61 || multipliers[i] < 0 || multipliers[i] >= 1L << (int)shifts[i]) return null;
            var g = ConvOperator.Geometry(node);
            if (g.Group == 1 && g.Depth % 4 == 0 && g.Depth <= 4096 && g.Filters % ChannelLastFilterBlock == 0 && g.Filters <= 4096) return ChannelLastGemm;
            if (g.IsDepthwiseStride1 && g.Channels % ChannelLastChannelBlock == 0 && g.Taps <= 64) return ChannelLastDepthwise;
            return null;
        }

        /// <summary>Pixels per patch of the channel-last GEMM over an NCHW input: what fits the budget, in steps of 4, at least 4.</summary>
        public static long ChannelLastTile(ConvGeometry g, long budgetBytes)
        {
            long cap = Math.Max(4, MaxPatchBytes / g.Depth / 4 * 4);
            long fits = Math.Max(0, budgetBytes) / g.Depth / 4 * 4;
            return Math.Min(g.Pixels, Math.Max(4, Math.Min(cap, fits)));
        }

        /// <summary>
        /// Pixels per packed int8 tile: as <see cref="FloatTile"/> for the patch (K bytes per pixel)
        /// plus <see cref="PackedFilterBlock"/> rows of int32 sums, in multiples of <see cref="MinIntegerTile"/>.
        /// </summary>
        public static long IntegerTile(ConvGeometry g, long budgetBytes)
        {
            long cap = Math.Max(MinIntegerTile, MaxPatchBytes / g.Depth / MinIntegerTile * MinIntegerTile);
            long fits = Math.Max(0, budgetBytes) / (g.Depth + 4 * PackedFilterBlock) / MinIntegerTile * MinIntegerTile;
            return Math.Min(g.Pixels, Math.Max(MinIntegerTile, Math.Min(cap, fits)));
        }

        /// <summary>Patch row stride of the packed kernel: the tile rounded up to whole 16-pixel vector steps.</summary>
        public static long PackedStride(long tile) => (tile + 15) / 16 * 16;

        /// <summary>
        /// Scratch of the integer kernels. <paramref name="vectorRequantize"/>: int8 output of
        /// QLinearConv, requantized a row at a time; <paramref name="constantWeights"/>: the weights
        /// (and bias) are build-time constants, so per-filter sums are literals rather than buffers.
        /// </summary>
        public static ScratchBuffer[] IntegerScratch(ConvGeometry g, string kernel, long tile, bool vectorRequantize, bool constantWeights, bool constantBias)
        {
            var parts = new System.Collections.Generic.List<ScratchBuffer>();
            if (kernel != Direct && !(constantWeights && constantBias)) parts.Add(new ScratchBuffer("filterBase", DataType.Int32, g.Filters));
            switch (kernel)
            {
                case DepthwisePlane:
                    parts.Add(new ScratchBuffer("padded", DataType.Int8, g.PaddedPlaneElements + Int8PlaneSlack));
                    parts.Add(new ScratchBuffer("sums", DataType.Int32, g.PlaneSteps));
                    if (vectorRequantize) parts.Add(new ScratchBuffer("rowBytes", DataType.Int8, g.PlaneSteps)); // requantized in whole 8-value steps
                    break;
                case PackedGemm:
                    if (!constantWeights) parts.Add(new ScratchBuffer("weightSums", DataType.Int32, g.Filters));
                    parts.Add(new ScratchBuffer("patch", DataType.Int8, g.Depth * PackedStride(tile)));
                    parts.Add(new ScratchBuffer("sums", DataType.Int32, PackedFilterBlock * PackedStride(tile)));
                    break;
                case PatchDot:
                    parts.Add(new ScratchBuffer("patch", DataType.Int8, g.Depth));
                    break;
                case ChannelLastGemm:
                    if (tile > 0) parts.Add(new ScratchBuffer("patch", DataType.Int8, g.Depth * tile));
                    if (ChannelLastLaneWords(g.Depth) > 0) parts.Add(new ScratchBuffer("lanes", DataType.Int64, ChannelLastLaneWords(g.Depth)));
                    break;
                case ChannelLastDepthwise:
                    parts.Add(new ScratchBuffer("padRow", DataType.Int8, g.Channels)); // the bytes a tap outside the input reads
                    parts.Add(new ScratchBuffer("lanes", DataType.Int64, ChannelLastLaneWords(g.Taps)));
                    break;
            }
            return parts.ToArray();
        }
    }
}
