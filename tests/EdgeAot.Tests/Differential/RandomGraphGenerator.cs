using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;

namespace EdgeAot.Tests.Differential
{
    /// <summary>One generated graph: the ONNX bytes, its inputs with seeded data, and a readable description.</summary>
    internal sealed class RandomGraph
    {
        public RandomGraph(long seed, int opset, byte[] bytes, List<GraphInput> inputs, List<(string Name, long[] Shape)> outputs, List<string> ops, List<string> steps)
        {
            Seed = seed;
            Opset = opset;
            Bytes = bytes;
            Inputs = inputs;
            Outputs = outputs;
            Ops = ops;
            Steps = steps;
        }

        public long Seed { get; }
        public int Opset { get; }
        public byte[] Bytes { get; }
        public List<GraphInput> Inputs { get; }

        /// <summary>Graph outputs in order: sometimes intermediate values too (they must survive fusion), the last value last.</summary>
        public List<(string Name, long[] Shape)> Outputs { get; }
        public List<string> Ops { get; }

        /// <summary>Each node with its attributes and the shape the generator expects it to produce.</summary>
        public List<string> Steps { get; }

        public string OpList => string.Join(" -> ", Ops);

        public string Describe()
            => "opset " + Opset + "; inputs " + string.Join(", ", Inputs.Select(i => i.Name + RandomGraphGenerator.Fmt(i.Shape)))
               + "; outputs " + string.Join(", ", Outputs.Select(o => o.Name))
               + "\n    " + string.Join("\n    ", Steps);
    }

    internal sealed class GraphInput
    {
        public GraphInput(string name, long[] shape, float[] data)
        {
            Name = name;
            Shape = shape;
            Data = data;
        }

        public string Name { get; }
        public long[] Shape { get; }
        public float[] Data { get; }
    }

    /// <summary>
    /// Generates random, valid float32 ONNX graphs (chains of 1–6 nodes) from the ops EdgeAot
    /// supports, at opsets 13–18. Shapes are tracked here so every graph is valid; a graph that
    /// EdgeAot or ONNX Runtime refuses is a bug in this generator. Everything derives from the seed.
    /// </summary>
    internal sealed class RandomGraphGenerator
    {
        private const int MaxRank = 5;
        private const long MaxElements = 4096;

        private readonly Random _r;
        private readonly OnnxModelBuilder _b;
        private readonly int _opset;
        private readonly List<GraphInput> _inputs = new();
        private readonly List<string> _ops = new();
        private readonly List<string> _steps = new();
        private string _cur = "x";
        private long[] _shape = Array.Empty<long>();
        private int _names;
        private bool _last;

        /// <summary>Every value computed so far (for residual connections and extra outputs).</summary>
        private readonly List<(string Name, long[] Shape)> _values = new();
        private readonly List<(string Name, long[] Shape)> _outputs = new();

        private RandomGraphGenerator(long seed)
        {
            // Random(int) is stable across .NET versions; fold the 64-bit seed into it.
            _r = new Random(unchecked((int)(seed ^ (seed >> 32)) * 16777619 + 7));
            _opset = 13 + _r.Next(6);
            _b = new OnnxModelBuilder("g" + seed.ToString(CultureInfo.InvariantCulture), _opset);
        }

        public static RandomGraph Generate(long seed)
        {
            var g = new RandomGraphGenerator(seed);
            return g.Build(seed);
        }

        private RandomGraph Build(long seed)
        {
            _shape = RandomInputShape();
            _cur = AddInput(_shape, nonZero: false);
            int nodes = 1 + _r.Next(6);
            for (int i = 0; i < nodes; i++)
            {
                _last = i == nodes - 1;
                Step();
                _values.Add((_cur, _shape));
                // An intermediate that is also a graph output keeps its own buffer and cannot be fused away.
                if (!_last && Chance(0.15))
                {
                    _outputs.Add((_cur, _shape));
                    _steps[_steps.Count - 1] += " (also a graph output)";
                }
            }
            _outputs.Add((_cur, _shape));
            foreach (var (name, shape) in _outputs) _b.Output(name, DataType.Float32, shape);
            return new RandomGraph(seed, _opset, _b.ToBytes(), _inputs, _outputs, _ops, _steps);
        }

