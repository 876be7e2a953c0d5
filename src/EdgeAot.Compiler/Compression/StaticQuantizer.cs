using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;

namespace EdgeAot.Compiler.Compression
{
    public sealed class QuantizeOptions
    {
        public CalibrationMethod Method { get; set; } = CalibrationMethod.MinMax;

        /// <summary>For <see cref="CalibrationMethod.Percentile"/>: the share of values kept on each side, e.g. 99.99.</summary>
        public double Percentile { get; set; } = 99.99;

        /// <summary>One weight scale per output channel (opset ≥ 13); otherwise one per tensor.</summary>
        public bool PerChannel { get; set; } = true;
    }

    /// <summary>What quantization changed, for the report.</summary>
    public sealed class QuantizeSummary
    {
        public List<string> QuantizedNodes { get; } = new List<string>();

        /// <summary>Compute nodes left in float, each with the reason.</summary>
        public List<string> Skipped { get; } = new List<string>();

        public int QuantizedTensors { get; set; }
    }

    /// <summary>
    /// Post-training static quantization to a QDQ ONNX model (the format ONNX Runtime's quantizer
    /// writes and <see cref="Passes.QdqFusion"/> lowers to integer kernels):
    /// <list type="bullet">
    /// <item>the input and the (activation-fused) output of every Conv (2-D), Gemm and MatMul with
    /// constant weights, and every graph output, get QuantizeLinear → DequantizeLinear with an
    /// asymmetric int8 scale and zero point from the calibrated range (always including 0, so
    /// zero padding and Relu stay exact);</item>
    /// <item>weights become int8, symmetric (zero point 0, values in [−127, 127]), one scale per
    /// output channel, behind a DequantizeLinear;</item>
    /// <item>biases become int32 with scale x_scale·w_scale and zero point 0.</item>
    /// </list>
    /// A MatMul followed by an Add of a constant vector becomes one Gemm first, so the bias is
    /// folded into the integer kernel. Everything else stays in float between DQ and Q.
    /// </summary>
    public static class StaticQuantizer
    {
        public static byte[] Quantize(byte[] modelBytes, IReadOnlyList<float[][]> samples, QuantizeOptions options, CompileOptions compileOptions, QuantizeSummary summary)
        {
            if (samples.Count == 0)
                throw new ModelException(DiagnosticCatalog.CalibrationDataInvalid, "static quantization needs calibration samples (CalibrationData / --calibration); it never calibrates on invented data.");
            if (options.Method == CalibrationMethod.Percentile && !(options.Percentile > 50 && options.Percentile <= 100))
                throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, "the calibration percentile must be in (50, 100].");

            var editor = new OnnxGraphEditor(modelBytes, compileOptions);
            long opset = editor.DefaultOpset;
            if (opset < 10) throw new ModelException(DiagnosticCatalog.CompressionUnsupported, "QDQ quantization needs opset 10 or later (the model imports opset " + opset + ").");
            bool perChannel = options.PerChannel && opset >= 13;

            var runner = ReferenceRunner.Create(modelBytes, compileOptions);
            var floatTensors = new Dictionary<string, Value>(StringComparer.Ordinal);
            foreach (var v in runner.Graph.Inputs) floatTensors[v.Name] = v;
            foreach (var n in runner.Graph.Nodes)
            {
                foreach (var o in n.Outputs)
                {
                    if (o.Type == DataType.Float32) floatTensors[o.Name] = o;
                }
            }

            FoldMatMulBias(editor, floatTensors);

