using System;
using System.Linq;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Plan;
using EdgeAot.Tests.Harness;
using EdgeAot.Tests.Ops;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Tests.Passes
{
    /// <summary>
    /// Output channels a structured pruner zeroed (weights 0, bias 0 after the activation) leave the
    /// producing Conv and the consuming Conv's input, so the MACs drop; the numbers must not change.
    /// Expected outputs come from a direct convolution written here over the unpruned-shape weights.
    /// </summary>
    public class ZeroChannelEliminationTests
    {
        private const int Channels = 4, Hidden = 6, Filters = 5, Size = 6;

        [Fact]
        public void ZeroChannelsLeaveBothConvolutionsAndTheResultIsUnchanged()
        {
            // Hidden channels 1 and 4 are pruned (bias 0, and bias -0.5 that Relu takes to 0);
            // channel 2 has zero weights but bias 0.3, a constant the next layer must still see.
            var (w1, b1, w2, b2) = Weights(prunedHidden: new[] { 1, 2, 4 });
            b1[1] = 0; b1[2] = 0.3f; b1[4] = -0.5f;
            var result = Build(w1, b1, w2, b2, "Relu").TryLower("Pruned");
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            var plan = result.Plan!;

            var convs = plan.Nodes.Where(n => n.OpType == "Conv").ToArray();
            Assert.Equal(2, convs.Length);
            Assert.Equal(new long[] { Hidden - 2, Channels, 3, 3 }, plan.Tensor(convs[0].Input(1)).Shape.ToArray());
            Assert.Equal(new long[] { Filters, Hidden - 2, 3, 3 }, plan.Tensor(convs[1].Input(1)).Shape.ToArray());
            long pixels = Size * Size;
            Assert.Equal(pixels * (Hidden - 2) * Channels * 9 + pixels * Filters * (Hidden - 2) * 9, result.Report!.TotalMacs);

            float[] x = OpData.Random(11, Channels * pixels);
            var actual = (float[])GeneratedCode.Compile(plan).Run(x)[0];
            float[] hidden = Conv(x, Channels, w1, b1, Hidden, relu: true);
            float[] expected = Conv(hidden, Hidden, w2, b2, Filters, relu: false);
            OpData.AssertClose(expected, actual, "pruned pair", rtol: 1e-5, atol: 1e-6);
        }

        [Theory]
        [InlineData("Sigmoid")] // sigmoid(0) = 0.5: the channel is a constant, not zero
        [InlineData("Add")]     // a second consumer that is not a Conv
        public void ChannelsStayWhenTheyAreNotZeroOrAnotherConsumerNeedsThem(string variant)
        {
            var (w1, b1, w2, b2) = Weights(prunedHidden: new[] { 0, 3 });
            var result = Build(w1, b1, w2, b2, variant == "Sigmoid" ? "Sigmoid" : "Relu", extraAddConsumer: variant == "Add").TryLower("Kept" + variant);
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            var first = result.Plan!.Nodes.First(n => n.OpType == "Conv");
            Assert.Equal(new long[] { Hidden, Channels, 3, 3 }, result.Plan.Tensor(first.Input(1)).Shape.ToArray());
        }

        private static (float[] W1, float[] B1, float[] W2, float[] B2) Weights(int[] prunedHidden)
        {
            float[] w1 = OpData.Random(1, Hidden * Channels * 9), b1 = OpData.Random(2, Hidden);
            float[] w2 = OpData.Random(3, Filters * Hidden * 9), b2 = OpData.Random(4, Filters);
            foreach (int c in prunedHidden)
            {
                Array.Clear(w1, c * Channels * 9, Channels * 9);
                b1[c] = 0;
            }
            return (w1, b1, w2, b2);
        }

        private static OpGraphBuilder Build(float[] w1, float[] b1, float[] w2, float[] b2, string activation, bool extraAddConsumer = false)
        {
            var g = new OpGraphBuilder(13);
            var x = g.Input("x", DataType.Float32, 1, Channels, Size, Size);
            var pads = Attribute.FromInts("pads", new long[] { 1, 1, 1, 1 });
            var conv1 = g.Node("Conv", new[] { x, OpGraphBuilder.Floats("w1", w1, Hidden, Channels, 3, 3), OpGraphBuilder.Floats("b1", b1, Hidden) }, pads);
            var hidden = g.Node(activation, new[] { conv1 });
            var y = g.Node("Conv", new[] { hidden, OpGraphBuilder.Floats("w2", w2, Filters, Hidden, 3, 3), OpGraphBuilder.Floats("b2", b2, Filters) }, pads);
            if (extraAddConsumer) g.Output(y, g.Node("Add", new[] { hidden, hidden }));
            else g.Output(y);
            return g;
        }

        /// <summary>Direct 3×3 convolution, stride 1, zero padding 1, one image.</summary>
        private static float[] Conv(float[] x, int channels, float[] w, float[] b, int filters, bool relu)
        {
            var y = new float[filters * Size * Size];
            for (int f = 0; f < filters; f++)
            for (int i = 0; i < Size; i++)
            for (int j = 0; j < Size; j++)
            {
                double sum = b[f];
                for (int c = 0; c < channels; c++)
                for (int u = 0; u < 3; u++)
                for (int v = 0; v < 3; v++)
                {
                    int r = i + u - 1, s = j + v - 1;
                    if (r < 0 || r >= Size || s < 0 || s >= Size) continue;
                    sum += (double)x[(c * Size + r) * Size + s] * w[((f * channels + c) * 3 + u) * 3 + v];
                }
                y[(f * Size + i) * Size + j] = relu && sum < 0 ? 0 : (float)sum;
            }
            return y;
        }
    }
}
