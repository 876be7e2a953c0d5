using System;
using System.Collections.Generic;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Compression;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeAot.Tests.Compression
{
    /// <summary>
    /// Low-rank factorization and weight sharing on constructed models whose answers are known:
    /// an exactly rank-2 weight matrix factorizes without loss, weights drawn from 16 values share
    /// a 16-entry codebook without loss, and both outputs run in ONNX Runtime and EdgeAot.
    /// </summary>
    public class FactorizationAndSharingTests
    {
        private const int Rows = 2, Inputs = 24, Outputs = 20;

        [Fact]
        public void Svd_recovers_known_singular_values()
        {
            // diag(4, 2, 1) rotated by a permutation: singular values are 4, 2, 1 whatever the order.
            var a = new double[,] { { 0, 2, 0 }, { 0, 0, 1 }, { 4, 0, 0 }, { 0, 0, 0 } };
            var (u, s, v) = LowRankFactorizer.Svd(a);
            Assert.Equal(new[] { 4.0, 2.0, 1.0 }, s.Select(x => Math.Round(x, 9)));
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 3; j++)
                {
                    double r = 0;
                    for (int k = 0; k < 3; k++) r += u[i, k] * s[k] * v[j, k];
                    Assert.Equal(a[i, j], r, 9);
                }
            // Energy: σ² = 16, 4, 1 of 21; 90% needs 20/21 → rank 2; 76% → rank 1.
            Assert.Equal(2, LowRankFactorizer.RankForEnergy(s, 0.9));
            Assert.Equal(1, LowRankFactorizer.RankForEnergy(s, 0.76));
        }

        [Theory]
        [InlineData("Gemm")]
        [InlineData("MatMul")]
        [InlineData("Conv")]
        public void Rank_two_weights_factorize_exactly_and_macs_drop(string op)
        {
            // W = p1·q1ᵀ + p2·q2ᵀ (outputs × inputs), exactly rank 2.
            var rng = new Random(3);
            double[] p1 = Rand(rng, Outputs), p2 = Rand(rng, Outputs), q1 = Rand(rng, Inputs), q2 = Rand(rng, Inputs);
            var w = new float[Outputs * Inputs];
            for (int o = 0; o < Outputs; o++)
                for (int i = 0; i < Inputs; i++) w[o * Inputs + i] = (float)(p1[o] * q1[i] + p2[o] * q2[i]);
            var bias = Rand(rng, Outputs).Select(x => (float)x).ToArray();
            byte[] model = Model(op, w, bias);

            var notes = new List<string>();
            byte[] factored = LowRankFactorizer.Factorize(model, 0, 0.999999, new CompileOptions(), notes);
            Assert.Contains("rank 2", string.Join("\n", notes));

            var before = ModelCost.Of(model, new CompileOptions());
            var after = ModelCost.Of(factored, new CompileOptions());
            Assert.Null(after.Error);
            long positions = op == "Conv" ? Rows : Rows; // Conv input is [1, Inputs, Rows, 1]
            Assert.Equal(positions * Outputs * Inputs, before.Macs);
            Assert.Equal(positions * 2 * (Inputs + Outputs), after.Macs);

            var x = Rand(new Random(11), Rows * Inputs).Select(v => (float)v).ToArray();
            float[] expected = RunOrt(model, x, op);
            float[] actual = RunOrt(factored, x, op);
            float[] reference = ReferenceRunner.Create(factored).Run(new[] { x })[0];
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], actual[i], 3);
                Assert.Equal(expected[i], reference[i], 3);
            }
        }

        [Fact]
        public void Weights_from_sixteen_values_share_a_sixteen_entry_codebook_without_loss()
        {
            var levels = Enumerable.Range(0, 16).Select(i => (float)(i * 0.125 - 1)).ToArray();
            var rng = new Random(5);
            var w = new float[Outputs * Inputs];
            for (int i = 0; i < w.Length; i++) w[i] = levels[i % 16 == 0 ? i / 16 % 16 : rng.Next(16)];
            byte[] model = Model("Gemm", w, new float[Outputs]);

            var (codebook, indices) = WeightSharing.Cluster(w, 16);
            Assert.Equal(levels, codebook);
            for (int i = 0; i < w.Length; i++) Assert.Equal(w[i], codebook[indices[i]]);

            byte[] shared = WeightSharing.Share(model, 16, new CompileOptions(), new List<string>());
            Assert.True(shared.Length < model.Length - 2 * w.Length, "indices take one byte per weight instead of four");
            var x = Rand(new Random(13), Rows * Inputs).Select(v => (float)v).ToArray();
            float[] expected = RunOrt(model, x, "Gemm");
            float[] actual = RunOrt(shared, x, "Gemm");
            Assert.Equal(expected, actual);
            var compiled = ModelCompiler.Compile(shared, new CompileOptions());
            Assert.True(compiled.Success, string.Join("\n", compiled.Diagnostics));
        }

        private static double[] Rand(Random rng, int n) => Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();

        /// <summary>One layer with weights W (outputs × inputs): Gemm (transB=1), MatMul (W transposed) or 1×1 Conv.</summary>
        private static byte[] Model(string op, float[] w, float[] bias)
        {
            var b = new OnnxModelBuilder("layer", 13);
            switch (op)
            {
                case "Conv":
                {
                    string x = b.Input("x", DataType.Float32, 1, Inputs, Rows, 1);
                    string y = b.Node("Conv", new[] { x, b.Initializer("w", new long[] { Outputs, Inputs, 1, 1 }, w), b.Initializer("b", new long[] { Outputs }, bias) });
                    b.Output(y, DataType.Float32, 1, Outputs, Rows, 1);
                    break;
                }
                case "MatMul":
                {
                    var wt = new float[w.Length];
                    for (int o = 0; o < Outputs; o++)
                        for (int i = 0; i < Inputs; i++) wt[i * Outputs + o] = w[o * Inputs + i];
                    string x = b.Input("x", DataType.Float32, Rows, Inputs);
                    string y = b.Node("MatMul", new[] { x, b.Initializer("w", new long[] { Inputs, Outputs }, wt) });
                    b.Output(y, DataType.Float32, Rows, Outputs);
                    break;
                }
                default:
                {
                    string x = b.Input("x", DataType.Float32, Rows, Inputs);
                    string y = b.Node("Gemm", new[] { x, b.Initializer("w", new long[] { Outputs, Inputs }, w), b.Initializer("b", new long[] { Outputs }, bias) }, OnnxAttribute.Int("transB", 1));
                    b.Output(y, DataType.Float32, Rows, Outputs);
                    break;
                }
            }
            return b.ToBytes();
        }

        private static float[] RunOrt(byte[] model, float[] x, string op)
        {
            using var session = new InferenceSession(model);
            int[] shape = op == "Conv" ? new[] { 1, Inputs, Rows, 1 } : new[] { Rows, Inputs };
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(x, shape)) });
            return ((DenseTensor<float>)results.First().Value).ToArray();
        }
    }
}