            // Plan: which nodes, which tensors.
            var targets = new List<(NodeProto Node, string Input, int ChannelAxis)>();
            var tensors = new List<string>();
            void Want(string name)
            {
                if (!tensors.Contains(name)) tensors.Add(name);
            }
            foreach (var node in editor.Graph.Node)
            {
                if (node.Domain.Length > 0 || node.OpType is not ("Conv" or "Gemm" or "MatMul")) continue;
                string? reason = Check(editor, node, floatTensors, out int axis);
                if (reason is not null)
                {
                    summary.Skipped.Add(Pruner.Label(node) + ": " + reason);
                    continue;
                }
                string output = node.Output[0];
                var readers = editor.Consumers(output);
                if (!editor.IsGraphOutput(output) && readers.Count == 1 && readers[0].OpType is "Relu" or "Clip" && readers[0].Input[0] == output
                    && floatTensors.ContainsKey(readers[0].Output[0]))
                    output = readers[0].Output[0];
                if (!floatTensors.ContainsKey(output))
                {
                    summary.Skipped.Add(Pruner.Label(node) + ": its output is folded at build time.");
                    continue;
                }
                targets.Add((node, node.Input[0], axis));
                Want(node.Input[0]);
                Want(output);
            }
            foreach (var o in editor.Graph.Output)
            {
                if (floatTensors.ContainsKey(o.Name) && !editor.IsGraphInput(o.Name)) Want(o.Name);
            }
            if (targets.Count == 0) throw new ModelException(DiagnosticCatalog.CompressionUnsupported, "no Conv, Gemm or MatMul with constant float weights to quantize." + Reasons(summary));

            var ranges = RangeObserver.Calibrate(runner, samples, tensors, options.Method, options.Percentile);

            var scales = new Dictionary<string, (float Scale, sbyte Zero)>(StringComparer.Ordinal);
            foreach (string name in tensors)
            {
                if (!ranges.TryGetValue(name, out var range)) continue;
                var (scale, zero) = ActivationParameters(range);
                scales[name] = (scale, zero);
                InsertQdq(editor, name, scale, zero);
                summary.QuantizedTensors++;
            }

            foreach (var (node, input, axis) in targets)
            {
                if (!scales.TryGetValue(input, out var x)) continue;
                QuantizeWeights(editor, node, axis, x.Scale, perChannel);
                summary.QuantizedNodes.Add(Pruner.Label(node));
            }
            editor.RemoveUnusedInitializers();
            return editor.ToBytes();
        }

        private static string Reasons(QuantizeSummary summary) => summary.Skipped.Count == 0 ? "" : " " + string.Join("; ", summary.Skipped);

        /// <summary>Null when the node can be quantized, else why not; <paramref name="axis"/> is the weights' output-channel axis.</summary>
        private static string? Check(OnnxGraphEditor editor, NodeProto node, Dictionary<string, Value> floats, out int axis)
        {
            axis = 0;
            if (node.Input.Count < 2 || !floats.TryGetValue(node.Input[0], out var x)) return "its input is not a computed float tensor.";
            if (editor.Initializer(node.Input[0]) is not null) return "its input is a constant.";
            var w = editor.Initializer(node.Input[1]);
            if (w is null || w.DataType != (int)DataType.Float32) return "the weights are not a float32 initializer.";
            int wRank = w.Dims.Count;
            string bias = node.Input.Count > 2 ? node.Input[2] : "";
            switch (node.OpType)
            {
                case "Conv":
                    if (wRank != 4) return "only 2-D convolutions are quantized.";
                    axis = 0;
                    if (bias.Length > 0 && (editor.Initializer(bias) is not { } b || b.DataType != (int)DataType.Float32 || b.Dims.Count != 1)) return "the bias is not a float32 initializer.";
                    return null;
                case "Gemm":
                    if (wRank != 2) return "the weights are not 2-D.";
                    if (OnnxGraphEditor.AttributeInt(node, "transA", 0) != 0 || OnnxGraphEditor.AttributeFloat(node, "alpha", 1) != 1 || OnnxGraphEditor.AttributeFloat(node, "beta", 1) != 1)
                        return "transA, alpha and beta other than 0, 1, 1 are not quantized.";
                    bool transB = OnnxGraphEditor.AttributeInt(node, "transB", 0) != 0;
                    axis = transB ? 0 : 1;
                    if (bias.Length > 0)
                    {
                        if (editor.Initializer(bias) is not { } c || c.DataType != (int)DataType.Float32) return "C is not a float32 initializer.";
                        long n = w.Dims[axis], count = 1;
                        foreach (long d in c.Dims) count *= d;
                        if (count != n || c.Dims.Count > 2 || (c.Dims.Count == 2 && c.Dims[0] != 1)) return "C is not one value per output column.";
                    }
                    return null;
                default:
                    if (wRank != 2) return "the weights are not 2-D.";
                    if (x.Rank < 2) return "1-D inputs are not quantized.";
                    axis = 1;
                    return null;
            }
        }

