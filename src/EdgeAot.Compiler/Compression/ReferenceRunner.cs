using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Passes;

namespace EdgeAot.Compiler.Compression
{
    /// <summary>
    /// Runs a model in float at build time, node by node on the lowered IR (before fusion), so
    /// compression can observe every intermediate tensor: activation ranges for calibration and
    /// outputs for fidelity. Ops with a constant-folding evaluator use it; the compute ops the
    /// evaluators lack (Conv, Gemm, MatMul, pools, BatchNormalization) are direct loops here.
    /// Accumulation is in double, so this is a reference, not a fast path.
    /// </summary>
    public sealed class ReferenceRunner
    {
        private readonly Graph _graph;
        private readonly LoweringContext _context;
        private readonly HashSet<Value> _constants = new HashSet<Value>();

        private ReferenceRunner(Graph graph, LoweringContext context)
        {
            _graph = graph;
            _context = context;
            foreach (var node in graph.Nodes)
            {
                foreach (var input in node.Inputs)
                {
                    if (input is not null && input.IsConstant) _constants.Add(input);
                }
            }
        }

        /// <summary>The lowered graph (node names and value names as in the ONNX file).</summary>
        public Graph Graph => _graph;

        /// <summary>Imports and lowers a model; import problems are <see cref="ModelException"/>s as in a build.</summary>
        public static ReferenceRunner Create(byte[] modelBytes, CompileOptions? options = null)
        {
            options ??= new CompileOptions();
            var model = OnnxImporter.Import(modelBytes, options);
            var context = new LoweringContext(options);
            GraphLowering.Run(model.Graph, context);
            foreach (var input in model.Graph.Inputs)
            {
                if (input.Type != DataType.Float32)
                    throw new ModelException(DiagnosticCatalog.CompressionUnsupported, "graph input has element type " + input.Type + "; compression runs float32 models only.", input.Name);
            }
            return new ReferenceRunner(model.Graph, context);
        }

        /// <summary>Element count of each graph input, in order.</summary>
        public long[] InputLengths()
        {
            var lengths = new long[_graph.Inputs.Count];
            for (int i = 0; i < lengths.Length; i++) lengths[i] = _graph.Inputs[i].ElementCount;
            return lengths;
        }

        /// <summary>
        /// Runs one sample. <paramref name="observe"/> sees every float tensor a node computes
        /// (the graph inputs too). Returns the graph outputs as floats.
        /// </summary>
        public float[][] Run(float[][] inputs, Action<Value, float[]>? observe = null)
        {
            if (inputs.Length != _graph.Inputs.Count) throw new ArgumentException("expected " + _graph.Inputs.Count + " inputs.");
            var floats = new Dictionary<Value, float[]>();
            var computed = new List<Value>();
            try
            {
                for (int i = 0; i < inputs.Length; i++)
                {
                    var value = _graph.Inputs[i];
                    if (inputs[i].Length != value.ElementCount) throw new ArgumentException("input " + i + " needs " + value.ElementCount + " values.");
                    value.Data = TensorData.FromFloat32(inputs[i]);
                    computed.Add(value);
                    floats[value] = inputs[i];
                    observe?.Invoke(value, inputs[i]);
                }
                foreach (var node in _graph.Nodes)
                {
                    float[]? direct = Compute(node, floats);
                    if (direct is not null)
                    {
                        node.Outputs[0].Data = TensorData.FromFloat32(direct);
                    }
                    else
                    {
                        var definition = OperatorRegistry.Find(node.Domain, node.OpType);
                        if (definition is null || !definition.CanEvaluate(node))
                            throw new ModelException(DiagnosticCatalog.CompressionUnsupported, node.OpType + ": the build-time reference cannot run this operator, so the model cannot be calibrated or measured.", node.Name);
                        foreach (var input in node.Inputs)
                        {
                            if (input is not null && input.Data is null) throw new ModelException(DiagnosticCatalog.CompressionUnsupported, node.OpType + ": an input was not computed.", node.Name);
                        }
                        definition.Evaluate(node, _context);
                    }
                    foreach (var output in node.Outputs)
                    {
                        computed.Add(output);
                        if (output.Type != DataType.Float32 || output.Data is null) continue;
                        var values = direct is not null && output == node.Outputs[0] ? direct : TensorData.ToFloat32(output);
                        floats[output] = values;
                        observe?.Invoke(output, values);
                    }
                }
                var result = new float[_graph.Outputs.Count][];
                for (int i = 0; i < result.Length; i++)
                {
                    var output = _graph.Outputs[i];
                    result[i] = floats.TryGetValue(output, out var f) ? f
                        : output.Data is not null ? ToFloat(output)
                        : throw new ModelException(DiagnosticCatalog.CompressionUnsupported, "graph output was not computed.", output.Name);
                }
                return result;
            }
            finally
            {
                foreach (var value in computed)
                {
                    if (!_constants.Contains(value)) value.Data = null;
                }
            }
        }

