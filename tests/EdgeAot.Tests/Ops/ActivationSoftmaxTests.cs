using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Plan;
using EdgeAot.Tests.Harness;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Tests.Ops
{
    public class ActivationSoftmaxTests
    {
        private static float[] WithExtremes(float[] values)
        {
            float[] extremes = { 100f, -100f, 1000f, -1000f, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 88.5f, -88.5f };
            Array.Copy(extremes, values, extremes.Length);
            return values;
        }

        [Fact]
        public void ActivationsMatchScalarReference()
        {
            var cases = new List<(ModelPlan Plan, Func<float, float> Reference)>();
            void Add(int opset, string op, Func<float, float> reference, Value?[]? extra = null, params Attribute[] attributes)
            {
                var g = new OpGraphBuilder(opset);
                var inputs = new List<Value?> { g.Input("x", DataType.Float32, 4, 25) };
                if (extra is not null) inputs.AddRange(extra);
                g.Output(g.Node(op, inputs.ToArray(), attributes));
                cases.Add((g.Lower(op + "Activation" + cases.Count), reference));
            }
            Add(6, "Relu", v => v > 0 ? v : 0f);
            Add(13, "Sigmoid", v => (float)(1 / (1 + Math.Exp(-(double)v))));
            Add(13, "Tanh", v => (float)Math.Tanh(v));
            Add(6, "Clip", v => Math.Min(Math.Max(v, -1f), 2f), null, Attribute.FromFloat("min", -1f), Attribute.FromFloat("max", 2f));
            Add(6, "Clip", v => Math.Min(Math.Max(v, -float.MaxValue), float.MaxValue));
            Add(11, "Clip", v => Math.Min(Math.Max(v, 0f), 6f), new Value?[] { OpGraphBuilder.Floats("lo", new[] { 0f }), OpGraphBuilder.Floats("hi", new[] { 6f }) });
            Add(13, "Clip", v => Math.Min(v, 0.5f), new Value?[] { null, OpGraphBuilder.Floats("hi", new[] { 0.5f }) });
            Add(13, "Clip", v => v);

            var compiled = GeneratedCode.Compile(cases.ConvertAll(c => c.Plan));
            foreach (var (plan, reference) in cases)
            {
                var input = WithExtremes(OpData.Random(11, 100, 10f));
                var actual = (float[])compiled.Get(plan).Run(input)[0];
                var expected = Array.ConvertAll(input, v => reference(v));
                OpData.AssertClose(expected, actual, plan.ClassName);
                foreach (var v in actual) Assert.False(float.IsNaN(v), plan.ClassName + " produced NaN");
            }
            // Clip's bounds reach the plan as explicit attributes; the constant inputs are gone.
            var clip11 = cases[5].Plan.Nodes[0];
            Assert.Single(clip11.Inputs);
            Assert.Equal(6f, clip11.GetFloat("max", 0));
            Assert.Equal(float.NegativeInfinity, cases[6].Plan.Nodes[0].GetFloat("min", 0));
        }

        [Fact]
        public void ReluOnIntegers()
        {
            var g = new OpGraphBuilder(14);
            g.Output(g.Node("Relu", new[] { g.Input("x", DataType.Int64, 4) }));
            var actual = (long[])GeneratedCode.Compile(g.Lower("ReluInt64")).Run(new long[] { -5, 0, 7, long.MinValue })[0];
            Assert.Equal(new long[] { 0, 0, 7, 0 }, actual);
        }

        [Fact]
        public void ClipWithRunTimeBoundIsUnsupported()
        {
            var g = new OpGraphBuilder(13);
            g.Output(g.Node("Clip", new[] { g.Input("x", DataType.Float32, 3), g.Input("lo", DataType.Float32) }));
            var result = g.TryLower("ClipDynamic");
            Assert.Equal("EAOT0003", result.Diagnostics[0].Id);
            Assert.Contains("min", result.Diagnostics[0].Message);
        }

        private static float[] SoftmaxReference(float[] x, long[] shape, int axis, bool coerce2D)
        {
            long outer = 1, size = 1, inner = 1;
            for (int d = 0; d < shape.Length; d++)
            {
                if (d < axis) outer *= shape[d];
                else if (d == axis || coerce2D) size *= shape[d];
                else inner *= shape[d];
            }
            var y = new float[x.Length];
            for (long o = 0; o < outer; o++)
            {
                for (long j = 0; j < inner; j++)
                {
                    double max = double.NegativeInfinity, sum = 0;
                    for (long k = 0; k < size; k++) max = Math.Max(max, x[(o * size + k) * inner + j]);
                    for (long k = 0; k < size; k++) sum += Math.Exp(x[(o * size + k) * inner + j] - max);
                    for (long k = 0; k < size; k++) y[(o * size + k) * inner + j] = (float)(Math.Exp(x[(o * size + k) * inner + j] - max) / sum);
                }
            }
            return y;
        }

        [Fact]
        public void SoftmaxAcrossOpsetsAndAxes()
        {
            long[] shape = { 2, 3, 4, 5 };
            var cases = new List<(ModelPlan Plan, int Axis, bool Coerce)>();
            void Add(int opset, long? axis, int normalized)
            {
                var g = new OpGraphBuilder(opset);
                var attributes = axis is long a ? new[] { Attribute.FromInt("axis", a) } : Array.Empty<Attribute>();
                g.Output(g.Node("Softmax", new[] { g.Input("x", DataType.Float32, shape) }, attributes));
                cases.Add((g.Lower("SoftmaxCase" + cases.Count), normalized, opset < 13));
            }
            Add(11, null, 1);   // coerced to [2, 60]
            Add(11, -2, 2);     // coerced to [6, 20]
            Add(1, 0, 0);       // one row of everything
            Add(13, null, 3);   // last axis
            Add(13, 1, 1);      // strided rows
            Add(13, -3, 1);
            var compiled = GeneratedCode.Compile(cases.ConvertAll(c => c.Plan));
            foreach (var (plan, axis, coerce) in cases)
            {
                var input = OpData.Random(5, 120, 5f);
                input[0] = 1000f; // stability: exp(1000) would overflow without the max subtraction
                input[1] = -1000f;
                var actual = (float[])compiled.Get(plan).Run(input)[0];
                OpData.AssertClose(SoftmaxReference(input, shape, axis, coerce), actual, plan.ClassName, 1e-6, 1e-7);
                Assert.Equal(axis, plan.Nodes[0].GetInt("axis", -1));
            }
        }

        [Fact]
        public void SoftmaxAxisOutOfRangeIsInvalid()
        {
            var g = new OpGraphBuilder(13);
            g.Output(g.Node("Softmax", new[] { g.Input("x", DataType.Float32, 2, 3) }, Attribute.FromInt("axis", 2)));
            Assert.Equal("EAOT0011", g.TryLower("SoftmaxBadAxis").Diagnostics[0].Id);
        }
    }
}