        // ---- helpers ----

        internal static string Fmt(long[] shape) => "[" + string.Join(",", shape) + "]";

        private static long Count(long[] shape)
        {
            long n = 1;
            foreach (long d in shape) n *= d;
            return n;
        }

        private int Pick(params int[] options) => options[_r.Next(options.Length)];

        private bool Chance(double p) => _r.NextDouble() < p;

        private float Uniform(double lo, double hi) => (float)(lo + _r.NextDouble() * (hi - lo));

        private float[] RandomFloats(long count, double scale)
        {
            var a = new float[count];
            for (int i = 0; i < a.Length; i++) a[i] = (float)((_r.NextDouble() * 2 - 1) * scale);
            return a;
        }

        /// <summary>Values with magnitude in [0.5, 2] and a random sign (safe divisors).</summary>
        private float[] NonZeroFloats(long count)
        {
            var a = new float[count];
            for (int i = 0; i < a.Length; i++) a[i] = Uniform(0.5, 2) * (Chance(0.5) ? -1 : 1);
            return a;
        }

        private string Weights(long[] shape, double scale) => _b.Initializer(NewName("w"), shape, RandomFloats(Count(shape), scale));

        private string Longs(params long[] values) => _b.Initializer(NewName("s"), new long[] { values.Length }, values);

        private string NewName(string prefix) => prefix + (_names++).ToString(CultureInfo.InvariantCulture);

        private string AddInput(long[] shape, bool nonZero)
        {
            string name = _inputs.Count == 0 ? "x" : "x" + _inputs.Count.ToString(CultureInfo.InvariantCulture);
            var data = nonZero ? NonZeroFloats(Count(shape)) : RandomFloats(Count(shape), 2);
            _inputs.Add(new GraphInput(name, shape, data));
            _b.Input(name, DataType.Float32, shape);
            return name;
        }

        /// <summary>A second operand: a constant initializer or (sometimes) another graph input.</summary>
        private (string Name, string Kind) Operand(long[] shape, bool nonZero, double scale = 1)
        {
            if (Chance(0.35))
                return (AddInput(shape, nonZero), "input");
            string name = nonZero ? _b.Initializer(NewName("c"), shape, NonZeroFloats(Count(shape))) : Weights(shape, scale);
            return (name, "const");
        }

        private long[] RandomInputShape()
        {
            double p = _r.NextDouble();
            if (p < 0.5) return new long[] { Pick(1, 1, 2), 1 + _r.Next(6), 3 + _r.Next(7), 3 + _r.Next(7) };
            if (p < 0.65) return new long[] { Pick(1, 2), 1 + _r.Next(6), 3 + _r.Next(10) };
            if (p < 0.85) return new long[] { 1 + _r.Next(6), 1 + _r.Next(8) };
            int rank = 1 + _r.Next(5);
            var s = new long[rank];
            for (int i = 0; i < rank; i++) s[i] = 1 + _r.Next(4);
            return s;
        }

        private void Record(string op, string details)
        {
            _ops.Add(op);
            _steps.Add(op + "(" + details + ") -> " + Fmt(_shape));
        }

        // ---- ops ----

        private void Step()
        {
            var candidates = new List<Func<bool>>();
            int rank = _shape.Length;
            if (rank is 3 or 4)
            {
                candidates.Add(Conv);
                candidates.Add(Conv);
                candidates.Add(Pool);
                candidates.Add(Pool);
                candidates.Add(GlobalAveragePool);
            }
            if (rank >= 2) candidates.Add(BatchNorm);
            if (rank == 2)
            {
                candidates.Add(Gemm);
                candidates.Add(Gemm);
            }
            candidates.Add(MatMul);
            candidates.Add(Binary);
            candidates.Add(Binary);
            candidates.Add(Activation);
            candidates.Add(Softmax);
            candidates.Add(Reshape);
            candidates.Add(Flatten);
            candidates.Add(Transpose);
            candidates.Add(Concat);
            candidates.Add(Squeeze);
            candidates.Add(Unsqueeze);
            // An op may decline (e.g. the result would be too large); try others.
            for (int attempt = 0; attempt < 20; attempt++)
            {
                if (candidates[_r.Next(candidates.Count)]()) return;
            }
            Activation();
        }

