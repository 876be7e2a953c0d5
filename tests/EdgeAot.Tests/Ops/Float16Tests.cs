using System;
using System.Collections.Generic;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Plan;
using EdgeAot.Tests.Harness;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OrtFloat16 = Microsoft.ML.OnnxRuntime.Float16;
using Binary16 = EdgeAot.Compiler.Ir.Binary16;

namespace EdgeAot.Tests.Ops
{
    /// <summary>
    /// Float16 tensors: the compiler's binary16 conversions, Cast rounding (ties to even, overflow to
    /// infinity, NaN, subnormals) against bit patterns worked out by hand, float16 graph inputs,
    /// outputs and constants through the data-movement kernels against ONNX Runtime 1.31.1 bit for
    /// bit, float ops computed in float32 against a double-precision scalar reference, and
    /// quantization with float16 scales against ONNX Runtime.
    /// </summary>
    public class Float16Tests
    {
        // Hand-worked roundings: (value, binary16 bits). 1 + k·2^-11 sits halfway between neighbours
        // 2^-10 apart when k is odd; 2^-24 is the smallest subnormal; 65520 is halfway from 65504 to 2^16.
        private static readonly (double Value, ushort Bits)[] Roundings =
        {
            (1.0, 0x3C00),
            (1 + Math.Pow(2, -11), 0x3C00),          // tie between 0x3C00 and 0x3C01: even is 0x3C00
            (1 + 3 * Math.Pow(2, -11), 0x3C02),      // tie between 0x3C01 and 0x3C02: even is 0x3C02
            (-(1 + 3 * Math.Pow(2, -11)), 0xBC02),
            (1 + Math.Pow(2, -11) + Math.Pow(2, -20), 0x3C01), // just above the tie
            (65504, 0x7BFF),                         // largest finite
            (65519, 0x7BFF),                         // below the halfway point: stays finite
            (65520, 0x7C00),                         // halfway to 2^16: rounds to even, i.e. overflows
            (-70000, 0xFC00),
            (1e30, 0x7C00),
            (Math.Pow(2, -14), 0x0400),              // smallest normal
            (1023 * Math.Pow(2, -24), 0x03FF),       // largest subnormal
            (1023.5 * Math.Pow(2, -24), 0x0400),     // tie between 0x03FF and 0x0400: even is 0x0400
            (Math.Pow(2, -24), 0x0001),              // smallest subnormal
            (Math.Pow(2, -25), 0x0000),              // tie between 0 and 2^-24: even is 0
            (3 * Math.Pow(2, -25), 0x0002),          // tie between 0x0001 and 0x0002
            (-Math.Pow(2, -26), 0x8000),             // underflows to -0
            (0.1, 0x2E66),
            (-2.5, 0xC100),
            (0.0, 0x0000),
        };

        [Fact]
        public void Compiler_binary16_conversions_match_hand_worked_bits_and_System_Half()
        {
            foreach (var (value, bits) in Roundings) Assert.True(Binary16.FromDouble(value) == bits, value.ToString("R") + " -> " + Binary16.FromDouble(value).ToString("X4") + ", expected " + bits.ToString("X4"));
            Assert.Equal(0x8000, Binary16.FromDouble(-0.0));
            Assert.True(Binary16.IsNaN(Binary16.FromDouble(double.NaN)));
            Assert.Equal(0x7C00, Binary16.FromDouble(double.PositiveInfinity));
            Assert.Equal(0xFC00, Binary16.FromDouble(double.NegativeInfinity));
            // A double that a detour through float would round twice: float drops the 2^-40 that lifts it above the tie.
            Assert.Equal(0x3C01, Binary16.FromDouble(1 + Math.Pow(2, -11) + Math.Pow(2, -40)));

            for (int b = 0; b <= 0xFFFF; b++)
            {
                double expected = (double)BitConverter.UInt16BitsToHalf((ushort)b);
                double actual = Binary16.ToDouble((ushort)b);
                Assert.True(double.IsNaN(expected) ? double.IsNaN(actual) : expected.Equals(actual), b.ToString("X4"));
                if (!double.IsNaN(expected)) Assert.Equal((ushort)b, Binary16.FromDouble(actual));
            }
            var random = new Random(16);
            for (int i = 0; i < 100_000; i++)
            {
                double v = (random.NextDouble() * 2 - 1) * Math.Pow(2, random.Next(-30, 18));
                Assert.True(BitConverter.HalfToUInt16Bits((Half)v) == Binary16.FromDouble(v), v.ToString("R"));
            }
        }