        /// <summary>MatMul(x, W) → Add(·, b) with a constant vector b becomes Gemm(x, W, b) when x is 2-D.</summary>
        private static void FoldMatMulBias(OnnxGraphEditor editor, Dictionary<string, Value> floats)
        {
            foreach (var node in editor.Graph.Node.ToArray())
            {
                if (node.OpType != "MatMul" || node.Domain.Length > 0 || node.Input.Count != 2) continue;
                if (!floats.TryGetValue(node.Input[0], out var x) || x.Rank != 2) continue;
                var w = editor.Initializer(node.Input[1]);
                if (w is null || w.Dims.Count != 2 || w.DataType != (int)DataType.Float32) continue;
                string y = node.Output[0];
                if (editor.IsGraphOutput(y)) continue;
                var readers = editor.Consumers(y);
                if (readers.Count != 1 || readers[0].OpType != "Add" || readers[0].Domain.Length > 0) continue;
                var add = readers[0];
                string other = add.Input[0] == y ? add.Input[1] : add.Input[0];
                if (other == y || editor.FloatInitializer(other, out long[] dims) is not { } b) continue;
                long n = w.Dims[1];
                if (b.Length != n || !(dims.Length == 1 || (dims.Length == 2 && dims[0] == 1))) continue;
                string bias = editor.AddFloats(other + "_vector", new[] { n }, b);
                node.OpType = "Gemm";
                node.Input.Add(bias);
                node.Output[0] = add.Output[0];
                editor.Graph.Node.Remove(add);
            }
        }

        /// <summary>Asymmetric int8: the range widened to include 0, mapped onto [−128, 127].</summary>
        public static (float Scale, sbyte Zero) ActivationParameters(TensorRange range)
        {
            double lo = Math.Min(0, range.Min), hi = Math.Max(0, range.Max);
            double scale = (hi - lo) / 255;
            if (!(scale > 0) || double.IsInfinity(scale)) return (1f, 0);
            float s = (float)scale;
            double zero = Math.Round(-128 - lo / s, MidpointRounding.ToEven);
            return (s, (sbyte)Math.Max(-128, Math.Min(127, zero)));
        }

        /// <summary>T → QuantizeLinear → DequantizeLinear; every other reader of T reads the dequantized tensor.</summary>
        private static void InsertQdq(OnnxGraphEditor editor, string name, float scale, sbyte zero)
        {
            string scaleName = editor.AddFloats(name + "_scale", Array.Empty<long>(), new[] { scale });
            string zeroName = editor.AddInitializer(name + "_zero_point", DataType.Int8, Array.Empty<long>(), new[] { unchecked((byte)zero) });
            string quantized = editor.UniqueName(name + "_quantized");
            var producer = editor.Producer(name);
            var readers = editor.Consumers(name);
            string source = name, dequantized;
            if (editor.IsGraphOutput(name) && producer is not null)
            {
                // The graph output keeps its name: the producer writes a new tensor, DQ writes the output.
                source = editor.UniqueName(name + "_float");
                producer.Output[producer.Output.IndexOf(name)] = source;
                for (int r = 0; r < readers.Count; r++) Rename(readers[r], name, source);
                readers.Clear();
                dequantized = name;
            }
            else
            {
                dequantized = editor.UniqueName(name + "_dequantized");
            }
            var q = editor.InsertAfter(producer, "QuantizeLinear", name + "_QuantizeLinear", new[] { source, scaleName, zeroName }, new[] { quantized });
            editor.InsertAfter(q, "DequantizeLinear", name + "_DequantizeLinear", new[] { quantized, scaleName, zeroName }, new[] { dequantized });
            foreach (var reader in readers) Rename(reader, name, dequantized);
        }

