using System.Collections.Generic;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// 2-D convolution (1-D arrives as height 1), NCHW, with the strategy the compiler chose per
    /// layer (<see cref="ConvKernels.ChooseFloat"/>, the node's <c>kernel</c> attribute); every working
    /// buffer is arena scratch the compiler planned (<see cref="ConvKernels.FloatScratch"/>):
    /// <list type="bullet">
    /// <item>Panels (group 1, ≥ 4 filters, float weights read only by this layer, see
    /// <see cref="PanelGeometry"/>): the weights are stored packed in 8-filter panels and GemmPanels
    /// runs the product with an 8 × 32 register tile and no im2col copy. Pointwise layers read the
    /// activations in place; others read a zero-padded, stride-phase-split copy of the input through
    /// one offset per tap (implicit im2col, see <see cref="PhaseLayout"/>) into a tile of <c>tile</c>
    /// output rows; pointwise over fewer than 16 pixels runs transposed with filters in the vector
    /// lanes. The copy is C·H·W values against M·K·P MACs.</item>
    /// <item>Pointwise with runtime or shared weights: Gemm straight on the activations.</item>
    /// <item>im2col (other group-1 layers with ≥ 4 filters): patches of <c>tile</c> output pixels
    /// (K = C·kh·kw rows × T pixels), then Gemm; the planner picks the largest tile that fits in the
    /// arena bytes free at the layer (at least 16 pixels, at most 64 KiB of patch).</item>
    /// <item>Depthwise, stride 1, rows narrower than 16 with same-width output: the channel copied
    /// between zero rows, masked taps (EmitDepthwiseMasked, no per-row copies out).</item>
    /// <item>Other depthwise: a zero-padded (stride-phase) plane per channel and one vector pass over
    /// all taps (EmitDepthwisePlane). Both depthwise kernels may run in place.</item>
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
                case ConvKernels.Panels:
                case ConvKernels.PanelsPointwise:
                case ConvKernels.TransposedPointwise:
                    EmitPanels(context, g, n.GetString("kernel", ""));
                    return;
                case ConvKernels.Pointwise:
                    EmitPointwise(context, batch, channels, filters, g.Pixels);
                    return;
                case ConvKernels.Im2col:
                    EmitIm2colGemm(context, g, n.GetInt("tile", 0));
                    return;
                case ConvKernels.DepthwiseMasked:
                    EmitDepthwiseMasked(context, g);
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
        /// Depthwise: each channel is copied into a zero-padded plane, split into stride phases when the
        /// stride is above 1 (see <see cref="PhaseLayout"/>), so tap (kh, kw) of every output reads at
        /// one fixed offset from the output's column q = oh·Wq + ow. DepthwisePlane keeps a vector of
        /// outputs in a register across all taps (no bounds tests, no per-row calls, which matters when
        /// rows are only a few pixels wide), and the valid columns are copied out with the activation
        /// applied on the way. Extra work: the Wq − OW padding columns per row.
        /// </summary>
        private static void EmitDepthwisePlane(EmitContext context, ConvGeometry g)
        {
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            var layout = PhaseLayout.For(g, 1);
            long channels = g.Channels, inH = g.InH, inW = g.InW, outH = g.OutH, outW = g.OutW, wq = layout.PhaseW, taps = g.Taps;
            long steps = ConvKernels.DepthwiseSteps(g, layout);
            bool inPlace = EmitContext.SameStorage(context.Input(0), context.Output(0));
            w.Line("// Depthwise on a zero-padded " + (layout.Phases > 1 ? I(layout.Phases) + "-phase " : "") + I(layout.PhaseH) + "x" + I(wq) + " plane: outputs at width " + I(wq) + ", one tap offset each.");
            if (inPlace) w.Line("// In place: y overwrites x, each channel only after its plane was copied out.");
            context.DeclareScratch("padded", layout.Elements(steps));
            // Arena scratch holds old data: zero the padding once; each channel overwrites the same interior.
            w.Line("padded.Clear();");
            context.DeclareScratch("sums", steps);
            w.Line("global::System.ReadOnlySpan<int> offsets = " + context.ConstantTable("offsets", "int", layout.Offsets) + ";");
            using (w.Block("for (int n = 0; n < " + I(g.Batch) + "; n++)"))
            using (w.Block("for (int m = 0; m < " + I(channels) + "; m++)"))
            {
                w.Line("var input = x.Slice((n * " + I(channels) + " + m) * " + I(inH * inW) + ", " + I(inH * inW) + ");");
                EmitPhaseCopy(w, layout, "input", "padded");
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
        private static void EmitDepthwiseMasked(EmitContext context, ConvGeometry g)
        {
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            long batch = g.Batch, channels = g.Channels, inH = g.InH, inW = g.InW, outH = g.OutH;
            long[] k = g.Kernel, p = g.Pads, d = g.Dilations;
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
            bool inPlace = EmitContext.SameStorage(context.Input(0), context.Output(0));
            w.Line("// Depthwise on rows of " + I(inW) + " read in place between zero rows; lanes whose tap leaves the row are masked (" + I(shifts.Count) + " column shifts).");
            if (inPlace) w.Line("// In place: y overwrites x, each channel only after it was copied out.");
            context.DeclareScratch("padded", g.MaskedPlaneElements);
            // Arena scratch holds old data: zero the rows above and below once; each channel overwrites the same middle.
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

        /// <summary>
        /// Stores the weights of a layer the compiler gave a panel kernel as 8-filter panels (see
        /// GemmPanels), or W^T in column panels for the transposed pointwise. The compiler chose those
        /// kernels only for weights this node alone reads, which is when the generator asks.
        /// </summary>
        public override byte[]? PackConstantInput(ModelPlan plan, NodePlan node, int index)
        {
            string kernel = node.GetString("kernel", "");
            if (index != 1 || !IsPanelKernel(kernel)) return null;
            var g = Geometry(plan, node);
            byte[] data = plan.Tensor(node.Input(1)).Data.ToArray();
            if (kernel == ConvKernels.TransposedPointwise) return GemmEmitter.PackColumnPanels(data, g.Depth, g.Filters, transposed: true);
            long panels = (g.Filters + 7) / 8;
            var packed = new byte[panels * 8 * g.Depth * 4];
            for (long m = 0; m < g.Filters; m++)
                for (long t = 0; t < g.Depth; t++)
                    System.Array.Copy(data, (m * g.Depth + t) * 4, packed, ((m / 8 * g.Depth + t) * 8 + m % 8) * 4, 4);
            return packed;
        }

        private static bool IsPanelKernel(string kernel) => kernel == ConvKernels.Panels || kernel == ConvKernels.PanelsPointwise || kernel == ConvKernels.TransposedPointwise;

        private static ConvGeometry Geometry(ModelPlan plan, NodePlan n)
            => new ConvGeometry(plan.Tensor(n.Input(0)).Shape.ToArray(), plan.Tensor(n.Outputs[0]).Shape.ToArray(), n.GetInt("group", 1),
                n.GetInts("kernel_shape"), n.GetInts("strides"), n.GetInts("pads"), n.GetInts("dilations"));

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
        private static void EmitPanels(EmitContext context, ConvGeometry geometry, string kernel)
        {
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            // The packed bytes are stored only for a weight this node alone reads (ModelEmitter asks PackConstantInput then).
            if (!WeightLayout.IsOnlyReader(context.Plan, context.Node, 1))
                throw new System.InvalidOperationException("Conv #" + context.Node.Index + ": kernel '" + kernel + "' needs weights only this node reads.");
            var g = PanelGeometry.For(geometry) ?? throw new System.InvalidOperationException("Conv #" + context.Node.Index + ": kernel '" + kernel + "' does not fit the layer.");
            string bias = context.HasInput(2) ? "b" : "default";
            if (kernel == ConvKernels.TransposedPointwise)
            {
                long c = geometry.Depth, m = geometry.Filters, px = geometry.Pixels, panel = GemmEmitter.PanelColumns;
                w.Line("// Pointwise over " + I(px) + " pixels, transposed so filters fill the vector lanes: Y^T[" + I(px) + ", " + I(m) + "] = X^T[" + I(px) + ", " + I(c) + "] * W^T[" + I(c) + ", " + I(m) + "],");
                w.Line("// W^T packed at build time in column panels of " + I(panel) + "; bias and activation applied while transposing back.");
                context.DeclareScratch("xT", px * c);
                context.DeclareScratch("yT", px * m);
                using (w.Block("for (int n = 0; n < " + I(geometry.Batch) + "; n++)"))
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
            if (kernel == ConvKernels.PanelsPointwise)
            {
                w.Line("// Pointwise: Y[" + I(geometry.Filters) + ", " + I(geometry.Pixels) + "] = W[" + I(geometry.Filters) + ", " + I(geometry.Depth) + "] * X[" + I(geometry.Depth) + ", " + I(geometry.Pixels) + "] (+ bias), weights packed in 8-filter panels.");
                w.Line("global::System.ReadOnlySpan<int> rows = " + context.ConstantTable("rows", "int", g.Offsets) + ";");
                string? fusedClamp = ClampArguments(context);
                using (w.Block("for (int n = 0; n < " + I(geometry.Batch) + "; n++)"))
                    w.Line("GemmPanels(" + I(geometry.Filters) + ", " + I(geometry.Pixels) + ", w, rows, " + Ref("x", "n * " + I(geometry.Channels * geometry.Pixels)) + ", ref y[n * " + I(geometry.Filters * geometry.Pixels) + "], " + I(geometry.Pixels) + ", " + bias
                        + (fusedClamp is null ? "" : ", " + fusedClamp) + ");");
                // A Relu/Clip is applied as GemmPanels stores its tiles; other activations by one more pass.
                if (fusedClamp is null) EmitActivation(context);
                return;
            }
            var layout = g.Layout!;
            long wq = g.PhaseW, tileRows = context.Node.GetInt("tile", 0), filters = geometry.Filters, outH = geometry.OutH, outW = geometry.OutW;
            string? clamp = ClampArguments(context);
            w.Line("// Implicit im2col: input copied into " + (layout.StrideH * layout.StrideW > 1 ? I(layout.Phases) + " stride phase(s) of " : "") + I(geometry.Channels) + " zero-padded "
                + I(layout.PhaseH) + "x" + I(wq) + " planes; " + I(geometry.Depth) + " tap offsets; outputs at width " + I(wq) + " in tiles of " + I(tileRows) + " row(s), valid " + I(outW) + " columns copied out.");
            context.DeclareScratch("source", g.SourceElements);
            context.DeclareScratch("tile", filters * tileRows * wq);
            // Arena scratch holds old data: zero the padding once; every image overwrites the same interior.
            w.Line("source.Clear();");
            w.Line("global::System.ReadOnlySpan<int> taps = " + context.ConstantTable("taps", "int", g.Offsets) + ";");
            using (w.Block("for (int n = 0; n < " + I(geometry.Batch) + "; n++)"))
            {
                w.Line("var input = x.Slice(n * " + I(geometry.Channels * geometry.InH * geometry.InW) + ", " + I(geometry.Channels * geometry.InH * geometry.InW) + ");");
                EmitPhaseCopy(w, layout, "input", "source");
                using (w.Block("for (int oh0 = 0; oh0 < " + I(outH) + "; oh0 += " + I(tileRows) + ")"))
                {
                    w.Line("int tileRows = global::System.Math.Min(" + I(tileRows) + ", " + I(outH) + " - oh0);");
                    w.Line("GemmPanels(" + I(filters) + ", tileRows * " + I(wq) + ", w, taps, ref source[oh0 * " + I(wq) + "], ref tile[0], " + I(tileRows * wq) + ", " + bias + ");");
                    string target = "((n * " + I(filters) + " + m) * " + I(outH) + " + oh0) * " + I(outW);
                    w.Line("for (int m = 0; m < " + I(filters) + "; m++) " + (clamp is null
                        ? "CopyRows(tile, m * " + I(tileRows * wq) + ", " + I(wq) + ", 1, y, " + target + ", " + I(outW) + ", tileRows, " + I(outW) + ");"
                        : "CopyRowsClamped(tile, m * " + I(tileRows * wq) + ", " + I(wq) + ", y, " + target + ", " + I(outW) + ", tileRows, " + I(outW) + ", " + clamp + ");"));
                }
            }
            if (clamp is null) EmitActivation(context);
        }

        /// <summary>
        /// Copies the input channels (<paramref name="input"/>: Channels × InH × InW) into their phase
        /// planes of <paramref name="buffer"/>, whose padding must already be zero.
        /// </summary>
        private static void EmitPhaseCopy(SourceWriter w, PhaseLayout l, string input, string buffer)
        {
            string I(long v) => Literals.Int(v);
            for (long a = 0; a < l.StrideH; a++)
            {
                // Input rows ih with (ih + PadTop) % sh == a land in row (ih + PadTop) / sh of phase row a.
                long ih0 = ((a - l.PadTop) % l.StrideH + l.StrideH) % l.StrideH;
                if (ih0 >= l.InH) continue;
                long rows = (l.InH - ih0 + l.StrideH - 1) / l.StrideH;
                for (long b = 0; b < l.StrideW; b++)
                {
                    if (l.Slot(a, b) < 0) continue;
                    long iw0 = ((b - l.PadLeft) % l.StrideW + l.StrideW) % l.StrideW;
                    if (iw0 >= l.InW) continue;
                    long count = (l.InW - iw0 + l.StrideW - 1) / l.StrideW;
                    string source = Expr.Sum(ih0 * l.InW + iw0, l.Channels == 1 ? "" : Expr.Mul("c", l.InH * l.InW));
                    string target = Expr.Sum(l.Slot(a, b) * l.Channels * l.Plane + (ih0 + l.PadTop) / l.StrideH * l.PhaseW + (iw0 + l.PadLeft) / l.StrideW, l.Channels == 1 ? "" : Expr.Mul("c", l.Plane));
                    string call = "CopyRows(" + input + ", " + source + ", " + I(l.StrideH * l.InW) + ", " + I(l.StrideW) + ", " + buffer + ", " + target + ", " + I(l.PhaseW) + ", " + I(rows) + ", " + I(count) + ");";
                    w.Line(l.Channels == 1 ? call : "for (int c = 0; c < " + I(l.Channels) + "; c++) " + call);
                }
            }
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
}
