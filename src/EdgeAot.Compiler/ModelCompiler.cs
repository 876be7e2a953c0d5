using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using EdgeAot.Compiler.Passes;
using EdgeAot.Compiler.Plan;
using EdgeAot.Compiler.Planning;

namespace EdgeAot.Compiler
{
    /// <summary>Outcome of compiling one model: a plan on success, diagnostics always.</summary>
    public sealed class CompileResult
    {
        public CompileResult(ModelPlan? plan, ModelReport? report, IReadOnlyList<ModelDiagnostic> diagnostics)
        {
            Plan = plan;
            Report = report;
            Diagnostics = diagnostics;
        }

        public ModelPlan? Plan { get; }

        public ModelReport? Report { get; }

        public IReadOnlyList<ModelDiagnostic> Diagnostics { get; }

        public bool Success => Plan is not null;
    }

    /// <summary>
    /// The whole build-time pipeline: import (parse + validate) → lower each node (normalize,
    /// infer shapes, fold constants) → passes → memory plan → <see cref="ModelPlan"/>.
    /// Never throws for a bad model: every problem becomes a <see cref="ModelDiagnostic"/>.
    /// </summary>
    public static class ModelCompiler
    {
        public static CompileResult CompileFile(string path, CompileOptions options)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                return Failed(new ModelDiagnostic(DiagnosticCatalog.ModelNotFound, "cannot read the model file: " + e.Message), options);
            }
            if (options.ModelDirectory is null) options.ModelDirectory = Path.GetDirectoryName(Path.GetFullPath(path));
            return Compile(bytes, options);
        }

        public static CompileResult Compile(byte[] modelBytes, CompileOptions options)
        {
            try
            {
                string sha256 = Sha256(modelBytes);
                CheckPinnedHash(sha256, options);
                var model = OnnxImporter.Import(modelBytes, options);
                return Lower(model, sha256, options);
            }
            catch (ModelException e)
            {
                return Failed(e.Diagnostic, options);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return Failed(InternalError(e), options);
            }
        }

        /// <summary>Runs everything after import on an already built graph (used by tests and tools).</summary>
        public static CompileResult Lower(ImportedModel model, string sha256, CompileOptions options)
        {
            try
            {
                // Before the work: an unknown device is a project mistake, not a model property.
                var budget = BudgetCheck.Resolve(options);
                var graph = model.Graph;
                var context = new Ops.LoweringContext(options);
                GraphLowering.Run(graph, context);
                PassPipeline.Run(graph, context);
                // Speed mode: the memory-first arena too, for the report (planned first: the last plan's kernel choices stay on the nodes).
                long? memoryModeArena = options.OptimizeFor == OptimizationGoal.Speed ? MemoryPlanner.Plan(graph).ArenaBytes : null;
                var memory = MemoryPlanner.Plan(graph, options.OptimizeFor, budget.RamBytes);
                string className = options.ClassName.Length > 0 ? options.ClassName : Identifiers.ClassNameFromFile(options.ModelPath);
                var plan = PlanBuilder.Build(graph, memory, model, sha256, className, options);
                var report = ModelReport.Create(graph, memory, plan, memoryModeArena);
                var overBudget = BudgetCheck.Check(report, budget);
                if (overBudget.Count > 0)
                {
                    // No plan: the build must fail; the report stays available to show what to shrink.
                    foreach (var d in overBudget) d.File ??= options.ModelPath;
                    return new CompileResult(null, report, overBudget);
                }
                return new CompileResult(plan, report, Array.Empty<ModelDiagnostic>());
            }
            catch (ModelException e)
            {
                return Failed(e.Diagnostic, options);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return Failed(InternalError(e), options);
            }
        }

        /// <summary>Throws EAOT0020 when <see cref="CompileOptions.ExpectedSha256"/> is set and differs from <paramref name="sha256"/>.</summary>
        public static void CheckPinnedHash(string sha256, CompileOptions options)
        {
            string? expected = options.ExpectedSha256?.Trim();
            if (string.IsNullOrEmpty(expected)) return;
            if (expected!.Length != 64 || !IsHex(expected))
            {
                throw new ModelException(DiagnosticCatalog.ModelHashMismatch,
                    "the pinned Sha256 '" + ModelDiagnostic.Printable(expected, 80) + "' is not 64 hexadecimal digits.");
            }
            if (!string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelException(DiagnosticCatalog.ModelHashMismatch,
                    "the model file's SHA-256 is " + sha256 + ", not the pinned " + expected.ToLowerInvariant()
                    + ". If the model was updated on purpose, update the Sha256 metadata.");
            }
        }

        private static bool IsHex(string text)
        {
            foreach (char c in text)
            {
                if (!(c is >= '0' and <= '9' or >= 'a' and <= 'f' or >= 'A' and <= 'F')) return false;
            }
            return true;
        }

        public static string Sha256(byte[] bytes)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(bytes);
            var sb = new StringBuilder(64);
            foreach (byte b in hash) sb.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        private static ModelDiagnostic InternalError(Exception e)
            => new ModelDiagnostic(DiagnosticCatalog.InternalError, "the compiler failed unexpectedly (" + e.GetType().Name + ": " + e.Message + "). Please report this with the model.");

        private static CompileResult Failed(ModelDiagnostic diagnostic, CompileOptions options)
        {
            diagnostic.File ??= options.ModelPath;
            return new CompileResult(null, null, new[] { diagnostic });
        }
    }
}
