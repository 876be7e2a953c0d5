using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Resize (opset 10+) and Upsample (float), modes nearest and linear, scales or sizes from
    /// constants. Every source coordinate is computed here in double, so the kernel only looks
    /// tables up. Lowered attributes: mode ("nearest"/"linear") and, per resized axis d,
    /// index{d} (nearest: the source index; linear: the lower neighbour) and for linear
    /// upper{d} and weight{d} (the fraction of the upper neighbour). Axes without a table map
    /// output index i to input index i. The roi/scales/sizes inputs are removed.
    /// </summary>
    public sealed class ResizeOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "Resize", "Upsample" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        /// <summary>An output dimension computed in double; huge or infinite scales are a size error, not a wrapped cast.</summary>
        private static long Dimension(Node node, double value)
        {
            if (!(value < int.MaxValue))
                throw new Diagnostics.ModelException(Diagnostics.DiagnosticCatalog.SizeLimit, node.OpType + ": an output dimension of " + value.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + " is beyond the tensor limits.", node.Name);
            return (long)value;
        }

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (x.Type != DataType.Float32) throw context.UnsupportedType(node, x.Type);
            var a = node.Attributes;
            int rank = x.Rank;
            bool legacy = node.OpType == "Upsample" || node.OpsetVersion < 11;
            string mode = a.GetString("mode", "nearest");
            if (mode == "bilinear") mode = "linear";
            if (mode == "cubic") throw context.Unsupported(node, "mode 'cubic' is not supported (only nearest and linear).");
            if (mode != "nearest" && mode != "linear") throw context.Fail(node, "mode '" + Diagnostics.ModelDiagnostic.Printable(mode, 40) + "' is not valid.");
            if (a.GetInt("antialias", 0) != 0) throw context.Unsupported(node, "antialias=1 is not supported.");
            string transform = legacy ? "asymmetric" : a.GetString("coordinate_transformation_mode", "half_pixel");
            if (transform == "tf_crop_and_resize") throw context.Unsupported(node, "coordinate_transformation_mode 'tf_crop_and_resize' is not supported.");
            if (transform is not ("half_pixel" or "half_pixel_symmetric" or "pytorch_half_pixel" or "align_corners" or "asymmetric" or "tf_half_pixel_for_nn"))
                throw context.Fail(node, "coordinate_transformation_mode '" + Diagnostics.ModelDiagnostic.Printable(transform, 40) + "' is not valid.");
            string nearestMode = legacy ? "legacy" : a.GetString("nearest_mode", "round_prefer_floor");

            if (nearestMode is not ("legacy" or "round_prefer_floor" or "round_prefer_ceil" or "floor" or "ceil"))
                throw context.Fail(node, "nearest_mode '" + Diagnostics.ModelDiagnostic.Printable(nearestMode, 40) + "' is not valid.");

            // Which axes the scales/sizes refer to (opset 18 'axes'); the others keep their size.
            var axes = new List<int>();
            long[]? rawAxes = legacy ? null : a.GetInts("axes");
            if (rawAxes is null) for (int i = 0; i < rank; i++) axes.Add(i);
            else
            {
                foreach (long r in rawAxes)
                {
                    int axis = Shape.NormalizeAxis(r, rank);
                    if (axis < 0 || axes.Contains(axis)) throw context.Fail(node, "axes must be distinct and within rank " + rank + ".");
                    axes.Add(axis);
                }
            }

            var scales = new double[rank];
            var output = new long[rank];
            for (int i = 0; i < rank; i++)
            {
                scales[i] = 1;
                output[i] = x.Shape[i];
            }
            int scalesIndex = legacy ? 1 : 2;
            float[]? scaleValues = null;
            if (node.OpType == "Upsample" && node.OpsetVersion < 9) scaleValues = a.GetFloats("scales") ?? throw context.Fail(node, "scales is required.");
            else if (Present(node, scalesIndex)) scaleValues = context.ConstantFloats(node, scalesIndex);
            if (scaleValues is not null)
            {
                if (scaleValues.Length != axes.Count) throw context.Fail(node, "scales has " + scaleValues.Length + " values for " + axes.Count + " axes.");
                for (int i = 0; i < axes.Count; i++)
                {
                    if (!(scaleValues[i] > 0)) throw context.Fail(node, "scales must be positive.");
                    scales[axes[i]] = scaleValues[i];
                    output[axes[i]] = Dimension(node, Math.Floor(x.Shape[axes[i]] * (double)scaleValues[i]));
                }
            }
            else if (!legacy && Present(node, 3))
            {
                long[] sizes = context.ConstantInts(node, 3);
                if (sizes.Length != axes.Count) throw context.Fail(node, "sizes has " + sizes.Length + " values for " + axes.Count + " axes.");
                string policy = a.GetString("keep_aspect_ratio_policy", "stretch");
                if (policy == "stretch")
                {
                    for (int i = 0; i < axes.Count; i++)
                    {
                        output[axes[i]] = sizes[i];
                        scales[axes[i]] = (double)sizes[i] / x.Shape[axes[i]];
                    }
                }
                else if (policy is "not_larger" or "not_smaller")
                {
                    double s = policy == "not_larger" ? double.MaxValue : 0;
                    for (int i = 0; i < axes.Count; i++)
                    {
                        double r = (double)sizes[i] / x.Shape[axes[i]];
                        s = policy == "not_larger" ? Math.Min(s, r) : Math.Max(s, r);
                    }
                    foreach (int axis in axes)
                    {
                        scales[axis] = s;
                        output[axis] = Dimension(node, Math.Round(s * x.Shape[axis], MidpointRounding.ToEven));
                    }
                }
                else throw context.Fail(node, "keep_aspect_ratio_policy '" + Diagnostics.ModelDiagnostic.Printable(policy, 40) + "' is not valid.");
            }
            else throw context.Fail(node, "one of scales and sizes is required.");

            foreach (string name in new[] { "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "exclude_outside", "extrapolation_value", "antialias", "axes", "keep_aspect_ratio_policy", "scales" })
                a.Remove(name);
            a.Set(Attribute.FromString("mode", mode));
            int tables = 0;
            for (int d = 0; d < rank; d++)
            {
                long inSize = x.Shape[d], outSize = output[d];
                if (outSize < 1) throw context.Fail(node, "the output size of axis " + d + " would be " + outSize + ".");
                var lower = new long[outSize];
                var upper = new long[outSize];
                var weight = new float[outSize];
                bool identity = inSize == outSize;
                for (long o = 0; o < outSize; o++)
                {
                    // The spec's length_resized is input * scale before flooring, not the output size.
                    double c = transform == "half_pixel_symmetric" ? HalfPixelSymmetric(o, scales[d], inSize, outSize)
                        : SourceCoordinate(transform, o, scales[d], inSize, inSize * scales[d]);
                    if (mode == "nearest")
                    {
                        long i = Nearest(nearestMode, c, scales[d]);
                        lower[o] = Math.Max(0, Math.Min(inSize - 1, i));
                    }
                    else
                    {
                        c = Math.Max(0, Math.Min(inSize - 1, c));
                        long i0 = (long)Math.Floor(c);
                        lower[o] = i0;
                        upper[o] = Math.Min(i0 + 1, inSize - 1);
                        weight[o] = (float)(c - i0);
                    }
                    identity &= lower[o] == o && (mode == "nearest" || weight[o] == 0);
                }
                string suffix = d.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (identity) continue;
                tables++;
                a.Set(Attribute.FromInts("index" + suffix, lower));
                if (mode == "linear")
                {
                    a.Set(Attribute.FromInts("upper" + suffix, upper));
                    a.Set(Attribute.FromFloats("weight" + suffix, weight));
                }
            }
            if (mode == "linear" && tables > 2) throw context.Unsupported(node, "linear resizing of more than two axes is not supported.");
            for (int i = 1; i < node.Inputs.Count; i++) node.Inputs[i] = null;
            context.SetOutput(node, 0, DataType.Float32, output);
        }

        private static bool Present(Node node, int index) => node.Input(index) is { } v && v.ElementCount > 0;

        private static double SourceCoordinate(string transform, long o, double scale, long inSize, double outSize) => transform switch
        {
            "asymmetric" => o / scale,
            "align_corners" => outSize == 1 ? 0 : o * (double)(inSize - 1) / (outSize - 1),
            "pytorch_half_pixel" => outSize > 1 ? (o + 0.5) / scale - 0.5 : 0,
            "tf_half_pixel_for_nn" => (o + 0.5) / scale,
            _ => (o + 0.5) / scale - 0.5, // half_pixel
        };

        /// <summary>half_pixel_symmetric: the adjustment compares the floored output size with input * scale.</summary>
        private static double HalfPixelSymmetric(long o, double scale, long inSize, long outSize)
        {
            double adjustment = outSize / (scale * inSize);
            double center = inSize / 2.0;
            double offset = center * (1 - adjustment);
            return offset + (o + 0.5) / scale - 0.5;
        }

        private static long Nearest(string mode, double c, double scale)
        {
            double floor = Math.Floor(c);
            bool half = c - floor == 0.5;
            return mode switch
            {
                "round_prefer_ceil" => (long)(half ? floor + 1 : Math.Round(c)),
                "floor" => (long)floor,
                "ceil" => (long)Math.Ceiling(c),
                // Resize-10 and Upsample: floor when enlarging, ceil when shrinking (as ONNX Runtime does).
                "legacy" => (long)(scale < 1 ? Math.Ceiling(c) : floor),
                _ => (long)(half ? floor : Math.Round(c)), // round_prefer_floor
            };
        }
    }
}
