using System;
using EdgeAot.Compiler.Ir;
using EdgeAot.Tests.Harness;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Tests.Ops
{
    /// <summary>Activations fused into Gemm's epilogue, where the value is a sum (alpha·AB + beta·C).</summary>
    public class FusedActivationEpilogueTests
    {
        /// <summary>
        /// Regression: the fused Sigmoid was emitted as Exp(-row[j] + c[..]), negating only the
        /// product, not the bias (found by the random differential test, seed 2027).
        /// </summary>
        [Theory]
        [InlineData("Sigmoid")]
        [InlineData("Tanh")]
        [InlineData("Relu")]
        public void Gemm_with_bias_and_fused_activation_matches_reference(string activation)
        {
            const int m = 6, k = 2, n = 3;
            const float alpha = 0.5f, beta = 2f;
            float[] a = OpData.Random(1, m * k, 1f), b = OpData.Random(2, k * n, 1f), c = OpData.Random(3, m, 1f);
            var g = new OpGraphBuilder(13);
            var x = g.Input("x", DataType.Float32, m, k);
            var gemm = g.Node("Gemm", new Value?[] { x, OpGraphBuilder.Floats("b", b, k, n), OpGraphBuilder.Floats("c", c, m, 1) },
                Attribute.FromFloat("alpha", alpha), Attribute.FromFloat("beta", beta));
            g.Output(g.Node(activation, new[] { gemm }));
            var plan = g.Lower("FusedGemm" + activation);
            var fused = Assert.Single(plan.Nodes);
            Assert.NotEqual("", fused.GetString("activation", ""));

            var actual = (float[])GeneratedCode.Compile(plan).Run(a)[0];
            var expected = new float[m * n];
            for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int kk = 0; kk < k; kk++) sum += a[i * k + kk] * b[kk * n + j];
                double v = alpha * sum + beta * c[i];
                expected[i * n + j] = (float)(activation switch
                {
                    "Sigmoid" => 1 / (1 + Math.Exp(-v)),
                    "Tanh" => Math.Tanh(v),
                    _ => Math.Max(v, 0),
                });
            }
            OpData.AssertClose(expected, actual, plan.ClassName, rtol: 1e-5, atol: 1e-6);
        }
    }
}
