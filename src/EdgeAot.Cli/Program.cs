using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Cli
{
    /// <summary>
    /// edgeaot inspect|emit|plan &lt;model.onnx&gt; [--class X] [--namespace Y] [--device D] [--max-ram N] [--max-flash N] [--optimize-for memory|speed]
    /// edgeaot quantize|prune|factorize|share|fp16|calibration-data &lt;model.onnx&gt; -o out [options] (see <see cref="CompressCommand"/>)
    /// Exit codes: 0 success, 1 the model has errors, 2 bad command line.
    /// </summary>
    public static class Program
    {
        private static readonly string Usage =
            "usage: edgeaot <command> <model.onnx> [--class Name] [--namespace Name] [--device Profile] [--max-ram Bytes] [--max-flash Bytes]\n" +
            "       [--optimize-for memory|speed]\n" +
            "  inspect   print the model report (Markdown) and the generated C# size, or the diagnostics\n" +
            "  emit      print the generated C# class\n" +
            "  plan      print the .edgeir plan the source generator reads\n" +
            "  --device, --max-ram, --max-flash: fail (EAOT0017/18) when the arena or weights exceed the budget;\n" +
            "  sizes in bytes or with K/KiB, M/MiB, G/GiB. Profiles: " + Compiler.Planning.DeviceProfiles.Names() + "\n" +
            "  --optimize-for speed: every layer's fastest kernel, even when its scratch raises the arena\n" +
            "  (within --max-ram / the device's RAM); memory (default): kernels never raise the arena.\n";

        public static int Main(string[] args)
        {
            if (args.Length == 1 && args[0] is "-h" or "--help")
            {
                Console.Out.Write(Usage + CompressCommand.Usage);
                return 0;
            }
            if (args.Length > 0 && Array.IndexOf(CompressCommand.Commands, args[0]) >= 0) return CompressCommand.Run(args);
            if (!TryParse(args, out var command, out var options, out string? error))
            {
                Console.Error.Write("edgeaot: " + error + "\n" + Usage + CompressCommand.Usage);
                return 2;
            }

            var result = ModelCompiler.CompileFile(options.ModelPath, options);
            foreach (var diagnostic in result.Diagnostics) Console.Error.WriteLine(Severity(diagnostic) + " " + diagnostic);
            if (result.Plan is null || result.Report is null)
            {
                // Over budget: the report shows which layers to shrink.
                if (command == "inspect" && result.Report is not null) Console.Out.Write(result.Report.ToMarkdown());
                return 1;
            }

            if (command == "plan")
            {
                Console.Out.Write(PlanWriter.Write(result.Plan));
                return 0;
            }
            string source;
            try
            {
                source = ModelEmitter.Emit(result.Plan);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Same id the generator reports for this failure in a build.
                Console.Error.WriteLine("error " + DiagnosticCatalog.GeneratorError.Id + ": " + options.ModelPath + ": " + e.GetType().Name + ": " + e.Message);
                return 1;
            }
            if (command == "emit")
            {
                Console.Out.Write(source);
                return 0;
            }
            Console.Out.Write(result.Report.ToMarkdown());
            // What a reviewer will scroll through, and what csc compiles: bounded by EdgeAotMaxSourceBytes.
            Console.Out.Write("\nGenerated C#: " + CountLines(source).ToString("N0", CultureInfo.InvariantCulture) + " lines, "
                + source.Length.ToString("N0", CultureInfo.InvariantCulture) + " characters (`edgeaot emit` prints it).\n");
            return 0;
        }

        private static int CountLines(string text)
        {
            int lines = 0;
            foreach (char c in text)
            {
                if (c == '\n') lines++;
            }
            return lines;
        }

        private static string Severity(ModelDiagnostic d) => d.Descriptor.Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };

        private static bool TryParse(string[] args, out string command, out CompileOptions options, out string? error)
        {
            command = args.Length > 0 ? args[0] : "";
            options = new CompileOptions();
            error = null;
            if (command is not ("inspect" or "emit" or "plan"))
            {
                error = command.Length == 0 ? "missing command" : "unknown command '" + command + "'";
                return false;
            }
            var positional = new List<string>();
            for (int i = 1; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--class" when i + 1 < args.Length:
                        options.ClassName = args[++i];
                        break;
                    case "--namespace" when i + 1 < args.Length:
                        options.Namespace = args[++i];
                        break;
                    case "--device" when i + 1 < args.Length:
                        options.Device = args[++i];
                        break;
                    case "--max-ram" or "--max-flash" when i + 1 < args.Length:
                        if (!Compiler.Planning.BudgetCheck.TryParseBytes(args[i + 1], out long bytes))
                        {
                            error = args[i] + " needs a positive byte count, e.g. 262144 or 256KiB";
                            return false;
                        }
                        if (args[i] == "--max-ram") options.MaxRamBytes = bytes;
                        else options.MaxFlashBytes = bytes;
                        i++;
                        break;
                    case "--optimize-for" when i + 1 < args.Length:
                        if (!CompileOptions.TryParseGoal(args[++i], out var goal))
                        {
                            error = "--optimize-for needs memory or speed";
                            return false;
                        }
                        options.OptimizeFor = goal;
                        break;
                    case "--class" or "--namespace" or "--device" or "--max-ram" or "--max-flash" or "--optimize-for":
                        error = args[i] + " needs a value";
                        return false;
                    default:
                        if (args[i].StartsWith("--", StringComparison.Ordinal))
                        {
                            error = "unknown option '" + args[i] + "'";
                            return false;
                        }
                        positional.Add(args[i]);
                        break;
                }
            }
            if (positional.Count != 1)
            {
                error = positional.Count == 0 ? "missing model path" : "expected one model path";
                return false;
            }
            // As written, with '/' separators: it appears in the plan and in generated code.
            options.ModelPath = positional[0].Replace('\\', '/');
            return true;
        }
    }
}
