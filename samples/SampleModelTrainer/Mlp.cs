using System;

namespace SampleModelTrainer
{
    /// <summary>
    /// A two-layer perceptron (64 → 24 → 4, ReLU, softmax) trained with plain SGD on
    /// cross-entropy. Weights are stored as Gemm expects them with transB = 1: [out, in].
    /// </summary>
    public sealed class Mlp
    {
        public readonly int Inputs, Hidden, Outputs;
        public readonly float[] W1, B1, W2, B2;

        public Mlp(int inputs, int hidden, int outputs, Random rng)
        {
            Inputs = inputs;
            Hidden = hidden;
            Outputs = outputs;
            W1 = Init(rng, hidden * inputs, inputs);
            B1 = new float[hidden];
            W2 = Init(rng, outputs * hidden, hidden);
            B2 = new float[outputs];
        }

        private static float[] Init(Random rng, int count, int fanIn)
        {
            var w = new float[count];
            double scale = Math.Sqrt(2.0 / fanIn);
            for (int i = 0; i < count; i++) w[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
            return w;
        }

        /// <summary>Forward pass; returns class probabilities and fills the hidden activations.</summary>
        public float[] Forward(float[] x, float[] hidden)
        {
            for (int h = 0; h < Hidden; h++)
            {
                float sum = B1[h];
                for (int i = 0; i < Inputs; i++) sum += W1[h * Inputs + i] * x[i];
                hidden[h] = Math.Max(0, sum);
            }
            var logits = new float[Outputs];
            for (int o = 0; o < Outputs; o++)
            {
                float sum = B2[o];
                for (int h = 0; h < Hidden; h++) sum += W2[o * Hidden + h] * hidden[h];
                logits[o] = sum;
            }
            float max = float.NegativeInfinity;
            foreach (float l in logits) max = Math.Max(max, l);
            float total = 0;
            for (int o = 0; o < Outputs; o++) total += logits[o] = MathF.Exp(logits[o] - max);
            for (int o = 0; o < Outputs; o++) logits[o] /= total;
            return logits;
        }

        /// <summary>One SGD step on one example (softmax + cross-entropy gradient).</summary>
        public void Train(float[] x, int label, float learningRate)
        {
            var hidden = new float[Hidden];
            float[] p = Forward(x, hidden);
            var dHidden = new float[Hidden];
            for (int o = 0; o < Outputs; o++)
            {
                float d = p[o] - (o == label ? 1 : 0);
                for (int h = 0; h < Hidden; h++)
                {
                    dHidden[h] += d * W2[o * Hidden + h];
                    W2[o * Hidden + h] -= learningRate * d * hidden[h];
                }
                B2[o] -= learningRate * d;
            }
            for (int h = 0; h < Hidden; h++)
            {
                if (hidden[h] <= 0) continue;
                for (int i = 0; i < Inputs; i++) W1[h * Inputs + i] -= learningRate * dHidden[h] * x[i];
                B1[h] -= learningRate * dHidden[h];
            }
        }
    }
}
