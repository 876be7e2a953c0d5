using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Tests.Harness;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Tests.Ops
{
    /// <summary>
    /// The ElementwiseMath family (unary activations and functions, Pow, Mod, BitShift, PRelu,
    /// variadic Min/Max/Sum/Mean) and CastLike: generated kernels against scalar references written
    /// here, the build-time evaluator against the ONNX backend data, and the diagnostics.
    /// </summary>
    public class ElementwiseMathTests
    {
        private static float[] UnaryInput(int seed)
        {
            var values = OpData.Random(seed, 120, 3f);
            float[] special = { 0f, -0f, 0.5f, -0.5f, 1.5f, 2.5f, -2.5f, 1f, -1f, 100f, -100f, 1000f, -1000f, 88.5f, -88.5f, 1e-4f, -1e-4f };
            Array.Copy(special, values, special.Length);
            return values;
        }

        /// <summary>erf from its all-positive series 2/sqrt(pi) e^-x² Σ (2x²)^n x / (2n+1)!!, which has no cancellation.</summary>
        private static double ReferenceErf(double x)
        {
            if (double.IsNaN(x)) return x;
            double z = Math.Abs(x);
            if (z > 6) return Math.Sign(x);
            double term = z, sum = z;
            for (int n = 1; n < 400 && term > 1e-18 * sum; n++)
            {
                term *= 2 * z * z / (2 * n + 1);
                sum += term;
            }
            return Math.Sign(x) * 2 / Math.Sqrt(Math.PI) * Math.Exp(-z * z) * sum;
        }

        private static double ReferenceSoftplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));

        private static double Clamp01(double v) => v < 0 ? 0 : v > 1 ? 1 : v;

        private static readonly (string Op, int Opset, Attribute[] Attributes, Func<double, double> Reference)[] UnaryCases =
        {
            ("LeakyRelu", 16, new Attribute[0], x => x >= 0 ? x : 0.01f * x),
            ("LeakyRelu", 6, new[] { Attribute.FromFloat("alpha", 0.3f) }, x => x >= 0 ? x : 0.3f * x),
            ("Elu", 6, new Attribute[0], x => x >= 0 ? x : Math.Exp(x) - 1),
            ("Elu", 22, new[] { Attribute.FromFloat("alpha", 2f) }, x => x >= 0 ? x : 2 * (Math.Exp(x) - 1)),
            ("Selu", 6, new Attribute[0], x => x > 0 ? 1.05070102f * x : 1.05070102f * (1.67326319f * Math.Exp(x) - 1.67326319f)),
            ("Selu", 22, new[] { Attribute.FromFloat("alpha", 2f), Attribute.FromFloat("gamma", 3f) }, x => x > 0 ? 3 * x : 6 * (Math.Exp(x) - 1)),
            ("Celu", 12, new[] { Attribute.FromFloat("alpha", 2f) }, x => x >= 0 ? x : 2 * (Math.Exp(x / 2) - 1)),
            ("ThresholdedRelu", 10, new Attribute[0], x => x > 1 ? x : 0),
            ("ThresholdedRelu", 22, new[] { Attribute.FromFloat("alpha", -0.5f) }, x => x > -0.5 ? x : 0),
            ("HardSigmoid", 6, new Attribute[0], x => Clamp01(0.2f * x + 0.5)),
            ("HardSigmoid", 22, new[] { Attribute.FromFloat("alpha", 0.5f), Attribute.FromFloat("beta", 0.6f) }, x => Clamp01(0.5 * x + 0.6f)),
            ("HardSwish", 14, new Attribute[0], x => x * Clamp01(x / 6 + 0.5)),
            ("Softplus", 1, new Attribute[0], ReferenceSoftplus),
            ("Softsign", 1, new Attribute[0], x => x / (1 + Math.Abs(x))),
            ("Mish", 18, new Attribute[0], x => x * Math.Tanh(ReferenceSoftplus(x))),
            ("Gelu", 20, new Attribute[0], x => x / 2 * (1 + ReferenceErf(x / Math.Sqrt(2)))),
            ("Gelu", 20, new[] { Attribute.FromString("approximate", "tanh") }, x => x / 2 * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))),
            ("Swish", 24, new[] { Attribute.FromFloat("alpha", 1.5f) }, x => x / (1 + Math.Exp(-1.5 * x))),
            ("Shrink", 9, new Attribute[0], x => x < -0.5 ? x : x > 0.5 ? x : 0),
            ("Shrink", 9, new[] { Attribute.FromFloat("lambd", 1.5f), Attribute.FromFloat("bias", 1.5f) }, x => x < -1.5 ? x + 1.5 : x > 1.5 ? x - 1.5 : 0),
            ("Erf", 13, new Attribute[0], ReferenceErf),
            ("Exp", 13, new Attribute[0], Math.Exp),
            ("Log", 13, new Attribute[0], Math.Log),
            ("Sqrt", 13, new Attribute[0], Math.Sqrt),
            ("Reciprocal", 13, new Attribute[0], x => 1 / x),
            ("Floor", 13, new Attribute[0], Math.Floor),
            ("Ceil", 13, new Attribute[0], Math.Ceiling),
            ("Round", 11, new Attribute[0], x => Math.Round(x, MidpointRounding.ToEven)),
            ("Neg", 13, new Attribute[0], x => -x),
            ("Abs", 13, new Attribute[0], Math.Abs),
            ("Sign", 13, new Attribute[0], x => double.IsNaN(x) ? x : x > 0 ? 1 : x < 0 ? -1 : 0),
            ("Sin", 7, new Attribute[0], Math.Sin),
            ("Cos", 7, new Attribute[0], Math.Cos),
            ("Tan", 7, new Attribute[0], Math.Tan),
            ("Asin", 7, new Attribute[0], Math.Asin),
            ("Acos", 7, new Attribute[0], Math.Acos),
            ("Atan", 7, new Attribute[0], Math.Atan),
            ("Sinh", 9, new Attribute[0], Math.Sinh),
            ("Cosh", 9, new Attribute[0], Math.Cosh),
            ("Asinh", 9, new Attribute[0], Math.Asinh),
            ("Acosh", 9, new Attribute[0], Math.Acosh),
            ("Atanh", 9, new Attribute[0], Math.Atanh),
        };

        [Fact]
        public void Unary_float_ops_match_scalar_reference_in_float32_and_float64()
        {
            var plans = new List<ModelPlan>();
            foreach (var type in new[] { DataType.Float32, DataType.Float64 })
            {
                foreach (var (op, opset, attributes, _) in UnaryCases)
                {
                    var g = new OpGraphBuilder(opset);
                    g.Output(g.Node(op, new Value?[] { g.Input("x", type, 4, 30) }, attributes));
                    plans.Add(g.Lower("Unary" + plans.Count));
                }
            }
            var compiled = GeneratedCode.Compile(plans);
            var failures = new List<string>();
            for (int p = 0; p < plans.Count; p++)
            {
                var (op, _, attributes, reference) = UnaryCases[p % UnaryCases.Length];
                bool single = p < UnaryCases.Length;
                float[] input = UnaryInput(p % UnaryCases.Length);
                string label = op + "(" + string.Join(", ", attributes.Select(a => a.Name)) + ") " + (single ? "float" : "double");
                if (single)
                {
                    var actual = (float[])compiled.Get(plans[p]).Run(input)[0];
                    // Float kernels: within a few float ulps of the double reference (tighter than the 1e-3 conformance bound).
                    Compare(label, input, actual.Select(v => (double)v).ToArray(), reference, 1e-5, 1e-6, float.MaxValue, failures);
                }
                else
                {
                    var actual = (double[])compiled.Get(plans[p]).Run(input.Select(v => (double)v).ToArray())[0];
                    // Erf and Gelu use the 1.2e-7-accurate erfc fit above |x| = 1; the rest are Math calls.
                    double rtol = op is "Erf" or "Gelu" ? 2e-7 : 1e-12;
                    Compare(label, input, actual, reference, rtol, rtol * 1e-2, double.MaxValue, failures);
                }
            }
            Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        }

        private static void Compare(string label, float[] input, double[] actual, Func<double, double> reference, double rtol, double atol, double max, List<string> failures)
        {
            for (int i = 0; i < input.Length; i++)
            {
                double expected = reference(input[i]);
                if (max == float.MaxValue) expected = (float)expected;
                double got = actual[i];
                bool ok = double.IsNaN(expected) ? double.IsNaN(got) : expected == got || Math.Abs(expected - got) <= atol + rtol * Math.Abs(expected);
                if (!ok)
                {
                    failures.Add(label + " at x = " + input[i].ToString("R") + ": expected " + expected.ToString("R") + ", got " + got.ToString("R"));
                    return;
                }
            }
        }

        private static readonly string[] Fusable = { "LeakyRelu", "Elu", "Selu", "Celu", "ThresholdedRelu", "HardSigmoid", "HardSwish", "Softplus", "Softsign", "Mish", "Swish" };

        /// <summary>
        /// Activations with float attributes fuse into Gemm (value alpha·AB + beta·C), Conv (1x1 with
        /// bias) and MatMul, keeping their attributes: one kernel, same values as the scalar reference.
        /// </summary>
        [Fact]
        public void Parameterized_activations_fuse_into_gemm_conv_and_matmul()
        {
            const int m = 4, k = 3, n = 5;
            float[] a = OpData.Random(1, m * k, 2f), w = OpData.Random(2, k * n, 2f), c = OpData.Random(3, m, 1f), bias = OpData.Random(4, n, 1f);
            var cases = new List<(ModelPlan Plan, string Producer, Func<double, double> Reference)>();
            foreach (var (op, opset, attributes, reference) in UnaryCases)
            {
                if (Array.IndexOf(Fusable, op) < 0) continue;
                foreach (var producer in new[] { "Gemm", "Conv", "MatMul" })
                {
                    var g = new OpGraphBuilder(Math.Max(opset, 13));
                    Value y = producer switch
                    {
                        "Gemm" => g.Node("Gemm", new Value?[] { g.Input("x", DataType.Float32, m, k), OpGraphBuilder.Floats("w", w, k, n), OpGraphBuilder.Floats("c", c, m, 1) },
                            Attribute.FromFloat("alpha", 0.5f), Attribute.FromFloat("beta", 2f)),
                        "Conv" => g.Node("Conv", new Value?[] { g.Input("x", DataType.Float32, 1, k, m, 1), OpGraphBuilder.Floats("w", Transpose(w, k, n), n, k, 1, 1), OpGraphBuilder.Floats("bias", bias, n) }),
                        _ => g.Node("MatMul", new Value?[] { g.Input("x", DataType.Float32, m, k), OpGraphBuilder.Floats("w", w, k, n) }),
                    };
                    g.Output(g.Node(op, new Value?[] { y }, attributes));
                    cases.Add((g.Lower("Fused" + cases.Count), producer, reference));
                }
            }
            var compiled = GeneratedCode.Compile(cases.Select(x => x.Plan).ToList());
            foreach (var (plan, producer, reference) in cases)
            {
                var node = Assert.Single(plan.Nodes);
                string activation = node.GetString("activation", "");
                Assert.Contains(activation, Fusable);
                // Conv's input is [1, k, m, 1]: channel-major, so feed x transposed.
                var actual = (float[])compiled.Get(plan).Run(producer == "Conv" ? Transpose(a, m, k) : a)[0];
                var expected = new float[m * n];
                for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int kk = 0; kk < k; kk++) sum += (double)a[i * k + kk] * w[kk * n + j];
                    double v = producer switch { "Gemm" => 0.5 * sum + 2.0 * c[i], "Conv" => sum + bias[j], _ => sum };
                    // Conv's output is [1, n, m, 1].
                    expected[producer == "Conv" ? j * m + i : i * n + j] = (float)reference((float)v);
                }
                OpData.AssertClose(expected, actual, activation + " fused into " + producer, rtol: 1e-4, atol: 1e-5);
            }
        }

        private static float[] Transpose(float[] values, int rows, int columns)
        {
            var result = new float[values.Length];
            for (int r = 0; r < rows; r++)
            for (int q = 0; q < columns; q++) result[q * rows + r] = values[r * columns + q];
            return result;
        }

        [Fact]
        public void Round_is_half_to_even_and_predicates_give_bools()
        {
            float[] x = { 0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 0.49999997f, 3.7f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f };
            var plans = new List<ModelPlan>();
            foreach (var (op, attributes) in new[]
            {
                ("Round", new Attribute[0]), ("IsNaN", new Attribute[0]), ("IsInf", new Attribute[0]),
                ("IsInf", new[] { Attribute.FromInt("detect_negative", 0) }), ("IsInf", new[] { Attribute.FromInt("detect_positive", 0) }),
                ("Sign", new Attribute[0]),
            })
            {
                var g = new OpGraphBuilder(20);
                g.Output(g.Node(op, new Value?[] { g.Input("x", DataType.Float32, x.Length) }, attributes));
                plans.Add(g.Lower("Predicate" + plans.Count));
            }
            var compiled = GeneratedCode.Compile(plans);
            var round = (float[])compiled.Get(plans[0]).Run(x)[0];
            Assert.Equal(new[] { 0f, 2f, 2f, -0f, -2f, -2f, 0f, 4f }, round.Take(8).ToArray());
            Assert.True(float.IsNaN(round[8]));
            Assert.Equal(new[] { false, false, false, false, false, false, false, false, true, false, false, false }, (bool[])compiled.Get(plans[1]).Run(x)[0]);
            Assert.Equal(new[] { false, false, false, false, false, false, false, false, false, true, true, false }, (bool[])compiled.Get(plans[2]).Run(x)[0]);
            Assert.Equal(new[] { false, false, false, false, false, false, false, false, false, true, false, false }, (bool[])compiled.Get(plans[3]).Run(x)[0]);
            Assert.Equal(new[] { false, false, false, false, false, false, false, false, false, false, true, false }, (bool[])compiled.Get(plans[4]).Run(x)[0]);
            var sign = (float[])compiled.Get(plans[5]).Run(x)[0];
            Assert.Equal(new[] { 1f, 1f, 1f, -1f, -1f, -1f, 1f, 1f }, sign.Take(8).ToArray());
            Assert.True(float.IsNaN(sign[8]));
            Assert.Equal(new[] { 1f, -1f, 0f }, sign.Skip(9).ToArray());
        }

        [Fact]
        public void Integer_neg_abs_sign_wrap_like_twos_complement()
        {
            var plans = new List<(ModelPlan Plan, DataType Type, string Op)>();
            foreach (var type in new[] { DataType.Int8, DataType.Int16, DataType.Int32, DataType.Int64, DataType.UInt8, DataType.UInt32, DataType.UInt64 })
            {
                foreach (var op in new[] { "Neg", "Abs", "Sign" })
                {
                    if (op == "Neg" && type is DataType.UInt8 or DataType.UInt32 or DataType.UInt64) continue;
                    var g = new OpGraphBuilder(13);
                    g.Output(g.Node(op, new Value?[] { g.Input("x", type, 5) }));
                    plans.Add((g.Lower("IntUnary" + plans.Count), type, op));
                }
            }
            var compiled = GeneratedCode.Compile(plans.Select(p => p.Plan).ToList());
            foreach (var (plan, type, op) in plans)
            {
                var clr = CompiledModel.ClrType(type);
                bool unsigned = type is DataType.UInt8 or DataType.UInt32 or DataType.UInt64;
                var (min, max) = unsigned ? (0L, type == DataType.UInt64 ? -1L : CastOperator.Range(type).Max) : CastOperator.Range(type);
                long[] values = { min, max, 0, 5, unsigned ? 7 : -7 };
                var input = Array.CreateInstance(clr, values.Length);
                for (int i = 0; i < values.Length; i++) input.SetValue(Convert.ChangeType(Wrap(values[i], type), clr), i);
                var output = compiled.Get(plan).Run(input)[0];
                for (int i = 0; i < values.Length; i++)
                {
                    long v = values[i];
                    decimal expected = op switch
                    {
                        "Neg" => Wrap(unchecked(-v), type),
                        "Abs" => Wrap(!unsigned && v < 0 ? unchecked(-v) : v, type),
                        _ => unsigned ? (v != 0 ? 1 : 0) : Math.Sign(v),
                    };
                    Assert.Equal(expected, Convert.ToDecimal(output.GetValue(i)));
                }
            }
        }

        /// <summary>The value of <paramref name="v"/> after two's complement truncation to <paramref name="type"/>, as a decimal (holds uint64).</summary>
        private static decimal Wrap(long v, DataType type) => type switch
        {
            DataType.Int8 => (sbyte)v,
            DataType.Int16 => (short)v,
            DataType.Int32 => (int)v,
            DataType.UInt8 => (byte)v,
            DataType.UInt32 => (uint)v,
            DataType.UInt64 => (ulong)v,
            _ => v,
        };

        [Fact]
        public void Variadic_min_max_sum_mean_broadcast_three_inputs()
        {
            long[][] shapes = { new long[] { 2, 3, 4 }, new long[] { 3, 1 }, new long[] { 4 } };
            long[] output = { 2, 3, 4 };
            var plans = new List<ModelPlan>();
            string[] ops = { "Min", "Max", "Sum", "Mean" };
            foreach (var op in ops)
            {
                var g = new OpGraphBuilder(13);
                g.Output(g.Node(op, shapes.Select((s, k) => (Value?)g.Input("x" + k, DataType.Float32, s)).ToArray()));
                plans.Add(g.Lower("Variadic" + op));
            }
            var compiled = GeneratedCode.Compile(plans);
            var inputs = shapes.Select((s, k) => OpData.Random(40 + k, Shape.ElementCount(s))).ToArray();
            inputs[1][2] = float.NaN;
            for (int p = 0; p < ops.Length; p++)
            {
                var actual = (float[])compiled.Get(plans[p]).Run(inputs)[0];
                var expected = new float[Shape.ElementCount(output)];
                for (long i = 0; i < expected.Length; i++)
                {
                    var operands = inputs.Select((x, k) => (double)x[OpData.SourceIndex(i, output, shapes[k])]).ToArray();
                    double value = ops[p] switch
                    {
                        "Min" => operands.Any(double.IsNaN) ? double.NaN : operands.Min(),
                        "Max" => operands.Any(double.IsNaN) ? double.NaN : operands.Max(),
                        "Sum" => operands.Sum(),
                        _ => operands.Average(),
                    };
                    expected[i] = (float)value;
                }
                OpData.AssertClose(expected, actual, ops[p], 1e-6, 1e-6);
            }
        }

        [Fact]
        public void Integer_min_max_compare_unsigned_64_bit_as_unsigned()
        {
            var plans = new List<ModelPlan>();
            foreach (var op in new[] { "Min", "Max" })
            {
                var g = new OpGraphBuilder(13);
                g.Output(g.Node(op, new Value?[] { g.Input("a", DataType.UInt64, 3), g.Input("b", DataType.UInt64, 3) }));
                plans.Add(g.Lower("U64" + op));
            }
            var compiled = GeneratedCode.Compile(plans);
            ulong[] a = { ulong.MaxValue, 1, 5 }, b = { 2, 1UL << 63, 5 };
            Assert.Equal(new ulong[] { 2, 1, 5 }, (ulong[])compiled.Get(plans[0]).Run(a, b)[0]);
            Assert.Equal(new ulong[] { ulong.MaxValue, 1UL << 63, 5 }, (ulong[])compiled.Get(plans[1]).Run(a, b)[0]);
        }

        [Fact]
        public void Pow_mod_bitshift_prelu_match_scalar_reference()
        {
            var cases = new List<(ModelPlan Plan, Array A, Array B, Array Expected)>();
            void Add(string op, Array a, long[] aShape, Array b, long[] bShape, Array expected, params Attribute[] attributes)
            {
                var g = new OpGraphBuilder(op == "BitShift" ? 11 : 15);
                var ta = Type(a.GetType().GetElementType()!);
                var tb = Type(b.GetType().GetElementType()!);
                g.Output(g.Node(op, new Value?[] { g.Input("a", ta, aShape), g.Input("b", tb, bShape) }, attributes));
                cases.Add((g.Lower("Binary" + cases.Count), a, b, expected));
            }

            // Pow, float base with broadcast exponent; int base with int and float exponents; float base with int64 exponent.
            float[] fa = { 2f, -2f, 0.5f, 9f, 0f, -8f }, fb = { 3f, 0.5f, -1f };
            Add("Pow", fa, new long[] { 2, 3 }, fb, new long[] { 3 }, Enumerable.Range(0, 6).Select(i => (float)Math.Pow(fa[i], fb[i % 3])).ToArray());
            int[] ia = { 2, -3, 5, 1, -1, 0, 7 }, ib = { 10, 3, 0, -4, -3, 2, 12 };
            Add("Pow", ia, new long[] { 7 }, ib, new long[] { 7 }, ia.Select((v, i) => (int)IntPower(v, ib[i], 32)).ToArray());
            long[] la = { 3, -2, 10 }, lb = { 39, 63, 3 };
            Add("Pow", la, new long[] { 3 }, lb, new long[] { 3 }, new[] { (long)IntPower(3, 39, 64), (long)IntPower(-2, 63, 64), 1000L });
            Add("Pow", new[] { 4, 9, 2, 0, 1, 10 }, new long[] { 6 }, new[] { 0.5f }, new long[] { 1 }, new[] { 2, 3, 1, 0, 1, 3 });
            Add("Pow", fa, new long[] { 6 }, new long[] { 2, 3, -1, 0, 5, 1 }, new long[] { 6 }, new[] { 4f, -8f, 2f, 1f, 0f, -8f });

            // Mod: floored (sign of the divisor) and fmod (sign of the dividend), ints and floats.
            int[] ma = { 7, -7, 7, -7, 0, 5, int.MinValue }, mb = { 3, 3, -3, -3, 2, 5, -1 };
            Add("Mod", ma, new long[] { 7 }, mb, new long[] { 7 }, new[] { 1, 2, -2, -1, 0, 0, 0 });
            Add("Mod", ma, new long[] { 7 }, mb, new long[] { 7 }, new[] { 1, -1, 1, -1, 0, 0, 0 }, Attribute.FromInt("fmod", 1));
            sbyte[] sa = { -128, 127, -5 }, sb = { 3, -2, 4 };
            Add("Mod", sa, new long[] { 3 }, sb, new long[] { 3 }, new sbyte[] { 1, -1, 3 });
            float[] fx = { 5.5f, -5.5f, 5.5f, -5.5f }, fy = { 2f, 2f, -2f, -2f };
            Add("Mod", fx, new long[] { 4 }, fy, new long[] { 4 }, new[] { 1.5f, -1.5f, 1.5f, -1.5f }, Attribute.FromInt("fmod", 1));
            byte[] ua = { 200, 7, 9 }, ub = { 7, 200, 1 };
            Add("Mod", ua, new long[] { 3 }, ub, new long[] { 3 }, new byte[] { 4, 7, 0 });

            // BitShift, including shift counts at and beyond the width.
            byte[] ba = { 1, 0x81, 0xFF }, bb = { 7, 1, 8 };
            Add("BitShift", ba, new long[] { 3 }, bb, new long[] { 3 }, new byte[] { 0x80, 0x02, 0 }, Attribute.FromString("direction", "LEFT"));
            Add("BitShift", ba, new long[] { 3 }, bb, new long[] { 3 }, new byte[] { 0, 0x40, 0 }, Attribute.FromString("direction", "RIGHT"));
            uint[] wa = { 1, 0x80000000, 3 }, wb = { 31, 1, 32 };
            Add("BitShift", wa, new long[] { 3 }, wb, new long[] { 3 }, new uint[] { 0x80000000, 0, 0 }, Attribute.FromString("direction", "LEFT"));
            ulong[] qa = { 1, 1UL << 63, 5 }, qb = { 63, 63, 64 };
            Add("BitShift", qa, new long[] { 3 }, qb, new long[] { 3 }, new ulong[] { 0, 1, 0 }, Attribute.FromString("direction", "RIGHT"));

            // PRelu with a per-channel slope [C, 1, 1] on [N, C, H, W].
            float[] px = OpData.Random(7, 2 * 3 * 2 * 2), slope = { 0.1f, -2f, 0f };
            Add("PRelu", px, new long[] { 2, 3, 2, 2 }, slope, new long[] { 3, 1, 1 }, px.Select((v, i) => v < 0 ? v * slope[i / 4 % 3] : v).ToArray());
            int[] pix = { -3, 4, -5 }, pis = { 2 };
            Add("PRelu", pix, new long[] { 3 }, pis, new long[] { 1 }, new[] { -6, 4, -10 });

            var compiled = GeneratedCode.Compile(cases.Select(c => c.Plan).ToList());
            foreach (var (plan, a, b, expected) in cases)
            {
                var actual = compiled.Get(plan).Run(a, b)[0];
                if (expected is float[] fe) OpData.AssertClose(fe, (float[])actual, plan.Nodes[0].OpType + " " + plan.ClassName, 1e-6, 1e-7);
                else Assert.Equal(expected, actual);
            }
        }

        [Fact]
        public void Constant_square_and_scalar_operands()
        {
            float[] x = { 1.5f, -3f, 0f, float.NaN, 1e20f, -1e-30f };
            var plans = new List<ModelPlan>();
            foreach (var exponent in new Value[] { OpGraphBuilder.Floats("two", new[] { 2f }), OpGraphBuilder.Longs("two", new long[] { 2 }), OpGraphBuilder.Floats("three", new[] { 3f }) })
            {
                var g = new OpGraphBuilder(15);
                g.Output(g.Node("Pow", new Value?[] { g.Input("x", DataType.Float32, 2, 3), exponent }));
                plans.Add(g.Lower("PowConstant" + plans.Count));
            }
            var max = new OpGraphBuilder(13);
            max.Output(max.Node("Max", new Value?[] { max.Input("s", DataType.Float32), max.Input("x", DataType.Float32, 2, 3), OpGraphBuilder.Floats("lo", new[] { -1f }, 1) }));
            plans.Add(max.Lower("MaxScalars"));
            var compiled = GeneratedCode.Compile(plans);
            for (int p = 0; p < 3; p++)
            {
                double e = p < 2 ? 2 : 3;
                OpData.AssertClose(x.Select(v => (float)Math.Pow(v, e)).ToArray(), (float[])compiled.Get(plans[p]).Run(x)[0], plans[p].ClassName);
            }
            var actual = (float[])compiled.Get(plans[3]).Run(new[] { 0.5f }, x)[0];
            OpData.AssertClose(x.Select(v => float.IsNaN(v) ? v : Math.Max(Math.Max(0.5f, v), -1f)).ToArray(), actual, "Max with scalars");
        }

        private static long IntPower(long x, long n, int bits)
        {
            if (n < 0) return x == 1 ? 1 : x == -1 ? (n % 2 != 0 ? -1 : 1) : 0;
            System.Numerics.BigInteger r = System.Numerics.BigInteger.Pow(x, (int)n);
            var mask = (System.Numerics.BigInteger.One << bits) - 1;
            var low = (ulong)(r & mask);
            return bits == 32 ? (int)(uint)low : (long)low;
        }

        private static DataType Type(Type clr) => new[] { DataType.Float32, DataType.Float64, DataType.Int8, DataType.UInt8, DataType.Int16, DataType.Int32, DataType.UInt32, DataType.Int64, DataType.UInt64 }
            .First(t => CompiledModel.ClrType(t) == clr);

        private static readonly string[] BackendCases =
        {
            "test_abs", "test_neg", "test_sqrt", "test_exp", "test_log_example", "test_sign", "test_round", "test_erf", "test_gelu_default_2",
            "test_gelu_tanh_2", "test_leakyrelu", "test_selu", "test_elu", "test_celu", "test_hardsigmoid", "test_hardswish", "test_mish",
            "test_softplus", "test_softsign", "test_thresholdedrelu", "test_shrink_soft", "test_swish", "test_acosh", "test_atanh", "test_tan",
            "test_isinf_negative", "test_isnan", "test_reciprocal", "test_floor", "test_ceil",
            "test_pow_bcast_array", "test_pow_types_int64_int64", "test_pow_types_int32_float32", "test_pow_types_float32_uint64",
            "test_mod_mixed_sign_int8", "test_mod_mixed_sign_int64", "test_mod_int64_fmod", "test_mod_mixed_sign_float32", "test_mod_uint64", "test_mod_broadcast",
            "test_bitshift_left_uint16", "test_bitshift_right_uint64", "test_prelu_broadcast",
            "test_min_example", "test_max_int8", "test_max_uint64", "test_min_uint32", "test_sum_example", "test_mean_example",
        };

        /// <summary>
        /// The conformance tier runs the kernels; here every input of the backend cases is bound as a
        /// constant, so the whole graph folds and the build-time evaluator (ScalarMath) is checked
        /// against the same expected outputs.
        /// </summary>
        [Fact]
        public void Build_time_evaluator_matches_backend_data()
        {
            var failures = new List<string>();
            var plans = new List<(string Name, string Dir, ModelPlan Plan)>();
            foreach (string name in BackendCases)
            {
                string dir = Path.Combine(SharedData.Root, "onnx-backend", "node", name);
                var options = new CompileOptions { ClassName = "Folded" + plans.Count, Namespace = "FoldedMath", ModelPath = name + ".onnx" };
                var model = OnnxImporter.Import(File.ReadAllBytes(Path.Combine(dir, "model.onnx")), options);
                var graph = model.Graph;
                for (int i = graph.Inputs.Count - 1; i >= 0; i--)
                {
                    var tensor = OnnxTensorFile.ReadTensor(File.ReadAllBytes(Path.Combine(dir, "test_data_set_0", "input_" + i + ".pb")));
                    graph.Inputs[i].Data = tensor.Data;
                    graph.Inputs[i].Shape = tensor.Dims;
                    graph.Inputs.RemoveAt(i);
                }
                var result = ModelCompiler.Lower(model, "0", options);
                if (!result.Success) failures.Add(name + ": " + string.Join("; ", result.Diagnostics));
                else plans.Add((name, dir, result.Plan!));
            }
            foreach (var (_, _, plan) in plans) Assert.DoesNotContain(plan.Nodes, n => ElementwiseMathOperator.Specs.ContainsKey(n.OpType));

            var compiled = GeneratedCode.Compile(plans.Select(p => p.Plan).ToList());
            foreach (var (name, dir, plan) in plans)
            {
                var actual = compiled.Get(plan).Run()[0];
                var expected = OnnxTensorFile.ReadTensor(File.ReadAllBytes(Path.Combine(dir, "test_data_set_0", "output_0.pb")));
                var want = Array.CreateInstance(CompiledModel.ClrType(expected.Type), Shape.ElementCount(expected.Dims));
                Buffer.BlockCopy(expected.Data, 0, want, 0, expected.Data.Length);
                for (int i = 0; i < want.Length; i++)
                {
                    object e = want.GetValue(i)!, a = actual.GetValue(i)!;
                    bool same = e switch
                    {
                        float f => float.IsNaN(f) ? float.IsNaN((float)a) : Math.Abs(f - (float)a) <= 1e-5 + 1e-4 * Math.Abs(f),
                        double d => double.IsNaN(d) ? double.IsNaN((double)a) : Math.Abs(d - (double)a) <= 1e-9 + 1e-7 * Math.Abs(d),
                        _ => e.Equals(a),
                    };
                    if (!same)
                    {
                        failures.Add(name + " element " + i + ": expected " + e + ", got " + a);
                        break;
                    }
                }
            }
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }

        [Fact]
        public void Cast_like_lowers_to_cast_and_folds()
        {
            var g = new OpGraphBuilder(19);
            var like = OpGraphBuilder.Longs("like", new long[] { 0 }, 1);
            g.Output(g.Node("CastLike", new Value?[] { g.Input("x", DataType.Float32, 4), like }, Attribute.FromInt("saturate", 1)));
            var plan = g.Lower("CastLikeKernel");
            var node = Assert.Single(plan.Nodes);
            Assert.Equal("Cast", node.OpType);
            Assert.Single(node.Inputs);
            Assert.Equal(DataType.Int64, plan.Tensor(plan.Outputs[0]).Type);
            Assert.Equal(new long[] { 2, -2, 0, 3 }, (long[])GeneratedCode.Compile(plan).Run(new[] { 2.7f, -2.7f, 0.2f, 3f })[0]);

            var folded = new OpGraphBuilder(15);
            var abs = folded.Node("Abs", new Value?[] { OpGraphBuilder.Floats("c", new[] { -1.5f, 2f }, 2) });
            var neg = folded.Node("Neg", new Value?[] { abs });
            folded.Output(folded.Node("CastLike", new Value?[] { neg, OpGraphBuilder.Ints("like", new[] { 0 }, 1) }));
            var foldedPlan = folded.Lower("CastLikeFolded");
            Assert.DoesNotContain(foldedPlan.Nodes, n => n.OpType is "Abs" or "Neg" or "CastLike" or "Cast");
            Assert.Equal(new[] { -1, -2 }, (int[])GeneratedCode.Compile(foldedPlan).Run()[0]);
        }

        [Fact]
        public void Elementwise_ops_run_in_place_when_shape_and_type_are_kept()
        {
            var definition = new ElementwiseMathOperator();
            var g = new OpGraphBuilder(20);
            var x = g.Input("x", DataType.Float32, 2, 3);
            var exp = g.Node("Exp", new Value?[] { x });
            var isNaN = g.Node("IsNaN", new Value?[] { exp });
            var max = g.Node("Max", new Value?[] { g.Input("s", DataType.Float32, 1), exp });
            g.Output(isNaN, max);
            g.Lower("InPlace");
            var nodes = g.Graph.Nodes.ToDictionary(n => n.OpType);
            Assert.True(definition.CanRunInPlace(nodes["Exp"]));
            Assert.False(definition.CanRunInPlace(nodes["IsNaN"]));   // bool output
            Assert.False(definition.CanRunInPlace(nodes["Max"]));     // input 0 is broadcast
        }

        [Theory]
        [InlineData("Mod", 13, DataType.Float32, "EAOT0011", "fmod")]                  // floats need fmod=1
        [InlineData("Pow", 15, DataType.Int8, "EAOT0005", "Int8")]                     // Pow's integer bases are 32/64-bit
        [InlineData("BitShift", 11, DataType.Int32, "EAOT0005", "Int32")]              // unsigned only
        [InlineData("Celu", 11, DataType.Float32, "EAOT0004", "minimum 12")]
        [InlineData("Gelu", 20, DataType.Float32, "EAOT0011", "approximate")]
        [InlineData("Min", 6, DataType.Float32, "EAOT0011", "broadcasting starts at opset 8")]
        [InlineData("Max", 11, DataType.Int32, "EAOT0005", "Int32")]                    // integer Max from opset 12
        [InlineData("PRelu", 16, DataType.Float32, "EAOT0011", "unidirectional")]
        [InlineData("Erf", 13, DataType.Int32, "EAOT0005", "Int32")]
        public void Invalid_or_unsupported_nodes_fail_with_a_diagnostic(string op, int opset, DataType type, string id, string text)
        {
            var g = new OpGraphBuilder(opset);
            var inputs = new List<Value?> { g.Input("a", type, op == "PRelu" ? new long[] { 3 } : new long[] { 2, 3 }) };
            if (op is "Mod" or "Pow" or "BitShift" or "Min" or "Max" or "PRelu") inputs.Add(g.Input("b", type, op == "PRelu" ? new long[] { 2, 3 } : new long[] { 3 }));
            var attributes = op == "Gelu" ? new[] { Attribute.FromString("approximate", "erf") } : new Attribute[0];
            g.Output(g.Node(op, inputs.ToArray(), attributes));
            var result = g.TryLower("Invalid" + op);
            Assert.False(result.Success);
            Assert.Equal(id, result.Diagnostics[0].Id);
            Assert.Contains(text, result.Diagnostics[0].Message);
        }
    }
}
