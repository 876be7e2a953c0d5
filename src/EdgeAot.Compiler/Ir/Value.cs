namespace EdgeAot.Compiler.Ir
{
    /// <summary>
    /// A tensor in the graph: an edge produced by one node (or a graph input, or a constant) and
    /// consumed by any number of nodes. Shapes are static; <see cref="Data"/> is set for constants.
    /// </summary>
    /// <summary>Integer data with per-tensor (one entry) or per-axis scales and zero points.</summary>
    public sealed class QuantizedOrigin
    {
        public QuantizedOrigin(DataType type, long[] values, float[] scales, long[] zeroPoints, int axis)
        {
            Type = type;
            Values = values;
            Scales = scales;
            ZeroPoints = zeroPoints;
            Axis = axis;
        }

        public DataType Type { get; }

        public long[] Values { get; }

        public float[] Scales { get; }

        public long[] ZeroPoints { get; }

        public int Axis { get; }
    }

    public sealed class Value
    {
        public Value(string name, DataType type, long[] shape, byte[]? data = null)
        {
            Name = name;
            Type = type;
            Shape = shape;
            Data = data;
        }

        /// <summary>The ONNX name; untrusted text, used for diagnostics and escaped comments only.</summary>
        public string Name { get; set; }

        public DataType Type { get; set; }

        public long[] Shape { get; set; }

        /// <summary>Little-endian element bytes for a constant; null for a computed tensor.</summary>
        public byte[]? Data { get; set; }

        public bool IsConstant => Data is not null;

        /// <summary>
        /// For a float constant folded from DequantizeLinear: the integer tensor and parameters it
        /// came from, so quantized patterns can still use the integer weights after folding.
        /// </summary>
        public QuantizedOrigin? Quantized { get; set; }

        public long ElementCount => Ir.Shape.ElementCount(Shape);

        public int Rank => Shape.Length;

        public override string ToString() => Name + ":" + DataTypes.PlanName(Type) + Ir.Shape.Format(Shape);
    }
}
