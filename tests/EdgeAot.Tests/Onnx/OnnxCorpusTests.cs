using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Tests.Harness;
using Xunit.Abstractions;

namespace EdgeAot.Tests.Onnx
{
    /// <summary>The importer on every model in the shared data: only diagnostics, never another exception.</summary>
    public class OnnxCorpusTests
    {
        private static readonly string[] MlperfModels =
        {
            "ad01_fp32.onnx", "ad01_int8.onnx", "ic.onnx", "kws_ref_model.onnx", "kws_ref_model_float32.onnx", "vww_96_float.onnx",
        };

        private readonly ITestOutputHelper _output;

        public OnnxCorpusTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void EveryBackendNodeCaseAndMlperfModel_ImportsOrGivesADiagnostic()
        {
            var paths = SharedData.NodeCases.Select(c => Path.Combine(c, "model.onnx")).Concat(MlperfModels.Select(SharedData.Model)).ToList();
            Assert.True(paths.Count > 1800, "expected the ONNX backend node cases, found " + paths.Count);

            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var examples = new Dictionary<string, string>();
            foreach (string path in paths)
            {
                var options = new CompileOptions { ModelPath = path, ModelDirectory = Path.GetDirectoryName(path) };
                string outcome;
                try
                {
                    OnnxImporter.Import(File.ReadAllBytes(path), options);
                    outcome = "imported";
                }
                catch (ModelException e)
                {
                    outcome = e.Diagnostic.Id;
                    if (!examples.ContainsKey(outcome)) examples[outcome] = path + ": " + e.Diagnostic.FormatMessage();
                }
                counts[outcome] = counts.TryGetValue(outcome, out int n) ? n + 1 : 1;
                if (!path.Contains("onnx-backend", StringComparison.Ordinal)) _output.WriteLine(Path.GetFileName(path) + ": " + outcome);
            }
            foreach (var pair in counts) _output.WriteLine(pair.Key + ": " + pair.Value + (examples.TryGetValue(pair.Key, out var e1) ? "   e.g. " + e1 : ""));

            // Most backend cases are plain static-shape tensor graphs; a drop here means a regression in the importer.
            Assert.True(counts.TryGetValue("imported", out int imported) && imported > 1400, "only " + imported + " models imported");
        }

        [Fact]
        public void EveryBackendTensorInput0_ReadsAsATensor()
        {
            int read = 0, notTensor = 0;
            foreach (string dir in SharedData.NodeCases)
            {
                string path = Path.Combine(dir, "test_data_set_0", "input_0.pb");
                if (!File.Exists(path)) continue;
                // Sequence and optional inputs are stored as SequenceProto/OptionalProto, not TensorProto.
                var model = OnnxProtoParser.ParseModel(File.ReadAllBytes(Path.Combine(dir, "model.onnx")), 64);
                var initializers = new HashSet<string>(model.Graph!.Initializer.Select(t => t.Name), StringComparer.Ordinal);
                var firstInput = model.Graph.Input.First(i => !initializers.Contains(i.Name));
                if (firstInput.Type?.Kind != TypeProtoKind.Tensor)
                {
                    notTensor++;
                    continue;
                }

                var (_, type, dims, data) = OnnxTensorFile.ReadTensor(File.ReadAllBytes(path));

                Assert.Equal(firstInput.Type.ElemType, (int)type);
                Assert.Equal(firstInput.Type.Shape?.Dim.Count ?? dims.Length, dims.Length);
                if (type is not (Compiler.Ir.DataType.String or Compiler.Ir.DataType.Int4 or Compiler.Ir.DataType.UInt4
                    or Compiler.Ir.DataType.Float4E2M1 or Compiler.Ir.DataType.Int2 or Compiler.Ir.DataType.UInt2))
                {
                    Assert.Equal(Compiler.Ir.Shape.ByteSize(dims, type), data.LongLength);
                }
                read++;
            }
            _output.WriteLine("input_0.pb tensors read: " + read + ", non-tensor inputs skipped: " + notTensor);
            Assert.True(read > 1000, "expected more than 1000 input_0.pb tensors, found " + read);
        }
    }
}
