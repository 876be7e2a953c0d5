using System;
using System.Collections.Generic;
using System.Linq;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Plan;
using EdgeAot.Tests.Harness;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Tests.Ops
{
    /// <summary>
    /// Blocked QuantizeLinear / DequantizeLinear (opset 21 block_size) against a scalar reference written here:
    /// random shapes, axes (some given negative) and block sizes that do and do not divide the axis length, for
    /// int8, uint8, int16 and uint16, with run-time parameters (the emitted loops) and constant ones (folding).
    /// </summary>
    public class BlockedQuantizationTests
    {
        private static readonly DataType[] Types = { DataType.Int8, DataType.UInt8, DataType.Int16, DataType.UInt16 };

        private sealed record Case(int Index, DataType Type, long[] Shape, int Axis, long AxisAttribute, long BlockSize, bool ZeroPoint);

        private static List<Case> Cases()
        {
            var rng = new Random(2126);
            var cases = new List<Case>();
            for (int k = 0; k < 12; k++)
            {
                int rank = 1 + rng.Next(4);
                var shape = new long[rank];
                for (int d = 0; d < rank; d++) shape[d] = 1 + rng.Next(4);
                int axis = rng.Next(rank);
                long length = shape[axis] = 2 + rng.Next(8);
                long block;
                if (k % 2 == 0)
                {
                    var divisors = Enumerable.Range(1, (int)length).Where(b => length % b == 0).ToArray();
                    block = divisors[rng.Next(divisors.Length)];
                }
                else
                {
                    var others = Enumerable.Range(2, (int)length + 1).Where(b => length % b != 0).ToArray();
                    block = others[rng.Next(others.Length)];
                }
                cases.Add(new Case(k, Types[k % 4], shape, axis, k % 3 == 0 ? axis - rank : axis, block, k % 4 != 3));
            }
            Assert.Contains(cases, c => c.Shape[c.Axis] % c.BlockSize != 0);
            Assert.Contains(cases, c => c.Shape[c.Axis] % c.BlockSize == 0 && c.BlockSize > 1);
            return cases;
        }

        private static long[] ScaleShape(Case c)
        {
            var s = (long[])c.Shape.Clone();
            s[c.Axis] = (c.Shape[c.Axis] + c.BlockSize - 1) / c.BlockSize;
            return s;
        }

        /// <summary>Reference: unravel the element's coordinates, divide the one along the axis by the block size, ravel in the scale's shape.</summary>
        private static long ScaleIndex(Case c, long flat)
        {
            var scaleShape = ScaleShape(c);
            var coordinate = new long[c.Shape.Length];
            for (int d = c.Shape.Length - 1; d >= 0; d--)
            {
                coordinate[d] = flat % c.Shape[d];
                flat /= c.Shape[d];
            }
            coordinate[c.Axis] /= c.BlockSize;
            long index = 0;
            for (int d = 0; d < coordinate.Length; d++) index = index * scaleShape[d] + coordinate[d];
            return index;
        }

        private static (long Min, long Max) Range(DataType type) => type switch
        {
            DataType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
            DataType.UInt8 => (byte.MinValue, byte.MaxValue),
            DataType.Int16 => (short.MinValue, short.MaxValue),
            _ => (ushort.MinValue, ushort.MaxValue),
        };

        private static long ReferenceQuantize(float x, float scale, long zero, DataType type)
        {
            float q = MathF.Round(x / scale, MidpointRounding.ToEven) + zero;
            var (min, max) = Range(type);
            return float.IsNaN(q) ? 0 : (long)Math.Clamp(q, min, max);
        }

        private static Array Typed(DataType type, long[] values) => type switch
        {
            DataType.Int8 => values.Select(v => (sbyte)v).ToArray(),
            DataType.UInt8 => values.Select(v => (byte)v).ToArray(),
            DataType.Int16 => values.Select(v => (short)v).ToArray(),
            _ => values.Select(v => (ushort)v).ToArray(),
        };

        private static long[] Longs(Array values) => values.Cast<object>().Select(Convert.ToInt64).ToArray();

        private static Value Constant(string name, DataType type, long[] values, long[] shape)
        {
            var data = new byte[values.Length * DataTypes.SizeOf(type)];
            for (int i = 0; i < values.Length; i++) TensorData.WriteInt64(data, type, i, values[i]);
            return new Value(name, type, shape, data);
        }

        private sealed record Parameters(float[] X, long[] Q, float[] Scale, long[] Zero);

        private static Parameters Data(Case c)
        {
            var rng = new Random(c.Index * 31 + 7);
            var (min, max) = Range(c.Type);
            long count = c.Shape.Aggregate(1L, (a, b) => a * b), scales = ScaleShape(c).Aggregate(1L, (a, b) => a * b);
            var scale = new float[scales];
            var zero = new long[scales];
            for (int i = 0; i < scales; i++)
            {
                // Every third scale a power of two, so that x = (n + 0.5)·scale below is an exact half.
                scale[i] = i % 3 == 0 ? (max > 255 ? 0.5f : 1f / 64) : (float)(0.004 + rng.NextDouble() * 0.05) * (max > 255 ? 100 : 1);
                zero[i] = c.ZeroPoint ? min + (max - min) / 4 + rng.Next((int)((max - min) / 2)) : 0;
            }
            var x = new float[count];
            var q = new long[count];
            for (int i = 0; i < count; i++)
            {
                // Mostly in range, some saturating, with a few exact halves to test rounding to even.
                long s = ScaleIndex(c, i);
                x[i] = i % 7 == 3 ? (rng.Next(-40, 40) + 0.5f) * scale[s] : (float)((rng.NextDouble() * 2 - 1) * 160 * scale[s]);
                q[i] = min + (long)(rng.NextDouble() * (max - min + 1));
            }
            return new Parameters(x, q, scale, zero);
        }

        private static Attribute[] Attributes(Case c, bool quantize)
        {
            var list = new List<Attribute> { Attribute.FromInt("axis", c.AxisAttribute), Attribute.FromInt("block_size", c.BlockSize) };
            if (quantize && !c.ZeroPoint) list.Add(Attribute.FromInt("output_dtype", (long)c.Type));
            return list.ToArray();
        }

        [Fact]
        public void Blocked_quantize_and_dequantize_match_the_scalar_reference()
        {
            var cases = Cases();
            var plans = new List<(Case Case, string Kind, ModelPlan Plan)>();
            foreach (var c in cases)
            {
                var d = Data(c);
                var scaleShape = ScaleShape(c);

                // Run-time x, scale and zero point: the emitted loops.
                var b = new OpGraphBuilder(21);
                var xq = b.Input("x", DataType.Float32, c.Shape);
                var sq = b.Input("scale", DataType.Float32, scaleShape);
                var zq = c.ZeroPoint ? b.Input("zero", c.Type, scaleShape) : null;
                b.Output(b.Node("QuantizeLinear", new[] { xq, sq, zq }, Attributes(c, true)));
                plans.Add((c, "Q", b.Lower("BlockedQ" + c.Index)));

                b = new OpGraphBuilder(21);
                var x = b.Input("x", c.Type, c.Shape);
                var scale = b.Input("scale", DataType.Float32, scaleShape);
                var zd = c.ZeroPoint ? b.Input("zero", c.Type, scaleShape) : null;
                b.Output(b.Node("DequantizeLinear", new[] { x, scale, zd }, Attributes(c, false)));
                plans.Add((c, "DQ", b.Lower("BlockedDq" + c.Index)));

                // Constant operands: folded at build time; adding a run-time zero keeps a kernel in the plan.
                b = new OpGraphBuilder(21);
                var zc = c.ZeroPoint ? Constant("zero", c.Type, d.Zero, scaleShape) : null;
                var quantized = b.Node("QuantizeLinear", new[] { OpGraphBuilder.Floats("x", d.X, c.Shape), OpGraphBuilder.Floats("scale", d.Scale, scaleShape), zc }, Attributes(c, true));
                var widened = b.Node("Cast", new[] { quantized }, Attribute.FromInt("to", (long)DataType.Float32));
                b.Output(b.Node("Add", new[] { b.Input("zeros", DataType.Float32, c.Shape), widened }));
                plans.Add((c, "Q folded", b.Lower("BlockedQFolded" + c.Index)));

                b = new OpGraphBuilder(21);
                zc = c.ZeroPoint ? Constant("zero", c.Type, d.Zero, scaleShape) : null;
                var dequantized = b.Node("DequantizeLinear", new[] { Constant("x", c.Type, d.Q, c.Shape), OpGraphBuilder.Floats("scale", d.Scale, scaleShape), zc }, Attributes(c, false));
                b.Output(b.Node("Add", new[] { b.Input("zeros", DataType.Float32, c.Shape), dequantized }));
                plans.Add((c, "DQ folded", b.Lower("BlockedDqFolded" + c.Index)));
            }

            // The generator sees the plan through its text form: block_size must survive it.
            foreach (var (_, _, plan) in plans)
            {
                Assert.Equal(EdgeAot.Generator.Emit.ModelEmitter.Emit(plan), EdgeAot.Generator.Emit.ModelEmitter.Emit(PlanReader.Read(PlanWriter.Write(plan))));
            }
            var compiled = GeneratedCode.CompileStrict(plans.Select(p => p.Plan).ToList());
            foreach (var (c, kind, plan) in plans)
            {
                var d = Data(c);
                string what = kind + " case " + c.Index + " " + c.Type + " x" + Shape.Format(c.Shape) + " axis " + c.AxisAttribute + " block " + c.BlockSize;
                bool folded = kind.EndsWith("folded", StringComparison.Ordinal);
                Assert.True(folded == !plan.Nodes.Any(n => n.OpType is "QuantizeLinear" or "DequantizeLinear"), what + ": " + string.Join(",", plan.Nodes.Select(n => n.OpType)));
                var model = compiled.Get(plan);
                var zeroArg = c.ZeroPoint ? new[] { Typed(c.Type, d.Zero) } : Array.Empty<Array>();
                var zeros = new float[d.X.Length];
                if (kind.StartsWith("Q", StringComparison.Ordinal))
                {
                    var inputs = folded ? new Array[] { zeros } : new Array[] { d.X, d.Scale }.Concat(zeroArg).ToArray();
                    var output = model.Run(inputs)[0];
                    long[] actual = folded ? ((float[])output).Select(v => (long)v).ToArray() : Longs(output);
                    for (int i = 0; i < d.X.Length; i++)
                    {
                        long s = ScaleIndex(c, i);
                        Assert.True(ReferenceQuantize(d.X[i], d.Scale[s], d.Zero[s], c.Type) == actual[i], what + " [" + i + "]: x " + d.X[i].ToString("R")
                            + " scale " + d.Scale[s].ToString("R") + " zero " + d.Zero[s] + ", got " + actual[i]);
                    }
                }
                else
                {
                    var inputs = folded ? new Array[] { zeros } : new Array[] { Typed(c.Type, d.Q), d.Scale }.Concat(zeroArg).ToArray();
                    var actual = (float[])model.Run(inputs)[0];
                    for (int i = 0; i < d.Q.Length; i++)
                    {
                        long s = ScaleIndex(c, i);
                        float expected = (float)(d.Q[i] - d.Zero[s]) * d.Scale[s];
                        Assert.True(expected == actual[i], what + " [" + i + "]: expected " + expected.ToString("R") + ", got " + actual[i].ToString("R"));
                    }
                }
            }
        }

        /// <summary>
        /// Blocked int8 weights [2, 4] along axis 1 with block 2 have 4 scales, as many as per-channel
        /// scales of 4 output channels would: the integer MatMul fusion must not read them as per-channel.
        /// The node stays float and computes the graph's semantics.
        /// </summary>
        [Fact]
        public void Blocked_weights_are_not_fused_as_per_channel()
        {
            const float xScale = 0.02f, yScale = 0.05f;
            const long xZero = 3, yZero = -2;
            long[] w = { 17, -40, 90, 5, -128, 64, 33, -7 };
            float[] wScale = { 0.01f, 0.03f, 0.02f, 0.005f };
            long[] wZero = { 0, 2, -1, 0 };
            var b = new OpGraphBuilder(21);
            var x = b.Input("x", DataType.Int8, 3, 2);
            var xf = b.Node("DequantizeLinear", new[] { x, OpGraphBuilder.Floats("xs", new[] { xScale }), Constant("xz", DataType.Int8, new[] { xZero }, Array.Empty<long>()) });
            var wf = b.Node("DequantizeLinear", new[] { Constant("w", DataType.Int8, w, new long[] { 2, 4 }), OpGraphBuilder.Floats("ws", wScale, 2, 2), Constant("wz", DataType.Int8, wZero, new long[] { 2, 2 }) },
                Attribute.FromInt("axis", 1), Attribute.FromInt("block_size", 2));
            var product = b.Node("MatMul", new[] { xf, wf });
            b.Output(b.Node("QuantizeLinear", new[] { product, OpGraphBuilder.Floats("ys", new[] { yScale }), Constant("yz", DataType.Int8, new[] { yZero }, Array.Empty<long>()) }));
            var plan = b.Lower("BlockedWeights");
            Assert.DoesNotContain(plan.Nodes, n => n.OpType.StartsWith("QLinear", StringComparison.Ordinal));
            Assert.Contains(plan.Nodes, n => n.OpType == "MatMul");

            var input = new sbyte[] { 12, -100, 127, -128, 0, 55 };
            var actual = (sbyte[])GeneratedCode.Compile(plan).Run(input)[0];
            for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++)
            {
                double sum = 0;
                for (int k = 0; k < 2; k++)
                {
                    int s = k * 2 + j / 2;
                    sum += (double)((input[i * 2 + k] - xZero) * xScale) * (float)((w[k * 4 + j] - wZero[s]) * wScale[s]);
                }
                long expected = Math.Clamp((long)Math.Round(sum / yScale, MidpointRounding.ToEven) + yZero, -128, 127);
                Assert.True(Math.Abs(expected - actual[i * 4 + j]) <= 1, $"({i},{j}): expected {expected}, got {actual[i * 4 + j]}");
            }
        }

        [Theory]
        [InlineData("QuantizeLinear", 3)]
        [InlineData("DequantizeLinear", 3)]
        [InlineData("QuantizeLinear", 1)]
        [InlineData("DequantizeLinear", 1)]
        public void Scale_shape_that_does_not_match_the_blocks_is_EAOT0011(string opType, long scaleLength)
        {
            // x [2, 6] with block 4 along axis 1 needs a scale [2, 2].
            var b = new OpGraphBuilder(21);
            var x = opType == "QuantizeLinear" ? b.Input("x", DataType.Float32, 2, 6) : b.Input("x", DataType.Int8, 2, 6);
            b.Output(b.Node(opType, new[] { x, b.Input("scale", DataType.Float32, 2, scaleLength), b.Input("zero", DataType.Int8, 2, scaleLength) },
                Attribute.FromInt("axis", 1), Attribute.FromInt("block_size", 4)));
            var result = b.TryLower("BadBlocks");
            Assert.False(result.Success);
            Assert.Contains(result.Diagnostics, d => d.Id == DiagnosticCatalog.InvalidNode.Id && d.Message.Contains("block_size", StringComparison.Ordinal));
        }
    }
}
