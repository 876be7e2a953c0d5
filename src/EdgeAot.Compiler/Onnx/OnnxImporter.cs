using System;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Onnx
{
    /// <summary>The graph and model metadata read from an ONNX file.</summary>
    public sealed class ImportedModel
    {
        public ImportedModel(Graph graph, string producer, long irVersion)
        {
            Graph = graph;
            Producer = producer;
            IrVersion = irVersion;
        }

        public Graph Graph { get; }

        public string Producer { get; }

        public long IrVersion { get; }
    }

    /// <summary>Reads ONNX protobuf into the IR, validating as it goes.</summary>
    public static class OnnxImporter
    {
        public static ImportedModel Import(byte[] modelBytes, CompileOptions options)
            => throw new NotImplementedException("ONNX import is being written.");
    }
}