        [Fact]
        public void Cast_to_float16_rounds_to_nearest_even_overflows_to_infinity_and_keeps_NaN_and_subnormals()
        {
            var floats = Roundings.Select(r => (float)r.Value).Append(float.NaN).Append(float.PositiveInfinity).Append(float.NegativeInfinity).Append(-0f).ToArray();
            var doubles = Roundings.Select(r => r.Value).Append(1 + Math.Pow(2, -11) + Math.Pow(2, -40)).ToArray();
            var ints = new[] { 0, 1, -1, 2049, 2051, 65504, 65519, 65520, -65520, int.MaxValue };
            var b = new OnnxModelBuilder("cast16", 19);
            b.Output(b.Node("Cast", new[] { b.Input("f", DataType.Float32, floats.Length) }, OnnxAttribute.Int("to", (long)DataType.Float16)), DataType.Float16, floats.Length);
            b.Output(b.Node("Cast", new[] { b.Input("d", DataType.Float64, doubles.Length) }, OnnxAttribute.Int("to", (long)DataType.Float16)), DataType.Float16, doubles.Length);
            b.Output(b.Node("Cast", new[] { b.Input("i", DataType.Int32, ints.Length) }, OnnxAttribute.Int("to", (long)DataType.Float16)), DataType.Float16, ints.Length);
            // CastLike takes the target type from a float16 tensor (here an initializer) and is the same Cast.
            string like = b.Initializer(HalfTensor("like", new long[] { 1 }, new[] { (Half)1 }, raw: false));
            b.Output(b.Node("CastLike", new[] { "f", like }), DataType.Float16, floats.Length);
            var model = Compile(b, "CastToHalf");
            var outputs = model.Run(floats, doubles, ints);
            Assert.Equal(Bits((Half[])outputs[0]), Bits((Half[])outputs[3]));

            var fromFloats = Bits((Half[])outputs[0]);
            for (int i = 0; i < Roundings.Length; i++)
            {
                // Every hand-worked value but 0.1 and 1 + 2^-11 + 2^-20 is a float; those two still round the same from float.
                Assert.True(fromFloats[i] == Roundings[i].Bits, "float " + floats[i].ToString("R") + " -> " + fromFloats[i].ToString("X4") + ", expected " + Roundings[i].Bits.ToString("X4"));
            }
            int n = Roundings.Length;
            Assert.True(Binary16.IsNaN(fromFloats[n]));
            Assert.Equal(new ushort[] { 0x7C00, 0xFC00, 0x8000 }, fromFloats.Skip(n + 1).ToArray());

            var fromDoubles = Bits((Half[])outputs[1]);
            for (int i = 0; i < Roundings.Length; i++) Assert.True(fromDoubles[i] == Roundings[i].Bits, "double " + doubles[i].ToString("R"));
            Assert.Equal(0x3C01, fromDoubles[n]); // one rounding from double, not two through float

            // 2049 and 2051 are ties between multiples of 2 (the spacing above 2048): even significands win.
            Assert.Equal(new ushort[] { 0x0000, 0x3C00, 0xBC00, 0x6800, 0x6802, 0x7BFF, 0x7BFF, 0x7C00, 0xFC00, 0x7C00 }, Bits((Half[])outputs[2]));

            // ONNX Runtime agrees on the float inputs.
            var ort = RunOrt(b.ToBytes(), ("f", floats, new long[] { floats.Length }), ("d", doubles, new long[] { doubles.Length }), ("i", ints, new long[] { ints.Length }));
            Assert.Equal(Bits((Half[])ort[0]).Select(Canonical), fromFloats.Select(Canonical));
            Assert.Equal(Bits((Half[])ort[2]), Bits((Half[])outputs[2]));
        }

