using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// ConvTranspose (float, 1-D and 2-D, groups, strides, dilations, pads, output_padding,
    /// output_shape, auto_pad). Lowered attributes, 2-D like Conv (1-D as height 1): group,
    /// kernel_shape, strides, dilations and pads (top, left, bottom, right). Pads may be negative
    /// when output_shape asks for more output than the input covers; those positions get the bias.
    /// </summary>
    public sealed class ConvTransposeOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "ConvTranspose" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            var w = context.Required(node, 1);
            var b = node.Input(2);
            if (x.Type != DataType.Float32 || w.Type != DataType.Float32 || (b is not null && b.Type != DataType.Float32))
                throw context.UnsupportedType(node, x.Type != DataType.Float32 ? x.Type : w.Type != DataType.Float32 ? w.Type : b!.Type);
            if (x.Rank < 3 || w.Rank != x.Rank) throw context.Fail(node, "X and W must have the same rank of at least 3.");
            int rank = x.Rank - 2;
            if (rank > 2) throw context.Unsupported(node, rank + "-D transposed convolution is not supported (only 1-D and 2-D).");
            var a = node.Attributes;
            long group = a.GetInt("group", 1);
            long channels = x.Shape[1];
            if (group < 1 || w.Shape[0] != channels || channels % group != 0)
                throw context.Fail(node, "W " + Shape.Format(w.Shape) + " does not match " + channels + " input channels in " + group + " groups.");
            long filters = w.Shape[1] * group;
            if (b is not null && (b.Rank != 1 || b.Shape[0] != filters)) throw context.Fail(node, "B must have shape [" + filters + "].");

            long[] kernel = a.GetInts("kernel_shape") ?? Slice(w.Shape, 2);
            long[] strides = a.GetInts("strides") ?? Fill(rank, 1);
            long[] dilations = a.GetInts("dilations") ?? Fill(rank, 1);
            long[] pads = a.GetInts("pads") ?? new long[2 * rank];
            long[] outputPadding = a.GetInts("output_padding") ?? new long[rank];
            long[]? outputShape = a.GetInts("output_shape");
            if (outputShape is not null && outputShape.Length == rank + 2) outputShape = Slice(outputShape, 2);
            if (kernel.Length != rank || strides.Length != rank || dilations.Length != rank || pads.Length != 2 * rank
                || outputPadding.Length != rank || (outputShape is not null && outputShape.Length != rank))
                throw context.Fail(node, "kernel_shape, strides, dilations, pads, output_padding and output_shape must match the " + rank + "-D input.");
            if (!Shape.SameAs(kernel, Slice(w.Shape, 2))) throw context.Fail(node, "kernel_shape does not match the weights.");
            foreach (long v in strides) if (v < 1) throw context.Fail(node, "strides must be positive.");
            foreach (long v in dilations) if (v < 1) throw context.Fail(node, "dilations must be positive.");
            foreach (long v in pads) if (v < 0) throw context.Fail(node, "pads must not be negative.");
            foreach (long v in outputPadding) if (v < 0) throw context.Fail(node, "output_padding must not be negative.");
            string autoPad = a.GetString("auto_pad", "NOTSET");
            if (autoPad is not ("NOTSET" or "VALID" or "SAME_UPPER" or "SAME_LOWER"))
                throw context.Fail(node, "auto_pad '" + Diagnostics.ModelDiagnostic.Printable(autoPad, 40) + "' is not valid.");

            var k2 = new long[] { 1, 1 };
            var s2 = new long[] { 1, 1 };
            var d2 = new long[] { 1, 1 };
            var p4 = new long[4];
            var spatialOut = new long[rank];
            for (int i = 0; i < rank; i++)
            {
                long extent = (kernel[i] - 1) * dilations[i] + 1;
                long full = strides[i] * (x.Shape[i + 2] - 1) + outputPadding[i] + extent;
                long begin, end, size;
                long? target = outputShape is not null ? outputShape[i]
                    : autoPad is "SAME_UPPER" or "SAME_LOWER" ? x.Shape[i + 2] * strides[i] : (long?)null;
                if (target is long t)
                {
                    long total = full - t;
                    long half = FloorDiv(total, 2);
                    begin = autoPad == "SAME_UPPER" ? half : total - half;
                    end = total - begin;
                    size = t;
                }
                else
                {
                    begin = autoPad == "VALID" ? 0 : pads[i];
                    end = autoPad == "VALID" ? 0 : pads[i + rank];
                    size = full - begin - end;
                }
                if (size < 1) throw context.Fail(node, "the output would be empty.");
                int d = i + 2 - rank;
                k2[d] = kernel[i];
                s2[d] = strides[i];
                d2[d] = dilations[i];
                p4[d] = begin;
                p4[d + 2] = end;
                spatialOut[i] = size;
            }
            foreach (string name in new[] { "auto_pad", "output_padding", "output_shape" }) a.Remove(name);
            a.Set(Attribute.FromInt("group", group));
            a.Set(Attribute.FromInts("kernel_shape", k2));
            a.Set(Attribute.FromInts("strides", s2));
            a.Set(Attribute.FromInts("dilations", d2));
            a.Set(Attribute.FromInts("pads", p4));
            var shape = new List<long> { x.Shape[0], filters };
            shape.AddRange(spatialOut);
            context.SetOutput(node, 0, DataType.Float32, shape.ToArray());
        }

        public override long CountMacs(Node node) => node.Inputs[0]!.ElementCount * (Shape.ElementCount(node.Inputs[1]!.Shape) / node.Inputs[1]!.Shape[0]);

        private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

        private static long[] Slice(long[] a, int start)
        {
            var r = new long[Math.Max(0, a.Length - start)];
            Array.Copy(a, start, r, 0, r.Length);
            return r;
        }

        private static long[] Fill(int n, long v)
        {
            var r = new long[n];
            for (int i = 0; i < n; i++) r[i] = v;
            return r;
        }
    }
}