        private bool Conv()
        {
            long n = _shape[0], c = _shape[1];
            int spatial = _shape.Length - 2;
            var divisors = Enumerable.Range(1, (int)c).Where(d => c % d == 0).ToArray();
            long group = Chance(0.4) ? 1 : Chance(0.5) ? c : divisors[_r.Next(divisors.Length)];
            long filters = group * (1 + _r.Next(group == c ? 2 : 3));
            var kernel = new long[spatial];
            var strides = new long[spatial];
            var dilations = new long[spatial];
            var pads = new long[2 * spatial];
            var outSpatial = new long[spatial];
            string autoPad = Chance(0.15) ? (new[] { "SAME_UPPER", "SAME_LOWER", "VALID" })[_r.Next(3)] : "NOTSET";
            for (int i = 0; i < spatial; i++)
            {
                long len = _shape[i + 2];
                kernel[i] = 1 + _r.Next(4);
                // ONNX Runtime refuses dilations with SAME_UPPER/SAME_LOWER ("Dilation not supported for AutoPadType").
                dilations[i] = autoPad is not ("SAME_UPPER" or "SAME_LOWER") && Chance(0.25) ? 2 : 1;
                strides[i] = Chance(0.6) ? 1 : 1 + _r.Next(3);
                if (autoPad == "NOTSET")
                {
                    pads[i] = _r.Next(3);
                    pads[i + spatial] = _r.Next(3);
                }
                long padded = autoPad == "NOTSET" ? len + pads[i] + pads[i + spatial] : len;
                if ((kernel[i] - 1) * dilations[i] + 1 > padded) dilations[i] = 1;
                if (kernel[i] > padded) kernel[i] = padded;
                long extent = (kernel[i] - 1) * dilations[i] + 1;
                outSpatial[i] = autoPad is "SAME_UPPER" or "SAME_LOWER" ? (len + strides[i] - 1) / strides[i] : (padded - extent) / strides[i] + 1;
            }
            var outShape = new List<long> { n, filters };
            outShape.AddRange(outSpatial);
            if (Count(outShape.ToArray()) > MaxElements) return false;

            var wShape = new List<long> { filters, c / group };
            wShape.AddRange(kernel);
            double fanIn = c / group * Count(kernel);
            string w = Weights(wShape.ToArray(), 1.5 / Math.Sqrt(fanIn));
            bool bias = Chance(0.6);
            var inputs = new List<string?> { _cur, w };
            if (bias) inputs.Add(Weights(new[] { filters }, 0.5));
            var attrs = new List<OnnxAttribute>();
            if (group != 1 || Chance(0.3)) attrs.Add(OnnxAttribute.Int("group", group));
            bool kernelAttr = Chance(0.5);
            if (kernelAttr) attrs.Add(OnnxAttribute.Ints("kernel_shape", kernel));
            bool stridesAttr = strides.Any(s => s != 1) || Chance(0.3);
            if (stridesAttr) attrs.Add(OnnxAttribute.Ints("strides", strides));
            bool dilationsAttr = dilations.Any(d => d != 1) || Chance(0.3);
            if (dilationsAttr) attrs.Add(OnnxAttribute.Ints("dilations", dilations));
            if (autoPad != "NOTSET") attrs.Add(OnnxAttribute.String("auto_pad", autoPad));
            else if (pads.Any(p => p != 0) || Chance(0.3)) attrs.Add(OnnxAttribute.Ints("pads", pads));

            _cur = _b.Node("Conv", inputs.ToArray(), attrs.ToArray());
            _shape = outShape.ToArray();
            Record("Conv", "W " + Fmt(wShape.ToArray()) + (bias ? " +bias" : "") + " group=" + group + " kernel=" + Fmt(kernel)
                + " strides=" + Fmt(strides) + " dilations=" + Fmt(dilations) + (autoPad != "NOTSET" ? " auto_pad=" + autoPad : " pads=" + Fmt(pads)));
            return true;
        }

