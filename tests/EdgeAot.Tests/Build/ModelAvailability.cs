using System;
using System.IO;
using System.Linq;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Onnx;

namespace EdgeAot.Tests.Build
{
    /// <summary>
    /// What the compiler on this branch can do yet. The importer and the operators are written on
    /// other branches; tests that need them are skipped (with the reason in the test summary)
    /// until those branches are merged, and then run without any change here.
    /// </summary>
    internal static class ModelAvailability
    {
        private static readonly Lazy<bool> ImporterLazy = new(() =>
        {
            try
            {
                OnnxImporter.Import(new byte[] { 0x08, 0x07 }, new CompileOptions());
                return true;
            }
            catch (NotImplementedException)
            {
                return false;
            }
            catch (Exception)
            {
                return true;
            }
        });

        private static readonly Lazy<string?> CompilableLazy = new(() =>
        {
            if (!ImporterAvailable) return null;
            string dir = Path.Combine(TempProject.RepoRoot, "..", "shared", "models", "mlperf-tiny");
            if (!Directory.Exists(dir)) return null;
            return Directory.GetFiles(dir, "*.onnx").OrderBy(f => new FileInfo(f).Length).ThenBy(f => f, StringComparer.Ordinal)
                .FirstOrDefault(f => ModelCompiler.CompileFile(f, new CompileOptions { ModelPath = Path.GetFileName(f) }).Success);
        });

        public static bool ImporterAvailable => ImporterLazy.Value;

        /// <summary>The smallest shared model the compiler turns into a plan, or null.</summary>
        public static string? CompilableModel => CompilableLazy.Value;
    }

    /// <summary>A build test that needs the ONNX importer (skipped while it is a stub).</summary>
    public sealed class NeedsImporterFactAttribute : FactAttribute
    {
        public NeedsImporterFactAttribute()
        {
            if (!ModelAvailability.ImporterAvailable) Skip = "the ONNX importer is not merged into this branch yet";
        }
    }

    /// <summary>A build test that needs one shared model to compile (skipped until importer and ops are merged).</summary>
    public sealed class NeedsCompilableModelFactAttribute : FactAttribute
    {
        public NeedsCompilableModelFactAttribute()
        {
            if (ModelAvailability.CompilableModel is null) Skip = "no model in ../shared/models/mlperf-tiny compiles on this branch yet (importer/operators not merged)";
        }
    }
}