        [Fact]
        public void Cast_from_float16_is_exact_to_float_and_saturates_to_integers()
        {
            var all = Enumerable.Range(0, 0x10000).Select(b => BitConverter.UInt16BitsToHalf((ushort)b)).ToArray();
            var some = new[] { 2.5, -2.5, 65504, -65504, 0.75, -0.0, double.NaN, double.PositiveInfinity, 300, -300 }.Select(v => BitConverter.UInt16BitsToHalf(Binary16.FromDouble(v))).ToArray();
            var b = new OnnxModelBuilder("castfrom16", 19);
            string x = b.Input("x", DataType.Float16, all.Length), s = b.Input("s", DataType.Float16, some.Length);
            b.Output(b.Node("Cast", new[] { x }, OnnxAttribute.Int("to", (long)DataType.Float32)), DataType.Float32, all.Length);
            b.Output(b.Node("Cast", new[] { s }, OnnxAttribute.Int("to", (long)DataType.Int32)), DataType.Int32, some.Length);
            b.Output(b.Node("Cast", new[] { s }, OnnxAttribute.Int("to", (long)DataType.Int8)), DataType.Int8, some.Length);
            b.Output(b.Node("Cast", new[] { s }, OnnxAttribute.Int("to", (long)DataType.Bool)), DataType.Bool, some.Length);
            b.Output(b.Node("Cast", new[] { s }, OnnxAttribute.Int("to", (long)DataType.Float64)), DataType.Float64, some.Length);
            var outputs = Compile(b, "CastFromHalf").Run(all, some);

            var floats = (float[])outputs[0];
            for (int i = 0; i < all.Length; i++)
            {
                double exact = Binary16.ToDouble((ushort)i);
                Assert.True(double.IsNaN(exact) ? float.IsNaN(floats[i]) : ((double)floats[i]).Equals(exact), i.ToString("X4"));
            }
            // Truncation toward zero; out of range and infinity saturate, NaN gives 0 (EdgeAot's rule for what the spec leaves undefined).
            Assert.Equal(new[] { 2, -2, 65504, -65504, 0, 0, 0, int.MaxValue, 300, -300 }, (int[])outputs[1]);
            Assert.Equal(new sbyte[] { 2, -2, 127, -128, 0, 0, 0, 127, 127, -128 }, (sbyte[])outputs[2]);
            Assert.Equal(new[] { true, true, true, true, true, false, true, true, true, true }, (bool[])outputs[3]);
            var doubles = (double[])outputs[4];
            Assert.Equal(new[] { 2.5, -2.5, 65504, -65504, 0.75 }, doubles.Take(5));
            Assert.True(double.IsNegative(doubles[5]) && doubles[5] == 0 && double.IsNaN(doubles[6]) && double.IsPositiveInfinity(doubles[7]));
        }

        [Fact]
        public void Float16_inputs_constants_and_data_movement_match_onnx_runtime_bit_for_bit()
        {
            var random = new Random(7);
            Half[] x = RandomHalves(random, 2 * 3 * 4), other = RandomHalves(random, 2 * 3 * 4);
            // Two constants, one stored in int32_data (low 16 bits per element) and one in raw_data.
            Half[] tableValues = RandomHalves(random, 6);
            Half[] rowValues = RandomHalves(random, 4);
            var b = new OnnxModelBuilder("move16", 13);
            string xi = b.Input("x", DataType.Float16, 2, 3, 4), oi = b.Input("other", DataType.Float16, 2, 3, 4);
            string table = b.Initializer(HalfTensor("table", new long[] { 2, 3 }, tableValues, raw: false));
            string row = b.Initializer(HalfTensor("row", new long[] { 4 }, rowValues, raw: true));
            string t = b.Node("Transpose", new[] { xi }, OnnxAttribute.Ints("perm", 2, 0, 1));                          // [4, 2, 3]
            string r = b.Node("Reshape", new[] { t, b.Initializer("shape", new long[] { 2 }, new long[] { 4, 6 }) });   // [4, 6]
            string c = b.Node("Concat", new[] { r, b.Node("Reshape", new[] { table, b.Initializer("shape1", new long[] { 2 }, new long[] { 1, 6 }) }) }, OnnxAttribute.Int("axis", 0)); // [5, 6]
            string s = b.Node("Slice", new[] { c, b.Initializer("starts", new long[] { 2 }, new long[] { 1, 0 }), b.Initializer("ends", new long[] { 2 }, new long[] { 5, 6 }),
                b.Initializer("axes", new long[] { 2 }, new long[] { 0, 1 }), b.Initializer("steps", new long[] { 2 }, new long[] { 1, 2 }) }); // [4, 3]
            string p = b.Node("Pad", new[] { s, b.Initializer("pads", new long[] { 4 }, new long[] { 1, 0, 0, 2 }), b.Initializer(HalfTensor("pad_value", Array.Empty<long>(), new[] { (Half)(-0.5f) }, raw: false)) }); // [5, 5]
            string g = b.Node("Gather", new[] { p, b.Initializer("indices", new long[] { 3 }, new long[] { 4, 0, -1 }) }, OnnxAttribute.Int("axis", 1)); // [5, 3]
            b.Output(g, DataType.Float16, 5, 3);
            string e = b.Node("Expand", new[] { row, b.Initializer("expand", new long[] { 2 }, new long[] { 3, 4 }) }); // [3, 4]
            string cond = b.Node("Greater", new[] { xi, oi });                                                       // Greater runs in float32, exactly
            b.Output(b.Node("Where", new[] { cond, xi, b.Node("Tile", new[] { e, b.Initializer("repeats", new long[] { 2 }, new long[] { 1, 1 }) }) }), DataType.Float16, 2, 3, 4);
            b.Output(b.Node("Identity", new[] { xi }), DataType.Float16, 2, 3, 4);

            var model = Compile(b, "MoveHalf");
            Assert.Contains(model.Plan.Inputs, id => model.Plan.Tensor(id).Type == DataType.Float16);
            var actual = model.Run(x, other);
            var expected = RunOrt(b.ToBytes(), ("x", x, new long[] { 2, 3, 4 }), ("other", other, new long[] { 2, 3, 4 }));
            for (int o = 0; o < expected.Length; o++) Assert.Equal(Bits((Half[])expected[o]), Bits((Half[])actual[o]));
            Assert.Equal(Bits(x), Bits((Half[])actual[2]));
        }

