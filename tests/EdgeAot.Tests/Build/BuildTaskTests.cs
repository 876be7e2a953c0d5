using System;
using System.IO;
using System.Text.RegularExpressions;

namespace EdgeAot.Tests.Build
{
    /// <summary>
    /// The CompileEdgeModels task and EdgeAot.targets in a real `dotnet build` of a temp project:
    /// model problems fail the build with their EAOT id on the model's path, as MSBuild errors
    /// (not a crashed task), and the step is incremental.
    /// </summary>
    [Trait("Category", "Build")]
    public sealed class BuildTaskTests
    {
        // MSB4018: a task threw; MSB4181: a task returned false without logging an error;
        // MSB4062/MSB4036: the task could not be loaded or found.
        private static readonly Regex TaskFailure = new(@"\bMSB(4018|4181|4062|4036)\b");

        [Fact]
        public void MissingModelFailsWithEaot0001()
        {
            using var project = TempProject.Create("""<EdgeModel Include="Models/missing.onnx" />""");

            AssertFailedWith(project.Build(), "Models/missing.onnx", "EAOT0001");
        }

        [Fact]
        public void GarbageModelFailsWithAnEdgeAotErrorOnEveryBuild()
        {
            using var project = TempProject.Create("""<EdgeModel Include="Models/garbage.onnx" />""");
            File.WriteAllBytes(project.PathOf("Models/garbage.onnx"), GarbageBytes());

            AssertFailedWith(project.Build(), "Models/garbage.onnx", "EAOT00");
            Assert.False(File.Exists(Path.Combine(project.IntermediateDir, "Probe.GarbageModel.edgeir")), "no plan for a failing model");

            // Nothing changed and the model file exists: a failed run must not count as up to date.
            AssertFailedWith(project.Build(), "Models/garbage.onnx", "EAOT00");
        }

        [NeedsImporterFact]
        public void GarbageModelFailsWithEaot0002()
        {
            using var project = TempProject.Create("""<EdgeModel Include="Models/garbage.onnx" />""");
            File.WriteAllBytes(project.PathOf("Models/garbage.onnx"), GarbageBytes());

            AssertFailedWith(project.Build(), "Models/garbage.onnx", "EAOT0002");
        }

        [Fact]
        public void TwoItemsForOneClassFailWithEaot0012()
        {
            // Checked before compiling, so it does not depend on the models being valid.
            using var project = TempProject.Create("""
                <EdgeModel Include="Models/a.onnx" ClassName="Twin" />
                <EdgeModel Include="Models/b.onnx" ClassName="Twin" Namespace="Probe" />
                """);

            var result = project.Build();

            AssertFailedWith(result, "Models/b.onnx", "EAOT0012");
            Assert.Contains("Probe.Twin", result.Output);
        }

        [NeedsCompilableModelFact]
        public void UnchangedInputsSkipTheCompileStep()
        {
            string model = ModelAvailability.CompilableModel!;
            using var project = TempProject.Create("""<EdgeModel Include="Models/model.onnx" ClassName="Probed" />""");
            File.Copy(model, project.PathOf("Models/model.onnx"));
            string plan = Path.Combine(project.IntermediateDir, "Probe.Probed.edgeir");

            var first = project.Build();
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Contains("EdgeAot: Models/model.onnx -> Probe.Probed", first.Output);
            Assert.True(File.Exists(plan), "plan written");
            Assert.True(File.Exists(Path.Combine(project.IntermediateDir, "Probe.Probed.report.md")), "report written");
            var planTime = File.GetLastWriteTimeUtc(plan);

            var second = project.Build();
            Assert.True(second.ExitCode == 0, second.ToString());
            // The summary is logged only when the task runs.
            Assert.DoesNotContain("EdgeAot: Models/model.onnx", second.Output);
            Assert.Equal(planTime, File.GetLastWriteTimeUtc(plan));
        }

