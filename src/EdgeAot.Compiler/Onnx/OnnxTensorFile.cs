using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Onnx
{
    /// <summary>Reads a serialized TensorProto file (the ONNX backend tests' input_N.pb / output_N.pb).</summary>
    public static class OnnxTensorFile
    {
        public static (string Name, DataType Type, long[] Dims, byte[] Data) ReadTensor(byte[] bytes)
        {
            var proto = TensorProto.Parse(new ProtoReader(bytes));
            var value = TensorDecoder.Decode(proto, new CompileOptions { MaxTensorBytes = long.MaxValue });
            return (value.Name, value.Type, value.Shape, value.Data!);
        }
    }
}
