namespace EdgeAot.Compiler
{
    /// <summary>What kernel selection trades when a faster kernel needs more arena scratch.</summary>
    public enum OptimizationGoal
    {
        /// <summary>
        /// The default: kernels use only the arena bytes already free at their step, so the fastest
        /// kernel runs wherever it costs no memory and <c>ArenaBytes</c> stays at the activations' peak.
        /// </summary>
        Memory,

        /// <summary>
        /// Every layer gets its fastest kernel (the cost model's first choice) even when its scratch
        /// raises the arena's peak; with a RAM budget, only up to that budget.
        /// </summary>
        Speed,
    }

    /// <summary>Inputs to one model compilation besides the model bytes.</summary>
    public sealed class CompileOptions
    {
        /// <summary>Path of the model as the user wrote it (diagnostics, plan header); may be relative.</summary>
        public string ModelPath { get; set; } = "model.onnx";

        /// <summary>Folder external tensor data must stay inside; null refuses all external data.</summary>
        public string? ModelDirectory { get; set; }

        /// <summary>Generated class name; derived from the file name when empty.</summary>
        public string ClassName { get; set; } = "";

        public string Namespace { get; set; } = "EdgeAot.Models";

        /// <summary>Value bound to a symbolic leading (batch) dimension of a graph input; other symbolic dimensions are errors.</summary>
        public long BatchSize { get; set; } = 1;

        /// <summary>Largest single tensor (bytes) the compiler accepts, activations and weights alike.</summary>
        public long MaxTensorBytes { get; set; } = 256L * 1024 * 1024;

        /// <summary>
        /// Largest element count of a single tensor. Generated code indexes with <c>int</c>, so this
        /// can never exceed <see cref="int.MaxValue"/>; the default bounds arena and loop sizes well below that.
        /// </summary>
        public long MaxTensorElements { get; set; } = 64L * 1024 * 1024;

        /// <summary>Largest total of weight bytes.</summary>
        public long MaxWeightBytes { get; set; } = 64L * 1024 * 1024;

        /// <summary>
        /// Lets int8 convolution chains run channel-last (<see cref="Passes.Int8ChannelLastLayout"/>).
        /// Off gives the NCHW kernels, the same bits: tests and same-run A/B measurements compare the two.
        /// </summary>
        public bool Int8ChannelLast { get; set; } = true;

        /// <summary>Largest number of nodes in a graph.</summary>
        public int MaxNodes { get; set; } = 20000;

        /// <summary>
        /// Largest number of bytes constant folding may create at build time, per tensor and in total
        /// over the model (many small folds are as costly as one big one).
        /// </summary>
        public long MaxFoldedBytes { get; set; } = 64L * 1024 * 1024;

        /// <summary>
        /// Largest generated C# source (characters) for one model; the generator stops writing and
        /// reports EAOT0013 past it, so a model cannot make csc or the IDE chew on gigabytes of code.
        /// </summary>
        public long MaxSourceBytes { get; set; } = 256L * 1024 * 1024;

        /// <summary>
        /// Device profile name (see <see cref="Planning.DeviceProfiles"/>) whose RAM and flash sizes are
        /// the budgets unless <see cref="MaxRamBytes"/>/<see cref="MaxFlashBytes"/> are set; empty = none.
        /// </summary>
        public string Device { get; set; } = "";

        /// <summary>RAM budget for the arena (ArenaBytes); null = the device's, or no check.</summary>
        public long? MaxRamBytes { get; set; }

        /// <summary>Flash budget for the weights (WeightBytes); null = the device's, or no check.</summary>
        public long? MaxFlashBytes { get; set; }

        /// <summary>
        /// SHA-256 the model file must have (64 hex digits, any case; the <c>Sha256</c> metadata of
        /// <c>EdgeModel</c>); null or empty = not pinned. Checked on the exact bytes that are compiled.
        /// </summary>
        public string? ExpectedSha256 { get; set; }

        /// <summary>
        /// Memory (default) or Speed: whether a kernel's scratch may raise <c>ArenaBytes</c>
        /// (<c>OptimizeFor</c> metadata of <c>EdgeModel</c>, <c>$(EdgeAotOptimizeFor)</c>, <c>--optimize-for</c>).
        /// </summary>
        public OptimizationGoal OptimizeFor { get; set; } = OptimizationGoal.Memory;

        /// <summary>Parses "memory" or "speed" (any case, surrounding blanks ignored).</summary>
        public static bool TryParseGoal(string? text, out OptimizationGoal goal)
        {
            goal = OptimizationGoal.Memory;
            switch (text?.Trim().ToLowerInvariant())
            {
                case "memory":
                    return true;
                case "speed":
                    goal = OptimizationGoal.Speed;
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>Deepest subgraph nesting the reader follows.</summary>
        public int MaxNesting { get; set; } = 64;
    }
}
