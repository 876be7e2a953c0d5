namespace EdgeAot.Compiler.Diagnostics
{
    /// <summary>
    /// Every diagnostic EdgeAot reports, with its stable id. Ids are never reused or renumbered;
    /// README.md's diagnostics table lists them.
    /// </summary>
    public static class DiagnosticCatalog
    {
        public static readonly DiagnosticDescriptor ModelNotFound = new("EAOT0001", "Model file not found or unreadable");
        public static readonly DiagnosticDescriptor MalformedModel = new("EAOT0002", "Malformed or truncated ONNX protobuf");
        public static readonly DiagnosticDescriptor UnsupportedOperator = new("EAOT0003", "Unsupported operator");
        public static readonly DiagnosticDescriptor UnsupportedOpset = new("EAOT0004", "Unsupported opset version");
        public static readonly DiagnosticDescriptor UnsupportedDataType = new("EAOT0005", "Unsupported data type");
        public static readonly DiagnosticDescriptor DynamicShape = new("EAOT0006", "Dynamic or symbolic dimension");
        public static readonly DiagnosticDescriptor InvalidGraph = new("EAOT0007", "Invalid graph structure");
        public static readonly DiagnosticDescriptor EmptyGraph = new("EAOT0008", "Empty graph");
        public static readonly DiagnosticDescriptor InitializerSizeMismatch = new("EAOT0009", "Tensor data does not match its declared size");
        public static readonly DiagnosticDescriptor ExternalDataRefused = new("EAOT0010", "External tensor data refused");
        public static readonly DiagnosticDescriptor InvalidNode = new("EAOT0011", "Invalid attributes or input shapes for operator");
        public static readonly DiagnosticDescriptor NameCollision = new("EAOT0012", "Name collision");
        public static readonly DiagnosticDescriptor SizeLimit = new("EAOT0013", "Size overflows or exceeds a limit");
        public static readonly DiagnosticDescriptor InternalError = new("EAOT0014", "Internal compiler error");
        public static readonly DiagnosticDescriptor InvalidPlan = new("EAOT0015", "Invalid or unreadable plan file");
        public static readonly DiagnosticDescriptor GeneratorError = new("EAOT0016", "Code generation failed");
        public static readonly DiagnosticDescriptor RamBudgetExceeded = new("EAOT0017", "Model exceeds the RAM budget");
        public static readonly DiagnosticDescriptor FlashBudgetExceeded = new("EAOT0018", "Model exceeds the flash budget");
        public static readonly DiagnosticDescriptor UnknownDeviceProfile = new("EAOT0019", "Unknown device profile");
        public static readonly DiagnosticDescriptor ModelHashMismatch = new("EAOT0020", "Model file does not match its pinned SHA-256");
        public static readonly DiagnosticDescriptor InvalidOption = new("EAOT0021", "Invalid build option");
        public static readonly DiagnosticDescriptor CompressionUnsupported = new("EAOT0050", "Model cannot be compressed as asked");
        public static readonly DiagnosticDescriptor CalibrationDataInvalid = new("EAOT0051", "Calibration data missing or invalid");
        public static readonly DiagnosticDescriptor CompressionOptionInvalid = new("EAOT0052", "Invalid compression option");
        public static readonly DiagnosticDescriptor ModelReport = new("EAOT0100", "Model report", DiagnosticSeverity.Info);
    }

    public enum DiagnosticSeverity
    {
        Info,
        Warning,
        Error,
    }

    public sealed class DiagnosticDescriptor
    {
        public DiagnosticDescriptor(string id, string title, DiagnosticSeverity severity = DiagnosticSeverity.Error)
        {
            Id = id;
            Title = title;
            Severity = severity;
        }

        public string Id { get; }

        public string Title { get; }

        public DiagnosticSeverity Severity { get; }
    }
}
