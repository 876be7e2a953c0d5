using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Compression;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Plan;
using EdgeAot.Compiler.Planning;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace EdgeAot.Build
{
    /// <summary>
    /// Compiles each <c>EdgeModel</c> item into <c>&lt;Namespace&gt;.&lt;ClassName&gt;.edgeir</c> (the plan the
    /// source generator reads) and <c>.report.md</c> in <see cref="OutputDirectory"/>. Every problem
    /// with a model is logged as an EAOT diagnostic; the task never throws.
    /// </summary>
    public sealed class CompileEdgeModels : Task
    {
        public const string PlanExtension = ".edgeir";
        public const string ReportExtension = ".report.md";

        private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

        /// <summary>
        /// The EdgeModel items; optional metadata ClassName, Namespace, MaxRamBytes, MaxFlashBytes and the
        /// compression settings Quantize ("int8"), CalibrationData (file or folder), CalibrationMethod
        /// ("minmax" or "percentile"), CalibrationPercentile, Prune (target sparsity, e.g. 0.5) and WeightStorage ("fp16").
        /// </summary>
        [Required]
        public ITaskItem[] Models { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>Where plans and reports go, e.g. obj/Debug/net10.0/edgeaot/.</summary>
        [Required]
        public string OutputDirectory { get; set; } = "";

        /// <summary>Folder that relative model paths are relative to (the project folder).</summary>
        public string ProjectDirectory { get; set; } = "";

        /// <summary>Namespace for items without Namespace metadata (the project's RootNamespace).</summary>
        public string RootNamespace { get; set; } = "";

        // Limits as strings so that an empty MSBuild property means "compiler default".
        public string MaxTensorBytes { get; set; } = "";
        public string MaxWeightBytes { get; set; } = "";
        public string MaxNodes { get; set; } = "";
        public string MaxFoldedBytes { get; set; } = "";
        public string MaxTensorElements { get; set; } = "";
        public string MaxSourceBytes { get; set; } = "";
        public string MaxNesting { get; set; } = "";

        /// <summary>$(EdgeAotOptimizeFor): "memory" (default when empty) or "speed", for items without OptimizeFor metadata.</summary>
        public string OptimizeFor { get; set; } = "";

        /// <summary>$(EdgeAotDevice): a built-in device profile whose RAM/flash are the default budgets; empty = none.</summary>
        public string Device { get; set; } = "";

        /// <summary>The plan files of the models that compiled, with metadata ModelPath, ClassName, Namespace, ReportFile.</summary>
        [Output]
        public ITaskItem[] PlanFiles { get; private set; } = Array.Empty<ITaskItem>();

        public override bool Execute()
        {
            try
            {
                return CompileAll();
            }
            catch (Exception e)
            {
                // A bug here must surface as a diagnostic with a stable id, never as MSB4018.
                LogDiagnostic(new ModelDiagnostic(DiagnosticCatalog.InternalError,
                    "the EdgeAot build task failed unexpectedly (" + e.GetType().Name + ": " + e.Message + "). Please report this."), "");
                return false;
            }
        }

        private bool CompileAll()
        {
            var limits = new CompileOptions();
            if (!TryParseLimit(MaxTensorBytes, "EdgeAotMaxTensorBytes", v => limits.MaxTensorBytes = v)
                | !TryParseLimit(MaxWeightBytes, "EdgeAotMaxWeightBytes", v => limits.MaxWeightBytes = v)
                | !TryParseLimit(MaxNodes, "EdgeAotMaxNodes", v => limits.MaxNodes = (int)Math.Min(v, int.MaxValue))
                | !TryParseLimit(MaxFoldedBytes, "EdgeAotMaxFoldedBytes", v => limits.MaxFoldedBytes = v)
                | !TryParseLimit(MaxTensorElements, "EdgeAotMaxTensorElements", v => limits.MaxTensorElements = v)
                | !TryParseLimit(MaxSourceBytes, "EdgeAotMaxSourceBytes", v => limits.MaxSourceBytes = v)
                | !TryParseLimit(MaxNesting, "EdgeAotMaxNesting", v => limits.MaxNesting = (int)Math.Min(v, 1000)))
            {
                return false;
            }

            Directory.CreateDirectory(OutputDirectory);
            var written = new HashSet<string>(StringComparer.Ordinal);
            var classes = new Dictionary<string, string>(StringComparer.Ordinal);
            var plans = new List<ITaskItem>();

            foreach (var item in Models)
            {
                string modelPath = DisplayPath(item);
                string className = item.GetMetadata("ClassName");
                if (className.Length == 0) className = Identifiers.ClassNameFromFile(modelPath);
                string ns = item.GetMetadata("Namespace");
                if (ns.Length == 0) ns = RootNamespace.Length > 0 ? RootNamespace : new CompileOptions().Namespace;

                // Checked before compiling: two items writing one plan file would silently drop a model.
                string fullName = ns + "." + className;
                if (classes.TryGetValue(fullName, out var firstPath))
                {
                    LogDiagnostic(new ModelDiagnostic(DiagnosticCatalog.NameCollision,
                        "the class '" + ModelDiagnostic.Printable(fullName, 200) + "' is already generated from '" + ModelDiagnostic.Printable(firstPath, 200)
                        + "'; set ClassName or Namespace on one of the EdgeModel items."), modelPath);
                    continue;
                }
                classes.Add(fullName, modelPath);

                if (!TryParseBudget(item, "MaxRamBytes", modelPath, out long? maxRam) | !TryParseBudget(item, "MaxFlashBytes", modelPath, out long? maxFlash)
                    | !TryParseGoal(item, modelPath, out var goal)) continue;

                var options = new CompileOptions
                {
                    ModelPath = modelPath,
                    ClassName = className,
                    Namespace = ns,
                    MaxTensorBytes = limits.MaxTensorBytes,
                    MaxWeightBytes = limits.MaxWeightBytes,
                    MaxNodes = limits.MaxNodes,
                    MaxFoldedBytes = limits.MaxFoldedBytes,
                    MaxTensorElements = limits.MaxTensorElements,
                    MaxSourceBytes = limits.MaxSourceBytes,
                    MaxNesting = limits.MaxNesting,
                    Device = Device,
                    MaxRamBytes = maxRam,
                    MaxFlashBytes = maxFlash,
                    OptimizeFor = goal,
                    ExpectedSha256 = item.GetMetadata("Sha256"),
                };
                CompileResult result;
                try
                {
                    result = HasCompression(item)
                        ? CompileCompressed(item, options, Path.Combine(OutputDirectory, fullName), written)
                        : ModelCompiler.CompileFile(item.GetMetadata("FullPath"), options);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    result = new CompileResult(null, null, new[]
                    {
                        new ModelDiagnostic(DiagnosticCatalog.InternalError, "the compiler failed unexpectedly (" + e.GetType().Name + ": " + e.Message + "). Please report this with the model.", modelPath),
                    });
                }

                foreach (var diagnostic in result.Diagnostics) LogDiagnostic(diagnostic, modelPath);
                if (result.Plan is null || result.Report is null) continue;

                string stem = Path.Combine(OutputDirectory, fullName);
                string planFile = stem + PlanExtension;
                string reportFile = stem + ReportExtension;
                WriteIfChanged(planFile, PlanWriter.Write(result.Plan));
                WriteIfChanged(reportFile, result.Report.ToMarkdown());
                written.Add(Path.GetFileName(planFile));
                written.Add(Path.GetFileName(reportFile));
                Log.LogMessage(MessageImportance.High, "{0}", result.Report.Summary());

                var plan = new TaskItem(planFile);
                plan.SetMetadata("ModelPath", modelPath);
                plan.SetMetadata("ClassName", className);
                plan.SetMetadata("Namespace", ns);
                plan.SetMetadata("ReportFile", reportFile);
                plans.Add(plan);
            }

            DeleteStaleFiles(written);
            PlanFiles = plans.ToArray();
            return !Log.HasLoggedErrors;
        }

        private static bool HasCompression(ITaskItem item)
            => item.GetMetadata("Quantize").Length > 0 || item.GetMetadata("Prune").Length > 0 || item.GetMetadata("WeightStorage").Length > 0;

        /// <summary>
        /// Transforms the model before compiling it (prune, then fp16 storage or quantize), writes the transformed
        /// ONNX (&lt;stem&gt;.compressed.onnx, for inspection and other runtimes) and the compression
        /// report (&lt;stem&gt;.compression.report.md), and compiles the transformed bytes.
        /// </summary>
        private CompileResult CompileCompressed(ITaskItem item, CompileOptions options, string stem, HashSet<string> written)
        {
            string fullPath = item.GetMetadata("FullPath");
            options.ModelDirectory = Path.GetDirectoryName(fullPath);
            try
            {
                byte[] model = ModelCompression.ReadModel(fullPath);
                ModelCompiler.CheckPinnedHash(ModelCompiler.Sha256(model), options);
                options.ExpectedSha256 = null; // the pin is on the user's file, not on the compressed bytes compiled next
                var reports = new List<CompressionReport>();
                string prune = item.GetMetadata("Prune").Trim();
                if (prune.Length > 0)
                {
                    if (!double.TryParse(prune, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double sparsity))
                        throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, "Prune must be a target sparsity between 0 and 1 (e.g. 0.5), not '" + ModelDiagnostic.Printable(prune, 60) + "'.");
                    var settings = new Dictionary<string, double>(StringComparer.Ordinal) { ["sparsity"] = sparsity };
                    var pruned = ModelCompression.Transform("prune", model, settings, null, options);
                    model = pruned.Model;
                    reports.Add(pruned.Report);
                }
                string quantize = item.GetMetadata("Quantize").Trim();
                string storage = item.GetMetadata("WeightStorage").Trim();
                if (storage.Length > 0)
                {
                    if (!string.Equals(storage, "fp16", StringComparison.OrdinalIgnoreCase))
                        throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, "WeightStorage supports \"fp16\", not '" + ModelDiagnostic.Printable(storage, 60) + "'.");
                    if (quantize.Length > 0)
                        throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, "WeightStorage=\"fp16\" and Quantize cannot be combined: int8 quantization already stores weights in one byte.");
                    var half = ModelCompression.Transform("fp16", model, new Dictionary<string, double>(StringComparer.Ordinal), null, options);
                    model = half.Model;
                    reports.Add(half.Report);
                }
                if (quantize.Length > 0)
                {
                    if (!string.Equals(quantize, "int8", StringComparison.OrdinalIgnoreCase))
                        throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, "Quantize supports \"int8\", not '" + ModelDiagnostic.Printable(quantize, 60) + "'.");
                    var q = new QuantizeOptions();
                    string method = item.GetMetadata("CalibrationMethod").Trim();
                    if (method.Length > 0)
                    {
                        q.Method = method.ToLowerInvariant() switch
                        {
                            "minmax" => CalibrationMethod.MinMax,
                            "percentile" => CalibrationMethod.Percentile,
                            _ => throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, "CalibrationMethod must be minmax or percentile, not '" + ModelDiagnostic.Printable(method, 60) + "'."),
                        };
                    }
                    string percentile = item.GetMetadata("CalibrationPercentile").Trim();
                    if (percentile.Length > 0)
                    {
                        if (!double.TryParse(percentile, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double p))
                            throw new ModelException(DiagnosticCatalog.CompressionOptionInvalid, "CalibrationPercentile must be a number such as 99.99.");
                        q.Percentile = p;
                    }
                    string calibration = item.GetMetadata("CalibrationData").Trim();
                    if (calibration.Length > 0 && !Path.IsPathRooted(calibration)) calibration = Path.Combine(ProjectDirectory, calibration);
                    var quantized = ModelCompression.Quantize(model, calibration, q, options);
                    model = quantized.Model;
                    reports.Add(quantized.Report);
                }
                File.WriteAllBytes(stem + ".compressed.onnx", model);
                var text = new StringBuilder();
                foreach (var report in reports)
                {
                    text.Append(report.ToMarkdown()).Append('\n');
                    Log.LogMessage(MessageImportance.High, "EdgeAot: {0} of {1}: weights {2:N0} -> {3:N0} B, MACs {4:N0} -> {5:N0}{6}", report.Transformation, options.ModelPath,
                        report.Before.WeightBytes, report.After.WeightBytes, report.Before.Macs, report.After.Macs,
                        report.Fidelity is { } f ? string.Format(System.Globalization.CultureInfo.InvariantCulture, ", max abs error {0:G4}", f.MaxAbsError) + (f.Top1Agreement is double t ? string.Format(System.Globalization.CultureInfo.InvariantCulture, ", top-1 agreement {0:P1}", t) : "") : "");
                }
                WriteIfChanged(stem + ".compression" + ReportExtension, text.ToString());
                written.Add(Path.GetFileName(stem + ".compression" + ReportExtension));
                return ModelCompiler.Compile(model, options);
            }
            catch (ModelException e)
            {
                e.Diagnostic.File ??= options.ModelPath;
                return new CompileResult(null, null, new[] { e.Diagnostic });
            }
        }

        /// <summary>
        /// The model path as the user wrote it, with '/' separators, so plans, generated code and
        /// messages are the same bytes from any clone folder. An absolute path inside the project
        /// folder (e.g. from $(MSBuildProjectDirectory)) is made relative for the same reason.
        /// </summary>
        private string DisplayPath(ITaskItem item)
        {
            string path = item.ItemSpec;
            if (Path.IsPathRooted(path) && ProjectDirectory.Length > 0)
            {
                string relative = Path.GetRelativePath(ProjectDirectory, path);
                if (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative)) path = relative;
            }
            return path.Replace('\\', '/');
        }

        /// <summary>Plans of removed or failing models must not linger: the generator would still compile them.</summary>
        private void DeleteStaleFiles(HashSet<string> keep)
        {
            foreach (string file in Directory.EnumerateFiles(OutputDirectory))
            {
                string name = Path.GetFileName(file);
                bool ours = name.EndsWith(PlanExtension, StringComparison.OrdinalIgnoreCase) || name.EndsWith(ReportExtension, StringComparison.OrdinalIgnoreCase);
                if (!ours || keep.Contains(name)) continue;
                File.Delete(file);
                Log.LogMessage(MessageImportance.Low, "EdgeAot: deleted stale {0}", file);
            }
        }

        /// <summary>An unchanged plan keeps its timestamp, so csc and the generator's cache see no change.</summary>
        private void WriteIfChanged(string path, string text)
        {
            byte[] bytes = Utf8NoBom.GetBytes(text);
            if (File.Exists(path) && BytesEqual(File.ReadAllBytes(path), bytes))
            {
                Log.LogMessage(MessageImportance.Low, "EdgeAot: {0} is unchanged", path);
                return;
            }
            File.WriteAllBytes(path, bytes);
        }

        private static bool BytesEqual(byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b);

        private bool TryParseLimit(string text, string property, Action<long> set)
        {
            if (string.IsNullOrWhiteSpace(text)) return true;
            if (long.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long value) && value > 0)
            {
                set(value);
                return true;
            }
            LogDiagnostic(new ModelDiagnostic(DiagnosticCatalog.SizeLimit, "the property " + property + " must be a positive whole number, not '" + ModelDiagnostic.Printable(text, 60) + "'."), "");
            return false;
        }

        /// <summary>Empty metadata = no explicit budget (the device profile's, if any); invalid = EAOT0013 on the model.</summary>
        private bool TryParseBudget(ITaskItem item, string metadata, string modelPath, out long? bytes)
        {
            bytes = null;
            string text = item.GetMetadata(metadata);
            if (string.IsNullOrWhiteSpace(text)) return true;
            if (BudgetCheck.TryParseBytes(text, out long value))
            {
                bytes = value;
                return true;
            }
            LogDiagnostic(new ModelDiagnostic(DiagnosticCatalog.SizeLimit, "the EdgeModel metadata " + metadata + " must be a positive whole number of bytes, optionally with K/KiB, M/MiB or G/GiB, not '"
                + ModelDiagnostic.Printable(text, 60) + "'."), modelPath);
            return false;
        }

        /// <summary>OptimizeFor metadata, else $(EdgeAotOptimizeFor), else memory; anything but memory/speed is EAOT0021 on the model.</summary>
        private bool TryParseGoal(ITaskItem item, string modelPath, out OptimizationGoal goal)
        {
            string text = item.GetMetadata("OptimizeFor");
            string source = "the EdgeModel metadata OptimizeFor";
            if (string.IsNullOrWhiteSpace(text))
            {
                text = OptimizeFor;
                source = "the property EdgeAotOptimizeFor";
            }
            goal = OptimizationGoal.Memory;
            if (string.IsNullOrWhiteSpace(text) || CompileOptions.TryParseGoal(text, out goal)) return true;
            LogDiagnostic(new ModelDiagnostic(DiagnosticCatalog.InvalidOption, source + " must be memory or speed, not '" + ModelDiagnostic.Printable(text, 60) + "'."), modelPath);
            return false;
        }

        private void LogDiagnostic(ModelDiagnostic diagnostic, string modelPath)
        {
            string file = diagnostic.File ?? modelPath;
            // The file goes to MSBuild's own file field; the message keeps only node and text, passed
            // as an argument because model strings may contain format braces.
            string message = new ModelDiagnostic(diagnostic.Descriptor, diagnostic.Message, null, diagnostic.Node).FormatMessage();
            switch (diagnostic.Descriptor.Severity)
            {
                case DiagnosticSeverity.Error:
                    Log.LogError("EdgeAot", diagnostic.Id, null, file, 0, 0, 0, 0, "{0}", message);
                    break;
                case DiagnosticSeverity.Warning:
                    Log.LogWarning("EdgeAot", diagnostic.Id, null, file, 0, 0, 0, 0, "{0}", message);
                    break;
                default:
                    Log.LogMessage("EdgeAot", diagnostic.Id, null, file, 0, 0, 0, 0, MessageImportance.High, "{0}", message);
                    break;
            }
        }
    }
}
