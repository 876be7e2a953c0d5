using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Conv (float, 1-D and 2-D, groups incl. depthwise, pads, strides, dilations, auto_pad).
    /// Lowered attributes: group, kernel_shape/strides/dilations (2 values), pads (top, left,
    /// bottom, right); a fused activation may be added later by <see cref="Passes.ActivationFusion"/>.
    /// </summary>
    public sealed class ConvOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Conv" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            var w = context.Required(node, 1);
            var b = node.Input(2);
            if (x.Type != DataType.Float32 || w.Type != DataType.Float32 || (b is not null && b.Type != DataType.Float32))
                throw context.UnsupportedType(node, x.Type != DataType.Float32 ? x.Type : w.Type);
            if (x.Rank < 3 || w.Rank != x.Rank) throw context.Fail(node, "X and W must have the same rank of at least 3.");
            long group = node.Attributes.GetInt("group", 1);
            long channels = x.Shape[1], filters = w.Shape[0];
            if (group < 1 || channels % group != 0 || filters % group != 0 || w.Shape[1] * group != channels)
                throw context.Fail(node, "group " + group + " does not divide " + channels + " input channels and " + filters + " filters consistently with W " + Shape.Format(w.Shape) + ".");
            if (b is not null && (b.Rank != 1 || b.Shape[0] != filters)) throw context.Fail(node, "B must have shape [" + filters + "].");

            int spatialRank = x.Rank - 2;
            var spatial = new long[spatialRank];
            var kernel = new long[spatialRank];
            for (int i = 0; i < spatialRank; i++)
            {
                spatial[i] = x.Shape[i + 2];
                kernel[i] = w.Shape[i + 2];
            }
            var window = SpatialWindow.Resolve(node, context, spatial, kernel, ceilMode: false);
            window.WriteTo(node.Attributes);
            node.Attributes.Set(Attribute.FromInt("group", group));

            var outShape = new List<long> { x.Shape[0], filters };
            outShape.AddRange(window.OutputShape(spatialRank));
            context.SetOutput(node, 0, DataType.Float32, outShape.ToArray());
        }

        /// <summary>The geometry of a lowered Conv (also QLinearConv / ConvInteger: the same window attributes).</summary>
        public static ConvGeometry Geometry(Node node)
        {
            var a = node.Attributes;
            return new ConvGeometry(node.Inputs[0]!.Shape, node.Outputs[0].Shape, a.GetInt("group", 1),
                a.GetInts("kernel_shape")!, a.GetInts("strides")!, a.GetInts("pads")!, a.GetInts("dilations")!);
        }

        /// <summary>
        /// The depthwise kernels copy a channel into their scratch before writing its output plane, so
        /// they can overwrite their input (their choice does not depend on the weights' owner or the budget).
        /// </summary>
        public override bool CanRunInPlaceWhenSmaller(Node node)
        {
            string kernel = ConvKernels.ChooseFloat(Geometry(node), ownsWeights: false);
            return (kernel == ConvKernels.DepthwisePlane || kernel == ConvKernels.DepthwiseMasked)
                && Shape.ByteSize(node.Inputs[0]!.Shape, node.Inputs[0]!.Type) == Shape.ByteSize(node.Outputs[0].Shape, node.Outputs[0].Type);
        }

        public override void SelectKernel(Node node, long scratchBudgetBytes) => SelectKernel(node, scratchBudgetBytes, _ => false);

        public override void SelectKernel(Node node, long scratchBudgetBytes, System.Func<int, bool> ownsConstant)
        {
            var g = Geometry(node);
            string kernel = ConvKernels.ChooseFloat(g, ownsConstant(1), scratchBudgetBytes);
            node.Attributes.Set(Attribute.FromString("kernel", kernel));
            if (kernel == ConvKernels.Im2col) node.Attributes.Set(Attribute.FromInt("tile", ConvKernels.FloatTile(g, scratchBudgetBytes)));
            else if (kernel == ConvKernels.Panels) node.Attributes.Set(Attribute.FromInt("tile", ConvKernels.PanelTileRows(PanelGeometry.For(g)!, scratchBudgetBytes)));
            else node.Attributes.Remove("tile");
        }

        public override IReadOnlyList<ScratchBuffer> Scratch(Node node)
            => ConvKernels.FloatScratch(Geometry(node), node.Attributes.GetString("kernel", ""), node.Attributes.GetInt("tile", 0));

        public override long CountMacs(Node node)
        {
            var w = node.Inputs[1]!;
            long perOutput = Shape.ElementCount(w.Shape) / w.Shape[0];
            return Shape.ElementCount(node.Outputs[0].Shape) * perOutput;
        }
    }
}
