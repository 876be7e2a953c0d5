using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Plan;
using EdgeAot.Tests.Harness;

namespace EdgeAot.Tests.Conformance
{
    public enum CaseState
    {
        Pass,
        Unsupported,
        Fail,
    }

    /// <summary>How one ONNX backend node case ended, and why.</summary>
    public sealed record CaseResult(string Name, string Ops, CaseState State, string Reason, string Detail);

    /// <summary>
    /// Runs ONNX backend node cases: compile each model with EdgeAot's compiler, emit all
    /// supported cases' C# into ONE Roslyn compilation per batch, run every test_data_set and
    /// compare with the expected outputs (floats, float16 included: |a−e| ≤ atol + rtol·|e|; integers and bools exact).
    /// </summary>
    public static class ConformanceRunner
    {
        public const double RelativeTolerance = 1e-3;
        public const double AbsoluteTolerance = 1e-5;
        private const int BatchSize = 250;

        public static List<CaseResult> Run(IEnumerable<string> caseDirectories, Action<string>? log = null)
        {
            var results = new List<CaseResult>();
            var compiled = new List<(string Dir, string Name, string Ops, ModelPlan Plan)>();
            var watch = Stopwatch.StartNew();
            foreach (string dir in caseDirectories.OrderBy(d => d, StringComparer.Ordinal))
            {
                string name = Path.GetFileName(dir);
                string ops = "?";
                try
                {
                    byte[] bytes = File.ReadAllBytes(Path.Combine(dir, "model.onnx"));
                    var options = new CompileOptions { ModelPath = name + "/model.onnx", ClassName = ClassName(name), Namespace = "Conformance" };
                    ops = OpsOf(bytes, options);
                    var result = ModelCompiler.Compile(bytes, options);
                    if (result.Success) compiled.Add((dir, name, ops, result.Plan!));
                    else
                    {
                        var d = result.Diagnostics[0];
                        bool isBug = d.Id == DiagnosticCatalog.InternalError.Id;
                        results.Add(new CaseResult(name, ops, isBug ? CaseState.Fail : CaseState.Unsupported, Reason(d), d.Id + " " + d.Message));
                    }
                }
                catch (Exception e)
                {
                    results.Add(new CaseResult(name, ops, CaseState.Fail, "compiler crash", e.GetType().Name + ": " + e.Message));
                }
            }
            log?.Invoke($"compiled {compiled.Count} plans in {watch.Elapsed.TotalSeconds:F1} s");

            for (int start = 0; start < compiled.Count; start += BatchSize)
            {
                var batch = compiled.Skip(start).Take(BatchSize).ToList();
                foreach (var (item, model, error) in CompileBatch(batch.Select(b => b.Plan).ToList()))
                {
                    var c = batch[item];
                    results.Add(model is null
                        ? new CaseResult(c.Name, c.Ops, CaseState.Fail, "generated code does not compile", error!)
                        : RunCase(c.Dir, c.Name, c.Ops, model));
                }
                log?.Invoke($"ran {Math.Min(start + BatchSize, compiled.Count)}/{compiled.Count} in {watch.Elapsed.TotalSeconds:F1} s");
            }
            return results.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        }

        /// <summary>Compiles plans together; when the batch fails, isolates the plans that break it.</summary>
        private static IEnumerable<(int Index, CompiledModel? Model, string? Error)> CompileBatch(List<ModelPlan> plans)
        {
            CompiledModels? assembly = null;
            string? error = null;
            try
            {
                assembly = GeneratedCode.Compile(plans);
            }
            catch (Exception e)
            {
                error = e.Message;
            }
            if (assembly is not null)
            {
                for (int i = 0; i < plans.Count; i++) yield return (i, assembly.Get(plans[i]), null);
                yield break;
            }
            if (plans.Count == 1)
            {
                yield return (0, null, error);
                yield break;
            }
            int half = plans.Count / 2;
            foreach (var r in CompileBatch(plans.Take(half).ToList())) yield return r;
            foreach (var r in CompileBatch(plans.Skip(half).ToList())) yield return (r.Index + half, r.Model, r.Error);
        }