        private bool Pool()
        {
            bool max = Chance(0.5);
            int spatial = _shape.Length - 2;
            var kernel = new long[spatial];
            var strides = new long[spatial];
            var dilations = new long[spatial];
            var pads = new long[2 * spatial];
            bool ceil = Chance(0.35);
            bool includePad = !max && Chance(0.5);
            var outSpatial = new long[spatial];
            for (int i = 0; i < spatial; i++)
            {
                long len = _shape[i + 2];
                kernel[i] = 1 + _r.Next((int)Math.Min(len, 4));
                // AveragePool has dilations only from opset 19.
                dilations[i] = max && Chance(0.25) ? 2 : 1;
                strides[i] = 1 + _r.Next(3);
                // ONNX Runtime requires each pad to be smaller than the kernel.
                pads[i] = _r.Next((int)kernel[i]);
                pads[i + spatial] = _r.Next((int)kernel[i]);
                long extent = (kernel[i] - 1) * dilations[i] + 1;
                long padded = len + pads[i] + pads[i + spatial];
                if (extent > padded)
                {
                    dilations[i] = 1;
                    extent = kernel[i];
                }
                long span = padded - extent;
                long o = (ceil ? (span + strides[i] - 1) / strides[i] : span / strides[i]) + 1;
                if (ceil && (o - 1) * strides[i] >= len + pads[i])
                {
                    // The last window would start in the end padding, so it is dropped (ONNX Runtime's
                    // kernels and EdgeAot agree). ONNX's shape inference in ORT 1.31.1 keeps it and then
                    // refuses shape-sensitive nodes downstream, so this case is generated only when the
                    // pool is the graph's last node (ORT then merges the declared output shape leniently).
                    if (!_last) return false;
                    o--;
                }
                outSpatial[i] = o;
            }
            var attrs = new List<OnnxAttribute> { OnnxAttribute.Ints("kernel_shape", kernel) };
            if (strides.Any(s => s != 1) || Chance(0.3)) attrs.Add(OnnxAttribute.Ints("strides", strides));
            if (pads.Any(p => p != 0) || Chance(0.3)) attrs.Add(OnnxAttribute.Ints("pads", pads));
            if (dilations.Any(d => d != 1)) attrs.Add(OnnxAttribute.Ints("dilations", dilations));
            if (ceil || Chance(0.2)) attrs.Add(OnnxAttribute.Int("ceil_mode", ceil ? 1 : 0));
            if (includePad || (!max && Chance(0.2))) attrs.Add(OnnxAttribute.Int("count_include_pad", includePad ? 1 : 0));
            string op = max ? "MaxPool" : "AveragePool";
            _cur = _b.Node(op, new[] { _cur }, attrs.ToArray());
            var outShape = new List<long> { _shape[0], _shape[1] };
            outShape.AddRange(outSpatial);
            _shape = outShape.ToArray();
            Record(op, "kernel=" + Fmt(kernel) + " strides=" + Fmt(strides) + " pads=" + Fmt(pads) + (max ? " dilations=" + Fmt(dilations) : "")
                + " ceil_mode=" + (ceil ? 1 : 0) + (max ? "" : " count_include_pad=" + (includePad ? 1 : 0)));
            return true;
        }

        private bool GlobalAveragePool()
        {
            _cur = _b.Node("GlobalAveragePool", new[] { _cur });
            _shape = _shape.Select((d, i) => i < 2 ? d : 1).ToArray();
            Record("GlobalAveragePool", "");
            return true;
        }

        private bool BatchNorm()
        {
            long c = _shape[1];
            string scale = Weights(new[] { c }, 1.5);
            string bias = Weights(new[] { c }, 1);
            string mean = Weights(new[] { c }, 1);
            string var = _b.Initializer(NewName("v"), new[] { c }, Enumerable.Range(0, (int)c).Select(_ => Uniform(0.2, 2)).ToArray());
            float eps = Chance(0.5) ? 1e-5f : Uniform(1e-5, 1e-2);
            var attrs = new List<OnnxAttribute>();
            if (eps != 1e-5f || Chance(0.3)) attrs.Add(OnnxAttribute.Float("epsilon", eps));
            if (Chance(0.3)) attrs.Add(OnnxAttribute.Float("momentum", 0.9f));
            _cur = _b.Node("BatchNormalization", new[] { _cur, scale, bias, mean, var }, attrs.ToArray());
            Record("BatchNormalization", "C=" + c + " epsilon=" + eps.ToString("R", CultureInfo.InvariantCulture));
            return true;
        }

