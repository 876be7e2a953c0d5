using System;
using System.Linq;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Tests.Ops;

namespace EdgeAot.Tests.Differential
{
    /// <summary>
    /// Scalar reference kernels for the lowered integer nodes, written plainly from the lowered
    /// constants (zero points, int8 weights, int32 bias, multipliers and shifts; for the
    /// run-time-parameter kernels the scales fed at run time through the build-time
    /// <see cref="Requantization.FromScale"/>). The generated kernels must match them bit for bit.
    /// </summary>
    internal static class ScalarReference
    {
        public static long[] Run(ModelPlan plan, NodePlan node, Func<int, Array> graphInput)
        {
            var r = new Reader(plan, node, graphInput);
            return node.OpType switch
            {
                "QLinearConv" or "ConvInteger" or RuntimeQuantizedOperator.Conv or RuntimeQuantizedOperator.ConvInteger => Conv(r),
                "QLinearMatMul" or "MatMulInteger" => MatMul(r),
                RuntimeQuantizedOperator.MatMul or RuntimeQuantizedOperator.MatMulInteger => RuntimeMatMul(r),
                "QLinearAdd" or "QLinearMul" => Binary(r),
                "QLinearAveragePool" => Pool(r),
                "QLinearGlobalAveragePool" => GlobalPool(r),
                _ => throw new NotSupportedException("no scalar reference for " + node.OpType),
            };
        }

        private sealed class Reader
        {
            private readonly Func<int, Array> _graphInput;

            public Reader(ModelPlan plan, NodePlan node, Func<int, Array> graphInput)
            {
                Plan = plan;
                Node = node;
                _graphInput = graphInput;
            }

            public ModelPlan Plan { get; }
            public NodePlan Node { get; }

            public bool Has(int input) => Node.Input(input) >= 0;

            public long[] Shape(int input) => Plan.Tensor(Node.Input(input)).Shape.ToArray();

            public long[] OutputShape => Plan.Tensor(Node.Outputs[0]).Shape.ToArray();

            public (long Min, long Max) OutputRange => Plan.Tensor(Node.Outputs[0]).Type == DataType.Int8 ? (-128, 127) : (0, 255);

            public long[] Ints(int input)
            {
                var t = Plan.Tensor(Node.Input(input));
                if (t.Storage != TensorStorage.Weight)
                {
                    return QuantizedOpDifferentialTests.ToLongs(_graphInput(t.Id));
                }
                byte[] data = t.Data.ToArray();
                return t.Type switch
                {
                    DataType.Int8 => data.Select(v => (long)(sbyte)v).ToArray(),
                    DataType.UInt8 => data.Select(v => (long)v).ToArray(),
                    DataType.Int32 => Enumerable.Range(0, data.Length / 4).Select(i => (long)BitConverter.ToInt32(data, i * 4)).ToArray(),
                    _ => throw new InvalidOperationException(t.Type.ToString()),
                };
            }

            public double[] Floats(int input)
            {
                var t = Plan.Tensor(Node.Input(input));
                if (t.Storage != TensorStorage.Weight) return ((float[])_graphInput(t.Id)).Select(v => (double)v).ToArray();
                byte[] data = t.Data.ToArray();
                return Enumerable.Range(0, data.Length / 4).Select(i => (double)BitConverter.ToSingle(data, i * 4)).ToArray();
            }

            public long Scalar(int input, long absent) => Has(input) ? Ints(input)[0] : absent;
        }

        private static long Clamp(long v, long lo, long hi) => Math.Max(lo, Math.Min(hi, v));

