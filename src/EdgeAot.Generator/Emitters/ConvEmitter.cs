using System.Collections.Generic;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// 2-D convolution (1-D arrives as height 1), NCHW, with the strategy the compiler chose per
    /// layer (<see cref="ConvKernels"/>, the node's <c>kernel</c> attribute):
    /// <list type="bullet">
    /// <item>Pointwise (1×1, stride 1, no pad, group 1): Y[M, HW] = W[M, C]·X[C, HW], one call to the
    /// register-blocked Gemm kernel straight on the activations (no copy).</item>
    /// <item>im2col (group 1): patches of <c>tile</c> output pixels (K = C·kh·kw rows × T pixels) in
    /// arena scratch, then Gemm. Cost model: packing moves K·P values once while the product does
    /// M·K·P MACs, so with M ≥ 4 filters the copy is under a quarter of the work and the product
    /// runs at vector speed; the planner picks the largest tile that fits in the arena bytes free
    /// at the layer (at least 16 pixels, at most 64 KiB of patch).</item>
    /// <item>Depthwise with stride 1: a zero-padded copy of each channel and one vector pass over
    /// all taps (see EmitDepthwisePlane); it may run in place.</item>
    /// <item>Other depthwise, grouped and the rest: direct. For each output channel the plane starts at the
    /// bias; every (input channel, tap) pair adds weight × a shifted input row over the output
    /// range where the tap is inside the input (no bounds test in the inner loop), a vector Axpy
    /// when the row is contiguous (stride 1).</item>
    /// </list>
    /// The fused activation runs once over the finished output.
    /// </summary>
    internal sealed class ConvEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Conv" };

        public override string InputName(NodePlan node, int index) => index switch { 0 => "x", 1 => "w", _ => "b" };

        public override string Describe(EmitContext context)
        {
            var n = context.Node;
            long[] k = n.GetInts("kernel_shape"), s = n.GetInts("strides"), p = n.GetInts("pads"), d = n.GetInts("dilations");
            long group = n.GetInt("group", 1);
            string kind = group > 1 && group == context.InputShape(0)[1] ? "depthwise " : group > 1 ? "grouped " : k[0] * k[1] == 1 ? "pointwise " : "";
            return kind + k[0] + "x" + k[1] + ", stride " + s[0] + "x" + s[1] + ", pads " + p[0] + "," + p[1] + "," + p[2] + "," + p[3]
                + (d[0] * d[1] != 1 ? ", dilation " + d[0] + "x" + d[1] : "") + (group > 1 ? ", group " + group : "") + ActivationEpilogue.Describe(n);
        }

        public override void EmitBody(EmitContext context)
        {
            var n = context.Node;
            long[] xs = context.InputShape(0), ys = context.OutputShape(0);
            long[] k = n.GetInts("kernel_shape"), s = n.GetInts("strides"), p = n.GetInts("pads"), d = n.GetInts("dilations");
            var g = new ConvGeometry(xs, ys, n.GetInt("group", 1), k, s, p, d);
            long batch = g.Batch, channels = g.Channels, filters = g.Filters, group = g.Group;
            long inH = g.InH, inW = g.InW, outH = g.OutH, outW = g.OutW;
            long channelsPerGroup = g.ChannelsPerGroup, filtersPerGroup = g.FiltersPerGroup;
            string I(long v) => Literals.Int(v);

            var w = context.Writer;
            switch (n.GetString("kernel", ""))
            {
                case ConvKernels.Pointwise:
                    EmitPointwise(context, batch, channels, filters, g.Pixels);
                    return;
                case ConvKernels.Im2col:
                    EmitIm2colGemm(context, g, n.GetInt("tile", 0));
                    return;
                case ConvKernels.DepthwisePlane:
                    EmitDepthwisePlane(context, g);
                    return;
                case ConvKernels.Direct:
                    break;
                default:
                    throw new System.InvalidOperationException("Conv #" + n.Index + ": the plan names no kernel the emitter knows ('" + n.GetString("kernel", "") + "').");
            }
            if (batch == 1) w.Line("const int n = 0;");
            using (batch == 1 ? SourceWriter.BlockScope.None : w.Block("for (int n = 0; n < " + I(batch) + "; n++)"))
            using (w.Block("for (int m = 0; m < " + I(filters) + "; m++)"))
            {
                w.Line("var plane = y.Slice((" + Expr.Sum(0, Expr.Mul("n", filters), "m") + ") * " + I(outH * outW) + ", " + I(outH * outW) + ");");
                w.Line(context.HasInput(2) ? "plane.Fill(b[m]);" : "plane.Clear();");
                w.Line("int firstChannel = " + Expr.Sum(0, Expr.Mul("n", channels), group == 1 ? "0" : Expr.Mul("m / " + I(filtersPerGroup), channelsPerGroup)) + ";");
                using (w.Block("for (int c = 0; c < " + I(channelsPerGroup) + "; c++)"))
                {
                    w.Line("var input = x.Slice((firstChannel + c) * " + I(inH * inW) + ", " + I(inH * inW) + ");");
                    w.Line("var taps = w.Slice((m * " + I(channelsPerGroup) + " + c) * " + I(k[0] * k[1]) + ", " + I(k[0] * k[1]) + ");");
                    using (w.Block("for (int kh = 0; kh < " + I(k[0]) + "; kh++)"))
                    {
                        // Output rows whose input row oh*stride + kh*dilation - pad lies inside the input.
                        w.Line("int rowOffset = " + Expr.Sum(-p[0], Expr.Mul("kh", d[0])) + ";");
                        w.Line("int oh0 = rowOffset >= 0 ? 0 : (-rowOffset + " + I(s[0] - 1) + ") / " + I(s[0]) + ";");
                        w.Line("int oh1 = " + I(inH - 1) + " - rowOffset < 0 ? 0 : global::System.Math.Min(" + I(outH) + ", (" + I(inH - 1) + " - rowOffset) / " + I(s[0]) + " + 1);");
                        using (w.Block("for (int kw = 0; kw < " + I(k[1]) + "; kw++)"))
                        {
                            w.Line("float weight = taps[kh * " + I(k[1]) + " + kw];");
                            w.Line("int colOffset = " + Expr.Sum(-p[1], Expr.Mul("kw", d[1])) + ";");
                            w.Line("int ow0 = colOffset >= 0 ? 0 : (-colOffset + " + I(s[1] - 1) + ") / " + I(s[1]) + ";");
                            w.Line("int ow1 = " + I(inW - 1) + " - colOffset < 0 ? 0 : global::System.Math.Min(" + I(outW) + ", (" + I(inW - 1) + " - colOffset) / " + I(s[1]) + " + 1);");
                            using (w.Block("for (int oh = oh0; oh < oh1; oh++)"))
                            {
                                w.Line("var outRow = plane.Slice(oh * " + I(outW) + ", " + I(outW) + ");");
                                w.Line("var inRow = input.Slice((" + Expr.Sum(0, Expr.Mul("oh", s[0]), "rowOffset") + ") * " + I(inW) + ", " + I(inW) + ");");
                                if (s[1] == 1)
                                    w.Line("if (ow1 > ow0) Axpy(weight, ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in inRow[ow0 + colOffset]), ref outRow[ow0], ow1 - ow0);");
                                else
                                    w.Line("for (int ow = ow0; ow < ow1; ow++) outRow[ow] += weight * inRow[" + Expr.Sum(0, Expr.Mul("ow", s[1]), "colOffset") + "];");
                            }
                        }
                    }
                }
                if (ActivationEpilogue.IsPresent(n))
                {
                    w.Line("for (int i = 0; i < plane.Length; i++) plane[i] = " + ActivationEpilogue.Apply(n, "plane[i]") + ";");
                }
            }
        }

        /// <summary>
        /// Depthwise, stride 1: each channel is copied into a zero-padded plane (padded width Wp), so
        /// tap (kh, kw) of output (oh, ow) reads plane[(oh·Wp + ow) + kh·dh·Wp + kw·dw]: one fixed
        /// offset per tap over the flattened output in padded-width coordinates. DepthwisePlane then
        /// keeps a vector of outputs in a register across all taps (no bounds tests, no per-row
        /// calls, which matters when rows are only a few pixels wide), and the valid columns are
        /// copied out. Extra work: the Wp − OW padding columns per row.
        /// </summary>
        private static void EmitDepthwisePlane(EmitContext context, ConvGeometry g)
        {
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            long channels = g.Channels, inH = g.InH, inW = g.InW, outH = g.OutH, outW = g.OutW, paddedW = g.PaddedW, taps = g.Taps, steps = g.PlaneSteps;
            bool inPlace = EmitContext.SameStorage(context.Input(0), context.Output(0));
            w.Line("// Depthwise stride 1 on a zero-padded " + I(g.PaddedH) + "x" + I(paddedW) + " plane: outputs at padded width, one tap offset each.");
            if (inPlace) w.Line("// In place: y overwrites x, each channel only after its plane was copied out.");
            context.DeclareScratch("padded", g.PaddedPlaneElements);
            w.Line("padded.Clear();");
            context.DeclareScratch("sums", steps);
            w.Line("global::System.ReadOnlySpan<int> offsets = " + context.ConstantTable("offsets", "int", g.PlaneTapOffsets()) + ";");
            using (w.Block("for (int n = 0; n < " + I(g.Batch) + "; n++)"))
            using (w.Block("for (int m = 0; m < " + I(channels) + "; m++)"))
            {
                w.Line("var input = x.Slice((n * " + I(channels) + " + m) * " + I(inH * inW) + ", " + I(inH * inW) + ");");
                w.Line("for (int r = 0; r < " + I(inH) + "; r++) input.Slice(r * " + I(inW) + ", " + I(inW) + ").CopyTo(padded.Slice(" + Expr.Sum(g.Pads[0] * paddedW + g.Pads[1], Expr.Mul("r", paddedW)) + ", " + I(inW) + "));");
                w.Line("DepthwisePlane(ref padded[0], ref sums[0], " + I(steps) + ", offsets, w.Slice(m * " + I(taps) + ", " + I(taps) + "), " + (context.HasInput(2) ? "b[m]" : "0f") + ");");
                w.Line("var plane = y.Slice((n * " + I(channels) + " + m) * " + I(outH * outW) + ", " + I(outH * outW) + ");");
                w.Line("for (int oh = 0; oh < " + I(outH) + "; oh++) sums.Slice(oh * " + I(paddedW) + ", " + I(outW) + ").CopyTo(plane.Slice(oh * " + I(outW) + ", " + I(outW) + "));");
                if (ActivationEpilogue.IsPresent(context.Node))
                    w.Line("for (int i = 0; i < plane.Length; i++) plane[i] = " + ActivationEpilogue.Apply(context.Node, "plane[i]") + ";");
            }
        }

        private static string Ref(string span, string index) => "ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in " + span + "[" + index + "])";

        private static void EmitPointwise(EmitContext context, long batch, long channels, long filters, long pixels)
        {
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            w.Line("// Pointwise: Y[" + I(filters) + ", " + I(pixels) + "] = W[" + I(filters) + ", " + I(channels) + "] * X[" + I(channels) + ", " + I(pixels) + "] (+ bias).");
            using (w.Block("for (int n = 0; n < " + I(batch) + "; n++)"))
            {
                w.Line("Gemm(" + I(filters) + ", " + I(pixels) + ", " + I(channels) + ", " + Ref("w", "0") + ", " + I(channels) + ", "
                    + Ref("x", "n * " + I(channels * pixels)) + ", " + I(pixels) + ", ref y[n * " + I(filters * pixels) + "], " + I(pixels) + ", "
                    + (context.HasInput(2) ? "b" : "default") + ");");
            }
            EmitActivation(context);
        }

        private static void EmitIm2colGemm(EmitContext context, ConvGeometry g, long tile)
        {
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            long batch = g.Batch, channels = g.Channels, filters = g.Filters, inH = g.InH, inW = g.InW, outW = g.OutW;
            long[] k = g.Kernel, s = g.Strides, p = g.Pads, d = g.Dilations;
            long pixels = g.Pixels, depth = g.Depth;
            w.Line("// im2col + Gemm: tiles of " + I(tile) + " output pixels; patch rows (c, kh, kw) = " + I(depth) + ", zero where the tap falls in the padding.");
            context.DeclareScratch("patch", depth * tile);
            using (w.Block("for (int n = 0; n < " + I(batch) + "; n++)"))
            {
                w.Line("var input = x.Slice(n * " + I(channels * inH * inW) + ", " + I(channels * inH * inW) + ");");
                using (w.Block("for (int p0 = 0; p0 < " + I(pixels) + "; p0 += " + I(tile) + ")"))
                {
                    w.Line("int count = global::System.Math.Min(" + I(tile) + ", " + I(pixels) + " - p0);");
                    w.Line("int row = 0;");
                    using (w.Block("for (int c = 0; c < " + I(channels) + "; c++)"))
                    using (w.Block("for (int kh = 0; kh < " + I(k[0]) + "; kh++)"))
                    using (w.Block("for (int kw = 0; kw < " + I(k[1]) + "; kw++, row++)"))
                    {
                        w.Line("var dst = patch.Slice(row * " + I(tile) + ", count);");
                        w.Line("int oh = p0 / " + I(outW) + ", ow = p0 - oh * " + I(outW) + ";");
                        using (w.Block("for (int t = 0; t < count; t++)"))
                        {
                            w.Line("int ih = " + Expr.Sum(-p[0], Expr.Mul("oh", s[0]), Expr.Mul("kh", d[0])) + ", iw = " + Expr.Sum(-p[1], Expr.Mul("ow", s[1]), Expr.Mul("kw", d[1])) + ";");
                            // unchecked: the casts turn a negative (padding) coordinate into a large unsigned one on purpose,
                            // and must not throw in a consumer built with CheckForOverflowUnderflow.
                            w.Line("dst[t] = unchecked((uint)ih) < " + I(inH) + "u && unchecked((uint)iw) < " + I(inW) + "u ? input[(c * " + I(inH) + " + ih) * " + I(inW) + " + iw] : 0f;");
                            w.Line("if (++ow == " + I(outW) + ") { ow = 0; oh++; }");
                        }
                    }
                    w.Line("Gemm(" + I(filters) + ", count, " + I(depth) + ", " + Ref("w", "0") + ", " + I(depth) + ", ref patch[0], " + I(tile) + ", ref y[n * " + I(filters * pixels) + " + p0], "
                        + I(pixels) + ", " + (context.HasInput(2) ? "b" : "default") + ");");
                }
            }
            EmitActivation(context);
        }

        private static void EmitActivation(EmitContext context)
        {
            if (!ActivationEpilogue.IsPresent(context.Node)) return;
            context.Line("for (int i = 0; i < y.Length; i++) y[i] = " + ActivationEpilogue.Apply(context.Node, "y[i]") + ";");
        }
    }
}