        [NeedsCompilableModelFact]
        public void BudgetsFailTheBuildAndChangingThemRerunsTheTask()
        {
            // MaxRamBytes comes from a property so each build can change it without editing the project.
            using var project = TempProject.Create("""<EdgeModel Include="Models/model.onnx" ClassName="Budgeted" MaxRamBytes="$(ProbeRam)" />""");
            File.Copy(ModelAvailability.CompilableModel!, project.PathOf("Models/model.onnx"));
            string plan = Path.Combine(project.IntermediateDir, "Probe.Budgeted.edgeir");

            var fits = project.Build();
            Assert.True(fits.ExitCode == 0, fits.ToString());
            Assert.True(File.Exists(plan), "plan written");

            // Only the metadata changed, not the model: the inputs cache must rerun the task.
            var tooSmall = project.Build("ProbeRam=1");
            AssertFailedWith(tooSmall, "Models/model.onnx", "EAOT0017");
            Assert.Matches(@"EAOT0017: the arena needs [\d,]+ B but the RAM budget is 1 B \(MaxRamBytes\), [\d,]+ B over .*largest activations: #\d+ '", tooSmall.Output);
            Assert.False(File.Exists(plan), "an over-budget model leaves no plan for the generator");

            AssertFailedWith(project.Build("EdgeAotDevice=no-such-board"), "Models/model.onnx", "EAOT0019");
            AssertFailedWith(project.Build("ProbeRam=lots"), "Models/model.onnx", "EAOT0013");

            // A profile big enough for every shared model, and the explicit budget gone: green again.
            var roomy = project.Build("EdgeAotDevice=rpi-zero-2w");
            Assert.True(roomy.ExitCode == 0, roomy.ToString());
            Assert.True(File.Exists(plan), "plan written again");
        }

        [NeedsCompilableModelFact]
        public void LimitPropertiesReachTheCompilerAndNameThemselves()
        {
            using var project = TempProject.Create("""<EdgeModel Include="Models/model.onnx" ClassName="Limited" />""");
            File.Copy(ModelAvailability.CompilableModel!, project.PathOf("Models/model.onnx"));

            var fits = project.Build();
            Assert.True(fits.ExitCode == 0, fits.ToString());

            // Each property changes only the inputs cache, not the model: the task must rerun and refuse.
            foreach (string property in new[] { "EdgeAotMaxNodes", "EdgeAotMaxTensorElements", "EdgeAotMaxTensorBytes", "EdgeAotMaxWeightBytes" })
            {
                var refused = project.Build(property + "=1");
                AssertFailedWith(refused, "Models/model.onnx", "EAOT0013");
                Assert.Contains(property, refused.Output);
            }
            var invalid = project.Build("EdgeAotMaxSourceBytes=-5");
            Assert.True(invalid.ExitCode != 0 && invalid.Output.Contains("EAOT0013") && invalid.Output.Contains("EdgeAotMaxSourceBytes"), invalid.ToString());
            Assert.DoesNotMatch(TaskFailure, invalid.Output);
        }

        [NeedsCompilableModelFact]
        public void SameModelFromTwoFoldersUnderTwoCulturesGivesIdenticalPlansAndSources()
        {
            // Swedish formats -1.5 as "−1,5" (U+2212 and a decimal comma): any culture-sensitive
            // formatting in the task or the generator would show up as a byte difference.
            string[] properties = { "EdgeAotGeneratorAssembly=" + TempProject.GeneratorAssembly, "EmitCompilerGeneratedFiles=true", "CompilerGeneratedFilesOutputPath=generated" };
            using var first = TempProject.Create("""<EdgeModel Include="Models/model.onnx" ClassName="Twin" />""");
            using var second = TempProject.Create("""<EdgeModel Include="Models/model.onnx" ClassName="Twin" />""");
            File.Copy(ModelAvailability.CompilableModel!, first.PathOf("Models/model.onnx"));
            File.Copy(ModelAvailability.CompilableModel!, second.PathOf("Models/model.onnx"));

            var invariant = first.BuildUnderCulture("C.UTF-8", properties);
            Assert.True(invariant.ExitCode == 0, invariant.ToString());
            var swedish = second.BuildUnderCulture("sv_SE.UTF-8", properties);
            Assert.True(swedish.ExitCode == 0, swedish.ToString());

            string plan = Path.Combine("obj", "Debug", "net10.0", "edgeaot", "Probe.Twin.edgeir");
            Assert.Equal(File.ReadAllBytes(first.PathOf(plan)), File.ReadAllBytes(second.PathOf(plan)));
            string[] sources = Directory.GetFiles(first.PathOf("generated"), "*.g.cs", SearchOption.AllDirectories);
            Assert.NotEmpty(sources);
            foreach (string source in sources)
            {
                string twin = second.PathOf(Path.GetRelativePath(first.Directory, source));
                Assert.True(File.Exists(twin), twin);
                Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(twin));
                Assert.DoesNotContain('\u2212', File.ReadAllText(source));
            }
        }

