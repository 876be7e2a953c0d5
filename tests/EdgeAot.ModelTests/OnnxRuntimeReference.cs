using System;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeAot.ModelTests
{
    /// <summary>ONNX Runtime (single thread, sequential) on one of the shared models, as the reference.</summary>
    public sealed class OnnxRuntimeReference : IDisposable
    {
        private readonly SessionOptions _options;
        private readonly InferenceSession _session;
        private readonly string _inputName;

        public OnnxRuntimeReference(string file)
        {
            _options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
            _session = new InferenceSession(Path(file), _options);
            _inputName = _session.InputMetadata.Keys.Single();
        }

        public static string Path(string file)
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "EdgeAot.sln")))
                    return System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "models", "mlperf-tiny", file));
            }
            throw new DirectoryNotFoundException("EdgeAot.sln not found above " + AppContext.BaseDirectory);
        }

        /// <summary>Runs the model; the output as doubles whatever its element type.</summary>
        public double[] Run<T>(T[] input, ReadOnlySpan<int> shape)
        {
            var tensor = new DenseTensor<T>(input, shape.ToArray());
            using var results = _session.Run(new[] { NamedOnnxValue.CreateFromTensor(_inputName, tensor) });
            return results.First().Value switch
            {
                DenseTensor<float> f => f.ToArray().Select(v => (double)v).ToArray(),
                DenseTensor<sbyte> s => s.ToArray().Select(v => (double)v).ToArray(),
                var other => throw new InvalidOperationException("Unexpected output " + other.GetType().Name),
            };
        }

        public void Dispose()
        {
            _session.Dispose();
            _options.Dispose();
        }
    }
}
