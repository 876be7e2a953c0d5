using System;

namespace EdgeAot.Compiler.Ir
{
    /// <summary>Element types, numbered as ONNX's TensorProto.DataType so import is a cast.</summary>
    public enum DataType
    {
        Undefined = 0,
        Float32 = 1,
        UInt8 = 2,
        Int8 = 3,
        UInt16 = 4,
        Int16 = 5,
        Int32 = 6,
        Int64 = 7,
        String = 8,
        Bool = 9,
        Float16 = 10,
        Float64 = 11,
        UInt32 = 12,
        UInt64 = 13,
        Complex64 = 14,
        Complex128 = 15,
        BFloat16 = 16,
        Float8E4M3FN = 17,
        Float8E4M3FNUZ = 18,
        Float8E5M2 = 19,
        Float8E5M2FNUZ = 20,
        UInt4 = 21,
        Int4 = 22,
        Float4E2M1 = 23,
        Float8E8M0 = 24,
        UInt2 = 25,
        Int2 = 26,
    }

    public static class DataTypes
    {
        /// <summary>
        /// Types EdgeAot can hold in a tensor of generated code. Holding is not computing: each
        /// operator family says what it does with float16 (<see cref="Ops.OperatorDefinition.Float16"/>).
        /// </summary>
        public static bool IsSupported(DataType type) => type switch
        {
            DataType.Float32 or DataType.Float16 or DataType.UInt8 or DataType.Int8 or DataType.UInt16 or DataType.Int16
                or DataType.Int32 or DataType.Int64 or DataType.Bool or DataType.Float64
                or DataType.UInt32 or DataType.UInt64 => true,
            _ => false,
        };

        public static int SizeOf(DataType type) => type switch
        {
            DataType.Float32 => 4,
            DataType.UInt8 => 1,
            DataType.Int8 => 1,
            DataType.UInt16 => 2,
            DataType.Int16 => 2,
            DataType.Int32 => 4,
            DataType.Int64 => 8,
            DataType.Bool => 1,
            DataType.Float16 => 2,
            DataType.BFloat16 => 2,
            DataType.Float64 => 8,
            DataType.UInt32 => 4,
            DataType.UInt64 => 8,
            DataType.Complex64 => 8,
            DataType.Complex128 => 16,
            DataType.Float8E4M3FN or DataType.Float8E4M3FNUZ or DataType.Float8E5M2 or DataType.Float8E5M2FNUZ or DataType.Float8E8M0 => 1,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No fixed element size."),
        };

        public static bool IsFloat(DataType type) => type is DataType.Float32 or DataType.Float64 or DataType.Float16;

        public static bool IsInteger(DataType type) => type is DataType.UInt8 or DataType.Int8 or DataType.UInt16
            or DataType.Int16 or DataType.Int32 or DataType.Int64 or DataType.UInt32 or DataType.UInt64;

        /// <summary>Short name used in plan files.</summary>
        public static string PlanName(DataType type) => type switch
        {
            DataType.Float32 => "f32",
            DataType.UInt8 => "u8",
            DataType.Int8 => "i8",
            DataType.UInt16 => "u16",
            DataType.Int16 => "i16",
            DataType.Int32 => "i32",
            DataType.Int64 => "i64",
            DataType.Bool => "bool",
            DataType.Float64 => "f64",
            DataType.UInt32 => "u32",
            DataType.UInt64 => "u64",
            DataType.Float16 => "f16",
            _ => "t" + ((int)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        public static bool TryParsePlanName(string name, out DataType type)
        {
            foreach (DataType candidate in (DataType[])Enum.GetValues(typeof(DataType)))
            {
                if (PlanName(candidate) == name)
                {
                    type = candidate;
                    return true;
                }
            }
            type = DataType.Undefined;
            return false;
        }

        /// <summary>The C# keyword for the element type in generated code.</summary>
        public static string CSharpName(DataType type) => type switch
        {
            DataType.Float32 => "float",
            DataType.UInt8 => "byte",
            DataType.Int8 => "sbyte",
            DataType.UInt16 => "ushort",
            DataType.Int16 => "short",
            DataType.Int32 => "int",
            DataType.Int64 => "long",
            DataType.Bool => "bool",
            DataType.Float64 => "double",
            DataType.UInt32 => "uint",
            DataType.UInt64 => "ulong",
            DataType.Float16 => "global::System.Half",
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not representable in generated code."),
        };
    }
}