        private static float[] ToFloat(Value value)
        {
            if (value.Type == DataType.Float32) return TensorData.ToFloat32(value);
            var result = new float[value.ElementCount];
            for (long i = 0; i < result.Length; i++) result[i] = (float)TensorData.ReadAsDouble(value.Data!, value.Type, i);
            return result;
        }

        private static float[] Floats(Value? value, Dictionary<Value, float[]> floats)
        {
            if (value is null) throw new InvalidOperationException("missing input");
            if (floats.TryGetValue(value, out var f)) return f;
            var converted = TensorData.ToFloat32(value);
            if (!value.IsConstant) floats[value] = converted;
            return converted;
        }

        /// <summary>Float result of the ops this class computes itself; null for the others.</summary>
        private static float[]? Compute(Node node, Dictionary<Value, float[]> floats)
        {
            if (node.Outputs[0].Type != DataType.Float32) return null;
            switch (node.OpType)
            {
                case "Conv": return Conv(node, floats);
                case "Gemm": return Gemm(node, floats);
                case "MatMul": return MatMul(node, floats);
                case "MaxPool":
                case "AveragePool": return Pool(node, floats);
                case "GlobalAveragePool":
                case "GlobalMaxPool": return GlobalPool(node, floats);
                case "BatchNormalization": return BatchNorm(node, floats);
                default: return null;
            }
        }

        /// <summary>Spatial extents as 2-D (1-D windows are height-one, as the lowered attributes say).</summary>
        private static (long H, long W) Spatial(long[] shape) => shape.Length == 3 ? (1, shape[2]) : (shape[2], shape[3]);

        private static float[] Conv(Node node, Dictionary<Value, float[]> floats)
        {
            var xv = node.Inputs[0]!;
            var wv = node.Inputs[1]!;
            float[] x = Floats(xv, floats), w = Floats(wv, floats);
            float[]? b = node.Input(2) is { } bv ? Floats(bv, floats) : null;
            var a = node.Attributes;
            long[] k = a.GetInts("kernel_shape")!, s = a.GetInts("strides")!, d = a.GetInts("dilations")!, p = a.GetInts("pads")!;
            long group = a.GetInt("group", 1);
            var y = node.Outputs[0];
            long n = xv.Shape[0], c = xv.Shape[1], m = wv.Shape[0];
            var (ih, iw) = Spatial(xv.Shape);
            var (oh, ow) = Spatial(y.Shape);
            long cg = c / group, mg = m / group;
            var result = new float[y.ElementCount];
            for (long b0 = 0; b0 < n; b0++)
            for (long oc = 0; oc < m; oc++)
            {
                long g = oc / mg;
                for (long oy = 0; oy < oh; oy++)
                for (long ox = 0; ox < ow; ox++)
                {
                    double acc = b is null ? 0 : b[oc];
                    for (long ic = 0; ic < cg; ic++)
                    {
                        long xBase = (b0 * c + g * cg + ic) * ih * iw;
                        long wBase = (oc * cg + ic) * k[0] * k[1];
                        for (long ky = 0; ky < k[0]; ky++)
                        {
                            long iy = oy * s[0] - p[0] + ky * d[0];
                            if (iy < 0 || iy >= ih) continue;
                            for (long kx = 0; kx < k[1]; kx++)
                            {
                                long ix = ox * s[1] - p[1] + kx * d[1];
                                if (ix < 0 || ix >= iw) continue;
                                acc += (double)x[xBase + iy * iw + ix] * w[wBase + ky * k[1] + kx];
                            }
                        }
                    }
                    result[((b0 * m + oc) * oh + oy) * ow + ox] = (float)acc;
                }
            }
            return Activate(node, result);
        }

