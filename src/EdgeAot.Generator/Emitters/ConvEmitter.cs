using System.Collections.Generic;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// 2-D convolution (1-D arrives as height 1), NCHW, with the strategy chosen per layer (all shapes
    /// are build-time constants), first match wins:
    /// <list type="bullet">
    /// <item>Group 1, ≥ 4 filters, float weights read only by this layer (<see cref="PanelGeometry"/>):
    /// the weights are stored packed in 8-filter panels and GemmPanels runs the product with an
    /// 8 × 32 register tile and no im2col copy. Pointwise layers read the activations in place;
    /// others read a zero-padded, stride-phase-split copy of the input through one offset per tap
    /// (implicit im2col, see <see cref="PhaseLayout"/>); pointwise over fewer than 16 pixels runs
    /// transposed with filters in the vector lanes. The copy is C·H·W values against M·K·P MACs.</item>
    /// <item>Pointwise with runtime or shared weights: Gemm straight on the activations.</item>
    /// <item>Other group-1 convolutions with ≥ 4 filters: im2col per tile of output pixels into a
    /// bounded stack buffer (K = C·kh·kw rows × T pixels), then Gemm; used when the panel path does
    /// not apply (weights not constant, or the padded copy over its bound).</item>
    /// <item>Depthwise, stride 1, rows narrower than 16 with same-width output: the channel read in
    /// place between zero rows, masked taps (EmitDepthwiseMasked, no per-row copies).</item>
    /// <item>Other depthwise: a zero-padded (stride-phase) plane per channel and one vector pass over
    /// all taps (EmitDepthwisePlane).</item>
    /// <item>Grouped and the rest: direct. For each output channel the plane starts at the
    /// bias; every (input channel, tap) pair adds weight × a shifted input row over the output
    /// range where the tap is inside the input (no bounds test in the inner loop), a vector Axpy
    /// when the row is contiguous (stride 1).</item>
    /// </list>
    /// A fused Relu/Clip is applied by the copy-out or one vector pass; other activations by a loop
    /// over the finished output.
    /// </summary>
    internal sealed class ConvEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Conv" };

        /// <summary>Bound on the column-mask table of DepthwiseMasked (ints, a constant of the generated class): 8,192 = 32 KiB.</summary>
        internal const long MaxMaskInts = 8192;

        /// <summary>Bound on the im2col stack buffer (floats): 16,384 × 4 bytes = 64 KiB.</summary>
        internal const long MaxPackedFloats = 16384;

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
            long batch = xs[0], channels = xs[1], filters = ys[1], group = n.GetInt("group", 1);
            long inH = xs.Length == 4 ? xs[2] : 1, inW = xs[xs.Length - 1];
            long outH = ys.Length == 4 ? ys[2] : 1, outW = ys[ys.Length - 1];
            long channelsPerGroup = channels / group, filtersPerGroup = filters / group;
            string I(long v) => Literals.Int(v);

            var w = context.Writer;
            long pixels = outH * outW, depth = channels * k[0] * k[1];
            var panels = PanelGeometry.For(context.Plan, n);
            if (panels is not null)
            {
                EmitPanels(context, panels);
                return;
            }
            if (group == 1 && k[0] * k[1] == 1 && s[0] * s[1] == 1 && p[0] + p[1] + p[2] + p[3] == 0 && inH * inW == pixels)
            {
                EmitPointwise(context, batch, channels, filters, pixels);
                return;
            }
            if (group == 1 && filters >= 4 && 16 * depth <= MaxPackedFloats)
            {
                EmitIm2colGemm(context, batch, channels, filters, inH, inW, outH, outW, k, s, p, d);
                return;
            }
            if (channelsPerGroup == 1 && filtersPerGroup == 1 && s[0] == 1 && s[1] == 1 && outW == inW && inW < 16
                && (outH * outW + (k[0] - 1) * d[0] * inW + (k[1] - 1) * d[1]) <= MaxPackedFloats && outH * outW * k[1] <= MaxMaskInts)
            {
                EmitDepthwiseMasked(context, batch, channels, inH, inW, outH, k, p, d);
                return;
            }
            if (channelsPerGroup == 1 && filtersPerGroup == 1)
            {
                var layout = PhaseLayout.Build(1, inH, inW, k, s, p, d);
                if (layout.Floats(DepthwiseSteps(layout, outH, outW)) <= MaxPackedFloats && layout.PhaseW >= outW)
                {
                    EmitDepthwisePlane(context, batch, channels, outH, outW, layout);
                    return;
                }
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
        /// Depthwise: each channel is copied into a zero-padded plane, split into stride phases when the
        /// stride is above 1 (see <see cref="PhaseLayout"/>), so tap (kh, kw) of every output reads at
        /// one fixed offset from the output's column q = oh·Wq + ow. DepthwisePlane keeps a vector of
        /// outputs in a register across all taps (no bounds tests, no per-row calls, which matters when
        /// rows are only a few pixels wide), and the valid columns are copied out with the activation
        /// applied on the way. Extra work: the Wq − OW padding columns per row.
        /// </summary>
        private static void EmitDepthwisePlane(EmitContext context, long batch, long channels, long outH, long outW, PhaseLayout layout)
        {
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            long inH = layout.InH, inW = layout.InW, wq = layout.PhaseW, taps = layout.Offsets.Length;
            long steps = DepthwiseSteps(layout, outH, outW);
            w.Line("// Depthwise on a zero-padded " + (layout.Phases > 1 ? I(layout.Phases) + "-phase " : "") + I(layout.PhaseH) + "x" + I(wq) + " plane: outputs at width " + I(wq) + ", one tap offset each.");
            w.Line("global::System.Span<float> padded = stackalloc float[" + I(layout.Floats(steps)) + "];");
            w.Line("padded.Clear();");
            w.Line("global::System.Span<float> sums = stackalloc float[" + I(steps) + "];");
            w.Line("global::System.ReadOnlySpan<int> offsets = " + context.ConstantTable("offsets", "int", layout.Offsets) + ";");
            using (w.Block("for (int n = 0; n < " + I(batch) + "; n++)"))
            using (w.Block("for (int m = 0; m < " + I(channels) + "; m++)"))
            {
                w.Line("var input = x.Slice((n * " + I(channels) + " + m) * " + I(inH * inW) + ", " + I(inH * inW) + ");");
                layout.EmitCopy(w, "input", "padded");
                w.Line("DepthwisePlane(ref padded[0], ref sums[0], " + I(steps) + ", offsets, w.Slice(m * " + I(taps) + ", " + I(taps) + "), " + (context.HasInput(2) ? "b[m]" : "0f") + ");");
                w.Line("var plane = y.Slice((n * " + I(channels) + " + m) * " + I(outH * outW) + ", " + I(outH * outW) + ");");
                string? clamp = ClampArguments(context);
                if (!ActivationEpilogue.IsPresent(context.Node))
                    w.Line("CopyRows(sums, 0, " + I(wq) + ", 1, plane, 0, " + I(outW) + ", " + I(outH) + ", " + I(outW) + ");");
                else if (clamp is not null)
                    w.Line("CopyRowsClamped(sums, 0, " + I(wq) + ", plane, 0, " + I(outW) + ", " + I(outH) + ", " + I(outW) + ", " + clamp + ");");
                else
                {
                    using (w.Block("for (int oh = 0; oh < " + I(outH) + "; oh++)"))
                    {
                        w.Line("var outRow = plane.Slice(oh * " + I(outW) + ", " + I(outW) + ");");
                        w.Line("var sumRow = sums.Slice(oh * " + I(wq) + ", " + I(outW) + ");");
                        w.Line("for (int ow = 0; ow < " + I(outW) + "; ow++) outRow[ow] = " + ActivationEpilogue.Apply(context.Node, "sumRow[ow]") + ";");
                    }
                }
            }
        }

        /// <summary>
        /// Depthwise, stride 1, narrow rows (W &lt; 16; wider rows run faster on the padded plane) and output as wide as the input: the channel is
        /// copied in one block between zero rows (no zero columns, so rows keep stride W) and output
        /// q = oh·W + ow is written in place: tap (kh, kw) reads q + kh·dh·W + kw·dw from the block start.
        /// A tap whose column leaves the row would read the next or previous row; a build-time mask per
        /// column shift zeroes those lanes (DepthwiseMasked). No per-row copies in or out.
        /// </summary>
        private static void EmitDepthwiseMasked(EmitContext context, long batch, long channels, long inH, long inW, long outH, long[] k, long[] p, long[] d)
        {
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            long plane = inH * inW, outputs = outH * inW, start = p[0] * inW + p[1];
            var offsets = new List<long>();
            var maskRows = new List<long>();
            var shifts = new List<long>();
            for (long kh = 0; kh < k[0]; kh++)
                for (long kw = 0; kw < k[1]; kw++)
                {
                    long shift = kw * d[1] - p[1];
                    if (!shifts.Contains(shift)) shifts.Add(shift);
                    offsets.Add(kh * d[0] * inW + kw * d[1]);
                    maskRows.Add(shifts.IndexOf(shift));
                }
            var masks = new long[shifts.Count * outputs];
            for (int r = 0; r < shifts.Count; r++)
                for (long q = 0; q < outputs; q++)
                {
                    long column = q % inW + shifts[r];
                    masks[r * outputs + q] = column >= 0 && column < inW ? -1 : 0;
                }
            long maxOffset = 0;
            foreach (long o in offsets) maxOffset = System.Math.Max(maxOffset, o);
            long size = System.Math.Max(start + plane, outputs + maxOffset);
            w.Line("// Depthwise on rows of " + I(inW) + " read in place between zero rows; lanes whose tap leaves the row are masked (" + I(shifts.Count) + " column shifts).");
            w.Line("global::System.Span<float> padded = stackalloc float[" + I(size) + "];");
            w.Line("padded.Clear();");
            w.Line("global::System.ReadOnlySpan<int> offsets = " + context.ConstantTable("offsets", "int", offsets.ToArray()) + ";");
            w.Line("global::System.ReadOnlySpan<int> maskRows = " + context.ConstantTable("maskRows", "int", maskRows.ToArray()) + ";");
            w.Line("global::System.ReadOnlySpan<int> masks = " + context.ConstantTable("masks", "int", masks) + ";");
            using (w.Block("for (int n = 0; n < " + I(batch) + "; n++)"))
            using (w.Block("for (int m = 0; m < " + I(channels) + "; m++)"))
            {
                w.Line("x.Slice((n * " + I(channels) + " + m) * " + I(plane) + ", " + I(plane) + ").CopyTo(padded.Slice(" + I(start) + ", " + I(plane) + "));");
                w.Line("var plane = y.Slice((n * " + I(channels) + " + m) * " + I(outputs) + ", " + I(outputs) + ");");
                w.Line("DepthwiseMasked(ref padded[0], ref plane[0], " + I(outputs) + ", offsets, maskRows, masks, w.Slice(m * " + I(offsets.Count) + ", " + I(offsets.Count) + "), " + (context.HasInput(2) ? "b[m]" : "0f") + ");");
            }
            EmitActivation(context);
        }

        /// <summary>Outputs DepthwisePlane computes: up to the last valid column, in whole 16-wide vector steps.</summary>
        private static long DepthwiseSteps(PhaseLayout layout, long outH, long outW) => ((outH - 1) * layout.PhaseW + outW + 15) / 16 * 16;

        /// <summary>Stores the weights of a layer that runs <see cref="EmitPanels"/> as 8-filter panels (see GemmPanels).</summary>
        public override byte[]? PackConstantInput(ModelPlan plan, NodePlan node, int index)
        {
            var g = index == 1 ? PanelGeometry.For(plan, node) : null;
            if (g is null) return null;
            byte[] data = plan.Tensor(node.Input(1)).Data.ToArray();
            if (g.FiltersInLanes) return GemmEmitter.PackColumnPanels(data, g.Depth, g.Filters, transposed: true);
            long panels = (g.Filters + 7) / 8;
            var packed = new byte[panels * 8 * g.Depth * 4];
            for (long m = 0; m < g.Filters; m++)
                for (long t = 0; t < g.Depth; t++)
                    System.Array.Copy(data, (m * g.Depth + t) * 4, packed, ((m / 8 * g.Depth + t) * 8 + m % 8) * 4, 4);
            return packed;
        }

        /// <summary>
        /// Group-1 convolution as one product with build-time packed weights and no im2col copy (GemmPanels).
        /// Pointwise layers read the activations in place (B row c = input channel c). Other layers copy
        /// the input once into a zero-padded buffer split into stride phases: phase (a, b) holds padded
        /// rows a, a + sh, ... and columns b, b + sw, ... of every channel, each plane Hq × Wq. Output
        /// (oh, ow) is column q = oh·Wq + ow, and tap (c, kh, kw) reads phase (kh·dh % sh, kw·dw % sw)
        /// of channel c at q + (kh·dh / sh)·Wq + kw·dw / sw: one constant offset per tap, contiguous in q,
        /// for any stride and dilation. Columns q with ow ≥ OW are computed and dropped (Wq − OW per row);
        /// the product goes to a tile of whole rows at width Wq and the valid columns are copied out.
        /// </summary>
        private static void EmitPanels(EmitContext context, PanelGeometry g)
        {
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            string bias = context.HasInput(2) ? "b" : "default";
            if (g.FiltersInLanes)
            {
                long c = g.Depth, m = g.Filters, px = g.Pixels, panel = GemmEmitter.PanelColumns;
                w.Line("// Pointwise over " + I(px) + " pixels, transposed so filters fill the vector lanes: Y^T[" + I(px) + ", " + I(m) + "] = X^T[" + I(px) + ", " + I(c) + "] * W^T[" + I(c) + ", " + I(m) + "],");
                w.Line("// W^T packed at build time in column panels of " + I(panel) + "; bias and activation applied while transposing back.");
                w.Line("global::System.Span<float> xT = stackalloc float[" + I(px * c) + "];");
                w.Line("global::System.Span<float> yT = stackalloc float[" + I(px * m) + "];");
                using (w.Block("for (int n = 0; n < " + I(g.Batch) + "; n++)"))
                {
                    w.Line("for (int c = 0; c < " + I(c) + "; c++) for (int p = 0; p < " + I(px) + "; p++) xT[p * " + I(c) + " + c] = x[" + Expr.Sum(0, Expr.Mul("n", c * px), Expr.Mul("c", px), "p") + "];");
                    using (w.Block("for (int p0 = 0; p0 < " + I(m) + "; p0 += " + I(panel) + ")"))
                    {
                        w.Line("int width = global::System.Math.Min(" + I(panel) + ", " + I(m) + " - p0);");
                        w.Line("Gemm(" + I(px) + ", width, " + I(c) + ", ref xT[0], " + I(c) + ", " + Ref("w", "p0 * " + I(c)) + ", width, ref yT[p0], " + I(m) + ", default);");
                    }
                    string value = "yT[p * " + I(m) + " + m]" + (context.HasInput(2) ? " + b[m]" : "");
                    w.Line("for (int m = 0; m < " + I(m) + "; m++) for (int p = 0; p < " + I(px) + "; p++) y[" + Expr.Sum(0, Expr.Mul("n", m * px), Expr.Mul("m", px), "p") + "] = " + ActivationEpilogue.Apply(context.Node, value) + ";");
                }
                return;
            }
            if (g.InPlace)
            {
                w.Line("// Pointwise: Y[" + I(g.Filters) + ", " + I(g.Pixels) + "] = W[" + I(g.Filters) + ", " + I(g.Depth) + "] * X[" + I(g.Depth) + ", " + I(g.Pixels) + "] (+ bias), weights packed in 8-filter panels.");
                w.Line("global::System.ReadOnlySpan<int> rows = " + context.ConstantTable("rows", "int", g.Offsets) + ";");
                using (w.Block("for (int n = 0; n < " + I(g.Batch) + "; n++)"))
                    w.Line("GemmPanels(" + I(g.Filters) + ", " + I(g.Pixels) + ", w, rows, " + Ref("x", "n * " + I(g.Channels * g.Pixels)) + ", ref y[n * " + I(g.Filters * g.Pixels) + "], " + I(g.Pixels) + ", " + bias + ");");
                EmitActivation(context);
                return;
            }
            var layout = g.Layout!;
            long wq = g.PhaseW;
            string? clamp = ClampArguments(context);
            w.Line("// Implicit im2col: input copied into " + (layout.StrideH * layout.StrideW > 1 ? I(layout.Phases) + " stride phase(s) of " : "") + I(g.Channels) + " zero-padded "
                + I(layout.PhaseH) + "x" + I(wq) + " planes; " + I(g.Depth) + " tap offsets; outputs at width " + I(wq) + " in tiles of " + I(g.TileRows) + " row(s), valid " + I(g.OutW) + " columns copied out.");
            w.Line("global::System.Span<float> source = stackalloc float[" + I(g.SourceFloats) + "];");
            w.Line("global::System.Span<float> tile = stackalloc float[" + I(g.Filters * g.TileRows * wq) + "];");
            w.Line("global::System.ReadOnlySpan<int> taps = " + context.ConstantTable("taps", "int", g.Offsets) + ";");
            using (w.Block("for (int n = 0; n < " + I(g.Batch) + "; n++)"))
            {
                w.Line("source.Clear();");
                w.Line("var input = x.Slice(n * " + I(g.Channels * g.InH * g.InW) + ", " + I(g.Channels * g.InH * g.InW) + ");");
                layout.EmitCopy(w, "input", "source");
                using (w.Block("for (int oh0 = 0; oh0 < " + I(g.OutH) + "; oh0 += " + I(g.TileRows) + ")"))
                {
                    w.Line("int tileRows = global::System.Math.Min(" + I(g.TileRows) + ", " + I(g.OutH) + " - oh0);");
                    w.Line("GemmPanels(" + I(g.Filters) + ", tileRows * " + I(wq) + ", w, taps, ref source[oh0 * " + I(wq) + "], ref tile[0], " + I(g.TileRows * wq) + ", " + bias + ");");
                    string target = "((n * " + I(g.Filters) + " + m) * " + I(g.OutH) + " + oh0) * " + I(g.OutW);
                    w.Line("for (int m = 0; m < " + I(g.Filters) + "; m++) " + (clamp is null
                        ? "CopyRows(tile, m * " + I(g.TileRows * wq) + ", " + I(wq) + ", 1, y, " + target + ", " + I(g.OutW) + ", tileRows, " + I(g.OutW) + ");"
                        : "CopyRowsClamped(tile, m * " + I(g.TileRows * wq) + ", " + I(wq) + ", y, " + target + ", " + I(g.OutW) + ", tileRows, " + I(g.OutW) + ", " + clamp + ");"));
                }
            }
            if (clamp is null) EmitActivation(context);
        }

        /// <summary>"min, max" of a fused Relu / Clip (applied by the copy-out kernels), or null for none or another activation.</summary>
        private static string? ClampArguments(EmitContext context)
        {
            if (context.Node.GetString("activation", "") != "Clip") return null;
            return Literals.Float(context.Node.GetFloat("activation_min", float.NegativeInfinity)) + ", " + Literals.Float(context.Node.GetFloat("activation_max", float.PositiveInfinity));
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

        private static void EmitIm2colGemm(EmitContext context, long batch, long channels, long filters, long inH, long inW, long outH, long outW, long[] k, long[] s, long[] p, long[] d)
        {
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            long pixels = outH * outW, depth = channels * k[0] * k[1];
            long tile = System.Math.Min(pixels, System.Math.Max(16, MaxPackedFloats / depth / 16 * 16));
            w.Line("// im2col + Gemm: tiles of " + I(tile) + " output pixels; patch rows (c, kh, kw) = " + I(depth) + ", zero where the tap falls in the padding.");
            w.Line("global::System.Span<float> patch = stackalloc float[" + I(depth * tile) + "];");
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
            if (context.Node.GetString("activation", "") == "Clip")
            {
                // Relu / Clip: one vector pass.
                float min = context.Node.GetFloat("activation_min", float.NegativeInfinity), max = context.Node.GetFloat("activation_max", float.PositiveInfinity);
                context.Line("Clamp(y, y, " + Literals.Float(min) + ", " + Literals.Float(max) + ");");
                return;
            }
            context.Line("for (int i = 0; i < y.Length; i++) y[i] = " + ActivationEpilogue.Apply(context.Node, "y[i]") + ";");
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
    internal sealed class PhaseLayout
    {
        public long Channels, InH, InW, StrideH, StrideW, PadTop, PadLeft, PhaseH, PhaseW, Plane, Phases;

        /// <summary>Stored index of phase (a, b), -1 when no tap reads it.</summary>
        public long[,] Slot = new long[0, 0];

        /// <summary>Buffer offset of tap (c, kh, kw), in the weights' order.</summary>
        public long[] Offsets = System.Array.Empty<long>();

        public long MaxOffset;

        public static PhaseLayout Build(long channels, long inH, long inW, long[] k, long[] s, long[] p, long[] d)
        {
            var l = new PhaseLayout { Channels = channels, InH = inH, InW = inW, StrideH = s[0], StrideW = s[1], PadTop = p[0], PadLeft = p[1] };
            l.PhaseH = (inH + p[0] + p[2] + s[0] - 1) / s[0];
            l.PhaseW = (inW + p[1] + p[3] + s[1] - 1) / s[1];
            l.Plane = l.PhaseH * l.PhaseW;
            l.Slot = new long[s[0], s[1]];
            for (long a = 0; a < s[0]; a++) for (long b = 0; b < s[1]; b++) l.Slot[a, b] = -1;
            for (long kh = 0; kh < k[0]; kh++)
                for (long kw = 0; kw < k[1]; kw++)
                    if (l.Slot[kh * d[0] % s[0], kw * d[1] % s[1]] < 0) l.Slot[kh * d[0] % s[0], kw * d[1] % s[1]] = l.Phases++;
            l.Offsets = new long[channels * k[0] * k[1]];
            for (long c = 0, t = 0; c < channels; c++)
                for (long kh = 0; kh < k[0]; kh++)
                    for (long kw = 0; kw < k[1]; kw++, t++)
                    {
                        long rowTap = kh * d[0], colTap = kw * d[1];
                        l.Offsets[t] = (l.Slot[rowTap % s[0], colTap % s[1]] * channels + c) * l.Plane + rowTap / s[0] * l.PhaseW + colTap / s[1];
                        l.MaxOffset = System.Math.Max(l.MaxOffset, l.Offsets[t]);
                    }
            return l;
        }

        /// <summary>Floats the buffer needs when <paramref name="columns"/> output columns are read from every tap offset.</summary>
        public long Floats(long columns) => System.Math.Max(Phases * Channels * Plane, MaxOffset + columns);

        /// <summary>
        /// Copies the input channels (<paramref name="input"/>: Channels × InH × InW) into their phase
        /// planes of <paramref name="buffer"/>, whose padding must already be zero.
        /// </summary>
        public void EmitCopy(SourceWriter w, string input, string buffer)
        {
            string I(long v) => Literals.Int(v);
            for (long a = 0; a < StrideH; a++)
            {
                // Input rows ih with (ih + PadTop) % sh == a land in row (ih + PadTop) / sh of phase row a.
                long ih0 = ((a - PadTop) % StrideH + StrideH) % StrideH;
                if (ih0 >= InH) continue;
                long rows = (InH - ih0 + StrideH - 1) / StrideH;
                for (long b = 0; b < StrideW; b++)
                {
                    if (Slot[a, b] < 0) continue;
                    long iw0 = ((b - PadLeft) % StrideW + StrideW) % StrideW;
                    if (iw0 >= InW) continue;
                    long count = (InW - iw0 + StrideW - 1) / StrideW;
                    string source = Expr.Sum(ih0 * InW + iw0, Channels == 1 ? "" : Expr.Mul("c", InH * InW));
                    string target = Expr.Sum(Slot[a, b] * Channels * Plane + (ih0 + PadTop) / StrideH * PhaseW + (iw0 + PadLeft) / StrideW, Channels == 1 ? "" : Expr.Mul("c", Plane));
                    string call = "CopyRows(" + input + ", " + source + ", " + I(StrideH * InW) + ", " + I(StrideW) + ", " + buffer + ", " + target + ", " + I(PhaseW) + ", " + I(rows) + ", " + I(count) + ");";
                    w.Line(Channels == 1 ? call : "for (int c = 0; c < " + I(Channels) + "; c++) " + call);
                }
            }
        }
    }

    /// <summary>
    /// Shapes, tap offsets and buffer sizes of a convolution run by ConvEmitter.EmitPanels, or null when
    /// the layer does not qualify: float, group 1, at least 4 filters, weights constant and read only by
    /// this node (they are stored packed), and the padded input copy and output tile within their bounds.
    /// The same answer decides the weight layout (PackConstantInput) and the kernel (EmitBody).
    /// </summary>
    internal sealed class PanelGeometry
    {
        /// <summary>Bound on the zero-padded, phase-split input copy: 32,768 floats = 128 KiB.</summary>
        internal const long MaxSourceFloats = 32768;

        /// <summary>Bound on the output tile (filters × whole rows at phase width): 8,192 floats = 32 KiB.</summary>
        internal const long MaxTileFloats = 8192;

        public long Batch, Channels, Filters, InH, InW, OutH, OutW, Depth, Pixels;
        public long PhaseW, SourceFloats, TileRows;

        /// <summary>The padded, phase-split input copy (null when <see cref="InPlace"/>).</summary>
        public PhaseLayout? Layout;

        /// <summary>Pointwise without stride or padding: the product reads the activations in place.</summary>
        public bool InPlace;

        /// <summary>
        /// Pointwise over fewer pixels than a Vector512 holds: the product runs transposed,
        /// Y^T[P, M] = X^T[P, C]·W^T[C, M], with filters in the vector lanes; the weights are stored as
        /// W^T in column panels of GemmEmitter.PanelColumns (the Gemm kernel's packed-B layout).
        /// </summary>
        public bool FiltersInLanes;

        /// <summary>Source offset of B row k = (c, kh, kw), the weights' own order.</summary>
        public long[] Offsets = System.Array.Empty<long>();

        public static PanelGeometry? For(ModelPlan plan, NodePlan node)
        {
            if (node.OpType != "Conv" || node.Inputs.Count < 2 || !WeightLayout.IsOnlyReader(plan, node, 1)) return null;
            var weights = plan.Tensor(node.Input(1));
            var x = plan.Tensor(node.Input(0));
            var y = plan.Tensor(node.Outputs[0]);
            if (weights.Type != EdgeAot.Compiler.Ir.DataType.Float32 || x.Type != EdgeAot.Compiler.Ir.DataType.Float32 || node.GetInt("group", 1) != 1) return null;
            if (node.Inputs.Count > 2 && node.Input(2) >= 0 && plan.Tensor(node.Input(2)).Type != EdgeAot.Compiler.Ir.DataType.Float32) return null;
            long[] xs = x.Shape.ToArray(), ys = y.Shape.ToArray();
            if (xs.Length < 3 || xs.Length > 4 || ys.Length != xs.Length) return null;
            long[] k = node.GetInts("kernel_shape"), s = node.GetInts("strides"), p = node.GetInts("pads"), d = node.GetInts("dilations");
            if (k.Length != 2 || s.Length != 2 || p.Length != 4 || d.Length != 2) return null;
            var g = new PanelGeometry
            {
                Batch = xs[0], Channels = xs[1], Filters = ys[1],
                InH = xs.Length == 4 ? xs[2] : 1, InW = xs[xs.Length - 1],
                OutH = ys.Length == 4 ? ys[2] : 1, OutW = ys[ys.Length - 1],
            };
            g.Depth = g.Channels * k[0] * k[1];
            g.Pixels = g.OutH * g.OutW;
            if (g.Filters < 4 || g.Pixels == 0 || g.Depth == 0) return null;
            if (k[0] * k[1] == 1 && s[0] * s[1] == 1 && p[0] + p[1] + p[2] + p[3] == 0 && g.InH * g.InW == g.Pixels)
            {
                g.InPlace = true;
                g.FiltersInLanes = g.Pixels < 16 && g.Filters >= 16;
                g.Offsets = new long[g.Depth];
                for (long c = 0; c < g.Depth; c++) g.Offsets[c] = c * g.Pixels;
                return g;
            }
            g.Layout = PhaseLayout.Build(g.Channels, g.InH, g.InW, k, s, p, d);
            g.PhaseW = g.Layout.PhaseW;
            g.Offsets = g.Layout.Offsets;
            // Reads reach offset + every computed column (OH rows at phase width).
            g.SourceFloats = g.Layout.Floats(g.OutH * g.PhaseW);
            if (g.SourceFloats > MaxSourceFloats || g.Filters * g.PhaseW > MaxTileFloats || g.PhaseW < g.OutW) return null;
            long maxRows = System.Math.Min(g.OutH, MaxTileFloats / (g.Filters * g.PhaseW));
            long tiles = (g.OutH + maxRows - 1) / maxRows;
            g.TileRows = (g.OutH + tiles - 1) / tiles; // equal tiles: 16 rows in 2 × 8, not 15 + 1
            return g;
        }
    }
}
