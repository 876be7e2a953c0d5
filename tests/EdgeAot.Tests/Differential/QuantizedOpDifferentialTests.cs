using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Tests.Harness;
using EdgeAot.Tests.Ops;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;

namespace EdgeAot.Tests.Differential
{
    /// <summary>
    /// Single-op quantized models on seeded random shapes, types and zero points, checked two ways:
    /// against ONNX Runtime 1.31.1 (which requantizes in float) within ±1 LSB, and bit-exactly
    /// against a scalar reference kernel written here that recomputes the integer kernel from the
    /// plan's lowered constants (zero points, weights, bias, multipliers and shifts). Each case
    /// must lower to exactly one integer node, so the QDQ cases also prove the fusion happened.
    /// Every failure names the case's seed.
    /// </summary>
    public class QuantizedOpDifferentialTests
    {
        private const int CasesPerKind = 12;
        private readonly ITestOutputHelper _output;

        public QuantizedOpDifferentialTests(ITestOutputHelper output) => _output = output;

        private sealed class Case
        {
            public Case(string kind, int seed, int opset)
            {
                Kind = kind;
                Seed = seed;
                Builder = new OnnxModelBuilder("q", opset);
                Builder.Opset("com.microsoft", 1);
            }

            public string Kind { get; }
            public int Seed { get; }
            public OnnxModelBuilder Builder { get; }
            public string Description { get; set; } = "";
            public List<(string Name, Array Data, long[] Shape)> Inputs { get; } = new();
            public ModelPlan? Plan { get; set; }

            /// <summary>Allowed distance from ONNX Runtime: 1 where it requantizes in float, 0 for int32 outputs.</summary>
            public long Tolerance { get; set; } = 1;

            /// <summary>False where ONNX Runtime does not implement the case (per-channel ConvInteger or per-row MatMulInteger zero points): scalar reference only.</summary>
            public bool OrtImplements { get; set; } = true;
            public long[]? Expected { get; set; }

            public override string ToString() => Kind + " seed " + Seed.ToString(CultureInfo.InvariantCulture) + " (" + Description + ")";

            public string Input(string name, DataType type, long[] shape, Array data)
            {
                Builder.Input(name, type, shape);
                Inputs.Add((name, data, shape));
                return name;
            }

            public string Scale(string name, float value) => Builder.Initializer(name, Array.Empty<long>(), new[] { value });

            public string Zero(string name, DataType type, long value) => type == DataType.Int8
                ? Builder.Initializer(name, Array.Empty<long>(), new[] { (sbyte)value })
                : Builder.Initializer(name, Array.Empty<long>(), new[] { (byte)value });
        }

        [Fact]
        public void Quantized_ops_match_onnx_runtime_within_one_lsb_and_the_scalar_reference_exactly()
        {
            var cases = new List<Case>();
            for (int i = 0; i < CasesPerKind; i++)
            {
                cases.Add(QLinearConv(1000 + i));
                cases.Add(QLinearMatMul(2000 + i));
                cases.Add(QdqConv(3000 + i));
                cases.Add(QdqGemm(4000 + i));
                cases.Add(QLinearBinary(5000 + i, add: true));
                cases.Add(QLinearBinary(6000 + i, add: false));
                cases.Add(QLinearPool(7000 + i));
                cases.Add(QdqBinaryOrPool(8000 + i));
            }
            Check(cases);
        }

        /// <summary>
        /// ConvInteger and MatMulInteger (int32 out, so ONNX Runtime must agree exactly) with build-time
        /// and run-time zero points, per-row A zero points, and QLinearMatMul with a batched run-time B.
        /// </summary>
        [Fact]
        public void Integer_ops_with_run_time_parameters_match_onnx_runtime_and_the_scalar_reference_exactly()
        {
            var cases = new List<Case>();
            for (int i = 0; i < CasesPerKind; i++)
            {
                cases.Add(ConvInteger(10000 + i));
                cases.Add(MatMulInteger(11000 + i));
                cases.Add(BatchedQLinearMatMul(12000 + i));
            }
            Check(cases);
        }