        [NeedsCompilableModelFact]
        public void OptimizeForReachesThePlanAndAWrongValueIsEAOT0021()
        {
            // The metadata comes from a property so each build can change it; $(EdgeAotOptimizeFor) applies when it is empty.
            using var project = TempProject.Create("""<EdgeModel Include="Models/model.onnx" ClassName="Goal" OptimizeFor="$(ProbeGoal)" />""");
            File.Copy(ModelAvailability.CompilableModel!, project.PathOf("Models/model.onnx"));
            string plan = Path.Combine(project.IntermediateDir, "Probe.Goal.edgeir");

            var memory = project.Build();
            Assert.True(memory.ExitCode == 0, memory.ToString());
            Assert.DoesNotContain("optimize=", File.ReadAllText(plan), StringComparison.Ordinal);

            // Only the metadata changed: the inputs cache reruns the task.
            var speed = project.Build("ProbeGoal=speed");
            Assert.True(speed.ExitCode == 0, speed.ToString());
            Assert.Contains(" optimize=speed", File.ReadAllText(plan), StringComparison.Ordinal);

            var property = project.Build("EdgeAotOptimizeFor=memory");
            Assert.True(property.ExitCode == 0, property.ToString());
            Assert.DoesNotContain("optimize=", File.ReadAllText(plan), StringComparison.Ordinal);

            AssertFailedWith(project.Build("ProbeGoal=fast"), "Models/model.onnx", "EAOT0021");
            AssertFailedWith(project.Build("EdgeAotOptimizeFor=small"), "Models/model.onnx", "EAOT0021");
        }

        [NeedsCompilableModelFact]
        public void Sha256MetadataPinsTheModelFile()
        {
            // The pin comes from a property so each build can change it without editing the project.
            using var project = TempProject.Create("""<EdgeModel Include="Models/model.onnx" ClassName="Pinned" Sha256="$(ProbePin)" />""");
            string modelPath = project.PathOf("Models/model.onnx");
            File.Copy(ModelAvailability.CompilableModel!, modelPath);
            string actual = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(modelPath)));
            string plan = Path.Combine(project.IntermediateDir, "Probe.Pinned.edgeir");

            var pinned = project.Build("ProbePin=" + actual); // upper case: the comparison ignores case
            Assert.True(pinned.ExitCode == 0, pinned.ToString());
            Assert.Contains(actual.ToLowerInvariant(), File.ReadAllText(plan)); // becomes the class's ModelSha256

            string other = actual.Substring(0, 63) + (actual[63] == '0' ? "1" : "0");
            var mismatch = project.Build("ProbePin=" + other);
            AssertFailedWith(mismatch, "Models/model.onnx", "EAOT0020");
            Assert.Contains(actual.ToLowerInvariant(), mismatch.Output);
            Assert.False(File.Exists(plan), "a file that does not match its pin leaves no plan");

            AssertFailedWith(project.Build("ProbePin=not-a-hash"), "Models/model.onnx", "EAOT0020");
        }

        private static byte[] GarbageBytes()
        {
            var bytes = new byte[512];
            new Random(20240601).NextBytes(bytes);
            // A varint longer than ten bytes: malformed protobuf whatever follows.
            bytes.AsSpan(0, 16).Fill(0xFF);
            return bytes;
        }

        private static void AssertFailedWith(BuildResult result, string modelPath, string idPrefix)
        {
            Assert.True(result.ExitCode != 0, "the build should fail:\n" + result);
            // MSBuild's canonical error format: "<file> : EdgeAot error <id>: <message>".
            Assert.True(result.Output.Contains(modelPath + " : EdgeAot error " + idPrefix, StringComparison.Ordinal), "expected " + idPrefix + " on " + modelPath + ":\n" + result);
            Assert.DoesNotMatch(TaskFailure, result.Output);
        }
    }
}
