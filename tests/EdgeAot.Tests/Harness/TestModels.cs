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

        /// <summary>
        /// Depthwise Conv 3x3 → BatchNormalization → Relu → GlobalAveragePool → Flatten → Gemm → Softmax:
        /// shows BN folding and activation fusion (the baseline has one Conv kernel with a Relu clamp).
        /// </summary>
        public static Graph DepthwiseBnReluClassifier()
        {
            var graph = new Graph { Name = "depthwise_bn_relu" };
            var x = new Value("input", DataType.Float32, new long[] { 1, 3, 6, 6 });
            Value Const(string name, int seed, params long[] shape)
            {
                long count = 1;
                foreach (long d in shape) count *= d;
                return new Value(name, DataType.Float32, shape, TensorData.FromFloat32(Weights(seed, count)));
            }
            var variance = new Value("bn.var", DataType.Float32, new long[] { 3 }, TensorData.FromFloat32(new[] { 0.5f, 1f, 2f }));
            Value Temp(string name) => new Value(name, DataType.Undefined, Array.Empty<long>());
            var conv = new AttributeSet();
            conv.Set(Attribute.FromInts("pads", new long[] { 1, 1, 1, 1 }));
            conv.Set(Attribute.FromInt("group", 3));
            var gemm = new AttributeSet();
            gemm.Set(Attribute.FromInt("transB", 1));
            Value features = Temp("features"), normalized = Temp("normalized"), activated = Temp("activated"),
                pooled = Temp("pooled"), flat = Temp("flat"), logits = Temp("logits"), y = Temp("probabilities");
            graph.Inputs.Add(x);
            graph.Nodes.Add(new Node("depthwise", "Conv", "", new List<Value?> { x, Const("dw.weight", 11, 3, 1, 3, 3) }, new List<Value> { features }, conv));
            graph.Nodes.Add(new Node("bn", "BatchNormalization", "", new List<Value?> { features, Const("bn.scale", 12, 3), Const("bn.bias", 13, 3), Const("bn.mean", 14, 3), variance },
                new List<Value> { normalized }, new AttributeSet()));
            graph.Nodes.Add(new Node("relu", "Relu", "", new List<Value?> { normalized }, new List<Value> { activated }, new AttributeSet()));
            graph.Nodes.Add(new Node("gap", "GlobalAveragePool", "", new List<Value?> { activated }, new List<Value> { pooled }, new AttributeSet()));
            graph.Nodes.Add(new Node("flatten", "Flatten", "", new List<Value?> { pooled }, new List<Value> { flat }, new AttributeSet()));
            graph.Nodes.Add(new Node("fc", "Gemm", "", new List<Value?> { flat, Const("fc.weight", 15, 4, 3), Const("fc.bias", 16, 4) }, new List<Value> { logits }, gemm));
            graph.Nodes.Add(new Node("softmax", "Softmax", "", new List<Value?> { logits }, new List<Value> { y }, new AttributeSet()));
            graph.Outputs.Add(y);
            return graph;
        }

        /// <summary>
        /// QDQ int8: QuantizeLinear → DequantizeLinear → Conv 3x3 (per-channel int8 weights through
        /// DequantizeLinear, int32 bias) → Relu → QuantizeLinear → DequantizeLinear. Fuses to one
        /// integer Conv kernel with a fixed-point requantization; floats only at the graph's edges.
        /// </summary>
        public static Graph QdqConvRelu()
        {
            var graph = new Graph { Name = "qdq_conv_relu" };
            Value Scalar(string name, DataType type, byte[] bytes) => new Value(name, type, Array.Empty<long>(), bytes);
            Value Temp(string name) => new Value(name, DataType.Undefined, Array.Empty<long>());
            var x = new Value("input", DataType.Float32, new long[] { 1, 2, 5, 5 });
            var xScale = Scalar("x.scale", DataType.Float32, TensorData.FromFloat32(new[] { 0.02f }));
            var xZero = Scalar("x.zero", DataType.Int8, new[] { unchecked((byte)(sbyte)-3) });
            var rng = new Random(21);
            var weightBytes = new byte[3 * 2 * 3 * 3];
            for (int i = 0; i < weightBytes.Length; i++) weightBytes[i] = unchecked((byte)(sbyte)rng.Next(-127, 128));
            var w = new Value("conv.weight_quantized", DataType.Int8, new long[] { 3, 2, 3, 3 }, weightBytes);
            var wScale = new Value("conv.weight_scale", DataType.Float32, new long[] { 3 }, TensorData.FromFloat32(new[] { 0.004f, 0.006f, 0.005f }));
            var wZero = new Value("conv.weight_zero", DataType.Int8, new long[] { 3 }, new byte[3]);
            var biasBytes = new byte[12];
            Buffer.BlockCopy(new[] { 120, -40, 7 }, 0, biasBytes, 0, 12);
            var bias = new Value("conv.bias_quantized", DataType.Int32, new long[] { 3 }, biasBytes);
            var biasScale = new Value("conv.bias_scale", DataType.Float32, new long[] { 3 }, TensorData.FromFloat32(new[] { 0.02f * 0.004f, 0.02f * 0.006f, 0.02f * 0.005f }));
            var biasZero = new Value("conv.bias_zero", DataType.Int32, new long[] { 3 }, new byte[12]);
            var yScale = Scalar("y.scale", DataType.Float32, TensorData.FromFloat32(new[] { 0.05f }));
            var yZero = Scalar("y.zero", DataType.Int8, new[] { unchecked((byte)(sbyte)-128) });
            var perChannel = new AttributeSet();
            perChannel.Set(Attribute.FromInt("axis", 0));
            var conv = new AttributeSet();
            conv.Set(Attribute.FromInts("pads", new long[] { 1, 1, 1, 1 }));
            Value xq = Temp("input_quantized"), xdq = Temp("input_dequantized"), wdq = Temp("conv.weight_dequantized"), bdq = Temp("conv.bias_dequantized"),
                features = Temp("features"), activated = Temp("activated"), yq = Temp("output_quantized"), y = Temp("output");
            graph.Inputs.Add(x);
            graph.Nodes.Add(new Node("quantize_input", "QuantizeLinear", "", new List<Value?> { x, xScale, xZero }, new List<Value> { xq }, new AttributeSet()));
            graph.Nodes.Add(new Node("dequantize_input", "DequantizeLinear", "", new List<Value?> { xq, xScale, xZero }, new List<Value> { xdq }, new AttributeSet()));
            graph.Nodes.Add(new Node("dequantize_weight", "DequantizeLinear", "", new List<Value?> { w, wScale, wZero }, new List<Value> { wdq }, perChannel));
            graph.Nodes.Add(new Node("dequantize_bias", "DequantizeLinear", "", new List<Value?> { bias, biasScale, biasZero }, new List<Value> { bdq }, perChannel));
            graph.Nodes.Add(new Node("conv", "Conv", "", new List<Value?> { xdq, wdq, bdq }, new List<Value> { features }, conv));
            graph.Nodes.Add(new Node("relu", "Relu", "", new List<Value?> { features }, new List<Value> { activated }, new AttributeSet()));
            graph.Nodes.Add(new Node("quantize_output", "QuantizeLinear", "", new List<Value?> { activated, yScale, yZero }, new List<Value> { yq }, new AttributeSet()));
            graph.Nodes.Add(new Node("dequantize_output", "DequantizeLinear", "", new List<Value?> { yq, yScale, yZero }, new List<Value> { y }, new AttributeSet()));
            graph.Outputs.Add(y);
            return graph;
        }

        /// <summary>
        /// Float16 in and out: x + bias → Sigmoid (both computed in float32 behind Casts, one
        /// RoundToFloat16 between them) → Reshape → Pad with a float16 value (on Half directly).
        /// </summary>
        public static Graph HalfAddSigmoidPad()
        {
            var graph = new Graph { Name = "half_add_sigmoid_pad" };
            byte[] Halves(params double[] values)
            {
                var bytes = new byte[values.Length * 2];
                for (int i = 0; i < values.Length; i++) BitConverter.GetBytes(Binary16.FromDouble(values[i])).CopyTo(bytes, i * 2);
                return bytes;
            }
            Value Temp(string name) => new Value(name, DataType.Undefined, Array.Empty<long>());
            var x = new Value("x", DataType.Float16, new long[] { 2, 4 });
            var bias = new Value("bias", DataType.Float16, new long[] { 4 }, Halves(0.5, -1.25, 2, 0.1));
            var shape = new Value("flat", DataType.Int64, new long[] { 1 }, TensorData.FromInt64(new long[] { 8 }));
            var pads = new Value("pads", DataType.Int64, new long[] { 2 }, TensorData.FromInt64(new long[] { 1, 1 }));
            var padValue = new Value("pad_value", DataType.Float16, Array.Empty<long>(), Halves(-0.5));
            Value sum = Temp("sum"), activated = Temp("activated"), flat = Temp("flat_activated"), y = Temp("y");
            graph.Inputs.Add(x);
            graph.Nodes.Add(new Node("add", "Add", "", new List<Value?> { x, bias }, new List<Value> { sum }, new AttributeSet()));
            graph.Nodes.Add(new Node("sigmoid", "Sigmoid", "", new List<Value?> { sum }, new List<Value> { activated }, new AttributeSet()));
            graph.Nodes.Add(new Node("flatten", "Reshape", "", new List<Value?> { activated, shape }, new List<Value> { flat }, new AttributeSet()));
            graph.Nodes.Add(new Node("pad", "Pad", "", new List<Value?> { flat, pads, padValue }, new List<Value> { y }, new AttributeSet()));
            graph.Outputs.Add(y);
            return graph;
        }
    }
}
