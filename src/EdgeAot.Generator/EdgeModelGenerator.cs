using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace EdgeAot.Generator
{
    /// <summary>
    /// Turns each `.edgeir` plan (written by the EdgeAot MSBuild task and passed as an
    /// AdditionalFile) into one C# class. The pipeline holds only the plan text and the
    /// equatable <see cref="ModelPlan"/>, so an unchanged plan is fully cached.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class EdgeModelGenerator : IIncrementalGenerator
    {
        public const string PlanExtension = ".edgeir";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var plans = context.AdditionalTextsProvider
                .Where(static file => file.Path.EndsWith(PlanExtension, StringComparison.OrdinalIgnoreCase))
                .Select(static (file, ct) => new PlanFile(file.Path, file.GetText(ct)?.ToString() ?? ""))
                .WithTrackingName("PlanText")
                .Select(static (file, ct) => ParsedPlan.From(file))
                .WithTrackingName("ParsedPlan");

            var sources = plans
                .Select(static (parsed, ct) => GeneratedModel.From(parsed))
                .WithTrackingName("GeneratedModel");

            var all = sources.Collect().WithTrackingName("AllModels");

            context.RegisterSourceOutput(all, static (spc, models) => Produce(spc, models));
        }

        private static void Produce(SourceProductionContext spc, ImmutableArray<GeneratedModel> models)
        {
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            var ordered = new List<GeneratedModel>(models);
            ordered.Sort((a, b) => string.CompareOrdinal(a.PlanPath, b.PlanPath));
            foreach (var model in ordered)
            {
                if (model.Error is not null)
                {
                    var descriptor = model.ErrorDescriptor switch
                    {
                        nameof(GeneratorDiagnostics.InvalidPlan) => GeneratorDiagnostics.InvalidPlan,
                        nameof(GeneratorDiagnostics.SourceTooLarge) => GeneratorDiagnostics.SourceTooLarge,
                        _ => GeneratorDiagnostics.GenerationFailed,
                    };
                    spc.ReportDiagnostic(Diagnostic.Create(descriptor, Location.None, model.DisplayName, model.Error));
                    continue;
                }
                if (seen.TryGetValue(model.HintName, out var other))
                {
                    spc.ReportDiagnostic(Diagnostic.Create(GeneratorDiagnostics.DuplicateClass, Location.None, model.HintName, other));
                    continue;
                }
                seen[model.HintName] = model.DisplayName;
                spc.AddSource(model.HintName, SourceText.From(model.Source, System.Text.Encoding.UTF8));
            }
        }

        /// <summary>An AdditionalFile's path and text.</summary>
        internal sealed record PlanFile(string Path, string Text);

        /// <summary>A parsed plan, or why it could not be parsed.</summary>
        internal sealed record ParsedPlan(string PlanPath, ModelPlan? Plan, string? Error)
        {
            public static ParsedPlan From(PlanFile file)
            {
                try
                {
                    return new ParsedPlan(file.Path, PlanReader.Read(file.Text), null);
                }
                catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or IndexOutOfRangeException)
                {
                    return new ParsedPlan(file.Path, null, e.Message);
                }
            }
        }

        /// <summary>The generated source for one model, or the error that stopped it.</summary>
        internal sealed record GeneratedModel(string PlanPath, string DisplayName, string HintName, string Source, string? Error, string ErrorDescriptor)
        {
            public static GeneratedModel From(ParsedPlan parsed)
            {
                if (parsed.Plan is null)
                    return new GeneratedModel(parsed.PlanPath, parsed.PlanPath, "", "", parsed.Error, nameof(GeneratorDiagnostics.InvalidPlan));
                var plan = parsed.Plan;
                try
                {
                    return new GeneratedModel(parsed.PlanPath, plan.ModelFile, ModelEmitter.HintName(plan), ModelEmitter.Emit(plan), null, "");
                }
                catch (SourceTooLargeException e)
                {
                    return new GeneratedModel(parsed.PlanPath, plan.ModelFile, "", "", e.Message, nameof(GeneratorDiagnostics.SourceTooLarge));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    return new GeneratedModel(parsed.PlanPath, plan.ModelFile, "", "", e.GetType().Name + ": " + e.Message, nameof(GeneratorDiagnostics.GenerationFailed));
                }
            }
        }
    }
}