        private static CaseResult RunCase(string dir, string name, string ops, CompiledModel model)
        {
            var plan = model.Plan;
            try
            {
                var sets = Directory.GetDirectories(dir, "test_data_set_*").OrderBy(d => d, StringComparer.Ordinal).ToList();
                if (sets.Count == 0) return new CaseResult(name, ops, CaseState.Fail, "no test data", "");
                foreach (string set in sets)
                {
                    var inputs = new Array[plan.Inputs.Count];
                    for (int i = 0; i < inputs.Length; i++)
                    {
                        var t = plan.Tensor(plan.Inputs[i]);
                        var file = OnnxTensorFile.ReadTensor(File.ReadAllBytes(Path.Combine(set, "input_" + i + ".pb")));
                        if (file.Type != t.Type || Shape.ElementCount(file.Dims) != t.ElementCount)
                            return new CaseResult(name, ops, CaseState.Fail, "input mismatch", "input " + i + " is " + file.Type + Shape.Format(file.Dims) + ", plan expects " + t.Type + Shape.Format(t.Shape.ToArray()));
                        inputs[i] = ToArray(file.Type, file.Data, t.ElementCount);
                    }
                    var outputs = model.Run(inputs);
                    for (int o = 0; o < outputs.Length; o++)
                    {
                        string path = Path.Combine(set, "output_" + o + ".pb");
                        if (!File.Exists(path)) continue;
                        var expected = OnnxTensorFile.ReadTensor(File.ReadAllBytes(path));
                        var t = plan.Tensor(plan.Outputs[o]);
                        if (!Shape.SameAs(expected.Dims, t.Shape.ToArray()) || expected.Type != t.Type)
                            return new CaseResult(name, ops, CaseState.Fail, "output shape", "output " + o + ": expected " + expected.Type + Shape.Format(expected.Dims) + ", got " + t.Type + Shape.Format(t.Shape.ToArray()));
                        string? mismatch = Compare(ToArray(expected.Type, expected.Data, Shape.ElementCount(expected.Dims)), outputs[o]);
                        if (mismatch is not null)
                            return new CaseResult(name, ops, CaseState.Fail, "wrong values", Path.GetFileName(set) + " output " + o + ": " + mismatch);
                    }
                }
                return new CaseResult(name, ops, CaseState.Pass, "", "");
            }
            catch (Exception e)
            {
                return new CaseResult(name, ops, CaseState.Fail, "run-time exception", e.GetType().Name + ": " + e.Message);
            }
        }

        private static Array ToArray(DataType type, byte[] data, long count)
        {
            if (type == DataType.Float16)
            {
                // Half is not a primitive type, so Buffer.BlockCopy refuses it; the bytes are the same little-endian bit patterns.
                var halves = new Half[count];
                data.AsSpan(0, checked((int)(count * 2))).CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(halves.AsSpan()));
                return halves;
            }
            var array = Array.CreateInstance(CompiledModel.ClrType(type), count);
            Buffer.BlockCopy(data, 0, array, 0, checked((int)(count * DataTypes.SizeOf(type))));
            return array;
        }

        private static string? Compare(Array expected, Array actual)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                object e = expected.GetValue(i)!, a = actual.GetValue(i)!;
                if (e is float or double or Half)
                {
                    double de = e is Half he ? (double)he : Convert.ToDouble(e), da = a is Half ha ? (double)ha : Convert.ToDouble(a);
                    if (double.IsNaN(de) && double.IsNaN(da)) continue;
                    if (double.IsInfinity(de) && de == da) continue;
                    if (!(Math.Abs(de - da) <= AbsoluteTolerance + RelativeTolerance * Math.Abs(de)))
                        return $"element {i}: expected {de:R}, got {da:R}";
                }
                else if (!e.Equals(a)) return $"element {i}: expected {e}, got {a}";
            }
            return null;
        }

        /// <summary>The op types of the case's model, read without validation so unsupported cases are grouped too.</summary>
        private static string OpsOf(byte[] bytes, CompileOptions options)
        {
            try
            {
                var graph = OnnxProtoParser.ParseModel(bytes, options.MaxNesting).Graph;
                return graph is null ? "(no graph)" : string.Join("+", graph.Node.Select(n => n.OpType).Distinct().OrderBy(o => o, StringComparer.Ordinal));
            }
            catch (ModelException)
            {
                return "(unreadable)";
            }
        }

        /// <summary>A reason category for an unsupported case, from its diagnostic.</summary>
        private static string Reason(ModelDiagnostic d)
        {
            string m = d.Message;
            if (d.Id == DiagnosticCatalog.UnsupportedOperator.Id)
                return m.Contains("preview.training") ? "training op" : m.Contains("must be a constant") ? "run-time shape/attribute input" : "op";
            if (d.Id == DiagnosticCatalog.UnsupportedDataType.Id)
                return m.Contains("sequence", StringComparison.OrdinalIgnoreCase) || m.Contains("optional", StringComparison.OrdinalIgnoreCase) || m.Contains("map", StringComparison.OrdinalIgnoreCase)
                    ? "sequence/optional/map type" : m.Contains("String", StringComparison.Ordinal) ? "string type" : "dtype";
            if (d.Id == DiagnosticCatalog.DynamicShape.Id) return "dynamic shape";
            if (d.Id == DiagnosticCatalog.UnsupportedOpset.Id) return "opset";
            if (d.Id == DiagnosticCatalog.InvalidNode.Id) return "attributes/shapes";
            return d.Descriptor.Title;
        }

        private static string ClassName(string caseName)
        {
            var chars = caseName.Select(ch => char.IsLetterOrDigit(ch) && ch < 128 ? ch : '_').ToArray();
            return "Case_" + new string(chars);
        }
    }
}