        private static long[] Conv(Reader r)
        {
            var node = r.Node;
            bool runtime = node.OpType is RuntimeQuantizedOperator.Conv or RuntimeQuantizedOperator.ConvInteger;
            bool requantize = node.OpType is "QLinearConv" or RuntimeQuantizedOperator.Conv;
            long[] x = r.Ints(0), w = r.Ints(1);
            int biasInput = runtime ? 8 : 2;
            long[]? bias = r.Has(biasInput) ? r.Ints(biasInput) : null;
            long xZero = runtime ? r.Scalar(2, 0) : node.GetInt("x_zero_point", 0);
            long[] wZero = runtime ? (r.Has(3) ? r.Ints(3) : new long[] { 0 }) : node.GetInts("w_zero_points");
            long[] xs = r.Shape(0), ws = r.Shape(1), ys = r.OutputShape;
            long[] k = node.GetInts("kernel_shape"), s = node.GetInts("strides"), p = node.GetInts("pads"), d = node.GetInts("dilations");
            long n = xs[0], c = xs[1], inH = xs.Length == 4 ? xs[2] : 1, inW = xs[xs.Length - 1];
            long m = ws[0], outH = ys.Length == 4 ? ys[2] : 1, outW = ys[ys.Length - 1], group = node.GetInt("group", 1);
            long cg = c / group, mg = m / group;

            var multipliers = new long[m];
            var shifts = new int[m];
            long yZero = 0, lo = 0, hi = 0;
            if (requantize)
            {
                if (runtime)
                {
                    double xScale = r.Floats(4)[0], yScale = r.Floats(6)[0];
                    double[] wScale = r.Floats(5);
                    for (int i = 0; i < m; i++)
                        (multipliers[i], shifts[i]) = Requantization.FromScale(xScale * wScale[wScale.Length == 1 ? 0 : i] / yScale, node.GetInt("accumulator_bound", 0));
                    yZero = r.Scalar(7, 0);
                    (lo, hi) = r.OutputRange;
                }
                else
                {
                    long[] mm = node.GetInts("multipliers"), ss = node.GetInts("shifts");
                    for (int i = 0; i < m; i++)
                    {
                        multipliers[i] = mm[mm.Length == 1 ? 0 : i];
                        shifts[i] = (int)ss[ss.Length == 1 ? 0 : i];
                    }
                    yZero = node.GetInt("y_zero_point", 0);
                    lo = node.GetInt("output_min", 0);
                    hi = node.GetInt("output_max", 0);
                }
            }

            var y = new long[n * m * outH * outW];
            for (long b = 0; b < n; b++)
            for (long f = 0; f < m; f++)
            for (long oh = 0; oh < outH; oh++)
            for (long ow = 0; ow < outW; ow++)
            {
                long acc = bias?[f] ?? 0;
                long g = f / mg;
                for (long ci = 0; ci < cg; ci++)
                for (long kh = 0; kh < k[0]; kh++)
                for (long kw = 0; kw < k[1]; kw++)
                {
                    long ih = oh * s[0] - p[0] + kh * d[0], iw = ow * s[1] - p[1] + kw * d[1];
                    if (ih < 0 || ih >= inH || iw < 0 || iw >= inW) continue;
                    long xv = x[((b * c + g * cg + ci) * inH + ih) * inW + iw];
                    long wv = w[((f * cg + ci) * k[0] + kh) * k[1] + kw];
                    acc += (xv - xZero) * (wv - wZero[wZero.Length == 1 ? 0 : f]);
                }
                long index = ((b * m + f) * outH + oh) * outW + ow;
                y[index] = requantize ? Clamp(Requantization.Apply(acc, multipliers[f], shifts[f]) + yZero, lo, hi) : (int)acc;
            }
            return y;
        }

        private static long[] MatMul(Reader r)
        {
            var node = r.Node;
            bool requantize = node.OpType == "QLinearMatMul";
            long[] a = r.Ints(0), b = r.Ints(1);
            long[]? bias = r.Has(2) ? r.Ints(2) : null;
            long[] bs = r.Shape(1);
            bool transB = node.GetInt("transB", 0) != 0;
            long n = transB ? bs[0] : bs[1], k = transB ? bs[1] : bs[0], rows = a.Length / k;
            long aZero = node.GetInt("a_zero_point", 0);
            long[] bZero = node.GetInts("b_zero_points"), mm = node.GetInts("multipliers"), ss = node.GetInts("shifts");
            var y = new long[rows * n];
            for (long i = 0; i < rows; i++)
            for (long j = 0; j < n; j++)
            {
                long acc = bias?[j] ?? 0;
                for (long t = 0; t < k; t++)
                    acc += (a[i * k + t] - aZero) * (b[transB ? j * k + t : t * n + j] - bZero[bZero.Length == 1 ? 0 : j]);
                int ch = mm.Length == 1 ? 0 : (int)j;
                y[i * n + j] = requantize
                    ? Clamp(Requantization.Apply(acc, mm[ch], (int)ss[ch]) + node.GetInt("y_zero_point", 0), node.GetInt("output_min", 0), node.GetInt("output_max", 0))
                    : (int)acc;
            }
            return y;
        }

        /// <summary>numpy matmul with broadcast batch dimensions, per-row A and per-column B zero points, scales read at run time.</summary>
        private static long[] RuntimeMatMul(Reader r)
        {
            var node = r.Node;
            bool requantize = node.OpType == RuntimeQuantizedOperator.MatMul;
            long[] a = r.Ints(0), b = r.Ints(1), aShape = r.Shape(0), bShape = r.Shape(1), yShape = r.OutputShape;
            long m = aShape[aShape.Length - 2], k = aShape[aShape.Length - 1], n = bShape[bShape.Length - 1];
            long[] aZero = r.Has(2) ? r.Ints(2) : new long[] { 0 }, bZero = r.Has(3) ? r.Ints(3) : new long[] { 0 };
            long[] yBatch = yShape.Take(yShape.Length - 2).ToArray(), aBatch = aShape.Take(aShape.Length - 2).ToArray(), bBatch = bShape.Take(bShape.Length - 2).ToArray();
            long batches = EdgeAot.Compiler.Ir.Shape.ElementCount(yBatch);
            var y = new long[batches * m * n];
            for (long bi = 0; bi < batches; bi++)
            {
                long aBase = OpData.SourceIndex(bi, yBatch, aBatch) * m * k, bBase = OpData.SourceIndex(bi, yBatch, bBatch) * k * n;
                for (long i = 0; i < m; i++)
                for (long j = 0; j < n; j++)
                {
                    long acc = 0;
                    for (long t = 0; t < k; t++)
                        acc += (a[aBase + i * k + t] - aZero[aZero.Length == 1 ? 0 : i]) * (b[bBase + t * n + j] - bZero[bZero.Length == 1 ? 0 : j]);
                    long index = (bi * m + i) * n + j;
                    if (!requantize)
                    {
                        y[index] = (int)acc;
                        continue;
                    }
                    double[] bScale = r.Floats(5);
                    var (multiplier, shift) = Requantization.FromScale(r.Floats(4)[0] * bScale[bScale.Length == 1 ? 0 : j] / r.Floats(6)[0], node.GetInt("accumulator_bound", 0));
                    var (lo, hi) = r.OutputRange;
                    y[index] = Clamp(Requantization.Apply(acc, multiplier, shift) + r.Scalar(7, 0), lo, hi);
                }
            }
            return y;
        }