        private static void Rename(NodeProto node, string from, string to)
        {
            for (int i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == from) node.Input[i] = to;
            }
        }

        private static void QuantizeWeights(OnnxGraphEditor editor, NodeProto node, int axis, float xScale, bool perChannel)
        {
            string wName = node.Input[1];
            float[] w = editor.FloatInitializer(wName, out long[] dims)!;
            long channels = dims[axis];
            long inner = 1;
            for (int i = axis + 1; i < dims.Length; i++) inner *= dims[i];
            long ScaleIndex(long i) => perChannel ? i / inner % channels : 0;
            int scaleCount = perChannel ? (int)channels : 1;

            var maxAbs = new double[scaleCount];
            for (long i = 0; i < w.Length; i++)
            {
                long c = ScaleIndex(i);
                maxAbs[c] = Math.Max(maxAbs[c], Math.Abs(w[i]));
            }

            float[]? bias = null;
            string biasName = node.Input.Count > 2 ? node.Input[2] : "";
            if (biasName.Length > 0) bias = editor.FloatInitializer(biasName, out _);

            var wScale = new float[scaleCount];
            for (int c = 0; c < scaleCount; c++)
            {
                double s = maxAbs[c] > 0 ? maxAbs[c] / 127 : 1;
                if (bias is not null)
                {
                    // The int32 bias must not overflow: widen the weight scale when x_scale·w_scale is too fine for it.
                    double need = 0;
                    for (int j = 0; j < bias.Length; j++)
                    {
                        if (!perChannel || j == c) need = Math.Max(need, Math.Abs(bias[j]) / (xScale * (double)int.MaxValue / 2));
                    }
                    s = Math.Max(s, need);
                }
                wScale[c] = (float)s;
            }

            var wq = new byte[w.Length];
            for (long i = 0; i < w.Length; i++)
            {
                double q = Math.Round(w[i] / (double)wScale[ScaleIndex(i)], MidpointRounding.ToEven);
                wq[i] = unchecked((byte)(sbyte)Math.Max(-127, Math.Min(127, q)));
            }
            long[] scaleDims = perChannel ? new[] { channels } : Array.Empty<long>();
            string qName = editor.AddInitializer(wName + "_quantized", DataType.Int8, dims, wq);
            string sName = editor.AddFloats(wName + "_scale", scaleDims, wScale);
            string zName = editor.AddInitializer(wName + "_zero_point", DataType.Int8, scaleDims, new byte[scaleCount]);
            string wDq = editor.UniqueName(wName + "_dequantized");
            var attributes = perChannel ? new[] { OnnxAttribute.Int("axis", axis) } : Array.Empty<OnnxAttribute>();
            editor.InsertAfter(null, "DequantizeLinear", wName + "_DequantizeLinear", new[] { qName, sName, zName }, new[] { wDq }, attributes);
            node.Input[1] = wDq;

            if (bias is null) return;
            long biasCount = bias.Length;
            var bq = new byte[biasCount * 4];
            var bScale = new float[scaleCount];
            for (int c = 0; c < scaleCount; c++) bScale[c] = (float)((double)xScale * wScale[c]);
            for (long j = 0; j < biasCount; j++)
            {
                double q = Math.Round(bias[j] / (double)bScale[perChannel ? j : 0], MidpointRounding.ToEven);
                int v = (int)Math.Max(int.MinValue + 1, Math.Min(int.MaxValue, q));
                byte[] bytes = BitConverter.GetBytes(v);
                Buffer.BlockCopy(bytes, 0, bq, (int)j * 4, 4);
            }
            string bqName = editor.AddInitializer(biasName + "_quantized", DataType.Int32, new[] { biasCount }, bq);
            string bsName = editor.AddFloats(biasName + "_scale", scaleDims, bScale);
            string bzName = editor.AddInitializer(biasName + "_zero_point", DataType.Int32, scaleDims, new byte[scaleCount * 4]);
            string bDq = editor.UniqueName(biasName + "_dequantized");
            var biasAttributes = perChannel ? new[] { OnnxAttribute.Int("axis", 0) } : Array.Empty<OnnxAttribute>();
            editor.InsertAfter(null, "DequantizeLinear", biasName + "_DequantizeLinear", new[] { bqName, bsName, bzName }, new[] { bDq }, biasAttributes);
            node.Input[2] = bDq;
        }
    }
}
