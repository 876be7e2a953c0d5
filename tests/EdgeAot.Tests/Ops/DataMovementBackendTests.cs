using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Plan;
using EdgeAot.Tests.Harness;

namespace EdgeAot.Tests.Ops
{
    /// <summary>
    /// ONNX backend cases of the data-movement, shape and comparison ops, with some graph inputs
    /// bound to their test values as constants. The backend feeds starts/ends, pads, repeats and
    /// split sizes as run-time inputs, which EdgeAot refuses (they must be build-time constants), so
    /// the conformance tier alone never runs these kernels. Keeping only the first inputs
    /// run-time exercises the emitted kernels; binding every input folds the whole graph and
    /// exercises the build-time evaluators against the same expected outputs.
    /// </summary>
    public class DataMovementBackendTests
    {
        private static readonly string[] KernelCases =
        {
            "test_slice", "test_slice_default_axes", "test_slice_default_steps", "test_slice_end_out_of_bounds", "test_slice_neg",
            "test_slice_neg_steps", "test_slice_negative_axes", "test_slice_start_out_of_bounds",
            "test_constant_pad", "test_constant_pad_axes", "test_constant_pad_negative_axes", "test_edge_pad", "test_reflect_pad", "test_wrap_pad",
            "test_split_variable_parts_1d_opset13", "test_split_variable_parts_1d_opset18", "test_split_variable_parts_2d_opset13",
            "test_split_variable_parts_default_axis_opset18",
            "test_tile", "test_tile_precomputed", "test_expand_dim_changed", "test_expand_dim_unchanged",
            "test_gather_0", "test_gather_1", "test_gather_2d_indices", "test_gather_negative_indices",
        };

        private static readonly string[] FoldedOnlyCases =
        {
            "test_range_float_type_positive_delta", "test_range_int32_type_negative_delta",
            "test_constantofshape_float_ones", "test_constantofshape_int_zeros",
            "test_where_example", "test_where_long_example", "test_depthtospace_example", "test_depthtospace_crd_mode_example",
            "test_spacetodepth_example", "test_equal_bcast", "test_greater_uint64", "test_less_equal_bcast", "test_xor_bcast4v4d", "test_not_2d",
            "test_cast_FLOAT_to_DOUBLE", "test_cast_DOUBLE_to_FLOAT", "test_split_equal_parts_2d_opset13", "test_split_1d_uneven_split_opset18",
        };

        [Fact]
        public void Backend_cases_with_constant_shape_inputs_pass_as_kernels_and_as_folded_constants()
        {
            var cases = new List<(string Name, int RunTimeInputs)>();
            foreach (string name in KernelCases)
            {
                cases.Add((name, 1));
                cases.Add((name, 0));
            }
            foreach (string name in FoldedOnlyCases) cases.Add((name, 0));

            var plans = new List<(string Name, int Kept, string Dir, ModelPlan Plan)>();
            var failures = new List<string>();
            foreach (var (name, kept) in cases)
            {
                string dir = Path.Combine(SharedData.Root, "onnx-backend", "node", name);
                var options = new CompileOptions { ClassName = "Bound" + plans.Count, Namespace = "BoundCases", ModelPath = name + ".onnx" };
                ImportedModel model;
                try
                {
                    model = OnnxImporter.Import(File.ReadAllBytes(Path.Combine(dir, "model.onnx")), options);
                }
                catch (Compiler.Diagnostics.ModelException e)
                {
                    failures.Add(name + ": import failed: " + e.Message);
                    continue;
                }
                var graph = model.Graph;
                for (int i = graph.Inputs.Count - 1; i >= kept; i--)
                {
                    var tensor = OnnxTensorFile.ReadTensor(File.ReadAllBytes(Path.Combine(dir, "test_data_set_0", "input_" + i + ".pb")));
                    graph.Inputs[i].Data = tensor.Data;
                    graph.Inputs.RemoveAt(i);
                }
                var result = ModelCompiler.Lower(model, "0", options);
                if (!result.Success) failures.Add(name + " (" + kept + " run-time inputs): " + string.Join("; ", result.Diagnostics));
                else plans.Add((name, kept, dir, result.Plan!));
            }

            var compiled = GeneratedCode.Compile(plans.Select(p => p.Plan).ToList());
            foreach (var (name, kept, dir, plan) in plans)
            {
                var model = compiled.Get(plan);
                string set = Path.Combine(dir, "test_data_set_0");
                var inputs = new Array[kept];
                for (int i = 0; i < kept; i++)
                {
                    var t = OnnxTensorFile.ReadTensor(File.ReadAllBytes(Path.Combine(set, "input_" + i + ".pb")));
                    inputs[i] = ToArray(t.Type, t.Data, Shape.ElementCount(t.Dims));
                }
                var outputs = model.Run(inputs);
                for (int o = 0; o < outputs.Length; o++)
                {
                    var expected = OnnxTensorFile.ReadTensor(File.ReadAllBytes(Path.Combine(set, "output_" + o + ".pb")));
                    var actualTensor = plan.Tensor(plan.Outputs[o]);
                    string label = name + " (" + kept + " run-time inputs) output " + o;
                    if (!Shape.SameAs(expected.Dims, actualTensor.Shape.ToArray()) || expected.Type != actualTensor.Type)
                    {
                        failures.Add(label + ": expected " + expected.Type + Shape.Format(expected.Dims) + ", got " + actualTensor.Type + Shape.Format(actualTensor.Shape.ToArray()));
                        continue;
                    }
                    var want = ToArray(expected.Type, expected.Data, Shape.ElementCount(expected.Dims));
                    for (int i = 0; i < want.Length; i++)
                    {
                        object e = want.GetValue(i)!, a = outputs[o].GetValue(i)!;
                        bool same = e is float f ? float.IsNaN(f) ? float.IsNaN((float)a) : f == (float)a || Math.Abs(f - (float)a) <= 1e-5f * Math.Max(1, Math.Abs(f)) : e.Equals(a);
                        if (!same)
                        {
                            failures.Add(label + " element " + i + ": expected " + e + ", got " + a);
                            break;
                        }
                    }
                }
            }
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }

        private static Array ToArray(DataType type, byte[] data, long count)
        {
            var array = Array.CreateInstance(CompiledModel.ClrType(type), count);
            Buffer.BlockCopy(data, 0, array, 0, checked((int)(count * DataTypes.SizeOf(type))));
            return array;
        }
    }
}