        /// <summary>
        /// The other element-moving families on float16, against ONNX Runtime running the same graph in
        /// float32 on the same (float16-valued) data: moving values is exact, so the float32 results
        /// narrowed to float16 are the expected bits, whatever ONNX Runtime implements for float16 itself.
        /// The scatter with reduction adds in float32 and rounds once, like the widened kernel.
        /// </summary>
        [Fact]
        public void More_float16_data_movement_matches_the_same_graph_in_float32()
        {
            var random = new Random(9);
            Half[] x = RandomHalves(random, 2 * 8 * 2 * 3), updates = RandomHalves(random, 2 * 3);
            byte[] Model(DataType type)
            {
                var b = new OnnxModelBuilder("more16", 18);
                string xi = b.Input("x", type, 2, 8, 2, 3), ui = b.Input("updates", type, 2, 3);
                var parts = b.Node("Split", new[] { xi, b.Initializer("split", new long[] { 2 }, new long[] { 3, 5 }) }, 2, OnnxAttribute.Int("axis", 1));
                b.Output(parts[0], type, 2, 3, 2, 3);
                string d2s = b.Node("DepthToSpace", new[] { xi }, OnnxAttribute.Int("blocksize", 2), OnnxAttribute.String("mode", "CRD")); // [2, 2, 4, 6]
                b.Output(d2s, type, 2, 2, 4, 6);
                string flat = b.Node("Reshape", new[] { xi, b.Initializer("shape", new long[] { 2 }, new long[] { 16, 6 }) });
                b.Output(b.Node("GatherElements", new[] { flat, b.Initializer("ge", new long[] { 2, 3 }, new long[] { 0, 15, 3, 7, 7, 1 }) }, OnnxAttribute.Int("axis", 0)), type, 2, 3);
                b.Output(b.Node("GatherND", new[] { flat, b.Initializer("gnd", new long[] { 2, 2 }, new long[] { 1, 2, 15, 5 }) }), type, 2);
                b.Output(b.Node("ScatterND", new[] { flat, b.Initializer("snd", new long[] { 2, 3, 2 }, new long[] { 0, 0, 1, 1, 2, 2, 15, 5, 4, 0, 9, 3 }), ui }), type, 16, 6);
                b.Output(b.Node("ScatterElements", new[] { flat, b.Initializer("se", new long[] { 2, 3 }, new long[] { 1, 1, 2, 1, 5, 2 }), ui }, OnnxAttribute.Int("axis", 0), OnnxAttribute.String("reduction", "add")), type, 16, 6);
                b.Output(b.Node("ReverseSequence", new[] { flat, b.Initializer("lens", new long[] { 6 }, new long[] { 16, 3, 1, 9, 2, 16 }) }, OnnxAttribute.Int("batch_axis", 1), OnnxAttribute.Int("time_axis", 0)), type, 16, 6);
                string square = b.Node("Reshape", new[] { xi, b.Initializer("square", new long[] { 2 }, new long[] { 12, 8 }) });
                b.Output(b.Node("Trilu", new[] { square, b.Initializer("k", Array.Empty<long>(), new long[] { 1 }) }, OnnxAttribute.Int("upper", 0)), type, 12, 8);
                b.Output(b.Node("EyeLike", new[] { square }, OnnxAttribute.Int("k", -2)), type, 12, 8);
                b.Output(b.Node("Compress", new[] { flat, b.Initializer(OnnxModelBuilder.RawTensor("keep", DataType.Bool, new long[] { 6 }, new byte[] { 1, 0, 0, 1, 1, 0 })) }, OnnxAttribute.Int("axis", 1)), type, 16, 3);
                string values = b.Node("Slice", new[] { ui, b.Initializer("vs", new long[] { 2 }, new long[] { 0, 1 }), b.Initializer("ve", new long[] { 2 }, new long[] { 1, 3 }) }); // [1, 2]
                string offOn = b.Node("Reshape", new[] { values, b.Initializer("two", new long[] { 1 }, new long[] { 2 }) });
                b.Output(b.Node("OneHot", new[] { b.Initializer("hot", new long[] { 3 }, new long[] { 0, 4, -1 }), b.Initializer("depth", Array.Empty<long>(), new long[] { 5 }), offOn }), type, 3, 5);
                b.Output(b.Node("Shape", new[] { xi }), DataType.Int64, 4);
                return b.ToBytes();
            }
            var model = Compile(Model(DataType.Float16), "MoreHalf");
            var actual = model.Run(x, updates);
            float[] Widen(Half[] h) => h.Select(v => (float)v).ToArray();
            var expected = RunOrt(Model(DataType.Float32), ("x", Widen(x), new long[] { 2, 8, 2, 3 }), ("updates", Widen(updates), new long[] { 2, 3 }));
            for (int o = 0; o < expected.Length - 1; o++)
                Assert.True(((float[])expected[o]).Select(v => BitConverter.HalfToUInt16Bits((Half)v)).SequenceEqual(Bits((Half[])actual[o])), "output " + o);
            Assert.Equal(new long[] { 2, 8, 2, 3 }, (long[])actual[expected.Length - 1]);
        }

