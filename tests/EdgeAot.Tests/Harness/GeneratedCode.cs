using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EdgeAot.Tests.Harness
{
    /// <summary>
    /// Compiles generated model classes in-process with Roslyn (many models in one assembly, so
    /// large suites need one compilation) and runs them through a generated array adapter,
    /// because span parameters cannot be passed by reflection.
    /// </summary>
    public static class GeneratedCode
    {
        private static readonly Lazy<MetadataReference[]> References = new(() =>
            ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray());

        /// <summary>
        /// Compiles the generated classes as the strictest consumer project would: checked arithmetic
        /// (CheckForOverflowUnderflow), nullable enabled, warning level 9999 and every warning an error
        /// (TreatWarningsAsErrors). Throws listing the warnings and errors in generated code.
        /// </summary>
        public static CompiledModels CompileStrict(IReadOnlyList<ModelPlan> plans)
            => Compile(plans, optimize: true, strict: true);

        /// <summary>Compiles the plans' generated classes plus adapters; throws with compiler errors on failure.</summary>
        public static CompiledModels Compile(IReadOnlyList<ModelPlan> plans, bool optimize = true) => Compile(plans, optimize, strict: false);

        private static CompiledModels Compile(IReadOnlyList<ModelPlan> plans, bool optimize, bool strict)
        {
            var trees = new List<SyntaxTree>();
            var parse = new CSharpParseOptions(LanguageVersion.Latest);
            foreach (var plan in plans)
            {
                trees.Add(CSharpSyntaxTree.ParseText(ModelEmitter.Emit(plan), parse, path: ModelEmitter.HintName(plan)));
                trees.Add(CSharpSyntaxTree.ParseText(Adapter(plan), parse));
            }
            var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: optimize ? OptimizationLevel.Release : OptimizationLevel.Debug, allowUnsafe: true);
            if (strict) options = options.WithOverflowChecks(true).WithNullableContextOptions(NullableContextOptions.Enable).WithWarningLevel(9999);
            var compilation = CSharpCompilation.Create("EdgeAotGenerated" + Guid.NewGuid().ToString("N"), trees, References.Value, options);
            using var stream = new MemoryStream();
            var result = compilation.Emit(stream);
            if (strict)
            {
                // TreatWarningsAsErrors for the generated classes (the test adapters are not the product).
                var modelPaths = new HashSet<string>(plans.Select(ModelEmitter.HintName), StringComparer.Ordinal);
                var problems = result.Diagnostics
                    .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && modelPaths.Contains(tree.FilePath))
                    .Take(20).Select(d => d.ToString()).ToList();
                if (problems.Count > 0) throw new InvalidOperationException("Generated code has warnings or errors in a strict consumer project:\n" + string.Join("\n", problems));
            }
            if (!result.Success)
            {
                var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20).Select(d => d.ToString());
                throw new InvalidOperationException("Generated code does not compile:\n" + string.Join("\n", errors));
            }
            stream.Position = 0;
            var context = new AssemblyLoadContext(null, isCollectible: true);
            return new CompiledModels(context.LoadFromStream(stream));
        }

        public static CompiledModel Compile(ModelPlan plan) => Compile(new[] { plan }).Get(plan);

        private static string Adapter(ModelPlan plan)
        {
            var sb = new StringBuilder();
            sb.Append("namespace ").Append(plan.Namespace).Append(" {\n");
            sb.Append("public static class ").Append(plan.ClassName).Append("Adapter {\n");
            sb.Append("  public static object Create() => new ").Append(plan.ClassName).Append("();\n");
            sb.Append("  public static void Run(object model, System.Array[] inputs, System.Array[] outputs) => ((")
              .Append(plan.ClassName).Append(")model).Run(");
            var args = new List<string>();
            for (int i = 0; i < plan.Inputs.Count; i++) args.Add("(" + DataTypes.CSharpName(plan.Tensor(plan.Inputs[i]).Type) + "[])inputs[" + i + "]");
            for (int i = 0; i < plan.Outputs.Count; i++) args.Add("(" + DataTypes.CSharpName(plan.Tensor(plan.Outputs[i]).Type) + "[])outputs[" + i + "]");
            sb.Append(string.Join(", ", args)).Append(");\n");
            // Measures allocations of direct Run calls inside the generated assembly (reflection would allocate).
            var locals = new List<string>();
            var typedArgs = new List<string>();
            for (int i = 0; i < args.Count; i++)
            {
                locals.Add("var a" + i + " = " + args[i] + ";");
                typedArgs.Add("a" + i);
            }
            sb.Append("  public static long AllocatedBytes(object model, System.Array[] inputs, System.Array[] outputs, int runs) {\n    var m = (")
              .Append(plan.ClassName).Append(")model;\n    ").Append(string.Join(" ", locals))
              .Append("\n    for (int r = 0; r < runs; r++) m.Run(").Append(string.Join(", ", typedArgs)).Append(");\n")
              .Append("    long before = System.GC.GetAllocatedBytesForCurrentThread();\n")
              .Append("    for (int r = 0; r < runs; r++) m.Run(").Append(string.Join(", ", typedArgs)).Append(");\n")
              .Append("    return System.GC.GetAllocatedBytesForCurrentThread() - before;\n  }\n");
            sb.Append("}\n}\n");
            return sb.ToString();
        }
    }

    public sealed class CompiledModels
    {
        public CompiledModels(Assembly assembly) => Assembly = assembly;

        public Assembly Assembly { get; }

        public CompiledModel Get(ModelPlan plan)
        {
            var adapter = Assembly.GetType(plan.Namespace + "." + plan.ClassName + "Adapter", throwOnError: true)!;
            return new CompiledModel(plan, adapter);
        }
    }

    /// <summary>One generated model instance, run with arrays.</summary>
    public sealed class CompiledModel
    {
        private readonly MethodInfo _run;
        private readonly object _instance;

        private readonly MethodInfo _allocatedBytes;

        public CompiledModel(ModelPlan plan, Type adapter)
        {
            Plan = plan;
            _run = adapter.GetMethod("Run")!;
            _allocatedBytes = adapter.GetMethod("AllocatedBytes")!;
            _instance = adapter.GetMethod("Create")!.Invoke(null, null)!;
            ModelType = _instance.GetType();
        }

        public ModelPlan Plan { get; }

        public Type ModelType { get; }

        /// <summary>
        /// Overwrites the instance's arena with <paramref name="value"/> (0xFF: every float a NaN), as
        /// if other layers or runs had left data there: kernels must not rely on the arena's old contents.
        /// </summary>
        public void FillArena(byte value)
        {
            var field = ModelType.GetField("_arena", BindingFlags.Instance | BindingFlags.NonPublic)
                ?? throw new InvalidOperationException(ModelType.Name + " has no _arena field.");
            ((byte[])field.GetValue(_instance)!).AsSpan().Fill(value);
        }

        /// <summary>Allocates outputs of the right type and length and runs the model.</summary>
        public Array[] Run(params Array[] inputs)
        {
            var outputs = new Array[Plan.Outputs.Count];
            for (int i = 0; i < outputs.Length; i++)
            {
                var t = Plan.Tensor(Plan.Outputs[i]);
                outputs[i] = Array.CreateInstance(ClrType(t.Type), t.ElementCount);
            }
            Run(inputs, outputs);
            return outputs;
        }

        public void Run(Array[] inputs, Array[] outputs)
        {
            try
            {
                _run.Invoke(null, new object[] { _instance, inputs, outputs });
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                // Keeps the generated kernel's frames in the stack trace.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            }
        }

        /// <summary>
        /// Bytes allocated on this thread by <paramref name="runs"/> direct calls of Run, measured after
        /// as many warm-up calls: the runtime's one-time work on the calling thread (class initialization,
        /// on-stack replacement of tier-0 loops) is not an allocation of Run's.
        /// </summary>
        public long AllocatedBytes(Array[] inputs, int runs)
        {
            var outputs = new Array[Plan.Outputs.Count];
            for (int i = 0; i < outputs.Length; i++)
            {
                var t = Plan.Tensor(Plan.Outputs[i]);
                outputs[i] = Array.CreateInstance(ClrType(t.Type), t.ElementCount);
            }
            return (long)_allocatedBytes.Invoke(null, new object[] { _instance, inputs, outputs, runs })!;
        }

        public static Type ClrType(DataType type) => type switch
        {
            DataType.Float32 => typeof(float),
            DataType.Float64 => typeof(double),
            DataType.Float16 => typeof(Half),
            DataType.Int8 => typeof(sbyte),
            DataType.UInt8 => typeof(byte),
            DataType.Int16 => typeof(short),
            DataType.UInt16 => typeof(ushort),
            DataType.Int32 => typeof(int),
            DataType.UInt32 => typeof(uint),
            DataType.Int64 => typeof(long),
            DataType.UInt64 => typeof(ulong),
            DataType.Bool => typeof(bool),
            _ => throw new NotSupportedException(type.ToString()),
        };
    }
}
