using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// BatchNormalization in inference mode. Usually folded into the preceding Conv by
    /// <see cref="Passes.BatchNormFolding"/>; when not, its kernel applies y = x·a + b per channel.
    /// Lowered attributes: epsilon.
    /// </summary>
    public sealed class BatchNormOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "BatchNormalization" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override void Lower(Node node, LoweringContext context)
        {
            var x = context.Required(node, 0);
            if (x.Type != DataType.Float32) throw context.UnsupportedType(node, x.Type);
            if (x.Rank < 2) throw context.Fail(node, "X must have rank 2 or more.");
            if (node.Attributes.GetInt("training_mode", 0) != 0 || node.Outputs.Count > 1)
                throw context.Unsupported(node, "training mode (running statistics outputs) is not supported.");
            if (node.OpsetVersion < 6 && node.Attributes.GetInt("is_test", 1) == 0)
                throw context.Unsupported(node, "is_test=0 (training) is not supported.");
            long channels = x.Shape[1];
            for (int i = 1; i <= 4; i++)
            {
                var p = context.Required(node, i);
                if (p.Type != DataType.Float32) throw context.UnsupportedType(node, p.Type);
                if (p.Rank != 1 || p.Shape[0] != channels) throw context.Fail(node, "input " + i + " must have shape [" + channels + "].");
            }
            float epsilon = node.Attributes.GetFloat("epsilon", 1e-5f);
            foreach (var name in new[] { "momentum", "spatial", "is_test", "consumed_inputs", "training_mode" }) node.Attributes.Remove(name);
            node.Attributes.Set(Attribute.FromFloat("epsilon", epsilon));
            context.SetOutput(node, 0, DataType.Float32, x.Shape);
        }

        public override bool CanRunInPlace(Node node) => true;

        /// <summary>Per-channel scale a = γ/√(σ²+ε) and shift b = β − μ·a, computed in float like the kernel.</summary>
        public static (float[] Scale, float[] Shift) Coefficients(Node node)
        {
            float[] gamma = TensorData.ToFloat32(node.Inputs[1]!), beta = TensorData.ToFloat32(node.Inputs[2]!);
            float[] mean = TensorData.ToFloat32(node.Inputs[3]!), variance = TensorData.ToFloat32(node.Inputs[4]!);
            float epsilon = node.Attributes.GetFloat("epsilon", 1e-5f);
            var scale = new float[gamma.Length];
            var shift = new float[gamma.Length];
            for (int c = 0; c < gamma.Length; c++)
            {
                scale[c] = gamma[c] / (float)System.Math.Sqrt(variance[c] + epsilon);
                shift[c] = beta[c] - mean[c] * scale[c];
            }
            return (scale, shift);
        }
    }
}