        [Fact]
        public void Float16_constant_fills_and_ranges_fold_or_fill_with_exact_half_literals()
        {
            var b = new OnnxModelBuilder("fill16", 18);
            string x = b.Input("x", DataType.Float16, 4);
            var fill = BitConverter.UInt16BitsToHalf(0xC0F0); // -2.46875
            string big = b.Node("ConstantOfShape", new[] { b.Initializer("dims", new long[] { 2 }, new long[] { 64, 64 }) },
                OnnxAttribute.Tensor("value", HalfTensor("value", new long[] { 1 }, new[] { fill }, raw: true)));
            b.Output(big, DataType.Float16, 64, 64);
            string range = b.Node("Range", new[] { b.Initializer(HalfTensor("start", Array.Empty<long>(), new[] { (Half)0.5f }, raw: false)),
                b.Initializer(HalfTensor("limit", Array.Empty<long>(), new[] { (Half)2.5f }, raw: false)), b.Initializer(HalfTensor("delta", Array.Empty<long>(), new[] { (Half)0.5f }, raw: false)) });
            b.Output(b.Node("Concat", new[] { x, range }, OnnxAttribute.Int("axis", 0)), DataType.Float16, 8);
            var model = Compile(b, "FillHalf");
            Assert.Contains(model.Plan.Nodes, n => n.OpType == "ConstantOfShape"); // 8 KiB: filled at run time, not stored
            var input = new[] { (Half)1, Half.NaN, Half.NegativeInfinity, (Half)(-0f) };
            var outputs = model.Run(input);
            Assert.All((Half[])outputs[0], v => Assert.Equal(0xC0F0, BitConverter.HalfToUInt16Bits(v)));
            Assert.Equal(Bits(input).Concat(new ushort[] { 0x3800, 0x3C00, 0x3E00, 0x4000 }), Bits((Half[])outputs[1]));
        }