        private bool Gemm()
        {
            bool transA = Chance(0.4), transB = Chance(0.5);
            bool currentIsB = Chance(0.25);
            long m, k, n;
            long[] aShape, bShape;
            if (!currentIsB)
            {
                aShape = _shape;
                m = transA ? aShape[1] : aShape[0];
                k = transA ? aShape[0] : aShape[1];
                n = 1 + _r.Next(8);
                bShape = transB ? new[] { n, k } : new[] { k, n };
            }
            else
            {
                bShape = _shape;
                k = transB ? bShape[1] : bShape[0];
                n = transB ? bShape[0] : bShape[1];
                m = 1 + _r.Next(6);
                aShape = transA ? new[] { k, m } : new[] { m, k };
            }
            if (m * n > MaxElements) return false;
            string other = Weights(currentIsB ? aShape : bShape, 1.5 / Math.Sqrt(k));
            var inputs = new List<string?> { currentIsB ? other : _cur, currentIsB ? _cur : other };
            long[]? cShape = null;
            switch (_r.Next(7))
            {
                case 0: break;
                case 1: cShape = new[] { n }; break;
                case 2: cShape = new[] { 1, n }; break;
                case 3: cShape = new[] { m, 1 }; break;
                case 4: cShape = new[] { m, n }; break;
                case 5: cShape = new[] { 1L }; break;
                default: cShape = Array.Empty<long>(); break;
            }
            if (cShape is not null) inputs.Add(Weights(cShape, 1));
            var attrs = new List<OnnxAttribute>();
            float alpha = Chance(0.5) ? 1f : Uniform(0.25, 2), beta = Chance(0.5) ? 1f : Uniform(-1, 2);
            if (transA || Chance(0.2)) attrs.Add(OnnxAttribute.Int("transA", transA ? 1 : 0));
            if (transB || Chance(0.2)) attrs.Add(OnnxAttribute.Int("transB", transB ? 1 : 0));
            if (alpha != 1f) attrs.Add(OnnxAttribute.Float("alpha", alpha));
            if (beta != 1f) attrs.Add(OnnxAttribute.Float("beta", beta));
            _cur = _b.Node("Gemm", inputs.ToArray(), attrs.ToArray());
            _shape = new[] { m, n };
            Record("Gemm", "A " + Fmt(aShape) + (currentIsB ? " const" : "") + " B " + Fmt(bShape) + (currentIsB ? "" : " const")
                + " C " + (cShape is null ? "none" : Fmt(cShape)) + " transA=" + (transA ? 1 : 0) + " transB=" + (transB ? 1 : 0)
                + " alpha=" + alpha.ToString("R", CultureInfo.InvariantCulture) + " beta=" + beta.ToString("R", CultureInfo.InvariantCulture));
            return true;
        }

        /// <summary>Batch dimensions that broadcast with <paramref name="batch"/> (dims set to 1, dropped or added in front).</summary>
        private long[] BroadcastBatch(long[] batch, int maxRank)
        {
            var result = new List<long>();
            int keep = batch.Length == 0 ? 0 : _r.Next(batch.Length + 1);
            if (Chance(0.6)) keep = batch.Length;
            for (int i = batch.Length - keep; i < batch.Length; i++) result.Add(Chance(0.3) ? 1 : batch[i]);
            // A dim of 1 in the current operand may meet a larger one here.
            for (int i = 0; i < result.Count; i++)
            {
                if (result[i] == 1 && batch[batch.Length - result.Count + i] == 1 && Chance(0.4)) result[i] = 2 + _r.Next(2);
            }
            if (keep == batch.Length && result.Count < maxRank && Chance(0.2)) result.Insert(0, 1 + _r.Next(3));
            return result.ToArray();
        }