        private static float[] Gemm(Node node, Dictionary<Value, float[]> floats)
        {
            var av = node.Inputs[0]!;
            var bv = node.Inputs[1]!;
            float[] a = Floats(av, floats), b = Floats(bv, floats);
            var attrs = node.Attributes;
            bool ta = attrs.GetInt("transA", 0) != 0, tb = attrs.GetInt("transB", 0) != 0;
            double alpha = attrs.GetFloat("alpha", 1), beta = attrs.GetFloat("beta", 1);
            long m = node.Outputs[0].Shape[0], n = node.Outputs[0].Shape[1];
            long k = ta ? av.Shape[0] : av.Shape[1];
            float[]? c = null;
            long[] cShape = Array.Empty<long>();
            if (node.Input(2) is { } cv)
            {
                c = Floats(cv, floats);
                cShape = cv.Shape;
            }
            var result = new float[m * n];
            for (long i = 0; i < m; i++)
            for (long j = 0; j < n; j++)
            {
                double acc = 0;
                for (long t = 0; t < k; t++)
                {
                    double av0 = ta ? a[t * m + i] : a[i * k + t];
                    double bv0 = tb ? b[j * k + t] : b[t * n + j];
                    acc += av0 * bv0;
                }
                acc *= alpha;
                if (c is not null) acc += beta * c[BroadcastIndex(cShape, i, j)];
                result[i * n + j] = (float)acc;
            }
            return Activate(node, result);
        }

        private static long BroadcastIndex(long[] shape, long i, long j)
        {
            switch (shape.Length)
            {
                case 0: return 0;
                case 1: return shape[0] == 1 ? 0 : j;
                default: return (shape[0] == 1 ? 0 : i) * shape[1] + (shape[1] == 1 ? 0 : j);
            }
        }

        private static float[] MatMul(Node node, Dictionary<Value, float[]> floats)
        {
            var av = node.Inputs[0]!;
            var bv = node.Inputs[1]!;
            float[] a = Floats(av, floats), b = Floats(bv, floats);
            long[] a2 = av.Rank == 1 ? new[] { 1L, av.Shape[0] } : av.Shape;
            long[] b2 = bv.Rank == 1 ? new[] { bv.Shape[0], 1L } : bv.Shape;
            long m = a2[a2.Length - 2], k = a2[a2.Length - 1], n = b2[b2.Length - 1];
            long[] aBatch = Prefix(a2), bBatch = Prefix(b2);
            long[] batch = Shape.Broadcast(aBatch, bBatch)!;
            long batches = Shape.ElementCount(batch);
            var result = new float[batches * m * n];
            var index = new long[batch.Length];
            for (long t = 0; t < batches; t++)
            {
                long rest = t;
                for (int i = batch.Length - 1; i >= 0; i--)
                {
                    index[i] = rest % batch[i];
                    rest /= batch[i];
                }
                long aOff = BatchOffset(aBatch, index) * m * k, bOff = BatchOffset(bBatch, index) * k * n;
                for (long i = 0; i < m; i++)
                for (long j = 0; j < n; j++)
                {
                    double acc = 0;
                    for (long q = 0; q < k; q++) acc += (double)a[aOff + i * k + q] * b[bOff + q * n + j];
                    result[(t * m + i) * n + j] = (float)acc;
                }
            }
            return Activate(node, result);
        }

        private static long[] Prefix(long[] shape)
        {
            var p = new long[shape.Length - 2];
            Array.Copy(shape, p, p.Length);
            return p;
        }

        /// <summary>Row-major offset of a broadcast batch index into an operand's own batch dimensions.</summary>
        private static long BatchOffset(long[] own, long[] index)
        {
            long offset = 0;
            int shift = index.Length - own.Length;
            for (int i = 0; i < own.Length; i++) offset = offset * own[i] + (own[i] == 1 ? 0 : index[i + shift]);
            return offset;
        }

