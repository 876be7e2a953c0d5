using System;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Fuzz
{
    /// <summary>
    /// One fuzz iteration: model bytes through everything a build does before csc — import and
    /// validation, lowering and passes, the memory plan, the plan text and its reader, and the
    /// generator's emitter. A diagnostic is the expected outcome for bad input; what counts as a
    /// crash is an exception escaping any stage, an internal-error diagnostic (EAOT0014: the
    /// compiler caught an exception it did not expect), or a plan that does not read back equal.
    /// Shared by the AFL++ harness (Program.cs) and the in-process smoke test.
    /// </summary>
    public static class PipelineTarget
    {
        /// <summary>Limits far below the defaults so that each iteration stays fast.</summary>
        public static CompileOptions Options() => new CompileOptions
        {
            ModelPath = "fuzz.onnx",
            ClassName = "FuzzedModel",
            Namespace = "EdgeAot.Fuzzed",
            ModelDirectory = null, // no external data: the fuzzer must not read the disk
            MaxTensorBytes = 4L * 1024 * 1024,
            MaxTensorElements = 1L * 1024 * 1024,
            MaxWeightBytes = 8L * 1024 * 1024,
            MaxFoldedBytes = 8L * 1024 * 1024,
            MaxNodes = 2000,
            MaxSourceBytes = 16L * 1024 * 1024,
        };

        /// <summary>
        /// Runs one input; throws <see cref="PipelineCrashException"/> (or lets a crash escape) on a bug.
        /// Returns whether the input got as far as the emitter.
        /// </summary>
        public static bool Run(byte[] modelBytes)
        {
            var result = ModelCompiler.Compile(modelBytes, Options());
            foreach (var d in result.Diagnostics)
            {
                if (d.Id == "EAOT0014") throw new PipelineCrashException("internal error: " + d);
            }
            if (result.Plan is null) return false;

            string text = PlanWriter.Write(result.Plan);
            ModelPlan reread;
            try
            {
                reread = PlanReader.Read(text);
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                throw new PipelineCrashException("the plan the compiler wrote does not read back: " + e.Message, e);
            }
            if (!reread.Equals(result.Plan)) throw new PipelineCrashException("the plan changes through its text form.");
            if (PlanWriter.Write(reread) != text) throw new PipelineCrashException("the plan text is not stable.");

            try
            {
                ModelEmitter.Emit(reread);
            }
            catch (SourceTooLargeException)
            {
                // A diagnostic in a real build (EAOT0013), not a bug.
            }
            return true;
        }
    }

    /// <summary>A fuzz finding that did not surface as an exception by itself.</summary>
    public sealed class PipelineCrashException : Exception
    {
        public PipelineCrashException(string message, Exception? inner = null)
            : base(message, inner)
        {
        }
    }
}
