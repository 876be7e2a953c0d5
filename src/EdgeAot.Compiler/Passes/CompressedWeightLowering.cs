using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Passes
{
    /// <summary>
    /// Keeps compressed constant weights compressed in the generated class. A float Gemm / 2-D MatMul
    /// whose constant weights B hold few distinct values (weight sharing: <c>edgeaot share</c>, or any
    /// k-means codebook) or only values a float16 represents exactly (<c>edgeaot fp16</c>, or a float16
    /// initializer behind a Cast) becomes the internal <c>CompressedGemm</c>, which stores B as
    /// <list type="bullet">
    /// <item><c>codebook4</c>: at most 16 distinct values, two 4-bit indices per byte plus the codebook;</item>
    /// <item><c>codebook8</c>: at most 256 distinct values, one byte per weight plus the codebook;</item>
    /// <item><c>float16</c>: IEEE binary16 bit patterns, two bytes per weight;</item>
    /// </list>
    /// and decodes them inside the kernel. Decoding is exact (a codebook entry, or a binary16 value
    /// widened), so the result equals the Gemm on the folded float32 weights summed in the same order.
    /// The constant folding of Cast/Gather that produced the float32 weights is thus undone by
    /// looking at the values, whatever graph pattern stored them.
    /// Inputs after the pass: A, encoded weights, codebook (float32, absent for float16), C (optional).
    /// Attributes: m, n, k, format, alpha, beta, activation.
    /// Weights are laid out row by row of B[k, n] (B^T of a transB Gemm is transposed at build time):
    /// float16 and codebook8 one element per weight; codebook4 rows of <c>ceil(n / 32)</c> groups of
    /// 16 bytes, byte t of a group holding column t (low nibble) and column t + 16 (high nibble), padded
    /// with index 0 (one 16-byte load and one permute per 16 weights).
    /// </summary>
    public static class CompressedWeightLowering
    {
        public const string OpType = "CompressedGemm";

        /// <summary>Smaller weights are left to the dense kernel: the saving would not pay for the decode code.</summary>
        public const long MinWeights = 1024;

        public const string Float16 = "float16";
        public const string Codebook8 = "codebook8";
        public const string Codebook4 = "codebook4";

        public static void Run(Graph graph)
        {
            var consumers = graph.Consumers();
            for (int i = 0; i < graph.Nodes.Count; i++)
            {
                var node = graph.Nodes[i];
                if (node.OpType is not ("Gemm" or "MatMul") || node.Domain.Length > 0) continue;
                var b = node.Input(1);
                // A B read elsewhere too would be stored twice.
                if (b is null || !consumers.TryGetValue(b, out var readers) || readers.Count != 1 || graph.IsGraphOutput(b)) continue;
                var compressed = TryConvert(node);
                if (compressed is not null) graph.Nodes[i] = compressed;
            }
        }

        /// <summary>The storage format that holds every weight exactly in the fewest bytes, or null when none beats float32.</summary>
        public static string? ChooseFormat(float[] weights, out float[] codebook)
        {
            codebook = Array.Empty<float>();
            var distinct = new HashSet<int>();
            bool halfExact = true;
            foreach (float w in weights)
            {
                if (float.IsNaN(w) || float.IsInfinity(w)) return null; // the kernels skip zero activations, exact only for finite weights
                // Bit patterns, so 0 and -0 stay apart (a codebook must give back the exact weight).
                if (distinct.Count <= 256) distinct.Add(BitConverter.ToInt32(BitConverter.GetBytes(w), 0));
                if (halfExact && Binary16.ToDouble(Binary16.FromDouble(w)) != w) halfExact = false;
                if (distinct.Count > 256 && !halfExact) return null;
            }
            if (distinct.Count <= 256)
            {
                var bits = new List<int>(distinct);
                bits.Sort();
                codebook = bits.ConvertAll(v => BitConverter.ToSingle(BitConverter.GetBytes(v), 0)).ToArray();
                return distinct.Count <= 16 ? Codebook4 : Codebook8;
            }
            return Float16;
        }

        /// <summary>Bytes of the encoded weights of a k × n matrix.</summary>
        public static long EncodedBytes(string format, long k, long n) => format switch
        {
            Codebook4 => k * ((n + 31) / 32) * 16,
            Codebook8 => k * n,
            _ => k * n * 2,
        };

        private static Node? TryConvert(Node node)
        {
            var a = node.Inputs[0];
            var b = node.Input(1);
            if (a is null || b is null || !b.IsConstant || b.Rank != 2 || a.Type != DataType.Float32 || b.Type != DataType.Float32) return null;
            if (a.Rank != 2 || node.Outputs[0].Type != DataType.Float32) return null;
            var attrs = node.Attributes;
            bool isGemm = node.OpType == "Gemm";
            if (isGemm && attrs.GetInt("transA", 0) != 0) return null;
            bool transB = isGemm && attrs.GetInt("transB", 0) != 0;
            long m = a.Shape[0], k = a.Shape[1];
            long n = transB ? b.Shape[0] : b.Shape[1];
            if ((transB ? b.Shape[1] : b.Shape[0]) != k || k * n < MinWeights || k * n > int.MaxValue) return null;

            float[] w = TensorData.ToFloat32(b);
            string? format = ChooseFormat(w, out float[] codebook);
            if (format is null) return null;
            float Weight(long t, long j) => transB ? w[j * k + t] : w[t * n + j];

            Value encoded;
            if (format == Float16)
            {
                var data = new byte[k * n * 2];
                for (long t = 0; t < k; t++)
                    for (long j = 0; j < n; j++)
                    {
                        ushort bits = Binary16.FromDouble(Weight(t, j));
                        data[(t * n + j) * 2] = (byte)bits;
                        data[(t * n + j) * 2 + 1] = (byte)(bits >> 8);
                    }
                encoded = new Value(b.Name + "_float16", DataType.Float16, new[] { k * n }, data);
            }
            else
            {
                var index = new Dictionary<float, byte>();
                for (int c = 0; c < codebook.Length; c++) index[codebook[c]] = (byte)c;
                byte Index(long t, long j)
                {
                    float v = Weight(t, j);
                    // Dictionary<float> treats 0 and -0 as one key; the codebook keeps both, so look up by sign.
                    if (v == 0f) return (byte)Array.FindIndex(codebook, e => e == 0f && (1f / e > 0) == (1f / v > 0));
                    return index[v];
                }
                long bytes = EncodedBytes(format, k, n);
                var data = new byte[bytes];
                if (format == Codebook8)
                {
                    for (long t = 0; t < k; t++)
                        for (long j = 0; j < n; j++) data[t * n + j] = Index(t, j);
                }
                else
                {
                    long rowBytes = (n + 31) / 32 * 16;
                    for (long t = 0; t < k; t++)
                        for (long j = 0; j < n; j++)
                        {
                            long group = j / 32, lane = j % 32;
                            long at = t * rowBytes + group * 16 + lane % 16;
                            data[at] |= (byte)(lane < 16 ? Index(t, j) : Index(t, j) << 4);
                        }
                }
                encoded = new Value(b.Name + "_" + format + "_indices", DataType.UInt8, new[] { bytes }, data);
            }
            // A 4-bit codebook is padded to 16 entries so the kernel can load it into one 16-lane register.
            float[] padded = codebook;
            if (format == Codebook4 && codebook.Length < 16) Array.Resize(ref padded, 16);
            var inputs = new List<Value?>
            {
                a,
                encoded,
                format == Float16 ? null : new Value(b.Name + "_codebook", DataType.Float32, new[] { (long)padded.Length }, TensorData.FromFloat32(padded)),
                isGemm ? node.Input(2) : null,
            };
            var compressed = new Node(node.Name, OpType, SparseGemmLowering.Domain, inputs, new List<Value>(node.Outputs), new AttributeSet()) { OpsetVersion = node.OpsetVersion };
            compressed.FusedFrom.AddRange(node.FusedFrom);
            compressed.Attributes.Set(Attribute.FromInt("m", m));
            compressed.Attributes.Set(Attribute.FromInt("n", n));
            compressed.Attributes.Set(Attribute.FromInt("k", k));
            compressed.Attributes.Set(Attribute.FromString("format", format));
            compressed.Attributes.Set(Attribute.FromFloat("alpha", isGemm ? attrs.GetFloat("alpha", 1f) : 1f));
            compressed.Attributes.Set(Attribute.FromFloat("beta", isGemm ? attrs.GetFloat("beta", 1f) : 1f));
            foreach (string name in new[] { "activation", "activation_min", "activation_max" })
            {
                if (attrs.Find(name) is { } activation) compressed.Attributes.Set(activation);
            }
            return compressed;
        }
    }
}