        private static bool Broadcasts(long[] a, long[] b)
        {
            for (int i = 1; i <= Math.Min(a.Length, b.Length); i++)
            {
                long da = a[a.Length - i], db = b[b.Length - i];
                if (da != db && da != 1 && db != 1) return false;
            }
            return Math.Max(a.Length, b.Length) <= MaxRank;
        }

        private static long[] BroadcastShapes(long[] a, long[] b)
        {
            int rank = Math.Max(a.Length, b.Length);
            var r = new long[rank];
            for (int i = 0; i < rank; i++)
            {
                long da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
                long db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
                if (da != db && da != 1 && db != 1) throw new InvalidOperationException("generator: shapes do not broadcast");
                r[i] = Math.Max(da, db);
            }
            return r;
        }

        private bool MatMul()
        {
            int rank = _shape.Length;
            bool currentLeft = rank == 1 || Chance(0.6);
            long[] aShape, bShape;
            if (currentLeft)
            {
                aShape = _shape;
                long k = _shape[rank - 1];
                long nDim = 1 + _r.Next(8);
                if (Chance(0.15)) bShape = new[] { k };
                else
                {
                    long[] batchA = rank >= 2 ? _shape.Take(rank - 2).ToArray() : Array.Empty<long>();
                    var bb = BroadcastBatch(batchA, MaxRank - 2).ToList();
                    bb.Add(k);
                    bb.Add(nDim);
                    bShape = bb.ToArray();
                }
            }
            else
            {
                bShape = _shape;
                long k = _shape[rank - 2];
                long mDim = 1 + _r.Next(6);
                if (Chance(0.15)) aShape = new[] { k };
                else
                {
                    var ab = BroadcastBatch(_shape.Take(rank - 2).ToArray(), MaxRank - 2).ToList();
                    ab.Add(mDim);
                    ab.Add(k);
                    aShape = ab.ToArray();
                }
            }
            long[] a2 = aShape.Length == 1 ? new[] { 1L, aShape[0] } : aShape;
            long[] b2 = bShape.Length == 1 ? new[] { bShape[0], 1L } : bShape;
            var outShape = BroadcastShapes(a2.Take(a2.Length - 2).ToArray(), b2.Take(b2.Length - 2).ToArray()).ToList();
            if (aShape.Length > 1) outShape.Add(a2[a2.Length - 2]);
            if (bShape.Length > 1) outShape.Add(b2[b2.Length - 1]);
            if (outShape.Count == 0 || outShape.Count > MaxRank || Count(outShape.ToArray()) > MaxElements) return false;
            long kk = a2[a2.Length - 1];
            var (other, kind) = Operand(currentLeft ? bShape : aShape, nonZero: false, scale: 1.5 / Math.Sqrt(kk));
            _cur = _b.Node("MatMul", currentLeft ? new[] { _cur, other } : new[] { other, _cur });
            _shape = outShape.ToArray();
            Record("MatMul", "A " + Fmt(aShape) + (currentLeft ? "" : " " + kind) + " B " + Fmt(bShape) + (currentLeft ? " " + kind : ""));
            return true;
        }

        private bool Binary()
        {
            string op = (new[] { "Add", "Sub", "Mul", "Div" })[_r.Next(4)];
            // Residual/branch: combine with an earlier value (not the current one) whose shape broadcasts.
            if (op != "Div" && _values.Count > 1 && Chance(0.4))
            {
                var earlier = _values.Take(_values.Count - 1).Where(v => Broadcasts(v.Shape, _shape)).ToList();
                if (earlier.Count > 0)
                {
                    var (earlierName, earlierShape) = earlier[_r.Next(earlier.Count)];
                    var result = BroadcastShapes(_shape, earlierShape);
                    if (Count(result) <= MaxElements)
                    {
                        bool first = Chance(0.5);
                        _cur = _b.Node(op, first ? new[] { _cur, earlierName } : new[] { earlierName, _cur });
                        _shape = result;
                        Record(op, first ? "x, earlier " + earlierName + " " + Fmt(earlierShape) : "earlier " + earlierName + " " + Fmt(earlierShape) + ", x");
                        return true;
                    }
                }
            }
            var other = new List<long>();
            for (int i = 0; i < _shape.Length; i++)
            {
                long d = _shape[i];
                if (Chance(0.3)) d = 1;
                else if (d == 1 && Chance(0.2)) d = 2 + _r.Next(2);
                other.Add(d);
            }
            if (Chance(0.3)) other.RemoveRange(0, _r.Next(other.Count + 1));
            if (other.Count < MaxRank && other.Count == _shape.Length && Chance(0.15)) other.Insert(0, 1 + _r.Next(3));
            long[] otherShape = other.ToArray();
            long[] outShape = BroadcastShapes(_shape, otherShape);
            if (Count(outShape) > MaxElements) return false;
            // The divisor is always the generated operand, kept away from zero.
            bool divide = op == "Div";
            var (name, kind) = Operand(otherShape, nonZero: divide);
            bool currentFirst = divide || Chance(0.5);
            _cur = _b.Node(op, currentFirst ? new[] { _cur, name } : new[] { name, _cur });
            _shape = outShape;
            Record(op, (currentFirst ? "x, " + kind + " " + Fmt(otherShape) : kind + " " + Fmt(otherShape) + ", x"));
            return true;
        }

