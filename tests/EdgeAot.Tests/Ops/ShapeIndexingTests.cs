using System;
using System.Linq;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Tests.Harness;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Tests.Ops
{
    /// <summary>Shape arithmetic folding, Gather index checks and Cast conversion rules the backend cases do not cover.</summary>
    public class ShapeIndexingTests
    {
        [Fact]
        public void Shape_gather_concat_reshape_chain_folds_to_a_constant_shape()
        {
            var b = new OpGraphBuilder(13);
            var x = b.Input("x", DataType.Float32, 2, 3, 4);
            var shape = b.Node("Shape", new Value?[] { x });
            var first = b.Node("Gather", new Value?[] { shape, OpGraphBuilder.Longs("zero", new long[] { 0 }, 1) }, Attribute.FromInt("axis", 0));
            var target = b.Node("Concat", new Value?[] { first, OpGraphBuilder.Longs("minus_one", new long[] { -1 }, 1) }, Attribute.FromInt("axis", 0));
            var y = b.Node("Reshape", new Value?[] { x, target });
            var z = b.Node("Relu", new Value?[] { y });
            b.Output(z);
            var plan = b.Lower("ShapeChain");

            Assert.DoesNotContain(plan.Nodes, n => n.OpType is "Shape" or "Gather" or "Concat");
            Assert.Equal(new long[] { 2, 12 }, plan.Tensor(plan.Outputs[0]).Shape.ToArray());
            float[] input = OpData.Random(1, 24);
            var actual = (float[])GeneratedCode.Compile(plan).Run(input)[0];
            Assert.Equal(input.Select(v => Math.Max(0, v)).ToArray(), actual);
        }

        [Fact]
        public void Out_of_range_constant_gather_index_is_EAOT0011()
        {
            var b = new OpGraphBuilder(13);
            var x = b.Input("x", DataType.Float32, 3, 2);
            b.Output(b.Node("Gather", new Value?[] { x, OpGraphBuilder.Longs("indices", new long[] { 1, 3 }, 2) }));
            var result = b.TryLower("GatherOutOfRange");
            Assert.False(result.Success);
            Assert.Equal(DiagnosticCatalog.InvalidNode.Id, result.Diagnostics[0].Id);
            Assert.Contains("out of range", result.Diagnostics[0].Message);
        }

        [Fact]
        public void Gather_with_run_time_indices_wraps_negative_ones_and_rejects_out_of_range()
        {
            var b = new OpGraphBuilder(13);
            var x = b.Input("x", DataType.Int64, 3, 2);
            var indices = b.Input("indices", DataType.Int32, 2);
            b.Output(b.Node("Gather", new Value?[] { x, indices }));
            var model = GeneratedCode.Compile(b.Lower("GatherRunTime"));

            var data = new long[] { 10, 11, 20, 21, 30, 31 };
            Assert.Equal(new long[] { 30, 31, 10, 11 }, (long[])model.Run(data, new[] { -1, 0 })[0]);
            Assert.ThrowsAny<IndexOutOfRangeException>(() => model.Run(data, new[] { 3, 0 }));
        }

        public static readonly float[] CastInput = { float.NaN, -1.7f, 2.9f, 300f, -300f, 127.5f, 3e10f, -3e10f };

        [Theory]
        [InlineData(DataType.Int8, new long[] { 0, -1, 2, 127, -128, 127, 127, -128 })]
        [InlineData(DataType.UInt8, new long[] { 0, 0, 2, 255, 0, 127, 255, 0 })]
        [InlineData(DataType.Int32, new long[] { 0, -1, 2, 300, -300, 127, int.MaxValue, int.MinValue })]
        [InlineData(DataType.Int64, new long[] { 0, -1, 2, 300, -300, 127, 30000001024, -30000001024 })]
        public void Cast_float_to_integer_truncates_and_saturates_in_kernel_and_evaluator(DataType to, long[] expected)
        {
            foreach (bool folded in new[] { false, true })
            {
                var b = new OpGraphBuilder(13);
                Value x = folded ? OpGraphBuilder.Floats("x", CastInput, CastInput.Length) : b.Input("x", DataType.Float32, CastInput.Length);
                b.Output(b.Node("Cast", new Value?[] { x }, Attribute.FromInt("to", (long)to)));
                var plan = b.Lower("Cast" + to + (folded ? "Folded" : "Kernel"));
                Assert.Equal(folded, !plan.Nodes.Any(n => n.OpType == "Cast"));
                var output = GeneratedCode.Compile(plan).Run(folded ? Array.Empty<Array>() : new Array[] { CastInput })[0];
                var actual = Enumerable.Range(0, output.Length).Select(i => Convert.ToInt64(output.GetValue(i))).ToArray();
                Assert.Equal(expected, actual);
            }
        }

        [Fact]
        public void Large_constant_of_shape_fills_at_run_time_instead_of_becoming_a_weight()
        {
            var b = new OpGraphBuilder(13);
            var filled = b.Node("ConstantOfShape", new Value?[] { OpGraphBuilder.Longs("shape", new long[] { 64, 64 }, 2) },
                Attribute.FromTensor("value", OpGraphBuilder.Floats("v", new[] { 1.5f }, 1)));
            b.Output(filled);
            var plan = b.Lower("LargeFill");
            Assert.Contains(plan.Nodes, n => n.OpType == "ConstantOfShape");
            Assert.Equal(0, plan.WeightBytes);
            var output = (float[])GeneratedCode.Compile(plan).Run()[0];
            Assert.All(output, v => Assert.Equal(1.5f, v));
        }
    }
}
