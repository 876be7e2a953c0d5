using Microsoft.CodeAnalysis;

namespace EdgeAot.Generator
{
    /// <summary>Diagnostics the generator itself reports (ids shared with EdgeAot.Compiler's catalog).</summary>
    internal static class GeneratorDiagnostics
    {
        public static readonly DiagnosticDescriptor InvalidPlan = new(
            "EAOT0015", "Invalid EdgeAot plan", "EdgeAot could not read the plan '{0}': {1}", "EdgeAot",
            DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor GenerationFailed = new(
            "EAOT0016", "Code generation failed", "EdgeAot could not generate code for model '{0}': {1}", "EdgeAot",
            DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor SourceTooLarge = new(
            "EAOT0013", "Generated source too large", "EdgeAot did not generate code for model '{0}': {1}", "EdgeAot",
            DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor DuplicateClass = new(
            "EAOT0012", "Duplicate model class", "Two EdgeModel items generate the class '{0}'; set ClassName or Namespace on one of them ('{1}')", "EdgeAot",
            DiagnosticSeverity.Error, isEnabledByDefault: true);
    }
}