        private bool Activation()
        {
            string op = (new[] { "Relu", "Sigmoid", "Tanh", "Clip" })[_r.Next(4)];
            if (op != "Clip")
            {
                _cur = _b.Node(op, new[] { _cur });
                Record(op, "");
                return true;
            }
            int form = _r.Next(4); // 0 both, 1 min only, 2 max only, 3 none
            float min = Uniform(-1.5, 0.2), max = Uniform(0.3, 1.5);
            var inputs = new List<string?> { _cur };
            if (form is 0 or 1) inputs.Add(_b.Initializer(NewName("lo"), Array.Empty<long>(), new[] { min }));
            else if (form == 2) inputs.Add("");
            if (form is 0 or 2) inputs.Add(_b.Initializer(NewName("hi"), Array.Empty<long>(), new[] { max }));
            _cur = _b.Node("Clip", inputs.ToArray());
            Record("Clip", (form is 0 or 1 ? "min=" + min.ToString("R", CultureInfo.InvariantCulture) : "no min")
                + (form is 0 or 2 ? " max=" + max.ToString("R", CultureInfo.InvariantCulture) : " no max"));
            return true;
        }

        private bool Softmax()
        {
            int rank = _shape.Length;
            int axis = _r.Next(-rank, rank);
            bool explicitAxis = axis != -1 || Chance(0.5);
            _cur = explicitAxis ? _b.Node("Softmax", new[] { _cur }, OnnxAttribute.Int("axis", axis)) : _b.Node("Softmax", new[] { _cur });
            Record("Softmax", "axis=" + axis + (explicitAxis ? "" : " (default)"));
            return true;
        }

        private bool Reshape()
        {
            long count = Count(_shape);
            int rank = 1 + _r.Next(MaxRank);
            var target = new long[rank];
            long rest = count;
            for (int i = 0; i < rank - 1; i++)
            {
                var divisors = Enumerable.Range(1, (int)Math.Min(rest, 16)).Where(d => rest % d == 0).ToArray();
                target[i] = divisors[_r.Next(divisors.Length)];
                rest /= target[i];
            }
            target[rank - 1] = rest;
            target = target.OrderBy(_ => _r.Next()).ToArray();
            var spec = (long[])target.Clone();
            for (int i = 0; i < Math.Min(rank, _shape.Length); i++)
            {
                if (spec[i] == _shape[i] && Chance(0.3)) spec[i] = 0;
            }
            if (Chance(0.4)) spec[_r.Next(rank)] = -1;
            _cur = _b.Node("Reshape", new[] { _cur, Longs(spec) });
            _shape = target;
            Record("Reshape", "shape=" + Fmt(spec));
            return true;
        }

        private bool Flatten()
        {
            int rank = _shape.Length;
            int axis = _r.Next(-rank, rank + 1);
            int a = axis < 0 ? axis + rank : axis;
            bool explicitAxis = axis != 1 || Chance(0.5);
            _cur = explicitAxis ? _b.Node("Flatten", new[] { _cur }, OnnxAttribute.Int("axis", axis)) : _b.Node("Flatten", new[] { _cur });
            _shape = new[] { Count(_shape.Take(a).ToArray()), Count(_shape.Skip(a).ToArray()) };
            Record("Flatten", "axis=" + axis);
            return true;
        }

