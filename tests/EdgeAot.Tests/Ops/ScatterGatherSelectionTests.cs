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
    /// GatherElements, GatherND, ScatterElements, ScatterND, ReverseSequence, TopK, Hardmax,
    /// Compress, NonZero, Trilu, EyeLike, OneHot, CumSum and LpPool against scalar references
    /// written here: run-time and constant indices, reductions with duplicate indices, ties,
    /// run-time attribute-like inputs, build-time folding, and the diagnostics for what must be
    /// known at build time.
    /// </summary>
    public class ScatterGatherSelectionTests
    {
        private static long[] Coordinates(long flat, long[] shape)
        {
            var c = new long[shape.Length];
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                c[d] = flat % shape[d];
                flat /= shape[d];
            }
            return c;
        }

        private static long Flat(long[] c, long[] shape)
        {
            long f = 0;
            for (int d = 0; d < shape.Length; d++) f = f * shape[d] + c[d];
            return f;
        }

        private static long Count(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

        [Fact]
        public void GatherElements_with_run_time_indices_matches_reference_and_rejects_out_of_range()
        {
            long[] xs = { 3, 4, 2 }, js = { 3, 2, 2 };
            var b = new OpGraphBuilder(13);
            var x = b.Input("x", DataType.Float32, xs);
            var indices = b.Input("indices", DataType.Int64, js);
            b.Output(b.Node("GatherElements", new Value?[] { x, indices }, Attribute.FromInt("axis", 1)));
            var model = GeneratedCode.Compile(b.Lower("GatherElementsRunTime"));
            float[] data = OpData.Random(3, Count(xs));
            long[] idx = { 0, -1, 3, 2, -4, 1, 1, 1, 2, 0, -2, 3 };
            var expected = new float[Count(js)];
            for (long i = 0; i < expected.Length; i++)
            {
                long[] c = Coordinates(i, js);
                long k = idx[i] < 0 ? idx[i] + xs[1] : idx[i];
                c[1] = k;
                expected[i] = data[Flat(c, xs)];
            }
            Assert.Equal(expected, (float[])model.Run(data, idx)[0]);
            idx[5] = 4;
            Assert.ThrowsAny<IndexOutOfRangeException>(() => model.Run(data, idx));
        }

        [Fact]
        public void GatherElements_of_constants_folds()
        {
            var b = new OpGraphBuilder(13);
            var x = OpGraphBuilder.Longs("x", new long[] { 10, 11, 12, 20, 21, 22 }, 2, 3);
            var gathered = b.Node("GatherElements", new Value?[] { x, OpGraphBuilder.Longs("i", new long[] { 1, 0, -1, 0 }, 2, 2) }, Attribute.FromInt("axis", 0));
            var input = b.Input("y", DataType.Int64, 2, 2);
            b.Output(b.Node("Add", new Value?[] { gathered, input }));
            var plan = b.Lower("GatherElementsFolded");
            Assert.DoesNotContain(plan.Nodes, n => n.OpType == "GatherElements");
            Assert.Equal(new long[] { 20, 11, 20, 11 }, (long[])GeneratedCode.Compile(plan).Run(new long[4])[0]);
        }

        [Fact]
        public void GatherND_with_batch_dims_matches_reference()
        {
            long[] xs = { 2, 3, 4, 2 };
            var b = new OpGraphBuilder(13);
            var x = b.Input("x", DataType.Float32, xs);
            var indices = b.Input("indices", DataType.Int32, 2, 3, 2);
            b.Output(b.Node("GatherND", new Value?[] { x, indices }, Attribute.FromInt("batch_dims", 1)));
            var plan = b.Lower("GatherNDBatch");
            Assert.Equal(new long[] { 2, 3, 2 }, plan.Tensor(plan.Outputs[0]).Shape.ToArray());
            float[] data = OpData.Random(5, Count(xs));
            int[] idx = { 0, 1, 2, -1, 1, 0, 2, 3, 0, 0, -3, -4 };
            var expected = new float[12];
            for (int batch = 0; batch < 2; batch++)
            for (int t = 0; t < 3; t++)
            {
                int q = (batch * 3 + t) * 2;
                long i1 = idx[q] < 0 ? idx[q] + 3 : idx[q], i2 = idx[q + 1] < 0 ? idx[q + 1] + 4 : idx[q + 1];
                for (int s = 0; s < 2; s++) expected[(batch * 3 + t) * 2 + s] = data[Flat(new[] { batch, i1, i2, s }, xs)];
            }
            Assert.Equal(expected, (float[])GeneratedCode.Compile(plan).Run(data, idx)[0]);
        }

        [Fact]
        public void Constant_GatherND_index_out_of_range_is_EAOT0011()
        {
            var b = new OpGraphBuilder(13);
            var x = b.Input("x", DataType.Float32, 2, 3);
            b.Output(b.Node("GatherND", new Value?[] { x, OpGraphBuilder.Longs("i", new long[] { 1, 3 }, 1, 2) }));
            var result = b.TryLower("GatherNDRange");
            Assert.False(result.Success);
            Assert.Equal(DiagnosticCatalog.InvalidNode.Id, result.Diagnostics[0].Id);
        }

        [Theory]
        [InlineData("none")]
        [InlineData("add")]
        [InlineData("mul")]
        [InlineData("max")]
        [InlineData("min")]
        public void ScatterElements_reductions_with_duplicate_indices_match_reference(string reduction)
        {
            long[] xs = { 2, 4, 3 }, js = { 2, 3, 3 };
            var b = new OpGraphBuilder(18);
            var x = b.Input("x", DataType.Float32, xs);
            var updates = b.Input("updates", DataType.Float32, js);
            var indices = OpGraphBuilder.Longs("indices", new long[] { 0, 1, 1, 0, 1, 1, -1, 2, 2, 3, 3, 3, 0, 0, 0, 3, -4, 2 }, js);
            b.Output(b.Node("ScatterElements", new Value?[] { x, indices, updates }, Attribute.FromInt("axis", 1), Attribute.FromString("reduction", reduction)));
            float[] data = OpData.Random(7, Count(xs)), upd = OpData.Random(8, Count(js));
            long[] idx = TensorData.ToInt64(indices);
            var expected = (float[])data.Clone();
            for (long i = 0; i < upd.Length; i++)
            {
                long[] c = Coordinates(i, js);
                c[1] = idx[i] < 0 ? idx[i] + xs[1] : idx[i];
                long at = Flat(c, xs);
                expected[at] = reduction switch
                {
                    "add" => expected[at] + upd[i],
                    "mul" => expected[at] * upd[i],
                    "max" => Math.Max(expected[at], upd[i]),
                    "min" => Math.Min(expected[at], upd[i]),
                    _ => upd[i],
                };
            }
            var actual = (float[])GeneratedCode.Compile(b.Lower("ScatterElements" + reduction)).Run(data, upd)[0];
            Assert.Equal(expected, actual);
        }

        [Fact]
        public void ScatterND_add_on_slices_matches_reference_and_checks_run_time_indices()
        {
            long[] xs = { 4, 2, 3 };
            var b = new OpGraphBuilder(18);
            var x = b.Input("x", DataType.Int32, xs);
            var indices = b.Input("indices", DataType.Int64, 3, 1);
            var updates = b.Input("updates", DataType.Int32, 3, 2, 3);
            b.Output(b.Node("ScatterND", new Value?[] { x, indices, updates }, Attribute.FromString("reduction", "add")));
            var model = GeneratedCode.Compile(b.Lower("ScatterNDAdd"));
            int[] data = Enumerable.Range(0, 24).ToArray(), upd = Enumerable.Range(100, 18).ToArray();
            long[] idx = { 2, -2, 0 };
            var expected = (int[])data.Clone();
            for (int u = 0; u < 3; u++)
            {
                long row = idx[u] < 0 ? idx[u] + 4 : idx[u];
                for (int s = 0; s < 6; s++) expected[row * 6 + s] += upd[u * 6 + s];
            }
            Assert.Equal(expected, (int[])model.Run(data, idx, upd)[0]);
            Assert.ThrowsAny<IndexOutOfRangeException>(() => model.Run(data, new long[] { 0, 4, 1 }, upd));
        }

        [Fact]
        public void Scatters_of_constants_fold_like_a_shape_edit()
        {
            var b = new OpGraphBuilder(13);
            var shape = OpGraphBuilder.Longs("shape", new long[] { 1, 8, 6, 4 }, 4);
            var nd = b.Node("ScatterND", new Value?[] { shape, OpGraphBuilder.Longs("i", new long[] { 3, -3 }, 2, 1), OpGraphBuilder.Longs("u", new long[] { 2, 16 }, 2) });
            var elements = b.Node("ScatterElements", new Value?[] { nd, OpGraphBuilder.Longs("j", new long[] { -1, 0 }, 2), OpGraphBuilder.Longs("v", new long[] { 1, 2 }, 2) });
            var x = b.Input("x", DataType.Float32, 1, 8, 6, 4);
            b.Output(b.Node("Reshape", new Value?[] { x, elements }));
            var plan = b.Lower("ScatterFolded");
            Assert.DoesNotContain(plan.Nodes, n => n.OpType is "ScatterND" or "ScatterElements");
            // [1,8,6,4] → ScatterND [1,16,6,2] → ScatterElements [2,16,6,1].
            Assert.Equal(new long[] { 2, 16, 6, 1 }, plan.Tensor(plan.Outputs[0]).Shape.ToArray());
        }

        [Theory]
        [InlineData("circular")]
        [InlineData("linear")]
        public void TensorScatter_writes_rows_at_each_batch_index(string mode)
        {
            long[] ps = { 2, 2, 5, 3 }, us = { 2, 2, 3, 3 };
            var b = new OpGraphBuilder(24);
            var past = b.Input("past", DataType.Float32, ps);
            var update = b.Input("update", DataType.Float32, us);
            var indices = b.Input("indices", DataType.Int64, 2);
            b.Output(b.Node("TensorScatter", new Value?[] { past, update, indices }, Attribute.FromString("mode", mode), Attribute.FromInt("axis", 2)));
            var model = GeneratedCode.Compile(b.Lower("TensorScatter" + mode));
            float[] cache = OpData.Random(15, Count(ps)), rows = OpData.Random(16, Count(us));
            long[] starts = mode == "circular" ? new long[] { 4, 1 } : new long[] { 2, 0 };
            var expected = (float[])cache.Clone();
            for (int n = 0; n < 2; n++)
            for (int h = 0; h < 2; h++)
            for (int s = 0; s < 3; s++)
            for (int k = 0; k < 3; k++)
                expected[Flat(new[] { n, h, (starts[n] + s) % 5, k }, ps)] = rows[Flat(new long[] { n, h, s, k }, us)];
            Assert.Equal(expected, (float[])model.Run(cache, rows, starts)[0]);
            if (mode == "linear") Assert.ThrowsAny<ArgumentOutOfRangeException>(() => model.Run(cache, rows, new long[] { 3, 0 }));
        }

        [Fact]
        public void ReverseSequence_reverses_each_prefix()
        {
            var b = new OpGraphBuilder(13);
            var x = b.Input("x", DataType.Float32, 3, 4, 2);
            var lens = b.Input("lens", DataType.Int64, 3);
            b.Output(b.Node("ReverseSequence", new Value?[] { x, lens }, Attribute.FromInt("batch_axis", 0), Attribute.FromInt("time_axis", 1)));
            float[] data = OpData.Random(9, 24);
            long[] lengths = { 4, 1, 3 };
            var expected = new float[24];
            for (int n = 0; n < 3; n++)
            for (int t = 0; t < 4; t++)
            {
                int source = t < lengths[n] ? (int)lengths[n] - 1 - t : t;
                for (int k = 0; k < 2; k++) expected[(n * 4 + t) * 2 + k] = data[(n * 4 + source) * 2 + k];
            }
            Assert.Equal(expected, (float[])GeneratedCode.Compile(b.Lower("ReverseSequence")).Run(data, lengths)[0]);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void TopK_along_a_middle_axis_keeps_ties_in_index_order(bool largest)
        {
            long[] xs = { 2, 6, 3 };
            var b = new OpGraphBuilder(11);
            var x = b.Input("x", DataType.Float32, xs);
            var outputs = b.Node("TopK", new Value?[] { x, OpGraphBuilder.Longs("k", new long[] { 4 }, 1) }, 2,
                Attribute.FromInt("axis", 1), Attribute.FromInt("largest", largest ? 1 : 0));
            b.Output(outputs);
            var random = new Random(11);
            float[] data = Enumerable.Range(0, 36).Select(_ => (float)random.Next(4)).ToArray(); // many ties
            var actual = GeneratedCode.Compile(b.Lower("TopK" + largest)).Run(data);
            var values = new float[24];
            var indices = new long[24];
            for (int o = 0; o < 2; o++)
            for (int i = 0; i < 3; i++)
            {
                var line = Enumerable.Range(0, 6).Select(j => (Value: data[(o * 6 + j) * 3 + i], Index: (long)j));
                var sorted = (largest ? line.OrderByDescending(e => e.Value) : line.OrderBy(e => e.Value)).ThenBy(e => e.Index).Take(4).ToArray();
                for (int j = 0; j < 4; j++)
                {
                    values[(o * 4 + j) * 3 + i] = sorted[j].Value;
                    indices[(o * 4 + j) * 3 + i] = sorted[j].Index;
                }
            }
            Assert.Equal(values, (float[])actual[0]);
            Assert.Equal(indices, (long[])actual[1]);
        }

        [Fact]
        public void TopK_with_run_time_k_is_EAOT0003()
        {
            var b = new OpGraphBuilder(11);
            var x = b.Input("x", DataType.Float32, 5);
            var k = b.Input("k", DataType.Int64, 1);
            b.Output(b.Node("TopK", new Value?[] { x, k }, 2));
            var result = b.TryLower("TopKRunTime");
            Assert.False(result.Success);
            Assert.Equal(DiagnosticCatalog.UnsupportedOperator.Id, result.Diagnostics[0].Id);
        }

        [Theory]
        [InlineData(11)]
        [InlineData(13)]
        public void Hardmax_marks_the_first_maximum(int opset)
        {
            long[] xs = { 2, 3, 4 };
            var b = new OpGraphBuilder(opset);
            var x = b.Input("x", DataType.Float32, xs);
            b.Output(b.Node("Hardmax", new Value?[] { x }, Attribute.FromInt("axis", 1)));
            float[] data = Enumerable.Range(0, 24).Select(i => (float)((i * 7) % 5)).ToArray(); // with ties
            var expected = new float[24];
            // Opset 13: along axis 1 (3 values, stride 4); opset 11: over rows of the [2, 12] flattening.
            long size = opset >= 13 ? 3 : 12, inner = opset >= 13 ? 4 : 1;
            for (int o = 0; o < 2; o++)
            for (int i = 0; i < inner; i++)
            {
                long best = 0;
                for (int j = 1; j < size; j++)
                {
                    if (data[o * size * inner + j * inner + i] > data[o * size * inner + best * inner + i]) best = j;
                }
                expected[o * size * inner + best * inner + i] = 1;
            }
            Assert.Equal(expected, (float[])GeneratedCode.Compile(b.Lower("Hardmax" + opset)).Run(data)[0]);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Compress_with_constant_condition(bool withAxis)
        {
            var b = new OpGraphBuilder(11);
            var x = b.Input("x", DataType.Float32, 3, 4);
            var condition = new Value("condition", DataType.Bool, new long[] { 3 }, new byte[] { 1, 0, 1 });
            b.Output(withAxis ? b.Node("Compress", new Value?[] { x, condition }, Attribute.FromInt("axis", -1)) : b.Node("Compress", new Value?[] { x, condition }));
            float[] data = OpData.Random(12, 12);
            float[] expected = withAxis
                ? Enumerable.Range(0, 3).SelectMany(r => new[] { data[r * 4], data[r * 4 + 2] }).ToArray()
                : new[] { data[0], data[2] };
            Assert.Equal(expected, (float[])GeneratedCode.Compile(b.Lower("Compress" + withAxis)).Run(data)[0]);
        }

        [Fact]
        public void NonZero_folds_on_a_constant_and_is_EAOT0003_on_a_graph_input()
        {
            var b = new OpGraphBuilder(13);
            var nonzero = b.Node("NonZero", new Value?[] { OpGraphBuilder.Floats("c", new[] { 0f, 2f, 0f, -1f, 3f, 0f }, 2, 3) });
            var input = b.Input("x", DataType.Int64, 2, 3);
            b.Output(b.Node("Add", new Value?[] { nonzero, input }));
            var plan = b.Lower("NonZeroFolded");
            Assert.DoesNotContain(plan.Nodes, n => n.OpType == "NonZero");
            // Non-zero at (0,1), (1,0), (1,1): rows then columns.
            Assert.Equal(new long[] { 0, 1, 1, 1, 0, 1 }, (long[])GeneratedCode.Compile(plan).Run(new long[6])[0]);

            var b2 = new OpGraphBuilder(13);
            b2.Output(b2.Node("NonZero", new Value?[] { b2.Input("x", DataType.Float32, 4) }));
            var result = b2.TryLower("NonZeroRunTime");
            Assert.False(result.Success);
            Assert.Equal(DiagnosticCatalog.UnsupportedOperator.Id, result.Diagnostics[0].Id);
        }

        [Theory]
        [InlineData(1, -1, false)]
        [InlineData(0, 2, false)]
        [InlineData(1, 1, true)]
        [InlineData(0, -2, true)]
        public void Trilu_with_constant_or_run_time_k(int upper, long k, bool runTimeK)
        {
            long[] xs = { 2, 3, 5 };
            var b = new OpGraphBuilder(14);
            var x = b.Input("x", DataType.Float32, xs);
            Value kValue = runTimeK ? b.Input("k", DataType.Int64, 1) : OpGraphBuilder.Longs("k", new[] { k }, 1);
            b.Output(b.Node("Trilu", new Value?[] { x, kValue }, Attribute.FromInt("upper", upper)));
            float[] data = OpData.Random(13, 30);
            var expected = new float[30];
            for (int i = 0; i < 30; i++)
            {
                long[] c = Coordinates(i, xs);
                long diagonal = c[2] - c[1];
                expected[i] = (upper == 1 ? diagonal >= k : diagonal <= k) ? data[i] : 0f;
            }
            var model = GeneratedCode.Compile(b.Lower("Trilu" + upper + "k" + (k + 10) + runTimeK));
            Assert.Equal(expected, (float[])(runTimeK ? model.Run(data, new[] { k }) : model.Run(data))[0]);
        }

        [Fact]
        public void Trilu_and_EyeLike_of_constants_fold()
        {
            var b = new OpGraphBuilder(14);
            var lower = b.Node("Trilu", new Value?[] { OpGraphBuilder.Longs("m", new long[] { 1, 2, 3, 4, 5, 6 }, 2, 3) }, Attribute.FromInt("upper", 0));
            var eye = b.Node("EyeLike", new Value?[] { OpGraphBuilder.Longs("e", new long[6], 2, 3) }, Attribute.FromInt("k", 1));
            var input = b.Input("x", DataType.Int64, 2, 3);
            b.Output(b.Node("Add", new Value?[] { b.Node("Add", new Value?[] { lower, eye }), input }));
            var plan = b.Lower("TriluEyeFolded");
            Assert.DoesNotContain(plan.Nodes, n => n.OpType is "Trilu" or "EyeLike");
            Assert.Equal(new long[] { 1, 1, 0, 4, 5, 1 }, (long[])GeneratedCode.Compile(plan).Run(new long[6])[0]);
        }

        [Fact]
        public void EyeLike_kernel_with_dtype()
        {
            var b = new OpGraphBuilder(13);
            var x = b.Input("x", DataType.Float32, 3, 4);
            b.Output(b.Node("EyeLike", new Value?[] { x }, Attribute.FromInt("k", -1), Attribute.FromInt("dtype", (long)DataType.Int32)));
            var actual = (int[])GeneratedCode.Compile(b.Lower("EyeLikeKernel")).Run(new float[12])[0];
            Assert.Equal(new[] { 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0 }, actual);
        }

        [Fact]
        public void OneHot_wraps_negative_indices_and_leaves_out_of_range_rows_off()
        {
            var b = new OpGraphBuilder(11);
            var indices = b.Input("indices", DataType.Int64, 2, 2);
            var values = b.Input("values", DataType.Float32, 2);
            b.Output(b.Node("OneHot", new Value?[] { indices, OpGraphBuilder.Longs("depth", new long[] { 3 }, 1), values }, Attribute.FromInt("axis", 1)));
            var actual = (float[])GeneratedCode.Compile(b.Lower("OneHotAxis1")).Run(new long[] { 0, -1, 5, 1 }, new[] { -2f, 7f })[0];
            // Output [2, 3, 2]: out[i, d, j] = on where indices[i, j] (wrapped) == d.
            long[] idx = { 0, 2, 5, 1 };
            var expected = new float[12];
            for (int i = 0; i < 2; i++)
            for (int d = 0; d < 3; d++)
            for (int j = 0; j < 2; j++)
                expected[(i * 3 + d) * 2 + j] = idx[i * 2 + j] == d ? 7f : -2f;
            Assert.Equal(expected, actual);
        }

        [Theory]
        [InlineData("CumSum", 0, 0, false)]
        [InlineData("CumSum", 1, 1, false)]
        [InlineData("CumSum", 1, 0, true)]
        [InlineData("CumSum", 0, 1, true)]
        [InlineData("CumProd", 0, 0, false)]
        [InlineData("CumProd", 1, 1, false)]
        [InlineData("CumProd", 1, 0, true)]
        [InlineData("CumProd", 0, 1, true)]
        public void Cumulative_kernel_with_run_time_axis_and_folded_constant_agree_with_reference(string op, int exclusive, int reverse, bool folded)
        {
            long[] xs = { 2, 3, 4 };
            int[] data = Enumerable.Range(0, 24).Select(i => (i * 37) % 11 - 5).ToArray();
            foreach (int axis in new[] { 1, -1, 0 })
            {
                var b = new OpGraphBuilder(14);
                Value x = folded ? OpGraphBuilder.Ints("x", data, xs) : b.Input("x", DataType.Int32, xs);
                Value axisValue = folded ? OpGraphBuilder.Ints("axis", new[] { axis }) : b.Input("axis", DataType.Int32);
                var sum = b.Node(op, new Value?[] { x, axisValue }, Attribute.FromInt("exclusive", exclusive), Attribute.FromInt("reverse", reverse));
                if (folded) sum = b.Node("Add", new Value?[] { sum, b.Input("zero", DataType.Int32, xs) });
                b.Output(sum);
                var plan = b.Lower(op + exclusive + reverse + folded + (axis + 1));
                Assert.Equal(folded, !plan.Nodes.Any(n => n.OpType == op));
                var model = GeneratedCode.Compile(plan);
                var actual = (int[])(folded ? model.Run(new int[24]) : model.Run(data, new[] { axis }))[0];

                int a = axis < 0 ? axis + 3 : axis;
                var expected = new int[24];
                for (int i = 0; i < 24; i++)
                {
                    if (op == "CumProd") expected[i] = 1;
                    long[] c = Coordinates(i, xs);
                    for (long s = 0; s < xs[a]; s++)
                    {
                        bool include = reverse == 1 ? (exclusive == 1 ? s > c[a] : s >= c[a]) : (exclusive == 1 ? s < c[a] : s <= c[a]);
                        if (!include) continue;
                        var source = (long[])c.Clone();
                        source[a] = s;
                        if (op == "CumProd") expected[i] *= data[Flat(source, xs)];
                        else expected[i] += data[Flat(source, xs)];
                    }
                }
                Assert.Equal(expected, actual);
            }
        }

        [Fact]
        public void CumSum_run_time_axis_out_of_range_throws()
        {
            var b = new OpGraphBuilder(14);
            b.Output(b.Node("CumSum", new Value?[] { b.Input("x", DataType.Float32, 2, 2), b.Input("axis", DataType.Int64) }));
            var model = GeneratedCode.Compile(b.Lower("CumSumAxisCheck"));
            Assert.ThrowsAny<ArgumentOutOfRangeException>(() => model.Run(new float[4], new[] { 2L }));
        }

        [Fact]
        public void LpPool_p3_with_pads_and_strides_matches_reference()
        {
            long[] xs = { 1, 2, 5, 4 };
            var b = new OpGraphBuilder(18);
            var x = b.Input("x", DataType.Float32, xs);
            b.Output(b.Node("LpPool", new Value?[] { x }, Attribute.FromInts("kernel_shape", new long[] { 3, 2 }), Attribute.FromInts("strides", new long[] { 2, 1 }),
                Attribute.FromInts("pads", new long[] { 1, 0, 1, 1 }), Attribute.FromInt("p", 3)));
            var plan = b.Lower("LpPool3");
            long[] ys = plan.Tensor(plan.Outputs[0]).Shape.ToArray();
            Assert.Equal(new long[] { 1, 2, 3, 4 }, ys);
            float[] data = OpData.Random(14, Count(xs));
            var expected = new float[Count(ys)];
            for (int c = 0; c < 2; c++)
            for (int oh = 0; oh < 3; oh++)
            for (int ow = 0; ow < 4; ow++)
            {
                double sum = 0;
                for (int kh = 0; kh < 3; kh++)
                for (int kw = 0; kw < 2; kw++)
                {
                    int ih = oh * 2 + kh - 1, iw = ow + kw;
                    if (ih < 0 || ih >= 5 || iw >= 4) continue;
                    sum += Math.Pow(Math.Abs(data[(c * 5 + ih) * 4 + iw]), 3);
                }
                expected[(c * 3 + oh) * 4 + ow] = (float)Math.Pow(sum, 1.0 / 3);
            }
            OpData.AssertClose(expected, (float[])GeneratedCode.Compile(plan).Run(data)[0], "LpPool", rtol: 1e-5, atol: 1e-6);
        }
    }
}
