using System;
using System.Collections.Generic;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Plan;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Tests.Ops
{
    /// <summary>Builds small IR graphs at one opset for operator tests, and lowers them to plans.</summary>
    internal sealed class OpGraphBuilder
    {
        private readonly int _opset;
        private int _next;

        public OpGraphBuilder(int opset)
        {
            _opset = opset;
            Graph.Opsets[""] = opset;
        }

        public Graph Graph { get; } = new Graph { Name = "test" };

        public Value Input(string name, DataType type, params long[] shape)
        {
            var v = new Value(name, type, shape);
            Graph.Inputs.Add(v);
            return v;
        }

        public static Value Floats(string name, float[] values, params long[] shape) => new Value(name, DataType.Float32, shape, TensorData.FromFloat32(values));

        public static Value Longs(string name, long[] values, params long[] shape) => new Value(name, DataType.Int64, shape, TensorData.FromInt64(values));

        public static Value Ints(string name, int[] values, params long[] shape)
        {
            var bytes = new byte[values.Length * 4];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            return new Value(name, DataType.Int32, shape, bytes);
        }

        public Value Node(string opType, Value?[] inputs, params Attribute[] attributes) => Node(opType, inputs, 1, attributes)[0];

        public Node LastNode => Graph.Nodes[Graph.Nodes.Count - 1];

        public Value[] Node(string opType, Value?[] inputs, int outputs, params Attribute[] attributes)
        {
            var set = new AttributeSet();
            foreach (var a in attributes) set.Set(a);
            var outs = new List<Value>();
            for (int i = 0; i < outputs; i++) outs.Add(new Value(opType.ToLowerInvariant() + "_" + _next + "_" + i, DataType.Undefined, Array.Empty<long>()));
            var node = new Node(opType + "_" + _next++, opType, "", new List<Value?>(inputs), outs, set) { OpsetVersion = _opset };
            Graph.Nodes.Add(node);
            return outs.ToArray();
        }

        public OpGraphBuilder Output(params Value[] values)
        {
            Graph.Outputs.AddRange(values);
            return this;
        }

        public CompileResult TryLower(string className)
            => ModelCompiler.Lower(new ImportedModel(Graph, "test", 8), "sha", new CompileOptions { ClassName = className, ModelPath = className + ".onnx" });

        public ModelPlan Lower(string className)
        {
            var result = TryLower(className);
            if (!result.Success) throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
            return result.Plan!;
        }
    }

    /// <summary>Seeded inputs and tolerant comparisons.</summary>
    internal static class OpData
    {
        public static float[] Random(int seed, long count, float range = 3f)
        {
            var random = new Random(seed);
            var values = new float[count];
            for (int i = 0; i < values.Length; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * range);
            return values;
        }

        /// <summary>Relative tolerance 1e-6 (with a tiny absolute floor for values near zero); NaN must match NaN.</summary>
        public static void AssertClose(float[] expected, float[] actual, string what, double rtol = 1e-6, double atol = 1e-7)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                if (float.IsNaN(expected[i]))
                {
                    Assert.True(float.IsNaN(actual[i]), what + " [" + i + "]: expected NaN, got " + actual[i]);
                    continue;
                }
                if (expected[i] == actual[i]) continue;
                double diff = Math.Abs((double)expected[i] - actual[i]);
                Assert.True(diff <= atol + rtol * Math.Abs(expected[i]), what + " [" + i + "]: expected " + expected[i].ToString("R") + ", got " + actual[i].ToString("R"));
            }
        }

        /// <summary>Row-major index of each output element in an operand broadcast numpy-style (aligned at the end).</summary>
        public static long SourceIndex(long flat, long[] output, long[] operand)
        {
            long index = 0, stride = 1;
            for (int d = output.Length - 1, e = operand.Length - 1; d >= 0; d--, e--)
            {
                long coordinate = flat % output[d];
                flat /= output[d];
                if (e < 0) continue;
                if (operand[e] != 1) index += coordinate * stride;
                stride *= operand[e];
            }
            return index;
        }
    }
}
