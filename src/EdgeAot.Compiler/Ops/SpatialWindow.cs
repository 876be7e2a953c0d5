using System;
using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// The sliding-window geometry shared by Conv and the pools: kernel, strides, dilations and
    /// explicit pads (auto_pad resolved), for 1-D or 2-D spatial inputs. 1-D windows are stored
    /// as 2-D with a height of one so a single emitter handles both.
    /// </summary>
    internal sealed class SpatialWindow
    {
        public long[] Kernel = new long[2];
        public long[] Strides = { 1, 1 };
        public long[] Dilations = { 1, 1 };

        /// <summary>Begin pads (top, left) then end pads (bottom, right).</summary>
        public long[] Pads = new long[4];

        public long[] Input = new long[2];
        public long[] Output = new long[2];

        /// <summary>Reads the window attributes of <paramref name="node"/> for an input of spatial size <paramref name="spatial"/>.</summary>
        /// <summary>Largest kernel, stride, dilation, pad and padded extent: 2^30, far above any real layer.</summary>
        public const long MaxWindowValue = 1L << 30;

        public static SpatialWindow Resolve(Node node, LoweringContext context, long[] spatial, long[]? kernelFromWeights, bool ceilMode)
        {
            int rank = spatial.Length;
            if (rank < 1 || rank > 2) throw context.Unsupported(node, rank + "-D windows are not supported (only 1-D and 2-D).");
            var a = node.Attributes;
            long[] kernel = a.GetInts("kernel_shape") ?? kernelFromWeights ?? throw context.Fail(node, "kernel_shape is required.");
            if (kernelFromWeights is not null && !Shape.SameAs(kernel, kernelFromWeights)) throw context.Fail(node, "kernel_shape does not match the weights.");
            long[] strides = a.GetInts("strides") ?? Ones(rank);
            long[] dilations = a.GetInts("dilations") ?? Ones(rank);
            long[] pads = a.GetInts("pads") ?? new long[2 * rank];
            if (kernel.Length != rank || strides.Length != rank || dilations.Length != rank || pads.Length != 2 * rank)
                throw context.Fail(node, "kernel_shape, strides, dilations and pads must match the " + rank + "-D input.");
            foreach (long v in kernel) if (v < 1) throw context.Fail(node, "kernel sizes must be positive.");
            foreach (long v in strides) if (v < 1) throw context.Fail(node, "strides must be positive.");
            foreach (long v in dilations) if (v < 1) throw context.Fail(node, "dilations must be positive.");
            foreach (long v in pads) if (v < 0) throw context.Fail(node, "pads must not be negative.");
            // Bounded so that no window arithmetic below (or in the generated int index code) can overflow.
            foreach (var values in new[] { kernel, strides, dilations, pads })
                foreach (long v in values) if (v > MaxWindowValue) throw context.Fail(node, "kernel_shape, strides, dilations and pads must be at most " + MaxWindowValue + ".");

            string autoPad = a.GetString("auto_pad", "NOTSET");
            var w = new SpatialWindow();
            for (int i = 0; i < rank; i++)
            {
                int d = i + 2 - rank; // 1-D goes to the width slot
                long extent = (kernel[i] - 1) * dilations[i] + 1;
                long begin = pads[i], end = pads[i + rank], output;
                switch (autoPad)
                {
                    case "NOTSET":
                        output = OutputSize(spatial[i] + begin + end, extent, strides[i], ceilMode, spatial[i] + begin);
                        break;
                    case "VALID":
                        begin = end = 0;
                        output = OutputSize(spatial[i], extent, strides[i], ceilMode, spatial[i]);
                        break;
                    case "SAME_UPPER":
                    case "SAME_LOWER":
                        output = (spatial[i] + strides[i] - 1) / strides[i];
                        long total = Math.Max(0, (output - 1) * strides[i] + extent - spatial[i]);
                        begin = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
                        end = total - begin;
                        break;
                    default:
                        throw context.Fail(node, "auto_pad '" + Diagnostics.ModelDiagnostic.Printable(autoPad, 40) + "' is not valid.");
                }
                if (output < 1) throw context.Fail(node, "the window is larger than the padded input.");
                if (extent > MaxWindowValue || spatial[i] + begin + end > MaxWindowValue) throw context.Fail(node, "the dilated window or the padded input is larger than " + MaxWindowValue + ".");
                w.Kernel[d] = kernel[i];
                w.Strides[d] = strides[i];
                w.Dilations[d] = dilations[i];
                w.Pads[d] = begin;
                w.Pads[d + 2] = end;
                w.Input[d] = spatial[i];
                w.Output[d] = output;
            }
            if (rank == 1)
            {
                w.Kernel[0] = 1;
                w.Input[0] = 1;
                w.Output[0] = 1;
            }
            return w;
        }

        /// <summary>Writes the resolved window back as explicit 2-D attributes for the emitter.</summary>
        public void WriteTo(AttributeSet attributes)
        {
            attributes.Remove("auto_pad");
            attributes.Remove("ceil_mode");
            attributes.Set(Attribute.FromInts("kernel_shape", Kernel));
            attributes.Set(Attribute.FromInts("strides", Strides));
            attributes.Set(Attribute.FromInts("dilations", Dilations));
            attributes.Set(Attribute.FromInts("pads", Pads));
        }

        /// <summary>Output spatial shape in the model's own rank (1-D or 2-D).</summary>
        public long[] OutputShape(int rank) => rank == 1 ? new[] { Output[1] } : new[] { Output[0], Output[1] };

        private static long OutputSize(long padded, long extent, long stride, bool ceilMode, long lastStartLimit)
        {
            if (padded < extent) return 0;
            long span = padded - extent;
            long output = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
            // With ceil_mode the last window must start inside the input or its begin padding.
            if (ceilMode && (output - 1) * stride >= lastStartLimit) output--;
            return output;
        }

        private static long[] Ones(int rank)
        {
            var a = new long[rank];
            for (int i = 0; i < rank; i++) a[i] = 1;
            return a;
        }
    }
}