        private void Check(List<Case> cases)
        {
            var failures = new List<string>();
            foreach (var c in cases)
            {
                byte[] bytes = c.Builder.ToBytes();
                var result = ModelCompiler.Compile(bytes, new CompileOptions { ClassName = "Q" + c.Kind + c.Seed, ModelPath = c.Kind + ".onnx", Namespace = "EdgeAot.Tests.Q" });
                if (!result.Success)
                {
                    failures.Add(c + ": does not compile: " + string.Join("; ", result.Diagnostics));
                    continue;
                }
                c.Plan = result.Plan;
                try
                {
                    if (c.OrtImplements) c.Expected = RunOrt(bytes, c);
                }
                catch (OnnxRuntimeException e)
                {
                    failures.Add(c + ": ONNX Runtime refused the model: " + e.Message);
                    c.Plan = null;
                }
            }
            var ready = cases.Where(c => c.Plan is not null).ToList();
            var compiled = GeneratedCode.Compile(ready.Select(c => c.Plan!).ToList());

            long elements = 0, offByOne = 0;
            var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var c in ready)
            {
                var plan = c.Plan!;
                if (plan.Nodes.Count != 1)
                {
                    failures.Add(c + ": expected one integer node, the plan has " + string.Join(", ", plan.Nodes.Select(n => n.OpType)));
                    continue;
                }
                var node = plan.Nodes[0];
                kinds[node.OpType] = kinds.TryGetValue(node.OpType, out int k) ? k + 1 : 1;
                var inputs = plan.Inputs.Select(id => c.Inputs.Single(i => i.Name == plan.Tensor(id).Name).Data).ToArray();
                long[] actual = ToLongs(compiled.Get(plan).Run(inputs)[0]);
                long[] reference = ScalarReference.Run(plan, node, id => c.Inputs.Single(i => i.Name == plan.Tensor(id).Name).Data);
                string? problem = Compare(actual, reference, 0, "scalar reference") ?? (c.Expected is null ? null : Compare(actual, c.Expected, c.Tolerance, "ONNX Runtime"));
                if (problem is not null) failures.Add(c + " [" + node.OpType + "]: " + problem);
                if (c.Expected is null) continue;
                elements += actual.Length;
                for (int i = 0; i < actual.Length; i++) if (actual[i] != c.Expected[i]) offByOne++;
            }
            _output.WriteLine(cases.Count + " cases, " + ready.Count + " run; kernels: " + string.Join(", ", kinds.Select(kv => kv.Key + " " + kv.Value)));
            _output.WriteLine(elements + " output elements compared with ONNX Runtime (" + ready.Count(c => c.Expected is not null) + " cases), " + offByOne + " differ from ONNX Runtime by 1 LSB (" + (100.0 * offByOne / Math.Max(1, elements)).ToString("0.000", CultureInfo.InvariantCulture) + "%)");
            Assert.True(failures.Count == 0, failures.Count + " failures:\n" + string.Join("\n", failures.Take(20)));
        }

