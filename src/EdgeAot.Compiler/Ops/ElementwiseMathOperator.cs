using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// Elementwise math, table-driven: unary activations and functions (LeakyRelu, Elu, Selu, Celu,
    /// ThresholdedRelu, HardSigmoid, HardSwish, Softplus, Softsign, Mish, Gelu, Swish, Shrink, Erf,
    /// Exp, Log, Sqrt, Reciprocal, Neg, Abs, Sign, Floor, Ceil, Round, the trigonometric and
    /// hyperbolic functions, IsNaN, IsInf), binary ops with numpy broadcasting (Pow, Mod, BitShift,
    /// PRelu) and the variadic Min, Max, Sum, Mean. Each op is one row of <see cref="Specs"/>: its
    /// input count, element types, first supported opset and float attributes with their defaults.
    /// </summary>
    /// <remarks>
    /// Plan attributes after lowering: every float attribute of the op with its default filled in
    /// (alpha, beta, gamma, lambd, bias), and <c>approximate</c> (Gelu: "none"/"tanh"),
    /// <c>detect_negative</c>/<c>detect_positive</c> (IsInf: 0/1), <c>fmod</c> (Mod: 0/1),
    /// <c>direction</c> (BitShift: "LEFT"/"RIGHT"). Nothing else. The scalar semantics are in
    /// <see cref="ScalarMath"/> (evaluator) and the generator's expression table (kernels).
    /// </remarks>
    public sealed class ElementwiseMathOperator : OperatorDefinition
    {
        /// <summary>Element type classes an op accepts (within the types EdgeAot supports).</summary>
        [Flags]
        public enum TypeClass
        {
            Float = 1,
            Signed = 2,
            Unsigned = 4,
            Numeric = Float | Signed | Unsigned,
        }

        /// <summary>One op of the family.</summary>
        public sealed class Spec
        {
            public Spec(string op, int minOpset, TypeClass types, int minInputs = 1, int maxInputs = 1, params (string Name, float Default)[] floats)
            {
                Op = op;
                MinOpset = minOpset;
                Types = types;
                MinInputs = minInputs;
                MaxInputs = maxInputs;
                Floats = floats;
            }

            public string Op { get; }

            public int MinOpset { get; }

            public TypeClass Types { get; }

            public int MinInputs { get; }

            public int MaxInputs { get; }

            /// <summary>Float attributes and their defaults (at the newest opset).</summary>
            public (string Name, float Default)[] Floats { get; }

            /// <summary>More than one input: operands are broadcast together numpy-style.</summary>
            public bool IsBroadcasting => MaxInputs > 1;
        }

        private const int Variadic = int.MaxValue;

        /// <summary>Selu's defaults from opset 6 (opset 1 had the 5-digit values 1.6732 and 1.0507).</summary>
        public const float SeluAlpha = 1.67326319217681884765625f, SeluGamma = 1.05070102214813232421875f;

        public static readonly IReadOnlyDictionary<string, Spec> Specs = BuildSpecs(
            new Spec("LeakyRelu", 1, TypeClass.Float, floats: ("alpha", 0.01f)),
            new Spec("Elu", 1, TypeClass.Float, floats: ("alpha", 1f)),
            new Spec("Selu", 1, TypeClass.Float, floats: new[] { ("alpha", SeluAlpha), ("gamma", SeluGamma) }),
            new Spec("Celu", 12, TypeClass.Float, floats: ("alpha", 1f)),
            new Spec("ThresholdedRelu", 10, TypeClass.Float, floats: ("alpha", 1f)),
            new Spec("HardSigmoid", 1, TypeClass.Float, floats: new[] { ("alpha", 0.2f), ("beta", 0.5f) }),
            new Spec("HardSwish", 14, TypeClass.Float),
            new Spec("Softplus", 1, TypeClass.Float),
            new Spec("Softsign", 1, TypeClass.Float),
            new Spec("Mish", 18, TypeClass.Float),
            new Spec("Gelu", 20, TypeClass.Float),
            new Spec("Swish", 24, TypeClass.Float, floats: ("alpha", 1f)),
            new Spec("Shrink", 9, TypeClass.Float, floats: new[] { ("lambd", 0.5f), ("bias", 0f) }),
            new Spec("Erf", 9, TypeClass.Float),
            new Spec("Exp", 1, TypeClass.Float),
            new Spec("Log", 1, TypeClass.Float),
            new Spec("Sqrt", 1, TypeClass.Float),
            new Spec("Reciprocal", 1, TypeClass.Float),
            new Spec("Floor", 1, TypeClass.Float),
            new Spec("Ceil", 1, TypeClass.Float),
            new Spec("Round", 11, TypeClass.Float),
            new Spec("Neg", 1, TypeClass.Float | TypeClass.Signed),
            new Spec("Abs", 1, TypeClass.Numeric),
            new Spec("Sign", 9, TypeClass.Numeric),
            new Spec("Sin", 7, TypeClass.Float),
            new Spec("Cos", 7, TypeClass.Float),
            new Spec("Tan", 7, TypeClass.Float),
            new Spec("Asin", 7, TypeClass.Float),
            new Spec("Acos", 7, TypeClass.Float),
            new Spec("Atan", 7, TypeClass.Float),
            new Spec("Sinh", 9, TypeClass.Float),
            new Spec("Cosh", 9, TypeClass.Float),
            new Spec("Asinh", 9, TypeClass.Float),
            new Spec("Acosh", 9, TypeClass.Float),
            new Spec("Atanh", 9, TypeClass.Float),
            new Spec("IsNaN", 9, TypeClass.Float),
            new Spec("IsInf", 10, TypeClass.Float),
            new Spec("PRelu", 7, TypeClass.Numeric, 2, 2),
            new Spec("Pow", 7, TypeClass.Float | TypeClass.Signed, 2, 2),
            new Spec("Mod", 10, TypeClass.Numeric, 2, 2),
            new Spec("BitShift", 11, TypeClass.Unsigned, 2, 2),
            new Spec("Min", 1, TypeClass.Numeric, 1, Variadic),
            new Spec("Max", 1, TypeClass.Numeric, 1, Variadic),
            new Spec("Sum", 1, TypeClass.Float, 1, Variadic),
            new Spec("Mean", 1, TypeClass.Float, 1, Variadic));

        public override IReadOnlyList<string> OpTypes { get; } = SortedOps();

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public static bool InClass(DataType type, TypeClass types) => type switch
        {
            DataType.Float32 or DataType.Float64 => (types & TypeClass.Float) != 0,
            DataType.Int8 or DataType.Int16 or DataType.Int32 or DataType.Int64 => (types & TypeClass.Signed) != 0,
            DataType.UInt8 or DataType.UInt16 or DataType.UInt32 or DataType.UInt64 => (types & TypeClass.Unsigned) != 0,
            _ => false,
        };

        /// <summary>Output element type: bool for the IsNaN/IsInf predicates, otherwise input 0's type.</summary>
        public static DataType OutputType(string op, DataType input) => op is "IsNaN" or "IsInf" ? DataType.Bool : input;

        public override void Lower(Node node, LoweringContext context)
        {
            var spec = Specs[node.OpType];
            if (node.OpsetVersion < spec.MinOpset)
                throw new ModelException(DiagnosticCatalog.UnsupportedOpset, node.OpType + " at opset " + node.OpsetVersion + " is not supported (minimum " + spec.MinOpset + ").", node.Name);
            int count = node.Inputs.Count;
            if (count < spec.MinInputs || count > spec.MaxInputs)
                throw context.Fail(node, "expects " + (spec.MinInputs == spec.MaxInputs ? spec.MinInputs.ToString() : "at least " + spec.MinInputs) + " input(s), got " + count + ".");
            var inputs = new Value[count];
            for (int i = 0; i < count; i++) inputs[i] = context.Required(node, i);
            var type = inputs[0].Type;
            if (!InClass(type, AllowedTypes(spec, node.OpsetVersion))) throw context.UnsupportedType(node, type);
            for (int i = 1; i < count; i++)
            {
                if (node.OpType == "Pow" && node.OpsetVersion >= 12)
                {
                    if (!InClass(inputs[i].Type, TypeClass.Numeric)) throw context.UnsupportedType(node, inputs[i].Type);
                }
                else if (inputs[i].Type != type)
                {
                    throw context.Fail(node, "input " + i + " has element type " + inputs[i].Type + ", expected " + type + " like input 0.");
                }
            }

            var shape = inputs[0].Shape;
            bool numpy = node.OpsetVersion >= 8 || node.OpType is "Pow" or "PRelu";
            for (int i = 1; i < count; i++)
            {
                if (!numpy && !Shape.SameAs(shape, inputs[i].Shape))
                    throw context.Fail(node, "opset " + node.OpsetVersion + " needs inputs of one shape (broadcasting starts at opset 8); got " + Shape.Format(shape) + " and " + Shape.Format(inputs[i].Shape) + ".");
                shape = Shape.Broadcast(shape, inputs[i].Shape)
                    ?? throw context.Fail(node, "input shapes " + Shape.Format(shape) + " and " + Shape.Format(inputs[i].Shape) + " cannot be broadcast together.");
            }
            if (node.OpType == "PRelu" && !Shape.SameAs(shape, inputs[0].Shape))
                throw context.Fail(node, "slope " + Shape.Format(inputs[1].Shape) + " must broadcast onto X " + Shape.Format(inputs[0].Shape) + " (unidirectional broadcasting).");

            NormalizeAttributes(node, spec, type, context);
            context.SetOutput(node, 0, OutputType(node.OpType, type), (long[])shape.Clone());
        }

        private static TypeClass AllowedTypes(Spec spec, int opset) => spec.Op switch
        {
            // Integer types arrived later than the ops themselves.
            "Neg" or "Abs" when opset < 6 => TypeClass.Float,
            "Min" or "Max" when opset < 12 => TypeClass.Float,
            "Pow" when opset < 12 => TypeClass.Float,
            "PRelu" when opset < 9 => TypeClass.Float,
            _ => spec.Types,
        };

        private static void NormalizeAttributes(Node node, Spec spec, DataType type, LoweringContext context)
        {
            var values = new List<Ir.Attribute>();
            foreach (var (name, fallback) in spec.Floats)
            {
                float value = fallback;
                if (node.OpType == "Selu" && node.OpsetVersion < 6) value = name == "alpha" ? 1.6732f : 1.0507f;
                var attribute = node.Attributes.Find(name);
                if (attribute is not null)
                {
                    if (attribute.Kind != AttributeKind.Float) throw context.Fail(node, "attribute '" + name + "' must be a float.");
                    value = attribute.Float;
                }
                values.Add(Ir.Attribute.FromFloat(name, value));
            }
            switch (node.OpType)
            {
                case "Gelu":
                    string approximate = node.Attributes.GetString("approximate", "none");
                    if (approximate is not ("none" or "tanh")) throw context.Fail(node, "approximate must be \"none\" or \"tanh\", got \"" + ModelDiagnostic.Printable(approximate, 40) + "\".");
                    values.Add(Ir.Attribute.FromString("approximate", approximate));
                    break;
                case "IsInf":
                    values.Add(Ir.Attribute.FromInt("detect_negative", node.Attributes.GetInt("detect_negative", 1) != 0 ? 1 : 0));
                    values.Add(Ir.Attribute.FromInt("detect_positive", node.Attributes.GetInt("detect_positive", 1) != 0 ? 1 : 0));
                    break;
                case "Mod":
                    long fmod = node.Attributes.GetInt("fmod", 0);
                    if (fmod is not (0 or 1)) throw context.Fail(node, "fmod must be 0 or 1, got " + fmod + ".");
                    if (fmod == 0 && DataTypes.IsFloat(type)) throw context.Fail(node, "floating-point inputs need fmod=1 (the spec leaves fmod=0 undefined for them).");
                    values.Add(Ir.Attribute.FromInt("fmod", fmod));
                    break;
                case "BitShift":
                    string direction = node.Attributes.GetString("direction", "");
                    if (direction is not ("LEFT" or "RIGHT")) throw context.Fail(node, "direction must be \"LEFT\" or \"RIGHT\", got \"" + ModelDiagnostic.Printable(direction, 40) + "\".");
                    values.Add(Ir.Attribute.FromString("direction", direction));
                    break;
                case "PRelu":
                case "Pow":
                    // The spec's integer types for these are 32 and 64 bits wide only.
                    if (type is DataType.Int8 or DataType.Int16 or DataType.UInt8 or DataType.UInt16) throw context.UnsupportedType(node, type);
                    break;
            }
            NodeAttributes.KeepOnly(node);
            foreach (var a in values) node.Attributes.Set(a);
        }

        public override bool CanEvaluate(Node node) => true;

        public override void Evaluate(Node node, LoweringContext context)
        {
            var y = node.Outputs[0];
            int count = node.Inputs.Count;
            var inputs = new Value[count];
            var strides = new long[count][];
            for (int k = 0; k < count; k++)
            {
                inputs[k] = node.Inputs[k]!;
                strides[k] = Broadcasting.Strides(Broadcasting.Align(inputs[k].Shape, y.Rank, y.Rank - inputs[k].Rank), y.Shape);
            }
            long n = y.ElementCount;
            var data = new byte[Shape.ByteSize(y.Shape, y.Type)];
            var type = inputs[0].Type;
            var doubles = new double[count];
            var longs = new long[count];
            var types = new DataType[count];
            for (int k = 0; k < count; k++) types[k] = inputs[k].Type;
            for (long i = 0; i < n; i++)
            {
                for (int k = 0; k < count; k++)
                {
                    long offset = Broadcasting.Offset(i, y.Shape, strides[k]);
                    doubles[k] = types[k] == DataType.UInt64 ? (ulong)TensorData.ReadAsInt64(inputs[k].Data!, types[k], offset) : TensorData.ReadAsDouble(inputs[k].Data!, types[k], offset);
                    longs[k] = TensorData.ReadAsInt64(inputs[k].Data!, types[k], offset);
                }
                if (y.Type == DataType.Bool)
                    data[i] = ScalarMath.Predicate(node.OpType, doubles[0], node.Attributes) ? (byte)1 : (byte)0;
                else if (DataTypes.IsFloat(type))
                {
                    double v = ScalarMath.Float(node.OpType, doubles, node.Attributes);
                    TensorData.Write(data, type, i, type == DataType.Float32 ? (float)v : v);
                }
                else
                {
                    long v = ScalarMath.Integer(node.OpType, longs, doubles, types, node.Attributes, out bool divisionByZero);
                    if (divisionByZero) throw context.Fail(node, "integer division by zero in a constant expression.");
                    TensorData.WriteInt64(data, type, i, ScalarMath.Wrap(v, type));
                }
            }
            y.Data = data;
        }

        public override bool CanRunInPlace(Node node)
        {
            var x = node.Inputs[0];
            var y = node.Outputs[0];
            return x is not null && x.Type == y.Type && Shape.SameAs(x.Shape, y.Shape);
        }

        private static Dictionary<string, Spec> BuildSpecs(params Spec[] specs)
        {
            var map = new Dictionary<string, Spec>(StringComparer.Ordinal);
            foreach (var s in specs) map.Add(s.Op, s);
            return map;
        }

        private static string[] SortedOps()
        {
            var ops = new List<string>(Specs.Keys);
            ops.Sort(StringComparer.Ordinal);
            return ops.ToArray();
        }
    }
}
