using System;
using System.Collections.Generic;
using System.Linq;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Tests.Harness;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Tests.Ops
{
    /// <summary>
    /// RNN, GRU and LSTM against a double-precision reference written from the equations in the
    /// ONNX operator spec, with seeded random weights: directions, layouts, initial states,
    /// biases, peepholes, linear_before_reset, clip, non-default activations and sequence_lens
    /// (constant and run-time) — the combinations the backend cases leave out.
    /// </summary>
    public class RecurrentTests
    {
        public sealed record Case(
            string Op, string Direction, long Layout = 0, bool Bias = true, bool InitialState = false, bool Peepholes = false,
            int[]? Lengths = null, bool LengthsAtRunTime = false, bool LinearBeforeReset = false, float? Clip = null,
            string[]? Activations = null, float[]? Alphas = null, float[]? Betas = null, bool WeightsConstant = true)
        {
            public override string ToString() => Op + " " + Direction + " layout" + Layout + (Peepholes ? " peep" : "") + (Lengths is null ? "" : LengthsAtRunTime ? " lens(run)" : " lens")
                + (LinearBeforeReset ? " lbr" : "") + (Clip is null ? "" : " clip") + (Activations is null ? "" : " " + string.Join("/", Activations));
        }

        private const int Seq = 4, Batch = 3, InputSize = 5, Hidden = 3;

        public static IEnumerable<object[]> Cases()
        {
            yield return new object[] { new Case("LSTM", "forward", Bias: false) };
            yield return new object[] { new Case("LSTM", "bidirectional", InitialState: true, Peepholes: true, Lengths: new[] { 4, 2, 1 }) };
            yield return new object[] { new Case("LSTM", "reverse", Layout: 1, InitialState: true, Clip: 0.7f,
                Activations: new[] { "HardSigmoid", "LeakyRelu", "ScaledTanh" }, Alphas: new[] { 0.3f, 0.05f, 0.9f }, Betas: new[] { 0.4f, 1.3f }, WeightsConstant: false) };
            yield return new object[] { new Case("GRU", "forward", InitialState: true) };
            yield return new object[] { new Case("GRU", "bidirectional", Layout: 1, LinearBeforeReset: true, Lengths: new[] { 3, 4, 2 }, LengthsAtRunTime: true, WeightsConstant: false) };
            yield return new object[] { new Case("GRU", "reverse", Lengths: new[] { 1, 3, 4 }, Activations: new[] { "Sigmoid", "Relu" }, Clip: 2f) };
            yield return new object[] { new Case("RNN", "bidirectional", InitialState: true, Activations: new[] { "Tanh", "Relu" }) };
            yield return new object[] { new Case("RNN", "reverse", Layout: 1, Bias: false, Activations: new[] { "Elu" }, Alphas: new[] { 0.5f }) };
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Matches_spec_equations(Case c)
        {
            int gates = c.Op switch { "LSTM" => 4, "GRU" => 3, _ => 1 };
            int dirs = c.Direction == "bidirectional" ? 2 : 1;
            int seed = c.ToString().Aggregate(17, (hash, ch) => unchecked(hash * 31 + ch));
            var random = new Random(seed);
            float[] Rand(int n, float range) => Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2 - 1) * range)).ToArray();
            long[] xShape = c.Layout == 0 ? new long[] { Seq, Batch, InputSize } : new long[] { Batch, Seq, InputSize };
            long[] stateShape = c.Layout == 0 ? new long[] { dirs, Batch, Hidden } : new long[] { Batch, dirs, Hidden };
            float[] x = Rand(Seq * Batch * InputSize, 2f);
            float[] w = Rand(dirs * gates * Hidden * InputSize, 0.8f);
            float[] r = Rand(dirs * gates * Hidden * Hidden, 0.8f);
            float[]? b = c.Bias ? Rand(dirs * 2 * gates * Hidden, 0.5f) : null;
            float[]? h0 = c.InitialState ? Rand(dirs * Batch * Hidden, 1f) : null;
            float[]? c0 = c.InitialState && c.Op == "LSTM" ? Rand(dirs * Batch * Hidden, 1f) : null;
            float[]? p = c.Peepholes ? Rand(dirs * 3 * Hidden, 0.5f) : null;

            var builder = new OpGraphBuilder(14);
            var runInputs = new List<Array>();
            Value Tensor(string name, float[] data, params long[] shape)
            {
                if (c.WeightsConstant && name is not ("x" or "initial_h" or "initial_c")) return OpGraphBuilder.Floats(name, data, shape);
                runInputs.Add(data);
                return builder.Input(name, DataType.Float32, shape);
            }
            var inputs = new List<Value?>
            {
                Tensor("x", x, xShape),
                Tensor("w", w, dirs, gates * Hidden, InputSize),
                Tensor("r", r, dirs, gates * Hidden, Hidden),
                b is null ? null : Tensor("b", b, dirs, 2 * gates * Hidden),
            };
            if (c.Lengths is null) inputs.Add(null);
            else if (c.LengthsAtRunTime)
            {
                inputs.Add(builder.Input("lens", DataType.Int32, Batch));
                runInputs.Add(c.Lengths);
            }
            else inputs.Add(OpGraphBuilder.Ints("lens", c.Lengths, Batch));
            inputs.Add(h0 is null ? null : Tensor("initial_h", h0, stateShape));
            if (c.Op == "LSTM")
            {
                inputs.Add(c0 is null ? null : Tensor("initial_c", c0, stateShape));
                inputs.Add(p is null ? null : Tensor("p", p, dirs, 3 * Hidden));
            }
            while (inputs[inputs.Count - 1] is null) inputs.RemoveAt(inputs.Count - 1);

            var attributes = new List<Attribute>
            {
                Attribute.FromString("direction", c.Direction),
                Attribute.FromInt("hidden_size", Hidden),
                Attribute.FromInt("layout", c.Layout),
            };
            if (c.LinearBeforeReset) attributes.Add(Attribute.FromInt("linear_before_reset", 1));
            if (c.Clip is { } clip) attributes.Add(Attribute.FromFloat("clip", clip));
            if (c.Activations is not null) attributes.Add(Attribute.FromStrings("activations", c.Activations));
            if (c.Alphas is not null) attributes.Add(Attribute.FromFloats("activation_alpha", c.Alphas));
            if (c.Betas is not null) attributes.Add(Attribute.FromFloats("activation_beta", c.Betas));
            var outputs = builder.Node(c.Op, inputs.ToArray(), c.Op == "LSTM" ? 3 : 2, attributes.ToArray());
            builder.Output(outputs);
            var plan = builder.Lower(c.Op + "Case" + (seed & 0x7fffffff));
            var actual = GeneratedCode.Compile(plan).Run(runInputs.ToArray());

            var expected = Reference(c, gates, dirs, x, w, r, b, h0, c0, p);
            for (int i = 0; i < outputs.Length; i++)
                OpData.AssertClose(expected[i], (float[])actual[i], c + " output " + i, rtol: 1e-4, atol: 1e-5);
        }

        [Fact]
        public void Recurrent_selection_and_compress_kernels_do_not_allocate()
        {
            var b = new OpGraphBuilder(14);
            var x = b.Input("x", DataType.Float32, 3, 2, 4);
            var random = new Random(5);
            float[] Rand(int n) => Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            var lstm = b.Node("LSTM", new Value?[] { x, OpGraphBuilder.Floats("w", Rand(2 * 8 * 4), 2, 8, 4), OpGraphBuilder.Floats("r", Rand(2 * 8 * 2), 2, 8, 2), null,
                OpGraphBuilder.Ints("lens", new[] { 3, 2 }, 2) }, 2, Attribute.FromString("direction", "bidirectional"), Attribute.FromInt("hidden_size", 2));
            var top = b.Node("TopK", new Value?[] { lstm[0], OpGraphBuilder.Longs("k", new long[] { 1 }, 1) }, 2, Attribute.FromInt("axis", 0));
            var compressed = b.Node("Compress", new Value?[] { top[0], new Value("keep", DataType.Bool, new long[] { 2 }, new byte[] { 0, 1 }) }, Attribute.FromInt("axis", 1));
            b.Output(compressed, lstm[1]);
            var model = GeneratedCode.Compile(b.Lower("RecurrentAllocation"));
            Assert.Equal(0, model.AllocatedBytes(new Array[] { Rand(24) }, runs: 100));
        }

        [Fact]
        public void Out_of_range_run_time_sequence_length_throws()
        {
            var b = new OpGraphBuilder(14);
            var x = b.Input("x", DataType.Float32, 2, 1, 2);
            var lens = b.Input("lens", DataType.Int32, 1);
            var outputs = b.Node("RNN", new Value?[] { x, OpGraphBuilder.Floats("w", new float[2], 1, 1, 2), OpGraphBuilder.Floats("r", new float[1], 1, 1, 1), null, lens }, 2,
                Attribute.FromInt("hidden_size", 1));
            b.Output(outputs);
            var model = GeneratedCode.Compile(b.Lower("RnnLengthCheck"));
            Assert.ThrowsAny<ArgumentOutOfRangeException>(() => model.Run(new float[4], new[] { 3 }));
        }

        [Theory]
        [InlineData("Swish", true)]
        [InlineData("Tanh,Tanh", false)]
        public void Bad_activation_lists_are_diagnostics(string activations, bool unsupported)
        {
            var b = new OpGraphBuilder(14);
            var x = b.Input("x", DataType.Float32, 2, 1, 2);
            var outputs = b.Node("RNN", new Value?[] { x, OpGraphBuilder.Floats("w", new float[2], 1, 1, 2), OpGraphBuilder.Floats("r", new float[1], 1, 1, 1) }, 2,
                Attribute.FromInt("hidden_size", 1), Attribute.FromStrings("activations", activations.Split(',')));
            b.Output(outputs);
            var result = b.TryLower("RnnBadActivation");
            Assert.False(result.Success);
            Assert.Equal(unsupported ? DiagnosticCatalog.UnsupportedOperator.Id : DiagnosticCatalog.InvalidNode.Id, result.Diagnostics[0].Id);
        }

        /// <summary>The ONNX spec's equations in double precision, one time step and batch row at a time.</summary>
        private static float[][] Reference(Case c, int gates, int dirs, float[] x, float[] w, float[] r, float[]? b, float[]? h0, float[]? c0, float[]? p)
        {
            int per = c.Op switch { "LSTM" => 3, "GRU" => 2, _ => 1 };
            string[] defaults = c.Op switch { "LSTM" => new[] { "Sigmoid", "Tanh", "Tanh" }, "GRU" => new[] { "Sigmoid", "Tanh" }, _ => new[] { "Tanh" } };
            string[] names = c.Activations ?? defaults;
            // Alpha and beta values go, in order, to the functions that take them.
            var fns = new List<Func<double, double>>();
            int ai = 0, bi = 0;
            for (int i = 0; i < per * dirs; i++)
            {
                string name = names[i % names.Length];
                double A(double fallback) => c.Alphas is not null && ai < c.Alphas.Length ? c.Alphas[ai++] : fallback;
                double B(double fallback) => c.Betas is not null && bi < c.Betas.Length ? c.Betas[bi++] : fallback;
                Func<double, double> f = name switch
                {
                    "Sigmoid" => v => 1 / (1 + Math.Exp(-v)),
                    "Tanh" => Math.Tanh,
                    "Relu" => v => Math.Max(v, 0),
                    "HardSigmoid" => Bind(A(0.2), B(0.5), (a, bb, v) => Math.Max(0, Math.Min(1, a * v + bb))),
                    "LeakyRelu" => Bind(A(0.01), 0, (a, _, v) => v >= 0 ? v : a * v),
                    "ScaledTanh" => Bind(A(1), B(1), (a, bb, v) => a * Math.Tanh(bb * v)),
                    "Elu" => Bind(A(1), 0, (a, _, v) => v >= 0 ? v : a * (Math.Exp(v) - 1)),
                    _ => throw new NotSupportedException(name),
                };
                fns.Add(f);
            }
            double Clip(double v) => c.Clip is { } limit ? Math.Max(-limit, Math.Min(limit, v)) : v;

            int X(int t, int n, int k) => c.Layout == 0 ? (t * Batch + n) * InputSize + k : (n * Seq + t) * InputSize + k;
            int Y(int t, int d, int n, int j) => c.Layout == 0 ? ((t * dirs + d) * Batch + n) * Hidden + j : ((n * Seq + t) * dirs + d) * Hidden + j;
            int S(int d, int n, int j) => c.Layout == 0 ? (d * Batch + n) * Hidden + j : (n * dirs + d) * Hidden + j;
            int G = gates * Hidden;
            var y = new float[Seq * dirs * Batch * Hidden];
            var yh = new float[dirs * Batch * Hidden];
            var yc = new float[dirs * Batch * Hidden];
            for (int d = 0; d < dirs; d++)
            {
                Func<double, double> f = fns[d * per], g = per > 1 ? fns[d * per + 1] : f, hf = per > 2 ? fns[d * per + 2] : f;
                bool reverse = c.Direction == "reverse" || d == 1;
                double Wx(int t, int n, int row)
                {
                    double s = b is null ? 0 : b[d * 2 * G + row];
                    for (int k = 0; k < InputSize; k++) s += w[(d * G + row) * InputSize + k] * (double)x[X(t, n, k)];
                    return s;
                }
                double Rh(double[] h, int row)
                {
                    double s = b is null ? 0 : b[d * 2 * G + G + row];
                    for (int k = 0; k < Hidden; k++) s += r[(d * G + row) * Hidden + k] * h[k];
                    return s;
                }
                for (int n = 0; n < Batch; n++)
                {
                    var h = new double[Hidden];
                    var cell = new double[Hidden];
                    for (int j = 0; j < Hidden; j++)
                    {
                        h[j] = h0?[S(d, n, j)] ?? 0;
                        cell[j] = c0?[S(d, n, j)] ?? 0;
                    }
                    int length = c.Lengths?[n] ?? Seq;
                    for (int step = 0; step < length; step++)
                    {
                        int t = reverse ? length - 1 - step : step;
                        var next = new double[Hidden];
                        var nextCell = new double[Hidden];
                        for (int j = 0; j < Hidden; j++)
                        {
                            if (c.Op == "RNN") next[j] = f(Clip(Wx(t, n, j) + Rh(h, j)));
                            else if (c.Op == "GRU")
                            {
                                double z = f(Clip(Wx(t, n, j) + Rh(h, j)));
                                double rr = f(Clip(Wx(t, n, Hidden + j) + Rh(h, Hidden + j)));
                                double candidate;
                                if (c.LinearBeforeReset) candidate = g(Clip(Wx(t, n, 2 * Hidden + j) + rr * Rh(h, 2 * Hidden + j)));
                                else
                                {
                                    // (r ⊙ H_{t-1}) R_h^T needs r of every unit, not only j.
                                    var reset = new double[Hidden];
                                    for (int k = 0; k < Hidden; k++) reset[k] = f(Clip(Wx(t, n, Hidden + k) + Rh(h, Hidden + k))) * h[k];
                                    candidate = g(Clip(Wx(t, n, 2 * Hidden + j) + Rh(reset, 2 * Hidden + j)));
                                }
                                next[j] = (1 - z) * candidate + z * h[j];
                            }
                            else
                            {
                                double pi = p?[d * 3 * Hidden + j] ?? 0, po = p?[d * 3 * Hidden + Hidden + j] ?? 0, pf = p?[d * 3 * Hidden + 2 * Hidden + j] ?? 0;
                                double i = f(Clip(Wx(t, n, j) + Rh(h, j) + pi * cell[j]));
                                double fg = f(Clip(Wx(t, n, 2 * Hidden + j) + Rh(h, 2 * Hidden + j) + pf * cell[j]));
                                double cc = g(Clip(Wx(t, n, 3 * Hidden + j) + Rh(h, 3 * Hidden + j)));
                                nextCell[j] = fg * cell[j] + i * cc;
                                double o = f(Clip(Wx(t, n, Hidden + j) + Rh(h, Hidden + j) + po * nextCell[j]));
                                next[j] = o * hf(nextCell[j]);
                            }
                        }
                        h = next;
                        if (c.Op == "LSTM") cell = nextCell;
                        for (int j = 0; j < Hidden; j++) y[Y(t, d, n, j)] = (float)h[j];
                    }
                    for (int j = 0; j < Hidden; j++)
                    {
                        yh[S(d, n, j)] = (float)h[j];
                        yc[S(d, n, j)] = (float)cell[j];
                    }
                }
            }
            return new[] { y, yh, yc };
        }

        private static Func<double, double> Bind(double a, double b, Func<double, double, double, double> f) => v => f(a, b, v);
    }
}
