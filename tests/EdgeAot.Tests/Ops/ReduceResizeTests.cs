using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Plan;
using EdgeAot.Tests.Harness;
using Xunit.Abstractions;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Tests.Ops
{
    /// <summary>
    /// Reductions and Resize. The ONNX backend cases pass axes, scales and sizes as graph inputs,
    /// which EdgeAot (static shapes) refuses; here those inputs are baked into constants from the
    /// case's own test data, so the kernels are still checked against the reference outputs.
    /// </summary>
    public class ReduceResizeTests
    {
        private readonly ITestOutputHelper _output;

        public ReduceResizeTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void Backend_cases_with_shape_inputs_baked_in_match_the_reference()
        {
            var cases = SharedData.NodeCases
                .Where(d =>
                {
                    string n = Path.GetFileName(d);
                    return (n.StartsWith("test_reduce_", StringComparison.Ordinal) || n.StartsWith("test_resize_", StringComparison.Ordinal)
                        || n.StartsWith("test_upsample", StringComparison.Ordinal)) && !n.EndsWith("_expanded", StringComparison.Ordinal);
                })
                .OrderBy(d => d, StringComparer.Ordinal).ToList();
            Assert.NotEmpty(cases);
            var compiled = new List<(string Name, string Set, ModelPlan Plan)>();
            var failures = new List<string>();
            int unsupported = 0;
            foreach (string dir in cases)
            {
                string name = Path.GetFileName(dir);
                string set = Path.Combine(dir, "test_data_set_0");
                var options = new CompileOptions { ModelPath = name, ClassName = "Baked_" + name, Namespace = "Baked" };
                ImportedModel imported;
                try
                {
                    imported = OnnxImporter.Import(File.ReadAllBytes(Path.Combine(dir, "model.onnx")), options);
                }
                catch (ModelException e) when (e.Diagnostic.Id != DiagnosticCatalog.InternalError.Id)
                {
                    // e.g. the empty-set cases, whose graph inputs have a zero dimension.
                    unsupported++;
                    _output.WriteLine("unsupported " + name + ": " + e.Message);
                    continue;
                }
                var graph = imported.Graph;
                for (int i = graph.Inputs.Count - 1; i >= 1; i--)
                {
                    var tensor = OnnxTensorFile.ReadTensor(File.ReadAllBytes(Path.Combine(set, "input_" + i + ".pb")));
                    graph.Inputs[i].Data = tensor.Data;
                    graph.Inputs.RemoveAt(i);
                }
                var result = ModelCompiler.Lower(imported, "0", options);
                if (result.Success) compiled.Add((name, set, result.Plan!));
                else
                {
                    var d = result.Diagnostics[0];
                    if (d.Id == DiagnosticCatalog.InternalError.Id) failures.Add(name + ": " + d.Message);
                    else unsupported++;
                    _output.WriteLine("unsupported " + name + ": " + d.Id + " " + d.Message);
                }
            }
            var models = GeneratedCode.Compile(compiled.Select(c => c.Plan).ToList());
            foreach (var (name, set, plan) in compiled)
            {
                var input = OnnxTensorFile.ReadTensor(File.ReadAllBytes(Path.Combine(set, "input_0.pb")));
                var expected = OnnxTensorFile.ReadTensor(File.ReadAllBytes(Path.Combine(set, "output_0.pb")));
                var outShape = plan.Tensor(plan.Outputs[0]).Shape.ToArray();
                if (!Shape.SameAs(outShape, expected.Dims))
                {
                    failures.Add(name + ": shape " + Shape.Format(outShape) + ", expected " + Shape.Format(expected.Dims));
                    continue;
                }
                var actual = models.Get(plan).Run(ToArray(input.Type, input.Data, Shape.ElementCount(input.Dims)))[0];
                var want = ToArray(expected.Type, expected.Data, Shape.ElementCount(expected.Dims));
                for (int i = 0; i < want.Length; i++)
                {
                    double e = Convert.ToDouble(want.GetValue(i)), a = Convert.ToDouble(actual.GetValue(i));
                    if (e == a || (double.IsNaN(e) && double.IsNaN(a)) || Math.Abs(e - a) <= 1e-5 + 1e-3 * Math.Abs(e)) continue;
                    failures.Add(name + ": element " + i + " expected " + e + ", got " + a);
                    break;
                }
            }
            _output.WriteLine(compiled.Count + " compiled and checked, " + unsupported + " unsupported");
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }

        private static Array ToArray(DataType type, byte[] data, long count)
        {
            var array = Array.CreateInstance(CompiledModel.ClrType(type), count);
            Buffer.BlockCopy(data, 0, array, 0, checked((int)(count * DataTypes.SizeOf(type))));
            return array;
        }

        private static (Graph Graph, Node Node) ReduceGraph(string op, long[] shape, long[]? axes, int opset)
        {
            var graph = new Graph();
            var x = new Value("x", DataType.Float32, shape);
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            var inputs = new List<Value?> { x };
            var attrs = new AttributeSet();
            if (axes is not null)
            {
                if (opset >= 18) inputs.Add(new Value("axes", DataType.Int64, new long[] { axes.Length }, TensorData.FromInt64(axes)));
                else attrs.Set(Attribute.FromInts("axes", axes));
            }
            var node = new Node("reduce", op, "", inputs, new List<Value> { y }, attrs) { OpsetVersion = opset };
            graph.Opsets[""] = opset;
            graph.Inputs.Add(x);
            graph.Nodes.Add(node);
            graph.Outputs.Add(y);
            return (graph, node);
        }

        [Fact]
        public void ReduceMean_over_non_adjacent_axes_matches_reference()
        {
            long[] shape = { 2, 3, 4, 5 };
            var (graph, _) = ReduceGraph("ReduceMean", shape, new long[] { 0, -2 }, 18);
            var result = ModelCompiler.Lower(new ImportedModel(graph, "test", 8), "0", new CompileOptions { ClassName = "ReduceMeanAxes02", Namespace = "OpTests" });
            Assert.True(result.Success, string.Join("\n", result.Diagnostics));
            Assert.Equal(new long[] { 1, 3, 1, 5 }, result.Plan!.Tensor(result.Plan.Outputs[0]).Shape.ToArray());
            var rng = new Random(7);
            var input = new float[2 * 3 * 4 * 5];
            for (int i = 0; i < input.Length; i++) input[i] = (float)(rng.NextDouble() * 4 - 2);
            var actual = (float[])GeneratedCode.Compile(result.Plan).Run(input)[0];
            for (int c = 0; c < 3; c++)
            for (int w = 0; w < 5; w++)
            {
                double sum = 0;
                for (int n = 0; n < 2; n++)
                for (int h = 0; h < 4; h++) sum += input[((n * 3 + c) * 4 + h) * 5 + w];
                Assert.True(Math.Abs(sum / 8 - actual[c * 5 + w]) < 1e-5, $"c={c} w={w}: expected {sum / 8}, got {actual[c * 5 + w]}");
            }
        }

        [Fact]
        public void ReduceMean_with_an_axis_out_of_range_is_an_invalid_node()
        {
            var (graph, _) = ReduceGraph("ReduceMean", new long[] { 2, 3 }, new long[] { 2 }, 13);
            var result = ModelCompiler.Lower(new ImportedModel(graph, "test", 8), "0", new CompileOptions { ClassName = "ReduceBadAxis", Namespace = "OpTests" });
            Assert.False(result.Success);
            Assert.Equal("EAOT0011", result.Diagnostics[0].Id);
            Assert.Contains("axis 2 is out of range", result.Diagnostics[0].Message);
        }

        [Fact]
        public void ReduceMax_with_a_run_time_axes_input_is_unsupported()
        {
            var (graph, node) = ReduceGraph("ReduceMax", new long[] { 2, 3 }, null, 18);
            var axes = new Value("axes", DataType.Int64, new long[] { 1 });
            graph.Inputs.Add(axes);
            node.Inputs.Add(axes);
            var result = ModelCompiler.Lower(new ImportedModel(graph, "test", 8), "0", new CompileOptions { ClassName = "ReduceRuntimeAxes", Namespace = "OpTests" });
            Assert.False(result.Success);
            Assert.Equal("EAOT0003", result.Diagnostics[0].Id);
        }

        [Fact]
        public void LayerNormalization_with_a_scale_that_does_not_broadcast_is_unsupported()
        {
            var graph = new Graph();
            var x = new Value("x", DataType.Float32, new long[] { 2, 3, 4 });
            var scale = new Value("scale", DataType.Float32, new long[] { 3, 1 }, TensorData.FromFloat32(new float[3]));
            var y = new Value("y", DataType.Undefined, Array.Empty<long>());
            var attrs = new AttributeSet();
            attrs.Set(Attribute.FromInt("axis", 1));
            graph.Opsets[""] = 17;
            graph.Inputs.Add(x);
            graph.Nodes.Add(new Node("ln", "LayerNormalization", "", new List<Value?> { x, scale }, new List<Value> { y }, attrs) { OpsetVersion = 17 });
            graph.Outputs.Add(y);
            var result = ModelCompiler.Lower(new ImportedModel(graph, "test", 8), "0", new CompileOptions { ClassName = "LayerNormBadScale", Namespace = "OpTests" });
            Assert.False(result.Success);
            Assert.Equal("EAOT0003", result.Diagnostics[0].Id);
        }
    }
}
