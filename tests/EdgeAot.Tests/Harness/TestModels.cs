using System;
using System.Collections.Generic;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Plan;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Tests.Harness
{
    /// <summary>Small IR graphs built in code for generator, snapshot and determinism tests.</summary>
    public static class TestModels
    {
        public static ModelPlan Lower(Graph graph, string className, string modelFile = "test.onnx", int opset = 13)
        {
            graph.Opsets[""] = opset;
            foreach (var n in graph.Nodes) n.OpsetVersion = opset;
            var result = ModelCompiler.Lower(new ImportedModel(graph, "EdgeAot tests", 8), "0000000000000000000000000000000000000000000000000000000000000000",
                new CompileOptions { ClassName = className, Namespace = "EdgeAot.Tests.Models", ModelPath = modelFile });
            if (!result.Success) throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
            return result.Plan!;
        }

        /// <summary>Deterministic pseudo-random weights in [-1, 1).</summary>
        public static float[] Weights(int seed, long count)
        {
            var rng = new Random(seed);
            var a = new float[count];
            for (int i = 0; i < count; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
            return a;
        }

        /// <summary>Conv 3x3 (pad 1, stride 2) → AveragePool 2x2 → MatMul with a constant: three op families.</summary>
        public static Graph ConvPoolMatMul()
        {
            var graph = new Graph { Name = "conv_pool_matmul" };
            var x = new Value("image", DataType.Float32, new long[] { 1, 2, 8, 8 });
            var w = new Value("conv.weight", DataType.Float32, new long[] { 4, 2, 3, 3 }, TensorData.FromFloat32(Weights(1, 72)));
            var b = new Value("conv.bias", DataType.Float32, new long[] { 4 }, TensorData.FromFloat32(Weights(2, 4)));
            var features = new Value("features", DataType.Undefined, Array.Empty<long>());
            var pooled = new Value("pooled", DataType.Undefined, Array.Empty<long>());
            var projection = new Value("projection", DataType.Float32, new long[] { 2, 3 }, TensorData.FromFloat32(Weights(3, 6)));
            var y = new Value("scores", DataType.Undefined, Array.Empty<long>());
            var conv = new AttributeSet();
            conv.Set(Attribute.FromInts("pads", new long[] { 1, 1, 1, 1 }));
            conv.Set(Attribute.FromInts("strides", new long[] { 2, 2 }));
            var pool = new AttributeSet();
            pool.Set(Attribute.FromInts("kernel_shape", new long[] { 2, 2 }));
            pool.Set(Attribute.FromInts("strides", new long[] { 2, 2 }));
            graph.Inputs.Add(x);
            graph.Nodes.Add(new Node("conv", "Conv", "", new List<Value?> { x, w, b }, new List<Value> { features }, conv));
            graph.Nodes.Add(new Node("pool", "AveragePool", "", new List<Value?> { features }, new List<Value> { pooled }, pool));
            graph.Nodes.Add(new Node("project", "MatMul", "", new List<Value?> { pooled, projection }, new List<Value> { y }, new AttributeSet()));
            graph.Outputs.Add(y);
            return graph;
        }
    }
}
