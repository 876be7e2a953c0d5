using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// LayerNormalization, InstanceNormalization and GroupNormalization (float). Each normalizes
    /// contiguous chunks of the input. Lowered attributes: chunks, chunk_size, epsilon and the
    /// layout of the affine parameters — affine_period / affine_inner (scale index =
    /// (chunk % affine_period) * affine_inner + element / (chunk_size / affine_inner)) or, for
    /// LayerNormalization, scale_size (scale index = element % scale_size).
    /// </summary>
    public sealed class NormalizationOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "LayerNormalization", "InstanceNormalization", "GroupNormalization" };

        /// <summary>
        /// Computed in float32; LayerNormalization's Mean and InvStdDev outputs have their own type
        /// (the stash type), which narrowing every output to float16 would get wrong, so they are refused.
        /// </summary>
        public override Float16Handling Float16(Node node)
            => node.OpType == "LayerNormalization" && node.Outputs.Count > 1 ? Float16Handling.Unsupported : Float16Handling.ComputeInFloat32;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            var scale = context.Required(node, 1);
            var bias = node.Input(2);
            if (x.Type != DataType.Float32) throw context.UnsupportedType(node, x.Type);
            if (scale.Type != DataType.Float32 || (bias is not null && bias.Type != DataType.Float32))
                throw context.UnsupportedType(node, scale.Type != DataType.Float32 ? scale.Type : bias!.Type);
            var a = node.Attributes;
            float epsilon = a.GetFloat("epsilon", 1e-5f);
            long chunks, chunkSize;
            switch (node.OpType)
            {
                case "LayerNormalization":
                {
                    long rawAxis = a.GetInt("axis", -1);
                    int axis = Shape.NormalizeAxis(rawAxis, x.Rank);
                    if (axis < 0) throw context.Fail(node, "axis " + rawAxis + " is out of range for an input of rank " + x.Rank + ".");
                    chunks = 1;
                    chunkSize = 1;
                    for (int i = 0; i < x.Rank; i++)
                    {
                        if (i < axis) chunks *= x.Shape[i];
                        else chunkSize *= x.Shape[i];
                    }
                    var normalized = new long[x.Rank - axis];
                    Array.Copy(x.Shape, axis, normalized, 0, normalized.Length);
                    CheckTrailing(node, context, scale, normalized, "Scale");
                    if (bias is not null) CheckTrailing(node, context, bias, normalized, "B");
                    a.Set(Attribute.FromInt("scale_size", scale.ElementCount));
                    a.Set(Attribute.FromInt("bias_size", bias?.ElementCount ?? 0));
                    a.Remove("axis");
                    a.Remove("stash_type");
                    var statsShape = new long[x.Rank];
                    for (int i = 0; i < x.Rank; i++) statsShape[i] = i < axis ? x.Shape[i] : 1;
                    for (int i = 1; i < node.Outputs.Count; i++)
                    {
                        if (i > 2) throw context.Fail(node, "has more than three outputs.");
                        context.SetOutput(node, i, DataType.Float32, statsShape);
                    }
                    break;
                }
                case "InstanceNormalization":
                {
                    if (x.Rank < 3) throw context.Fail(node, "input must have rank 3 or more.");
                    if (bias is null) throw context.Fail(node, "input B is required.");
                    long channels = x.Shape[1];
                    CheckVector(node, context, scale, channels, "scale");
                    CheckVector(node, context, bias, channels, "B");
                    chunks = x.Shape[0] * channels;
                    chunkSize = x.ElementCount / Math.Max(1, chunks);
                    a.Set(Attribute.FromInt("affine_period", channels));
                    a.Set(Attribute.FromInt("affine_inner", 1));
                    break;
                }
                default: // GroupNormalization
                {
                    if (x.Rank < 3) throw context.Fail(node, "input must have rank 3 or more.");
                    if (bias is null) throw context.Fail(node, "input bias is required.");
                    long groups = a.GetInt("num_groups", 0);
                    long channels = x.Shape[1];
                    if (groups < 1 || channels % groups != 0)
                        throw context.Fail(node, "num_groups " + groups + " must be positive and divide the " + channels + " channels.");
                    // Opset 18 has one scale and bias per group; opset 21 one per channel.
                    bool perChannel = node.OpsetVersion >= 21;
                    long affine = perChannel ? channels : groups;
                    CheckVector(node, context, scale, affine, "scale");
                    CheckVector(node, context, bias, affine, "bias");
                    chunks = x.Shape[0] * groups;
                    chunkSize = x.ElementCount / Math.Max(1, chunks);
                    a.Set(Attribute.FromInt("affine_period", groups));
                    a.Set(Attribute.FromInt("affine_inner", perChannel ? channels / groups : 1));
                    a.Remove("num_groups");
                    a.Remove("stash_type");
                    break;
                }
            }
            a.Set(Attribute.FromFloat("epsilon", epsilon));
            a.Set(Attribute.FromInt("chunks", chunks));
            a.Set(Attribute.FromInt("chunk_size", chunkSize));
            context.SetOutput(node, 0, DataType.Float32, x.Shape);
        }

        /// <summary>LayerNormalization's Scale/B: after dropping leading ones, a suffix of the normalized shape.</summary>
        private static void CheckTrailing(Node node, LoweringContext context, Value v, long[] normalized, string name)
        {
            int first = 0;
            while (first < v.Rank && v.Shape[first] == 1) first++;
            int length = v.Rank - first;
            bool ok = length <= normalized.Length;
            for (int i = 0; ok && i < length; i++) ok = v.Shape[first + i] == normalized[normalized.Length - length + i];
            if (!ok) throw context.Unsupported(node, name + " " + Shape.Format(v.Shape) + " must match the trailing dimensions of the normalized shape " + Shape.Format(normalized) + ".");
        }

        private static void CheckVector(Node node, LoweringContext context, Value v, long length, string name)
        {
            if (v.ElementCount != length || v.Rank != 1) throw context.Fail(node, name + " must have shape [" + length + "], not " + Shape.Format(v.Shape) + ".");
        }
    }

    /// <summary>
    /// LogSoftmax and LpNormalization along one axis (float). Lowered attributes: outer, size,
    /// inner (the axis seen as [outer, size, inner]; opset-1..12 LogSoftmax coerces to 2-D so
    /// inner is 1) and, for LpNormalization, p.
    /// </summary>
    public sealed class AxisNormalizationOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "LogSoftmax", "LpNormalization" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (x.Type != DataType.Float32) throw context.UnsupportedType(node, x.Type);
            bool coerce = node.OpType == "LogSoftmax" && node.OpsetVersion < 13;
            long rawAxis = node.Attributes.GetInt("axis", coerce ? 1 : -1);
            int axis = coerce && rawAxis == x.Rank ? x.Rank : Shape.NormalizeAxis(rawAxis, x.Rank);
            if (axis < 0) throw context.Fail(node, "axis " + rawAxis + " is out of range for an input of rank " + x.Rank + ".");
            long outer = 1, size = 1, inner = 1;
            for (int i = 0; i < x.Rank; i++)
            {
                if (i < axis) outer *= x.Shape[i];
                else if (i == axis || coerce) size *= x.Shape[i];
                else inner *= x.Shape[i];
            }
            var a = node.Attributes;
            if (node.OpType == "LpNormalization")
            {
                long p = a.GetInt("p", 2);
                if (p != 1 && p != 2) throw context.Fail(node, "p must be 1 or 2, not " + p + ".");
                a.Set(Attribute.FromInt("p", p));
            }
            a.Remove("axis");
            a.Set(Attribute.FromInt("outer", outer));
            a.Set(Attribute.FromInt("size", size));
            a.Set(Attribute.FromInt("inner", inner));
            context.SetOutput(node, 0, DataType.Float32, x.Shape);
        }
    }

    /// <summary>
    /// MeanVarianceNormalization: (X - mean) / (sqrt(variance) + 1e-9) over the given axes
    /// (default 0, 2, 3). Lowered attribute: axes (non-negative, ascending).
    /// </summary>
    public sealed class MeanVarianceNormalizationOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "MeanVarianceNormalization" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (x.Type != DataType.Float32) throw context.UnsupportedType(node, x.Type);
            long[] raw = node.Attributes.GetInts("axes") ?? new long[] { 0, 2, 3 };
            var axes = new List<long>();
            foreach (long r in raw)
            {
                int axis = Shape.NormalizeAxis(r, x.Rank);
                if (axis < 0) throw context.Fail(node, "axis " + r + " is out of range for an input of rank " + x.Rank + ".");
                if (axes.Contains(axis)) throw context.Fail(node, "axis " + r + " is listed twice.");
                axes.Add(axis);
            }
            axes.Sort();
            node.Attributes.Set(Attribute.FromInts("axes", axes.ToArray()));
            context.SetOutput(node, 0, DataType.Float32, x.Shape);
        }
    }
}
