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

        /// <summary>Depthwise stride 1: one channel at a time in a padded plane, taps at fixed offsets.</summary>
        public const string DepthwisePlane = "depthwise_plane";

        /// <summary>int8 group-1: patch packed for 4-byte dot products, tiles of <c>tile</c> pixels.</summary>
        public const string PackedGemm = "packed_gemm";

        /// <summary>int8 other groups: one patch per output pixel, a dot product per filter.</summary>
        public const string PatchDot = "patch_dot";

        /// <summary>Scalar loops over the window, no scratch.</summary>
        public const string Direct = "direct";

        /// <summary>Largest float im2col patch (16,384 floats, 64 KiB): bigger tiles gain nothing measurable.</summary>
        public const long MaxPatchFloats = 16384;

        /// <summary>Largest int8 packed patch in bytes (32 KiB).</summary>
        public const long MaxPatchBytes = 32768;

        /// <summary>Largest padded plane of the depthwise plane kernels, in elements.</summary>
        public const long MaxPlaneElements = 16384;

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

        public static string ChooseFloat(ConvGeometry g)
        {
            if (g.IsPointwise) return Pointwise;
            if (g.Group == 1 && g.Filters >= 4 && MinTile * g.Depth <= MaxPatchFloats) return Im2col;
            if (g.IsDepthwiseStride1 && g.PaddedH * g.PaddedW <= MaxPlaneElements) return DepthwisePlane;
            return Direct;
        }

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

        public static ScratchBuffer[] FloatScratch(ConvGeometry g, string kernel, long tile) => kernel switch
        {
            Im2col => new[] { new ScratchBuffer("patch", DataType.Float32, g.Depth * tile) },
            DepthwisePlane => new[]
            {
                new ScratchBuffer("padded", DataType.Float32, g.PaddedPlaneElements),
                new ScratchBuffer("sums", DataType.Float32, g.PlaneSteps),
            },
            _ => ScratchBuffer.None,
        };

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
            }
            return parts.ToArray();
        }
    }
}