        [Fact]
        public void Float16_float_ops_compute_in_float32_and_round_once_on_store()
        {
            var random = new Random(11);
            Half[] a = RandomHalves(random, 2 * 3), w = RandomHalves(random, 3 * 4), bias = RandomHalves(random, 4);
            var b = new OnnxModelBuilder("math16", 13);
            string ai = b.Input("a", DataType.Float16, 2, 3);
            string wi = b.Initializer(HalfTensor("w", new long[] { 3, 4 }, w, raw: true));
            string bi = b.Initializer(HalfTensor("bias", new long[] { 4 }, bias, raw: false));
            string mm = b.Node("MatMul", new[] { ai, wi });
            string sum = b.Node("Add", new[] { mm, bi });
            b.Output(b.Node("Sigmoid", new[] { sum }), DataType.Float16, 2, 4);
            b.Output(b.Node("Softmax", new[] { sum }, OnnxAttribute.Int("axis", 1)), DataType.Float16, 2, 4);
            b.Output(b.Node("Mul", new[] { ai, ai }), DataType.Float16, 2, 3);

            var model = Compile(b, "MathHalf");
            // Widened at the graph input; between MatMul, Add and the activations one in-place rounding replaces each Cast pair.
            Assert.Equal(new[] { "Cast", "MatMul", "RoundToFloat16", "Add", "RoundToFloat16", "Sigmoid", "Cast", "Softmax", "Cast", "Mul", "Cast" },
                model.Plan.Nodes.Select(n => n.OpType).ToArray());
            var rounding = model.Plan.Nodes.First(n => n.OpType == "RoundToFloat16");
            Assert.Equal(model.Plan.Tensor(rounding.Inputs[0]).Offset, model.Plan.Tensor(rounding.Outputs[0]).Offset);
            var actual = model.Run(a);

            // Scalar reference in double, each ONNX node's result rounded to float16 as the graph stores it.
            double[] A = a.Select(v => (double)v).ToArray(), W = w.Select(v => (double)v).ToArray(), B = bias.Select(v => (double)v).ToArray();
            var sums = new double[8];
            for (int i = 0; i < 2; i++)
            {
                for (int j = 0; j < 4; j++)
                {
                    double acc = 0;
                    for (int k = 0; k < 3; k++) acc += A[i * 3 + k] * W[k * 4 + j];
                    sums[i * 4 + j] = RoundToHalf(RoundToHalf(acc) + B[j]);
                }
            }
            var sigmoid = sums.Select(v => RoundToHalf(1 / (1 + Math.Exp(-v)))).ToArray();
            var softmax = new double[8];
            for (int i = 0; i < 2; i++)
            {
                var row = sums.Skip(i * 4).Take(4).ToArray();
                double max = row.Max(), total = row.Sum(v => Math.Exp(v - max));
                for (int j = 0; j < 4; j++) softmax[i * 4 + j] = RoundToHalf(Math.Exp(row[j] - max) / total);
            }
            var square = A.Select(v => RoundToHalf(v * v)).ToArray();
            AssertWithinOneUlp(sigmoid, (Half[])actual[0], "Sigmoid");
            AssertWithinOneUlp(softmax, (Half[])actual[1], "Softmax");
            // One float32 product of two halves is exact, so a single rounding gives the correctly rounded result.
            Assert.Equal(square.Select(v => Binary16.FromDouble(v)), Bits((Half[])actual[2]));
        }

        [Fact]
        public void Float16_snapshot_model_compiles_strictly_and_allocates_nothing()
        {
            var plan = TestModels.Lower(TestModels.HalfAddSigmoidPad(), "HalfSnapshotModel", "half_add_sigmoid_pad.onnx");
            var model = GeneratedCode.CompileStrict(new[] { plan }).Get(plan);
            var x = RandomHalves(new Random(2), 8, range: 6);
            var y = (Half[])model.Run(x)[0];
            double[] bias = { 0.5, -1.25, 2, 0.1 };
            var expected = new double[10];
            expected[0] = expected[9] = -0.5;
            for (int i = 0; i < 8; i++) expected[i + 1] = RoundToHalf(1 / (1 + Math.Exp(-RoundToHalf((double)x[i] + RoundToHalf(bias[i % 4])))));
            AssertWithinOneUlp(expected, y, "HalfAddSigmoidPad");
            Assert.Equal(0, model.AllocatedBytes(new Array[] { x }, 20));
        }

        [Fact]
        public void Quantization_with_float16_scales_matches_onnx_runtime()
        {
            var random = new Random(3);
            var q = Enumerable.Range(0, 24).Select(_ => (sbyte)random.Next(-128, 128)).ToArray();
            var x = RandomHalves(random, 24, range: 4);
            var b = new OnnxModelBuilder("quant16", 19);
            string qi = b.Input("q", DataType.Int8, 2, 12), xi = b.Input("x", DataType.Float16, 2, 12);
            string scale = b.Initializer(HalfTensor("scale", Array.Empty<long>(), new[] { (Half)0.0312f }, raw: false));
            string zero = b.Initializer("zero", Array.Empty<long>(), new sbyte[] { -3 });
            b.Output(b.Node("DequantizeLinear", new[] { qi, scale, zero }), DataType.Float16, 2, 12);
            b.Output(b.Node("QuantizeLinear", new[] { xi, scale, zero }), DataType.Int8, 2, 12);
            var model = Compile(b, "QuantHalf");
            var actual = model.Run(q, x);
            var expected = RunOrt(b.ToBytes(), ("q", q, new long[] { 2, 12 }), ("x", x, new long[] { 2, 12 }));
            // (q - zero) * scale is exact in float32 (at most 9 + 11 significant bits), so one rounding to float16.
            Assert.Equal(Bits((Half[])expected[0]), Bits((Half[])actual[0]));
            var dequantized = q.Select(v => Binary16.FromDouble((v + 3) * (double)(Half)0.0312f)).ToArray();
            Assert.Equal(dequantized, Bits((Half[])actual[0]));
            Assert.Equal((sbyte[])expected[1], (sbyte[])actual[1]);
        }

