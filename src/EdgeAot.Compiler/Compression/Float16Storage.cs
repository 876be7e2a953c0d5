using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;

namespace EdgeAot.Compiler.Compression
{
    /// <summary>
    /// fp16 weight storage: the float weights (input 1) of each Conv, Gemm and MatMul become a float16
    /// initializer (rounded to nearest, ties to even) followed by <c>Cast(to = float)</c>, the standard
    /// ONNX pattern every runtime executes; the layer still computes in float32. Biases stay float32
    /// (they are small and feed the accumulator directly). A tensor with a value beyond float16's range
    /// (|w| ≥ 65520 would become infinity) is left in float32 and named in the notes.
    /// EdgeAot's compiler keeps such weights as 2-byte data in the generated class and widens them
    /// inside the Gemm/MatMul kernel (<see cref="Passes.CompressedWeightLowering"/>).
    /// </summary>
    public static class Float16Storage
    {
        public static byte[] Convert(byte[] modelBytes, CompileOptions options, List<string> notes)
        {
            var editor = new OnnxGraphEditor(modelBytes, options);
            int converted = 0;
            foreach (var node in editor.Graph.Node.ToArray())
            {
                if (node.Domain.Length > 0 || node.OpType is not ("Conv" or "Gemm" or "MatMul") || node.Input.Count < 2) continue;
                string name = node.Input[1];
                var w = editor.FloatInitializer(name, out long[] dims);
                if (w is null || editor.Consumers(name).Count > 1) continue;
                var raw = new byte[w.Length * 2];
                bool inRange = true;
                for (int i = 0; i < w.Length && inRange; i++)
                {
                    ushort bits = Binary16.FromDouble(w[i]);
                    inRange = (bits & 0x7FFF) < Binary16.PositiveInfinity || float.IsInfinity(w[i]) || float.IsNaN(w[i]);
                    raw[2 * i] = (byte)bits;
                    raw[2 * i + 1] = (byte)(bits >> 8);
                }
                if (!inRange)
                {
                    notes.Add(Pruner.Label(node) + ": left in float32 (a weight is outside float16's range)");
                    continue;
                }
                string half = editor.AddInitializer(name + "_float16", DataType.Float16, dims, raw);
                string wide = editor.UniqueName(name + "_float32");
                int at = editor.Graph.Node.IndexOf(node);
                editor.InsertAfter(at > 0 ? editor.Graph.Node[at - 1] : null, "Cast", name + "_Cast", new[] { half }, new[] { wide }, OnnxAttribute.Int("to", (long)DataType.Float32));
                node.Input[1] = wide;
                notes.Add(Pruner.Label(node) + ": " + w.Length + " weights stored as float16");
                converted++;
            }
            if (converted == 0) throw new ModelException(DiagnosticCatalog.CompressionUnsupported, "no Conv, Gemm or MatMul float weights to store as float16.");
            editor.RemoveUnusedInitializers();
            return editor.ToBytes();
        }
    }
}