        private static float[] Pool(Node node, Dictionary<Value, float[]> floats)
        {
            var xv = node.Inputs[0]!;
            float[] x = Floats(xv, floats);
            var a = node.Attributes;
            long[] k = a.GetInts("kernel_shape")!, s = a.GetInts("strides")!, d = a.GetInts("dilations")!, p = a.GetInts("pads")!;
            bool max = node.OpType == "MaxPool";
            bool includePad = a.GetInt("count_include_pad", 0) != 0;
            var y = node.Outputs[0];
            long planes = xv.Shape[0] * xv.Shape[1];
            var (ih, iw) = Spatial(xv.Shape);
            var (oh, ow) = Spatial(y.Shape);
            var result = new float[y.ElementCount];
            for (long pl = 0; pl < planes; pl++)
            for (long oy = 0; oy < oh; oy++)
            for (long ox = 0; ox < ow; ox++)
            {
                double acc = max ? double.NegativeInfinity : 0;
                long count = 0;
                for (long ky = 0; ky < k[0]; ky++)
                {
                    long iy = oy * s[0] - p[0] + ky * d[0];
                    for (long kx = 0; kx < k[1]; kx++)
                    {
                        long ix = ox * s[1] - p[1] + kx * d[1];
                        bool inside = iy >= 0 && iy < ih && ix >= 0 && ix < iw;
                        if (!inside)
                        {
                            // Padding counts for the average only inside the padded extent.
                            if (includePad && iy >= -p[0] && iy < ih + p[2] && ix >= -p[1] && ix < iw + p[3]) count++;
                            continue;
                        }
                        double v = x[(pl * ih + iy) * iw + ix];
                        if (max) acc = Math.Max(acc, v);
                        else acc += v;
                        count++;
                    }
                }
                result[(pl * oh + oy) * ow + ox] = (float)(max ? acc : acc / Math.Max(1, count));
            }
            return result;
        }

        private static float[] GlobalPool(Node node, Dictionary<Value, float[]> floats)
        {
            var xv = node.Inputs[0]!;
            float[] x = Floats(xv, floats);
            long planes = xv.Shape[0] * xv.Shape[1];
            long size = xv.ElementCount / Math.Max(1, planes);
            bool max = node.OpType == "GlobalMaxPool";
            var result = new float[planes];
            for (long pl = 0; pl < planes; pl++)
            {
                double acc = max ? double.NegativeInfinity : 0;
                for (long i = 0; i < size; i++)
                {
                    double v = x[pl * size + i];
                    acc = max ? Math.Max(acc, v) : acc + v;
                }
                result[pl] = (float)(max ? acc : acc / size);
            }
            return result;
        }

        private static float[] BatchNorm(Node node, Dictionary<Value, float[]> floats)
        {
            var xv = node.Inputs[0]!;
            float[] x = Floats(xv, floats);
            var (scale, shift) = BatchNormOperator.Coefficients(node);
            long channels = xv.Shape[1];
            long inner = xv.ElementCount / (xv.Shape[0] * channels);
            var result = new float[x.Length];
            for (long i = 0; i < x.Length; i++)
            {
                long ch = i / inner % channels;
                result[i] = x[i] * scale[ch] + shift[ch];
            }
            return result;
        }

        /// <summary>Applies an activation a pass has already fused (not the case before fusion, but cheap to honour).</summary>
        private static float[] Activate(Node node, float[] values)
        {
            string activation = node.Attributes.GetString("activation", "");
            if (activation.Length == 0) return values;
            float min = node.Attributes.GetFloat("activation_min", float.NegativeInfinity);
            float max = node.Attributes.GetFloat("activation_max", float.PositiveInfinity);
            for (int i = 0; i < values.Length; i++)
            {
                float v = values[i];
                values[i] = activation switch
                {
                    "Clip" => Math.Min(Math.Max(v, min), max),
                    "Sigmoid" => (float)(1 / (1 + Math.Exp(-v))),
                    "Tanh" => (float)Math.Tanh(v),
                    _ => v,
                };
            }
            return values;
        }
    }
}