        [Fact]
        public void QLinearMatMul_with_float16_scales_matches_onnx_runtime_within_one_lsb()
        {
            var random = new Random(5);
            var a = Enumerable.Range(0, 3 * 5).Select(_ => (byte)random.Next(0, 256)).ToArray();
            var w = Enumerable.Range(0, 5 * 4).Select(_ => (byte)random.Next(0, 256)).ToArray();
            var b = new OnnxModelBuilder("qmm16", 21);
            string ai = b.Input("a", DataType.UInt8, 3, 5);
            string Scale(string name, float v) => b.Initializer(HalfTensor(name, Array.Empty<long>(), new[] { (Half)v }, raw: name == "b_scale"));
            string Zero(string name, byte v) => b.Initializer(name, Array.Empty<long>(), new[] { v });
            string y = b.Node("QLinearMatMul", new[] { ai, Scale("a_scale", 0.0213f), Zero("a_zero", 113), b.Initializer("b", new long[] { 5, 4 }, w), Scale("b_scale", 0.0071f), Zero("b_zero", 120),
                Scale("y_scale", 0.0402f), Zero("y_zero", 128) });
            b.Output(y, DataType.UInt8, 3, 4);
            var model = Compile(b, "QMatMulHalf");
            var actual = (byte[])model.Run(a)[0];
            var expected = (byte[])RunOrt(b.ToBytes(), ("a", a, new long[] { 3, 5 }))[0];
            for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1, "element " + i + ": expected " + expected[i] + ", got " + actual[i]);
            var reference = ReferenceQLinearMatMul(a, w, 0.0213f, 113, 0.0071f, 120, 0.0402f, 128);
            for (int i = 0; i < reference.Length; i++) Assert.True(Math.Abs(reference[i] - actual[i]) <= 1, "reference element " + i);
        }

        [Fact]
        public void Float16_nodes_of_families_without_float16_support_are_a_dtype_diagnostic()
        {
            var b = new OnnxModelBuilder("unsupported16", 13);
            string x = b.Input("x", DataType.Float16, 3, 3);
            b.Output(b.Node("NonZero", new[] { x }), DataType.Int64, 2, 9);
            var result = ModelCompiler.Compile(b.ToBytes(), new CompileOptions { ClassName = "NonZeroHalf", ModelPath = "nonzero16.onnx" });
            Assert.False(result.Success);
            Assert.Equal("EAOT0005", result.Diagnostics[0].Id);
            Assert.Contains("NonZero: element type Float16", result.Diagnostics[0].Message);

            // LayerNormalization's Mean and InvStdDev have a type of their own: refused rather than guessed.
            var ln = new OnnxModelBuilder("ln16", 17);
            string lx = ln.Input("x", DataType.Float16, 2, 4);
            var outs = ln.Node("LayerNormalization", new[] { lx, ln.Initializer(HalfTensor("scale", new long[] { 4 }, RandomHalves(new Random(1), 4), raw: true)) }, 3);
            ln.Output(outs[0], DataType.Float16, 2, 4);
            ln.Output(outs[1], DataType.Float32, 2, 1);
            ln.Output(outs[2], DataType.Float32, 2, 1);
            result = ModelCompiler.Compile(ln.ToBytes(), new CompileOptions { ClassName = "LayerNormHalf", ModelPath = "ln16.onnx" });
            Assert.False(result.Success);
            Assert.Equal("EAOT0005", result.Diagnostics[0].Id);
        }

        // ---- helpers ----

        private static CompiledModel Compile(OnnxModelBuilder builder, string className) => Compile(builder.ToBytes(), className);