        private static long[] Binary(Reader r)
        {
            var node = r.Node;
            long[] a = r.Ints(0), b = r.Ints(1);
            long[] outShape = r.OutputShape, aShape = r.Shape(0), bShape = r.Shape(1);
            long aZero = node.GetInt("a_zero_point", 0), bZero = node.GetInt("b_zero_point", 0), yZero = node.GetInt("y_zero_point", 0);
            int shift = (int)node.GetInt("shift", 0);
            var y = new long[EdgeAot.Compiler.Ir.Shape.ElementCount(outShape)];
            for (long i = 0; i < y.Length; i++)
            {
                long av = a[OpData.SourceIndex(i, outShape, aShape)] - aZero, bv = b[OpData.SourceIndex(i, outShape, bShape)] - bZero;
                long q = node.OpType == "QLinearAdd"
                    ? Requantization.Apply(av * node.GetInt("multiplier_a", 0) + bv * node.GetInt("multiplier_b", 0), 1, shift)
                    : Requantization.Apply(av * bv, node.GetInt("multiplier", 0), shift);
                y[i] = Clamp(q + yZero, node.GetInt("output_min", 0), node.GetInt("output_max", 0));
            }
            return y;
        }

        private static long[] Pool(Reader r)
        {
            var node = r.Node;
            long[] x = r.Ints(0), xs = r.Shape(0), ys = r.OutputShape;
            long[] k = node.GetInts("kernel_shape"), s = node.GetInts("strides"), p = node.GetInts("pads"), d = node.GetInts("dilations");
            long[] mm = node.GetInts("multipliers"), ss = node.GetInts("shifts");
            bool includePad = node.GetInt("count_include_pad", 0) != 0;
            long planes = xs[0] * xs[1], inH = xs.Length == 4 ? xs[2] : 1, inW = xs[xs.Length - 1];
            long outH = ys.Length == 4 ? ys[2] : 1, outW = ys[ys.Length - 1];
            long xZero = node.GetInt("x_zero_point", 0), yZero = node.GetInt("y_zero_point", 0);
            var (lo, hi) = r.OutputRange;
            var y = new long[planes * outH * outW];
            for (long pl = 0; pl < planes; pl++)
            for (long oh = 0; oh < outH; oh++)
            for (long ow = 0; ow < outW; ow++)
            {
                long sum = 0, count = 0;
                for (long kh = 0; kh < k[0]; kh++)
                for (long kw = 0; kw < k[1]; kw++)
                {
                    long ih = oh * s[0] - p[0] + kh * d[0], iw = ow * s[1] - p[1] + kw * d[1];
                    bool inside = ih >= 0 && ih < inH && iw >= 0 && iw < inW;
                    bool inPadded = ih >= -p[0] && ih < inH + p[2] && iw >= -p[1] && iw < inW + p[3];
                    if (inside) sum += x[(pl * inH + ih) * inW + iw] - xZero;
                    if (includePad ? inPadded : inside) count++;
                }
                long q = count == 0 ? 0 : Requantization.Apply(sum, mm[count], (int)ss[count]);
                y[(pl * outH + oh) * outW + ow] = Clamp(q + yZero, lo, hi);
            }
            return y;
        }

        private static long[] GlobalPool(Reader r)
        {
            var node = r.Node;
            long[] x = r.Ints(0), xs = r.Shape(0);
            long planes = xs[0] * xs[1], size = x.Length / planes;
            long xZero = node.GetInt("x_zero_point", 0), yZero = node.GetInt("y_zero_point", 0);
            long m = node.GetInts("multipliers")[0];
            int shift = (int)node.GetInts("shifts")[0];
            var (lo, hi) = r.OutputRange;
            var y = new long[planes];
            for (long pl = 0; pl < planes; pl++)
            {
                long sum = 0;
                for (long i = 0; i < size; i++) sum += x[pl * size + i] - xZero;
                y[pl] = Clamp(Requantization.Apply(sum, m, shift) + yZero, lo, hi);
            }
            return y;
        }
    }
}
