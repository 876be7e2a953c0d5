using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Onnx
{
    /// <summary>Reads a serialized TensorProto, such as the ONNX backend tests' input_*.pb and output_*.pb files.</summary>
    public static class OnnxTensorFile
    {
        /// <summary>
        /// Returns the tensor's name, element type, shape and little-endian element bytes (4-bit
        /// types packed two per byte; strings as a 4-byte length plus UTF-8 bytes each). Malformed
        /// bytes or data that does not match the shape throw <see cref="Diagnostics.ModelException"/>.
        /// External data is refused.
        /// </summary>
        public static (string Name, DataType Type, long[] Dims, byte[] Data) ReadTensor(byte[] bytes)
        {
            var tensor = OnnxProtoParser.ParseTensor(bytes);
            var decoded = OnnxTensorDecoder.Decode(tensor, "tensor '" + Diagnostics.ModelDiagnostic.Printable(tensor.Name, 200) + "'", new CompileOptions(), null);
            return (tensor.Name, decoded.Type, decoded.Dims, decoded.Data);
        }
    }
}