        private bool Transpose()
        {
            int rank = _shape.Length;
            long[] perm;
            bool explicitPerm = Chance(0.85);
            if (explicitPerm) perm = Enumerable.Range(0, rank).Select(i => (long)i).OrderBy(_ => _r.Next()).ToArray();
            else perm = Enumerable.Range(0, rank).Select(i => (long)(rank - 1 - i)).ToArray();
            _cur = explicitPerm ? _b.Node("Transpose", new[] { _cur }, OnnxAttribute.Ints("perm", perm)) : _b.Node("Transpose", new[] { _cur });
            _shape = perm.Select(p => _shape[p]).ToArray();
            Record("Transpose", "perm=" + Fmt(perm) + (explicitPerm ? "" : " (default)"));
            return true;
        }

        private bool Concat()
        {
            int rank = _shape.Length;
            int axis = _r.Next(-rank, rank);
            int a = axis < 0 ? axis + rank : axis;
            var otherShape = (long[])_shape.Clone();
            otherShape[a] = 1 + _r.Next(4);
            bool twice = Chance(0.25);
            var outShape = (long[])_shape.Clone();
            outShape[a] += otherShape[a] + (twice ? _shape[a] : 0);
            if (Count(outShape) > MaxElements) return false;
            var (other, kind) = Operand(otherShape, nonZero: false);
            var inputs = new List<string?>();
            bool otherFirst = Chance(0.5);
            if (otherFirst) inputs.Add(other);
            inputs.Add(_cur);
            if (!otherFirst) inputs.Add(other);
            if (twice) inputs.Add(_cur);
            string order = string.Join(", ", inputs.Select(i => i == _cur ? "x" : kind + " " + Fmt(otherShape)));
            _cur = _b.Node("Concat", inputs.ToArray(), OnnxAttribute.Int("axis", axis));
            _shape = outShape;
            Record("Concat", "axis=" + axis + " inputs " + order);
            return true;
        }

        private bool Squeeze()
        {
            int rank = _shape.Length;
            var ones = Enumerable.Range(0, rank).Where(i => _shape[i] == 1).ToList();
            if (rank < 2 || ones.Count == 0) return false;
            bool allAxes = ones.Count < rank && Chance(0.2);
            List<int> axes;
            if (allAxes) axes = ones;
            else
            {
                axes = ones.Where(_ => Chance(0.5)).ToList();
                if (axes.Count == 0) axes.Add(ones[_r.Next(ones.Count)]);
                if (axes.Count == rank) axes.RemoveAt(0);
            }
            var spec = axes.Select(i => Chance(0.3) ? (long)(i - rank) : i).OrderBy(_ => _r.Next()).ToArray();
            _cur = allAxes ? _b.Node("Squeeze", new[] { _cur }) : _b.Node("Squeeze", new[] { _cur, Longs(spec) });
            _shape = Enumerable.Range(0, rank).Where(i => !axes.Contains(i)).Select(i => _shape[i]).ToArray();
            Record("Squeeze", allAxes ? "all size-1 axes" : "axes=" + Fmt(spec));
            return true;
        }

        private bool Unsqueeze()
        {
            int rank = _shape.Length;
            int add = Math.Min(MaxRank - rank, 1 + _r.Next(2));
            if (add <= 0) return false;
            int outRank = rank + add;
            var axes = Enumerable.Range(0, outRank).OrderBy(_ => _r.Next()).Take(add).ToList();
            var spec = axes.Select(i => Chance(0.3) ? (long)(i - outRank) : i).ToArray();
            var outShape = new long[outRank];
            int src = 0;
            for (int i = 0; i < outRank; i++) outShape[i] = axes.Contains(i) ? 1 : _shape[src++];
            _cur = _b.Node("Unsqueeze", new[] { _cur, Longs(spec) });
            _shape = outShape;
            Record("Unsqueeze", "axes=" + Fmt(spec));
            return true;
        }
    }
}