        private static CompiledModel Compile(byte[] model, string className)
        {
            var result = ModelCompiler.Compile(model, new CompileOptions { ClassName = className, Namespace = "Float16Cases", ModelPath = className + ".onnx" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            var plan = result.Plan!;
            // Also read back the plan text, as the generator does.
            Assert.Equal(PlanWriter.Write(plan), PlanWriter.Write(PlanReader.Read(PlanWriter.Write(plan))));
            return GeneratedCode.CompileStrict(new[] { plan }).Get(plan);
        }

        private static TensorProto HalfTensor(string name, long[] shape, Half[] values, bool raw)
        {
            ushort[] bits = Bits(values);
            if (raw)
            {
                var bytes = new byte[bits.Length * 2];
                Buffer.BlockCopy(bits, 0, bytes, 0, bytes.Length);
                return OnnxModelBuilder.RawTensor(name, DataType.Float16, shape, bytes);
            }
            // onnx.proto: float16 values go bit-wise into int32_data, one uint16 per entry.
            var t = new TensorProto { Name = name, DataType = (int)DataType.Float16 };
            t.Dims.AddRange(shape);
            t.Int32Data.AddRange(bits.Select(v => (int)v));
            return t;
        }

        private static Half[] RandomHalves(Random random, int count, double range = 3)
            => Enumerable.Range(0, count).Select(_ => (Half)((random.NextDouble() * 2 - 1) * range)).ToArray();

        private static ushort[] Bits(Half[] values) => values.Select(BitConverter.HalfToUInt16Bits).ToArray();

        /// <summary>All NaNs as one pattern (payloads are not part of the contract).</summary>
        private static ushort Canonical(ushort bits) => Binary16.IsNaN(bits) ? Binary16.QuietNaN : bits;

        private static double RoundToHalf(double v) => Binary16.ToDouble(Binary16.FromDouble(v));

        private static void AssertWithinOneUlp(double[] expected, Half[] actual, string what)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                int e = Binary16.FromDouble(expected[i]), a = BitConverter.HalfToUInt16Bits(actual[i]);
                // Same sign here, so adjacent bit patterns are adjacent values.
                Assert.True(Math.Abs(e - a) <= 1, what + " [" + i + "]: expected " + expected[i].ToString("R") + ", got " + ((double)actual[i]).ToString("R"));
            }
        }

        private static byte[] ReferenceQLinearMatMul(byte[] a, byte[] w, float aScale, int aZero, float bScale, int bZero, float yScale, int yZero)
        {
            double scale = (double)(Half)aScale * (double)(Half)bScale / (double)(Half)yScale;
            var y = new byte[3 * 4];
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 4; j++)
                {
                    long acc = 0;
                    for (int k = 0; k < 5; k++) acc += (a[i * 5 + k] - aZero) * (long)(w[k * 4 + j] - bZero);
                    y[i * 4 + j] = (byte)Math.Clamp(Math.Round(acc * scale, MidpointRounding.ToEven) + yZero, 0, 255);
                }
            }
            return y;
        }

        private static Array[] RunOrt(byte[] model, params (string Name, Array Data, long[] Shape)[] inputs)
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
            using var session = new InferenceSession(model, options);
            var feeds = inputs.Select(i =>
            {
                int[] dims = i.Shape.Select(d => (int)d).ToArray();
                return i.Data switch
                {
                    Half[] h => NamedOnnxValue.CreateFromTensor(i.Name, new DenseTensor<OrtFloat16>(h.Select(v => new OrtFloat16(BitConverter.HalfToUInt16Bits(v))).ToArray(), dims)),
                    float[] f => NamedOnnxValue.CreateFromTensor(i.Name, new DenseTensor<float>((float[])f.Clone(), dims)),
                    double[] d => NamedOnnxValue.CreateFromTensor(i.Name, new DenseTensor<double>((double[])d.Clone(), dims)),
                    int[] n => NamedOnnxValue.CreateFromTensor(i.Name, new DenseTensor<int>((int[])n.Clone(), dims)),
                    _ when i.Data.GetType() == typeof(sbyte[]) => NamedOnnxValue.CreateFromTensor(i.Name, new DenseTensor<sbyte>((sbyte[])((sbyte[])i.Data).Clone(), dims)),
                    _ when i.Data.GetType() == typeof(byte[]) => NamedOnnxValue.CreateFromTensor(i.Name, new DenseTensor<byte>((byte[])((byte[])i.Data).Clone(), dims)),
                    _ => throw new InvalidOperationException(i.Data.GetType().Name),
                };
            }).ToList();
            using var results = session.Run(feeds);
            return results.Select(r => r.Value switch
            {
                DenseTensor<OrtFloat16> h => (Array)h.ToArray().Select(v => BitConverter.UInt16BitsToHalf(v.value)).ToArray(),
                DenseTensor<sbyte> s => s.ToArray(),
                DenseTensor<byte> u => u.ToArray(),
                DenseTensor<int> n => n.ToArray(),
                DenseTensor<long> l => l.ToArray(),
                DenseTensor<float> f => f.ToArray(),
                var other => throw new InvalidOperationException("unexpected ONNX Runtime output " + other.GetType().Name),
            }).ToArray();
        }
    }
}