        /// <summary>The run-time multiplier derivation emitted into kernels equals the build-time <see cref="Requantization.FromScale"/>.</summary>
        [Fact]
        public void Runtime_multiplier_derivation_matches_the_build_time_rounding()
        {
            string source = "public static class RuntimeMultiplier {\n public static long[] Derive(double scale, long bound) { var (m, s) = QuantizationMultiplier(scale, bound); return new long[] { m, s }; }\n"
                + RuntimeQuantizedOperator.MultiplierCSharpSource + "\n}";
            var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
            var compilation = CSharpCompilation.Create("RuntimeMultiplier", new[] { CSharpSyntaxTree.ParseText(source) }, references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            using var stream = new MemoryStream();
            var emitted = compilation.Emit(stream);
            Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
            stream.Position = 0;
            var derive = new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(stream).GetType("RuntimeMultiplier")!.GetMethod("Derive")!;

            var random = new Random(20261123);
            int checkedScales = 0;
            for (int i = 0; i < 20000; i++)
            {
                double scale = Math.Pow(2, random.NextDouble() * 40 - 30) * (i % 7 == 0 ? 1 : random.NextDouble() + 0.5);
                if (i % 11 == 0) scale = Math.Pow(2, random.Next(-30, 8)); // exact powers of two hit the mantissa edge
                long bound = random.Next(3) switch { 0 => random.Next(1, 1000), 1 => random.Next(1, int.MaxValue), _ => (long)(random.NextDouble() * (1L << 52)) + 1 };
                (long Multiplier, int Shift) expected;
                try
                {
                    expected = Requantization.FromScale(scale, bound);
                }
                catch (ArgumentOutOfRangeException)
                {
                    continue; // refused at build time; the run-time answers for those are checked below
                }
                checkedScales++;
                var actual = (long[])derive.Invoke(null, new object[] { scale, bound })!;
                Assert.True(expected.Multiplier == actual[0] && expected.Shift == actual[1],
                    "scale " + scale.ToString("R", CultureInfo.InvariantCulture) + ", bound " + bound + ": build time " + expected + ", run time (" + actual[0] + ", " + actual[1] + ")");
            }
            Assert.True(checkedScales > 15000, checkedScales + " scales compared");
            // Scales the build-time path refuses: a zero point output, or saturation for any nonzero accumulator.
            Assert.Equal(new long[] { 0, 1 }, (long[])derive.Invoke(null, new object[] { 0.0, 100L })!);
            Assert.Equal(new long[] { 0, 1 }, (long[])derive.Invoke(null, new object[] { double.NaN, 100L })!);
            Assert.Equal(new long[] { (1L << 31) - 1, 1 }, (long[])derive.Invoke(null, new object[] { 1e12, 100L })!);
        }

        /// <summary>
        /// DQ → Reshape / Transpose / Concat → Q with one scale and zero point throughout: the plan moves the
        /// int8/uint8 values themselves (one node, no float tensor) and matches ONNX Runtime exactly.
        /// </summary>
        [Fact]
        public void Qdq_data_movement_with_equal_parameters_runs_on_the_integers()
        {
            var cases = new List<Case>();
            for (int seed = 9000; seed < 9012; seed++)
            {
                var r = new Random(seed);
                string op = new[] { "Reshape", "Transpose", "Concat" }[seed % 3];
                var c = new Case("Qdq" + op, seed, 13);
                var b = c.Builder;
                var type = PickType(r);
                float scale = RandomScale(r, 0.005, 0.1);
                long zero = RandomZero(r, type);
                long ch = r.Next(1, 5), h = r.Next(1, 6), w = r.Next(1, 6);
                c.Description = type + " " + Fmt(1, ch, h, w);
                string Dq(string name) => b.Node("DequantizeLinear", new[] { c.Input(name, type, new[] { 1L, ch, h, w }, RandomData(r, type, ch * h * w)), c.Scale(name + "_scale", scale), c.Zero(name + "_zero", type, zero) });
                string moved = op switch
                {
                    "Reshape" => b.Node("Reshape", new[] { Dq("x"), b.Initializer("shape", new[] { 2L }, new long[] { ch, h * w }) }),
                    "Transpose" => b.Node("Transpose", new[] { Dq("x") }, OnnxAttribute.Ints("perm", 0, 2, 3, 1)),
                    _ => b.Node("Concat", new[] { Dq("x0"), Dq("x1") }, OnnxAttribute.Int("axis", 1)),
                };
                b.Output(b.Node("QuantizeLinear", new[] { moved, c.Scale("y_scale", scale), c.Zero("y_zero", type, zero) }), type);
                byte[] bytes = b.ToBytes();
                var result = ModelCompiler.Compile(bytes, new CompileOptions { ClassName = "Q" + c.Kind + seed, ModelPath = c.Kind + ".onnx", Namespace = "EdgeAot.Tests.Q" });
                Assert.True(result.Success, c + ": " + string.Join("\n", result.Diagnostics));
                c.Plan = result.Plan;
                c.Expected = RunOrt(bytes, c);
                Assert.True(c.Plan!.Nodes.Count == 1 && c.Plan.Nodes[0].OpType == op, c + ": plan " + string.Join(", ", c.Plan.Nodes.Select(n => n.OpType)));
                Assert.True(c.Plan.Tensors.All(t => t.Type == type || t.Storage == TensorStorage.Weight), c + ": a tensor of another type is left");
                cases.Add(c);
            }
            var compiled = GeneratedCode.Compile(cases.Select(c => c.Plan!).ToList());
            foreach (var c in cases)
            {
                var inputs = c.Plan!.Inputs.Select(id => c.Inputs.Single(i => i.Name == c.Plan.Tensor(id).Name).Data).ToArray();
                long[] actual = ToLongs(compiled.Get(c.Plan).Run(inputs)[0]);
                Assert.True(Compare(actual, c.Expected!, 0, "ONNX Runtime") is null, c + ": " + Compare(actual, c.Expected!, 0, "ONNX Runtime"));
            }
        }

        // ---- case generators ----

        private static DataType PickType(Random r) => r.Next(2) == 0 ? DataType.Int8 : DataType.UInt8;

        private static (long Min, long Max) Range(DataType t) => t == DataType.Int8 ? (-128, 127) : (0, 255);

        private static Array RandomData(Random r, DataType type, long count)
        {
            if (type == DataType.Int8)
            {
                var s = new sbyte[count];
                for (long i = 0; i < count; i++) s[i] = (sbyte)r.Next(-128, 128);
                return s;
            }
            var b = new byte[count];
            for (long i = 0; i < count; i++) b[i] = (byte)r.Next(0, 256);
            return b;
        }

        private static long RandomZero(Random r, DataType type) => type == DataType.Int8 ? r.Next(-20, 21) : r.Next(100, 156);

        private static float RandomScale(Random r, double lo, double hi) => (float)(lo * Math.Pow(hi / lo, r.NextDouble()));

        private static Case QLinearConv(int seed)
        {
            var r = new Random(seed);
            var c = new Case("QLinearConv", seed, 13);
            var b = c.Builder;
            var xType = PickType(r);
            bool depthwise = r.Next(3) == 0, perChannel = r.Next(2) == 0, runtimeScales = r.Next(4) == 0;
            long channels = r.Next(1, 6), h = r.Next(3, 9), w = r.Next(3, 9), kernel = r.Next(1, 4), stride = r.Next(1, 3), pad = r.Next(0, 2);
            long group = depthwise ? channels : 1, filters = depthwise ? channels * r.Next(1, 3) : r.Next(1, 7);
            if (h + 2 * pad < kernel || w + 2 * pad < kernel) kernel = 1;
            long perFilter = channels / group * kernel * kernel;
            c.Description = xType + " x " + Fmt(1, channels, h, w) + ", w " + Fmt(filters, channels / group, kernel, kernel) + ", stride " + stride + ", pad " + pad
                + ", group " + group + (perChannel ? ", per-channel" : ", per-tensor") + (runtimeScales ? ", run-time scales" : "");

            string x = c.Input("x", xType, new[] { 1L, channels, h, w }, RandomData(r, xType, channels * h * w));
            float xScale = RandomScale(r, 0.005, 0.05);
            long xZero = RandomZero(r, xType);
            var wScales = new float[perChannel ? filters : 1];
            for (int i = 0; i < wScales.Length; i++) wScales[i] = RandomScale(r, 0.002, 0.02);
            var weights = (sbyte[])RandomData(r, DataType.Int8, filters * perFilter);
            var bias = new int[filters];
            for (int i = 0; i < filters; i++) bias[i] = r.Next(-2000, 2001);
            float yScale = (float)(xScale * wScales.Average() * 70 * 70 * Math.Sqrt(perFilter) / 50);
            var yType = xType; // ONNX Runtime implements QLinearConv with y of x's type only
            long yZero = RandomZero(r, yType);

            string xs, xz, ys;
            if (runtimeScales)
            {
                xs = c.Input("x_scale", DataType.Float32, Array.Empty<long>(), new[] { xScale });
                xz = c.Input("x_zero", xType, Array.Empty<long>(), xType == DataType.Int8 ? new[] { (sbyte)xZero } : new[] { (byte)xZero });
                ys = c.Input("y_scale", DataType.Float32, Array.Empty<long>(), new[] { yScale });
            }
            else
            {
                xs = c.Scale("x_scale", xScale);
                xz = c.Zero("x_zero", xType, xZero);
                ys = c.Scale("y_scale", yScale);
            }
            string wi = b.Initializer("w", new[] { filters, channels / group, kernel, kernel }, weights);
            string ws = b.Initializer("w_scale", new long[] { wScales.Length }, wScales);
            string wz = b.Initializer("w_zero", new long[] { wScales.Length }, new sbyte[wScales.Length]);
            string bi = b.Initializer("bias", new[] { filters }, bias);
            string y = b.Node("QLinearConv", new[] { x, xs, xz, wi, ws, wz, ys, c.Zero("y_zero", yType, yZero), bi },
                OnnxAttribute.Int("group", group), OnnxAttribute.Ints("kernel_shape", kernel, kernel), OnnxAttribute.Ints("strides", stride, stride),
                OnnxAttribute.Ints("pads", pad, pad, pad, pad));
            b.Output(y, yType);
            return c;
        }

        private static Case QLinearMatMul(int seed)
        {
            var r = new Random(seed);
            var c = new Case("QLinearMatMul", seed, 13);
            var b = c.Builder;
            var aType = PickType(r);
            bool batched = r.Next(2) == 0;
            long m = r.Next(1, 6), k = r.Next(1, 40), n = r.Next(1, 12), batch = r.Next(2, 4);
            long[] aShape = batched ? new[] { batch, m, k } : new[] { m, k };
            c.Description = aType + " a " + Fmt(aShape) + ", b " + Fmt(k, n);
            string a = c.Input("a", aType, aShape, RandomData(r, aType, aShape.Aggregate(1L, (p, d) => p * d)));
            float aScale = RandomScale(r, 0.005, 0.05), bScale = RandomScale(r, 0.002, 0.02);
            float yScale = (float)(aScale * bScale * 70 * 70 * Math.Sqrt(k) / 50);
            var yType = aType; // ONNX Runtime implements QLinearMatMul with y of a's type only
            string bi = b.Initializer("b", new[] { k, n }, (sbyte[])RandomData(r, DataType.Int8, k * n));
            string y = b.Node("QLinearMatMul", new[] { a, c.Scale("a_scale", aScale), c.Zero("a_zero", aType, RandomZero(r, aType)), bi, c.Scale("b_scale", bScale),
                c.Zero("b_zero", DataType.Int8, r.Next(-3, 4)), c.Scale("y_scale", yScale), c.Zero("y_zero", yType, RandomZero(r, yType)) });
            b.Output(y, yType);
            return c;
        }

        /// <summary>ConvInteger (ONNX Runtime implements uint8 x and w): zero points as initializers or graph inputs, w per channel or per tensor.</summary>
        private static Case ConvInteger(int seed)
        {
            var r = new Random(seed);
            var c = new Case("ConvInteger", seed, 13) { Tolerance = 0 };
            var b = c.Builder;
            bool runtime = r.Next(2) == 0, perChannel = r.Next(2) == 0;
            long channels = r.Next(1, 5), h = r.Next(3, 8), w = r.Next(3, 8), kernel = r.Next(1, 4), stride = r.Next(1, 3), pad = r.Next(0, 2), filters = r.Next(1, 5);
            c.Description = "x " + Fmt(1, channels, h, w) + ", w " + Fmt(filters, channels, kernel, kernel) + ", stride " + stride + ", pad " + pad + (runtime ? ", run-time zero points" : "") + (perChannel ? ", per-channel w zero" : "");
            c.OrtImplements = !perChannel;
            string x = c.Input("x", DataType.UInt8, new[] { 1L, channels, h, w }, RandomData(r, DataType.UInt8, channels * h * w));
            var wZero = new byte[perChannel ? filters : 1];
            for (int i = 0; i < wZero.Length; i++) wZero[i] = (byte)r.Next(100, 156);
            var xZero = new[] { (byte)r.Next(100, 156) };
            string wi = b.Initializer("w", new[] { filters, channels, kernel, kernel }, (byte[])RandomData(r, DataType.UInt8, filters * channels * kernel * kernel));
            string xz = runtime ? c.Input("x_zero", DataType.UInt8, Array.Empty<long>(), xZero) : b.Initializer("x_zero", Array.Empty<long>(), xZero);
            string wz = runtime ? c.Input("w_zero", DataType.UInt8, new long[] { wZero.Length }, wZero) : b.Initializer("w_zero", new long[] { wZero.Length }, wZero);
            string y = b.Node("ConvInteger", new[] { x, wi, xz, wz }, OnnxAttribute.Ints("kernel_shape", kernel, kernel), OnnxAttribute.Ints("strides", stride, stride),
                OnnxAttribute.Ints("pads", pad, pad, pad, pad));
            b.Output(y, DataType.Int32);
            return c;
        }

        /// <summary>MatMulInteger: int8/uint8 A with a scalar or per-row zero point, B constant or a graph input, per-column B zero points.</summary>
        private static Case MatMulInteger(int seed)
        {
            var r = new Random(seed);
            var c = new Case("MatMulInteger", seed, 13) { Tolerance = 0 };
            var b = c.Builder;
            var aType = PickType(r);
            var bType = PickType(r);
            bool perRow = r.Next(2) == 0, runtimeB = r.Next(2) == 0;
            long m = r.Next(1, 6), k = r.Next(1, 30), n = r.Next(1, 9);
            c.Description = aType + " a " + Fmt(m, k) + ", " + bType + " b " + Fmt(k, n) + (perRow ? ", per-row a zero" : "") + (runtimeB ? ", run-time b" : "");
            c.OrtImplements = !perRow;
            string a = c.Input("a", aType, new[] { m, k }, RandomData(r, aType, m * k));
            var bData = RandomData(r, bType, k * n);
            string bi = runtimeB ? c.Input("b", bType, new[] { k, n }, bData)
                : bType == DataType.Int8 ? b.Initializer("b", new[] { k, n }, (sbyte[])bData) : b.Initializer("b", new[] { k, n }, (byte[])bData);
            string ZeroTensor(string name, DataType type, long count)
            {
                var values = Enumerable.Range(0, (int)count).Select(_ => RandomZero(r, type)).ToArray();
                return type == DataType.Int8 ? b.Initializer(name, new[] { count }, values.Select(v => (sbyte)v).ToArray()) : b.Initializer(name, new[] { count }, values.Select(v => (byte)v).ToArray());
            }
            string y = b.Node("MatMulInteger", new[] { a, bi, ZeroTensor("a_zero", aType, perRow ? m : 1), ZeroTensor("b_zero", bType, n) });
            b.Output(y, DataType.Int32);
            return c;
        }

        /// <summary>QLinearMatMul with 3-D A and B (the run-time-parameter kernel: batched B) and per-tensor scales fed as graph inputs.</summary>
        private static Case BatchedQLinearMatMul(int seed)
        {
            var r = new Random(seed);
            var c = new Case("BatchedQLinearMatMul", seed, 13);
            var b = c.Builder;
            var type = PickType(r);
            long batch = r.Next(1, 4), m = r.Next(1, 5), k = r.Next(1, 20), n = r.Next(1, 7);
            bool broadcastB = r.Next(2) == 0;
            long[] bShape = broadcastB ? new[] { 1L, k, n } : new[] { batch, k, n };
            c.Description = type + " a " + Fmt(batch, m, k) + ", b " + Fmt(bShape);
            string a = c.Input("a", type, new[] { batch, m, k }, RandomData(r, type, batch * m * k));
            string bi = c.Input("b", type, bShape, RandomData(r, type, bShape.Aggregate(1L, (p, d) => p * d)));
            float aScale = RandomScale(r, 0.005, 0.05), bScale = RandomScale(r, 0.005, 0.05);
            float yScale = (float)(aScale * bScale * 70 * 70 * Math.Sqrt(k) / 50);
            string y = b.Node("QLinearMatMul", new[] { a, c.Input("a_scale", DataType.Float32, Array.Empty<long>(), new[] { aScale }), c.Zero("a_zero", type, RandomZero(r, type)),
                bi, c.Scale("b_scale", bScale), c.Zero("b_zero", type, RandomZero(r, type)), c.Input("y_scale", DataType.Float32, Array.Empty<long>(), new[] { yScale }), c.Zero("y_zero", type, RandomZero(r, type)) });
            b.Output(y, type);
            return c;
        }

        /// <summary>DequantizeLinear(x) → Conv(DequantizeLinear(w int8, per channel), DequantizeLinear(bias int32)) → [Relu] → QuantizeLinear.</summary>
        private static Case QdqConv(int seed)
        {
            var r = new Random(seed);
            var c = new Case("QdqConv", seed, 13);
            var b = c.Builder;
            var xType = PickType(r);
            bool depthwise = r.Next(3) == 0, relu = r.Next(2) == 0;
            long channels = r.Next(1, 6), h = r.Next(3, 9), w = r.Next(3, 9), kernel = r.Next(1, 4), stride = r.Next(1, 3), pad = r.Next(0, 2);
            long group = depthwise ? channels : 1, filters = depthwise ? channels : r.Next(1, 7);
            if (h + 2 * pad < kernel || w + 2 * pad < kernel) kernel = 1;
            long perFilter = channels / group * kernel * kernel;
            c.Description = xType + " x " + Fmt(1, channels, h, w) + ", w " + Fmt(filters, channels / group, kernel, kernel) + ", stride " + stride + ", pad " + pad
                + ", group " + group + (relu ? ", relu" : "");
            string x = c.Input("x", xType, new[] { 1L, channels, h, w }, RandomData(r, xType, channels * h * w));
            float xScale = RandomScale(r, 0.005, 0.05);
            var wScales = new float[filters];
            for (int i = 0; i < filters; i++) wScales[i] = RandomScale(r, 0.002, 0.02);
            var biasScales = wScales.Select(s => xScale * s).ToArray();
            var bias = new int[filters];
            for (int i = 0; i < filters; i++) bias[i] = r.Next(-2000, 2001);
            float yScale = (float)(xScale * wScales.Average() * 70 * 70 * Math.Sqrt(perFilter) / 50);
            var yType = PickType(r);

            string xf = b.Node("DequantizeLinear", new[] { x, c.Scale("x_scale", xScale), c.Zero("x_zero", xType, RandomZero(r, xType)) });
            string wf = b.Node("DequantizeLinear", new[] { b.Initializer("w", new[] { filters, channels / group, kernel, kernel }, (sbyte[])RandomData(r, DataType.Int8, filters * perFilter)),
                b.Initializer("w_scale", new[] { filters }, wScales), b.Initializer("w_zero", new[] { filters }, new sbyte[filters]) }, OnnxAttribute.Int("axis", 0));
            string bf = b.Node("DequantizeLinear", new[] { b.Initializer("bias", new[] { filters }, bias), b.Initializer("bias_scale", new[] { filters }, biasScales),
                b.Initializer("bias_zero", new[] { filters }, new int[filters]) }, OnnxAttribute.Int("axis", 0));
            string conv = b.Node("Conv", new[] { xf, wf, bf }, OnnxAttribute.Int("group", group), OnnxAttribute.Ints("kernel_shape", kernel, kernel),
                OnnxAttribute.Ints("strides", stride, stride), OnnxAttribute.Ints("pads", pad, pad, pad, pad));
            if (relu) conv = b.Node("Relu", new[] { conv });
            string y = b.Node("QuantizeLinear", new[] { conv, c.Scale("y_scale", yScale), c.Zero("y_zero", yType, RandomZero(r, yType)) });
            b.Output(y, yType);
            return c;
        }

        /// <summary>DequantizeLinear(a) → Gemm(transB = 1, DequantizeLinear(w int8), DequantizeLinear(bias int32)) → QuantizeLinear.</summary>
        private static Case QdqGemm(int seed)
        {
            var r = new Random(seed);
            var c = new Case("QdqGemm", seed, 13);
            var b = c.Builder;
            var aType = PickType(r);
            bool perChannel = r.Next(2) == 0;
            long m = r.Next(1, 5), k = r.Next(1, 48), n = r.Next(1, 16);
            c.Description = aType + " a " + Fmt(m, k) + ", w " + Fmt(n, k) + (perChannel ? ", per-channel" : ", per-tensor");
            string a = c.Input("a", aType, new[] { m, k }, RandomData(r, aType, m * k));
            float aScale = RandomScale(r, 0.005, 0.05);
            var wScales = new float[perChannel ? n : 1];
            for (int i = 0; i < wScales.Length; i++) wScales[i] = RandomScale(r, 0.002, 0.02);
            var bias = new int[n];
            for (int i = 0; i < n; i++) bias[i] = r.Next(-2000, 2001);
            float yScale = (float)(aScale * wScales.Average() * 70 * 70 * Math.Sqrt(k) / 50);
            var yType = PickType(r);
            string af = b.Node("DequantizeLinear", new[] { a, c.Scale("a_scale", aScale), c.Zero("a_zero", aType, RandomZero(r, aType)) });
            var wInputs = new[] { b.Initializer("w", new[] { n, k }, (sbyte[])RandomData(r, DataType.Int8, n * k)),
                perChannel ? b.Initializer("w_scale", new[] { n }, wScales) : c.Scale("w_scale", wScales[0]),
                perChannel ? b.Initializer("w_zero", new[] { n }, new sbyte[n]) : c.Zero("w_zero", DataType.Int8, 0) };
            string wf = perChannel ? b.Node("DequantizeLinear", wInputs, OnnxAttribute.Int("axis", 0)) : b.Node("DequantizeLinear", wInputs);
            var biasScales = wScales.Select(s => aScale * s).ToArray();
            string bf = perChannel
                ? b.Node("DequantizeLinear", new[] { b.Initializer("bias", new[] { n }, bias), b.Initializer("bias_scale", new[] { n }, biasScales), b.Initializer("bias_zero", new[] { n }, new int[n]) }, OnnxAttribute.Int("axis", 0))
                : b.Node("DequantizeLinear", new[] { b.Initializer("bias", new[] { n }, bias), c.Scale("bias_scale", biasScales[0]), b.Initializer("bias_zero", Array.Empty<long>(), new int[1]) });
            string gemm = b.Node("Gemm", new[] { af, wf, bf }, OnnxAttribute.Int("transB", 1));
            string y = b.Node("QuantizeLinear", new[] { gemm, c.Scale("y_scale", yScale), c.Zero("y_zero", yType, RandomZero(r, yType)) });
            b.Output(y, yType);
            return c;
        }

        private static long[][] BroadcastShapes(Random r)
        {
            long ch = r.Next(1, 6), h = r.Next(1, 7), w = r.Next(1, 7);
            return r.Next(4) switch
            {
                0 => new[] { new[] { 1L, ch, h, w }, new[] { 1L, ch, h, w } },
                1 => new[] { new[] { 1L, ch, h, w }, new[] { 1L, ch, 1, 1 } },
                2 => new[] { new[] { 1L, 1, h, w }, new[] { 1L, ch, 1, w } },
                _ => new[] { new[] { ch, h, w }, new[] { w } },
            };
        }

        private static Case QLinearBinary(int seed, bool add)
        {
            var r = new Random(seed);
            string op = add ? "QLinearAdd" : "QLinearMul";
            var c = new Case(op, seed, 13);
            var b = c.Builder;
            var type = PickType(r);
            var shapes = BroadcastShapes(r);
            if (r.Next(2) == 0) shapes = new[] { shapes[1], shapes[0] };
            c.Description = type + " " + Fmt(shapes[0]) + " and " + Fmt(shapes[1]);
            string a = c.Input("a", type, shapes[0], RandomData(r, type, shapes[0].Aggregate(1L, (p, d) => p * d)));
            string bb = c.Input("b", type, shapes[1], RandomData(r, type, shapes[1].Aggregate(1L, (p, d) => p * d)));
            float aScale = RandomScale(r, 0.005, 0.1), bScale = RandomScale(r, 0.005, 0.1);
            float cScale = add ? RandomScale(r, 0.5, 1.5) * (aScale + bScale) : RandomScale(r, 0.5, 1.5) * aScale * bScale * 60;
            var node = b.AddNode(op, new[] { a, c.Scale("a_scale", aScale), c.Zero("a_zero", type, RandomZero(r, type)), bb, c.Scale("b_scale", bScale),
                c.Zero("b_zero", type, RandomZero(r, type)), c.Scale("c_scale", cScale), c.Zero("c_zero", type, RandomZero(r, type)) }, new[] { "y" });
            node.Domain = "com.microsoft";
            node.Name = op;
            b.Output("y", type);
            return c;
        }

        private static Case QLinearPool(int seed)
        {
            var r = new Random(seed);
            bool global = r.Next(3) == 0;
            string op = global ? "QLinearGlobalAveragePool" : "QLinearAveragePool";
            var c = new Case(op, seed, 13);
            var b = c.Builder;
            var type = PickType(r);
            long ch = r.Next(1, 5), h = r.Next(2, 9), w = r.Next(2, 9), kernel = r.Next(1, Math.Min(4, (int)Math.Min(h, w)) + 1), stride = r.Next(1, 3), pad = r.Next(0, 2);
            if (pad >= kernel) pad = 0;
            bool includePad = r.Next(2) == 0;
            c.Description = type + " x " + Fmt(1, ch, h, w) + (global ? "" : ", kernel " + kernel + ", stride " + stride + ", pad " + pad + ", count_include_pad " + (includePad ? 1 : 0));
            string x = c.Input("x", type, new[] { 1L, ch, h, w }, RandomData(r, type, ch * h * w));
            float xScale = RandomScale(r, 0.005, 0.1), yScale = xScale * RandomScale(r, 0.3, 2);
            var inputs = new[] { x, c.Scale("x_scale", xScale), c.Zero("x_zero", type, RandomZero(r, type)), c.Scale("y_scale", yScale), c.Zero("y_zero", type, RandomZero(r, type)) };
            var node = global ? b.AddNode(op, inputs, new[] { "y" })
                : b.AddNode(op, inputs, new[] { "y" }, OnnxAttribute.Ints("kernel_shape", kernel, kernel), OnnxAttribute.Ints("strides", stride, stride),
                    OnnxAttribute.Ints("pads", pad, pad, pad, pad), OnnxAttribute.Int("count_include_pad", includePad ? 1 : 0));
            node.Domain = "com.microsoft";
            node.Name = op;
            b.Output("y", type);
            return c;
        }

        /// <summary>QDQ Add / Mul / AveragePool / GlobalAveragePool, which fusion turns into the QLinear kernels.</summary>
        private static Case QdqBinaryOrPool(int seed)
        {
            var r = new Random(seed);
            string op = new[] { "Add", "Mul", "AveragePool", "GlobalAveragePool" }[r.Next(4)];
            var c = new Case("Qdq" + op, seed, 13);
            var b = c.Builder;
            var type = PickType(r);
            string Dq(string input, float scale, long zero, string name) => b.Node("DequantizeLinear", new[] { input, c.Scale(name + "_scale", scale), c.Zero(name + "_zero", type, zero) });
            string result;
            float outScale;
            if (op is "Add" or "Mul")
            {
                var shapes = BroadcastShapes(r);
                c.Description = type + " " + Fmt(shapes[0]) + " and " + Fmt(shapes[1]);
                float aScale = RandomScale(r, 0.005, 0.1), bScale = RandomScale(r, 0.005, 0.1);
                string a = Dq(c.Input("a", type, shapes[0], RandomData(r, type, shapes[0].Aggregate(1L, (p, d) => p * d))), aScale, RandomZero(r, type), "a");
                string bb = Dq(c.Input("b", type, shapes[1], RandomData(r, type, shapes[1].Aggregate(1L, (p, d) => p * d))), bScale, RandomZero(r, type), "b");
                result = b.Node(op, new[] { a, bb });
                outScale = op == "Add" ? (aScale + bScale) * RandomScale(r, 0.5, 1.5) : aScale * bScale * 60 * RandomScale(r, 0.5, 1.5);
            }
            else
            {
                long ch = r.Next(1, 5), h = r.Next(2, 9), w = r.Next(2, 9), kernel = r.Next(1, (int)Math.Min(3, Math.Min(h, w)) + 1);
                c.Description = type + " x " + Fmt(1, ch, h, w) + (op == "AveragePool" ? ", kernel " + kernel : "");
                float xScale = RandomScale(r, 0.005, 0.1);
                string x = Dq(c.Input("x", type, new[] { 1L, ch, h, w }, RandomData(r, type, ch * h * w)), xScale, RandomZero(r, type), "x");
                result = op == "AveragePool" ? b.Node(op, new[] { x }, OnnxAttribute.Ints("kernel_shape", kernel, kernel)) : b.Node(op, new[] { x });
                outScale = xScale * RandomScale(r, 0.3, 2);
            }
            string y = b.Node("QuantizeLinear", new[] { result, c.Scale("y_scale", outScale), c.Zero("y_zero", type, RandomZero(r, type)) });
            b.Output(y, type);
            return c;
        }

        // ---- running and comparing ----

        private static long[] RunOrt(byte[] model, Case c)
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
            using var session = new InferenceSession(model, options);
            var feeds = c.Inputs.Select(i =>
            {
                int[] dims = i.Shape.Select(d => (int)d).ToArray();
                // Exact type tests: the CLR lets byte[] pass as sbyte[] (and back) in pattern matches.
                var type = i.Data.GetType();
                if (type == typeof(sbyte[])) return NamedOnnxValue.CreateFromTensor(i.Name, new DenseTensor<sbyte>((sbyte[])i.Data.Clone(), dims));
                if (type == typeof(byte[])) return NamedOnnxValue.CreateFromTensor(i.Name, new DenseTensor<byte>((byte[])i.Data.Clone(), dims));
                if (type == typeof(float[])) return NamedOnnxValue.CreateFromTensor(i.Name, new DenseTensor<float>((float[])i.Data.Clone(), dims));
                throw new InvalidOperationException(type.Name);
            }).ToList();
            using var results = session.Run(feeds);
            return results.First().Value switch
            {
                DenseTensor<sbyte> s => s.ToArray().Select(v => (long)v).ToArray(),
                DenseTensor<byte> u => u.ToArray().Select(v => (long)v).ToArray(),
                DenseTensor<int> i => i.ToArray().Select(v => (long)v).ToArray(),
                var other => throw new InvalidOperationException("unexpected ONNX Runtime output " + other.GetType().Name),
            };
        }

        /// <summary>Element values as longs, by the array's exact type (byte[] and sbyte[] pass each other's pattern tests).</summary>
        internal static long[] ToLongs(Array data)
        {
            var type = data.GetType();
            if (type == typeof(sbyte[])) return ((sbyte[])data).Select(v => (long)v).ToArray();
            if (type == typeof(byte[])) return ((byte[])data).Select(v => (long)v).ToArray();
            if (type == typeof(int[])) return ((int[])data).Select(v => (long)v).ToArray();
            throw new InvalidOperationException(type.Name);
        }

        private static string? Compare(long[] actual, long[] expected, long tolerance, string what)
        {
            if (actual.Length != expected.Length) return what + ": length " + actual.Length + " vs " + expected.Length;
            for (int i = 0; i < actual.Length; i++)
            {
                if (Math.Abs(actual[i] - expected[i]) > tolerance)
                    return what + ": element " + i + " is " + actual[i] + ", expected " + expected[i] + (tolerance > 0 ? " ± " + tolerance : " exactly");
            }
            return null;
        }

        private static string Fmt(params long[] shape) => "[" + string.Join(",", shape) + "]";
    }
}
