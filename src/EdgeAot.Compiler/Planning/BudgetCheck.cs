using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using EdgeAot.Compiler.Diagnostics;

namespace EdgeAot.Compiler.Planning
{
    /// <summary>The RAM and flash limits one compilation is held to, and where each came from.</summary>
    public sealed record Budget(long? RamBytes, string RamSource, long? FlashBytes, string FlashSource)
    {
        public static Budget None { get; } = new(null, "", null, "");
    }

    /// <summary>
    /// Device budgets: the arena (<c>ArenaBytes</c>) must fit the RAM budget and the weights
    /// (<c>WeightBytes</c>) the flash budget. Inputs and outputs are the caller's buffers and are
    /// not counted. Explicit MaxRamBytes/MaxFlashBytes override the device profile one by one.
    /// </summary>
    public static class BudgetCheck
    {
        private const int LayersNamed = 3;

        /// <summary>Resolves <see cref="CompileOptions"/> to a budget; an unknown device is EAOT0019.</summary>
        public static Budget Resolve(CompileOptions options)
        {
            DeviceProfile? device = null;
            if (!string.IsNullOrWhiteSpace(options.Device))
            {
                device = DeviceProfiles.Find(options.Device)
                    ?? throw new ModelException(DiagnosticCatalog.UnknownDeviceProfile,
                        "unknown device profile '" + ModelDiagnostic.Printable(options.Device, 60) + "'; known profiles: " + DeviceProfiles.Names()
                        + ". Set MaxRamBytes/MaxFlashBytes on the EdgeModel item for another device.");
            }
            string deviceSource = device is null ? "" : "device " + device.Name;
            return new Budget(
                options.MaxRamBytes ?? device?.RamBytes, options.MaxRamBytes is null ? deviceSource : "MaxRamBytes",
                options.MaxFlashBytes ?? device?.FlashBytes, options.MaxFlashBytes is null ? deviceSource : "MaxFlashBytes");
        }

        /// <summary>EAOT0017/EAOT0018 for each budget the model exceeds; empty when it fits.</summary>
        public static IReadOnlyList<ModelDiagnostic> Check(ModelReport report, Budget budget)
        {
            var diagnostics = new List<ModelDiagnostic>();
            long arena = report.Plan.ArenaBytes;
            if (budget.RamBytes is long ram && arena > ram)
            {
                // Only tensors placed in the arena use its RAM; outputs go to the caller's buffers.
                var largest = report.Layers.Where(l => l.Placement.StartsWith("arena", StringComparison.Ordinal))
                    .OrderByDescending(l => l.OutputBytes).ThenBy(l => l.Index).Take(LayersNamed)
                    .Select(l => Describe(l, l.OutputBytes));
                // Kernel scratch is arena RAM too (live only while its node runs): name the largest.
                var scratch = report.Layers.Where(l => l.ScratchBytes > 0)
                    .OrderByDescending(l => l.ScratchBytes).ThenBy(l => l.Index).Take(LayersNamed)
                    .Select(l => Describe(l, l.ScratchBytes)).ToList();
                diagnostics.Add(new ModelDiagnostic(DiagnosticCatalog.RamBudgetExceeded,
                    Over("the arena needs", arena, "RAM", ram, budget.RamSource)
                    + " (lower bound " + Bytes(report.ArenaLowerBound) + "); largest activations: " + string.Join(", ", largest)
                    + (scratch.Count > 0 ? "; largest kernel scratch: " + string.Join(", ", scratch) : "") + "."));
            }
            long weights = report.Plan.WeightBytes;
            if (budget.FlashBytes is long flash && weights > flash)
            {
                var largest = report.Layers.Where(l => l.WeightBytes > 0)
                    .OrderByDescending(l => l.WeightBytes).ThenBy(l => l.Index).Take(LayersNamed)
                    .Select(l => Describe(l, l.WeightBytes));
                diagnostics.Add(new ModelDiagnostic(DiagnosticCatalog.FlashBudgetExceeded,
                    Over("the weights take", weights, "flash", flash, budget.FlashSource) + "; largest weights: " + string.Join(", ", largest) + "."));
            }
            return diagnostics;
        }

        /// <summary>
        /// A byte count as written in a project: a positive whole number, optionally with a binary
        /// suffix K/KiB, M/MiB or G/GiB (256KiB = 262144). "KB" is refused: it is 1000 or 1024 depending on who reads it.
        /// </summary>
        public static bool TryParseBytes(string text, out long bytes)
        {
            bytes = 0;
            string s = text.Trim();
            int digits = 0;
            while (digits < s.Length && s[digits] >= '0' && s[digits] <= '9') digits++;
            if (digits == 0 || digits > 18) return false;
            long multiplier = s.Substring(digits).Trim().ToUpperInvariant() switch
            {
                "" => 1,
                "K" or "KIB" => 1L << 10,
                "M" or "MIB" => 1L << 20,
                "G" or "GIB" => 1L << 30,
                _ => 0,
            };
            long value = long.Parse(s.Substring(0, digits), NumberStyles.None, CultureInfo.InvariantCulture);
            if (multiplier == 0 || value == 0 || value > long.MaxValue / multiplier) return false;
            bytes = value * multiplier;
            return true;
        }

        private static string Over(string what, long need, string budgetName, long budget, string source)
        {
            var sb = new StringBuilder();
            sb.Append(what).Append(' ').Append(Bytes(need)).Append(" but the ").Append(budgetName)
              .Append(" budget is ").Append(Bytes(budget));
            if (source.Length > 0) sb.Append(" (").Append(source).Append(')');
            sb.Append(", ").Append(Bytes(need - budget)).Append(" over");
            return sb.ToString();
        }

        private static string Describe(LayerReport layer, long bytes)
            => "#" + layer.Index.ToString(CultureInfo.InvariantCulture) + " '" + ModelDiagnostic.Printable(layer.Name, 60) + "' (" + layer.OpType + ", " + Bytes(bytes) + ")";

        private static string Bytes(long value) => value.ToString("N0", CultureInfo.InvariantCulture) + " B";
    }
}
