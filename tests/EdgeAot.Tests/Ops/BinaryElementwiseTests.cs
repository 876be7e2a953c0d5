using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;
using EdgeAot.Tests.Harness;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Tests.Ops
{
    public class BinaryElementwiseTests
    {
        private static readonly string[] Ops = { "Add", "Sub", "Mul", "Div" };

        private static readonly (long[] A, long[] B)[] ShapePairs =
        {
            (new long[] { 2, 3, 4, 5 }, new long[] { 2, 3, 4, 5 }), // same shape
            (new long[] { 2, 3, 4, 5 }, new long[0]),               // scalar B
            (new long[0], new long[] { 2, 3 }),                     // scalar A
            (new long[] { 1, 16, 4, 4 }, new long[] { 16, 1, 1 }),  // per-channel, rank mismatch
            (new long[] { 2, 3, 4, 5 }, new long[] { 5 }),          // trailing vector
            (new long[] { 3, 1, 5 }, new long[] { 1, 4, 1 }),       // both broadcast
            (new long[] { 4, 1 }, new long[] { 3, 1, 5 }),          // output larger than both
            (new long[] { 2, 1, 3 }, new long[] { 2, 4, 1 }),       // inner broadcast of A
        };

        private static float Reference(string op, float a, float b) => op switch
        {
            "Add" => a + b,
            "Sub" => a - b,
            "Mul" => a * b,
            _ => a / b,
        };

        [Fact]
        public void FloatOpsMatchScalarReferenceForAllBroadcastShapes()
        {
            var plans = new List<ModelPlan>();
            var cases = new List<(string Op, long[] A, long[] B)>();
            foreach (var op in Ops)
            {
                foreach (var (a, b) in ShapePairs)
                {
                    var g = new OpGraphBuilder(14);
                    var y = g.Node(op, new[] { g.Input("a", DataType.Float32, a), g.Input("b", DataType.Float32, b) });
                    g.Output(y);
                    plans.Add(g.Lower(op + "Case" + cases.Count));
                    cases.Add((op, a, b));
                }
            }
            var compiled = GeneratedCode.Compile(plans);
            for (int c = 0; c < cases.Count; c++)
            {
                var (op, a, b) = cases[c];
                long[] outShape = Shape.Broadcast(a, b)!;
                Assert.Equal(outShape, plans[c].Tensor(plans[c].Outputs[0]).Shape.ToArray());
                float[] xa = OpData.Random(c, Shape.ElementCount(a)), xb = OpData.Random(1000 + c, Shape.ElementCount(b));
                var actual = (float[])compiled.Get(plans[c]).Run(xa, xb)[0];
                var expected = new float[Shape.ElementCount(outShape)];
                for (long i = 0; i < expected.Length; i++)
                    expected[i] = Reference(op, xa[OpData.SourceIndex(i, outShape, a)], xb[OpData.SourceIndex(i, outShape, b)]);
                OpData.AssertClose(expected, actual, op + " " + Shape.Format(a) + " " + Shape.Format(b));
            }
        }

        [Fact]
        public void ConstantScalarOperandBecomesALiteralAndSubtractionOrderIsKept()
        {
            var g = new OpGraphBuilder(13);
            var x = g.Input("x", DataType.Float32, 2, 3);
            var t = g.Node("Mul", new[] { x, OpGraphBuilder.Floats("k", new[] { 2.5f }) });
            var y = g.Node("Sub", new[] { OpGraphBuilder.Floats("c", new[] { -1.5f }), t });
            g.Output(y);
            var plan = g.Lower("ScalarConst");
            string code = ModelEmitter.Emit(plan);
            Assert.Contains("x0[i] * 2.5f", code);
            Assert.Contains("(-1.5f) - x1[i]", code);
            var input = OpData.Random(7, 6);
            var actual = (float[])GeneratedCode.Compile(plan).Run(input)[0];
            var expected = new float[6];
            for (int i = 0; i < 6; i++) expected[i] = -1.5f - input[i] * 2.5f;
            OpData.AssertClose(expected, actual, "scalar constants");
        }

        [Fact]
        public void IntegerOpsWrapAndDivisionTruncatesTowardZero()
        {
            var plans = new List<ModelPlan>();
            foreach (var op in Ops)
            {
                var g = new OpGraphBuilder(14);
                g.Output(g.Node(op, new[] { g.Input("a", DataType.Int32, 6), g.Input("b", DataType.Int32, 6) }));
                plans.Add(g.Lower("Int32" + op));
                var h = new OpGraphBuilder(14);
                h.Output(h.Node(op, new[] { h.Input("a", DataType.Int64, 2, 3), h.Input("b", DataType.Int64, 3) }));
                plans.Add(h.Lower("Int64" + op));
            }
            var compiled = GeneratedCode.Compile(plans);
            int[] a32 = { 7, -7, 7, -7, int.MaxValue, int.MinValue };
            int[] b32 = { 2, 2, -2, -2, 2, 3 };
            long[] a64 = { 7, -7, long.MaxValue, -9, 100, long.MinValue };
            long[] b64 = { 2, -2, 3 };
            for (int k = 0; k < Ops.Length; k++)
            {
                var r32 = (int[])compiled.Get(plans[2 * k]).Run(a32, b32)[0];
                var r64 = (long[])compiled.Get(plans[2 * k + 1]).Run(a64, b64)[0];
                for (int i = 0; i < 6; i++)
                {
                    int e32 = unchecked(Ops[k] switch { "Add" => a32[i] + b32[i], "Sub" => a32[i] - b32[i], "Mul" => a32[i] * b32[i], _ => a32[i] / b32[i] });
                    long x = a64[i], y = b64[i % 3];
                    long e64 = unchecked(Ops[k] switch { "Add" => x + y, "Sub" => x - y, "Mul" => x * y, _ => x / y });
                    Assert.Equal(e32, r32[i]);
                    Assert.Equal(e64, r64[i]);
                }
            }
            Assert.Equal(new[] { 3, -3, -3, 3 }, ((int[])compiled.Get(plans[6]).Run(a32, b32)[0])[..4]);
        }

        [Fact]
        public void IntegerDivisionNeverThrowsFromRun()
        {
            // ONNX leaves x / 0 undefined; EdgeAot's choice is 0 (as its Mod), and MinValue / -1 wraps
            // to MinValue like the other integer ops; C# alone would throw from Run in both cases.
            var g = new OpGraphBuilder(14);
            g.Output(g.Node("Div", new[] { g.Input("a", DataType.Int32, 4), g.Input("b", DataType.Int32, 4) }));
            var runTime = g.Lower("Int32DivRunTime");
            var h = new OpGraphBuilder(14);
            h.Output(h.Node("Div", new[] { h.Input("a", DataType.Int64, 3), OpGraphBuilder.Longs("minusOne", new[] { -1L }) }));
            var byMinusOne = h.Lower("Int64DivByMinusOne");
            var compiled = GeneratedCode.Compile(new[] { runTime, byMinusOne });

            var quotients = (int[])compiled.Get(runTime).Run(new[] { int.MinValue, 5, -9, int.MinValue }, new[] { -1, 0, -1, 2 })[0];
            Assert.Equal(new[] { int.MinValue, 0, 9, int.MinValue / 2 }, quotients);
            var negated = (long[])compiled.Get(byMinusOne).Run(new[] { long.MinValue, 3L, -4L })[0];
            Assert.Equal(new[] { long.MinValue, -3L, 4L }, negated);
        }

        [Fact]
        public void LegacyBroadcastWithAxisAlignsBInsideA()
        {
            var g = new OpGraphBuilder(6);
            var y = g.Node("Add", new[] { g.Input("a", DataType.Float32, 2, 3, 4, 5), g.Input("b", DataType.Float32, 3, 4) },
                Attribute.FromInt("broadcast", 1), Attribute.FromInt("axis", 1), Attribute.FromInts("consumed_inputs", new long[] { 0, 0 }));
            g.Output(y);
            var plan = g.Lower("LegacyAdd");
            var node = plan.Nodes[0];
            Assert.Equal(1, node.GetInt(BinaryElementwiseOperator.BroadcastAxis, -1));
            Assert.Null(node.Attribute("consumed_inputs"));
            float[] a = OpData.Random(1, 120), b = OpData.Random(2, 12);
            var actual = (float[])GeneratedCode.Compile(plan).Run(a, b)[0];
            var expected = new float[120];
            for (int i = 0; i < 120; i++) expected[i] = a[i] + b[i / 5 % 12];
            OpData.AssertClose(expected, actual, "legacy axis=1");
        }

        [Fact]
        public void LegacyOpsetWithoutBroadcastRefusesDifferentShapes()
        {
            var g = new OpGraphBuilder(6);
            g.Output(g.Node("Mul", new[] { g.Input("a", DataType.Float32, 2, 3), g.Input("b", DataType.Float32, 3) }));
            var result = g.TryLower("LegacyNoBroadcast");
            Assert.False(result.Success);
            Assert.Equal("EAOT0011", result.Diagnostics[0].Id);
            Assert.Contains("broadcast=0", result.Diagnostics[0].Message);
        }

        [Fact]
        public void IncompatibleShapesAndMixedTypesAreDiagnosed()
        {
            var g = new OpGraphBuilder(13);
            g.Output(g.Node("Add", new[] { g.Input("a", DataType.Float32, 2, 3), g.Input("b", DataType.Float32, 4) }));
            Assert.Equal("EAOT0011", g.TryLower("BadBroadcast").Diagnostics[0].Id);

            var h = new OpGraphBuilder(13);
            h.Output(h.Node("Add", new[] { h.Input("a", DataType.Float32, 3), h.Input("b", DataType.Int64, 3) }));
            Assert.Equal("EAOT0011", h.TryLower("MixedTypes").Diagnostics[0].Id);

            var k = new OpGraphBuilder(13);
            k.Output(k.Node("Add", new[] { k.Input("a", DataType.UInt8, 3), k.Input("b", DataType.UInt8, 3) }));
            Assert.Equal("EAOT0005", k.TryLower("Bytes").Diagnostics[0].Id);
        }

        [Fact]
        public void InPlaceWhenOutputHasInput0Shape()
        {
            // relu(x) + bias reuses the relu buffer; the broadcasting add whose output is larger cannot.
            var g = new OpGraphBuilder(13);
            var x = g.Input("x", DataType.Float32, 1, 4, 3, 3);
            var r = g.Node("Relu", new[] { x });
            var s = g.Node("Add", new[] { r, OpGraphBuilder.Floats("bias", new[] { 1f, 2f, 3f, 4f }, 4, 1, 1) });
            var t = g.Node("Sigmoid", new[] { s });
            g.Output(g.Node("Mul", new[] { t, x }));
            var plan = g.Lower("InPlaceChain");
            Assert.Equal(plan.Tensor(plan.Nodes[0].Outputs[0]).Offset, plan.Tensor(plan.Nodes[1].Outputs[0]).Offset);
            Assert.Equal(TensorStorage.Arena, plan.Tensor(plan.Nodes[1].Outputs[0]).Storage);
            var input = OpData.Random(3, 36);
            var actual = (float[])GeneratedCode.Compile(plan).Run(input)[0];
            var expected = new float[36];
            for (int i = 0; i < 36; i++)
            {
                double v = Math.Max(input[i], 0f) + (i / 9 + 1);
                expected[i] = (float)(1 / (1 + Math.Exp(-(float)v))) * input[i];
            }
            OpData.AssertClose(expected, actual, "in-place chain", 1e-6, 1e-6);
        }
    }
}
