using System;
using System.IO;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Compression;
using EdgeAot.Tests.Harness;

namespace EdgeAot.Tests.Build
{
    /// <summary>
    /// EdgeModel compression metadata in a real `dotnet build`: Quantize="int8" needs
    /// CalibrationData, quantizes before compiling (the plan has integer kernels), writes the
    /// compressed ONNX and its report, and a changed calibration file reruns the task.
    /// </summary>
    [Trait("Category", "Build")]
    public sealed class CompressionBuildTests
    {
        [Fact]
        public void QuantizeWithoutCalibrationDataFailsWithEaot0051()
        {
            using var project = TempProject.Create("""<EdgeModel Include="Models/ic.onnx" Quantize="int8" />""");
            File.Copy(SharedData.Model("ic.onnx"), project.PathOf("Models/ic.onnx"));

            var result = project.Build();

            Assert.True(result.ExitCode != 0, result.ToString());
            Assert.Contains("Models/ic.onnx : EdgeAot error EAOT0051", result.Output);
        }

        [Fact]
        public void QuantizedModelCompilesToIntegerKernelsAndCalibrationFilesAreInputs()
        {
            using var project = TempProject.Create("""<EdgeModel Include="Models/ic.onnx" ClassName="Ic8" Quantize="int8" CalibrationData="calib/" />""");
            string model = SharedData.Model("ic.onnx");
            File.Copy(model, project.PathOf("Models/ic.onnx"));
            long[] lengths = ReferenceRunner.Create(File.ReadAllBytes(model), new CompileOptions()).InputLengths();
            CalibrationData.Write(project.PathOf("calib"), CalibrationData.Generate(lengths, 4, seed: 1000, min: -1, max: 1));
            string plan = Path.Combine(project.IntermediateDir, "Probe.Ic8.edgeir");

            var first = project.Build();
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Contains("EdgeAot: int8 static quantization of Models/ic.onnx", first.Output);
            Assert.Contains("QLinearConv", File.ReadAllText(plan));
            Assert.True(File.Exists(Path.Combine(project.IntermediateDir, "Probe.Ic8.compressed.onnx")));
            Assert.Contains("top-1 agreement", File.ReadAllText(Path.Combine(project.IntermediateDir, "Probe.Ic8.compression.report.md")));

            var unchanged = project.Build();
            Assert.True(unchanged.ExitCode == 0, unchanged.ToString());
            Assert.DoesNotContain("EdgeAot: int8 static quantization", unchanged.Output);

            // Different calibration data means different scales: the task must run again.
            CalibrationData.Write(project.PathOf("calib"), CalibrationData.Generate(lengths, 4, seed: 2000, min: -2, max: 2));
            File.SetLastWriteTimeUtc(project.PathOf("calib/sample_0000.f32"), DateTime.UtcNow.AddMinutes(1));
            var rerun = project.Build();
            Assert.True(rerun.ExitCode == 0, rerun.ToString());
            Assert.Contains("EdgeAot: int8 static quantization of Models/ic.onnx", rerun.Output);
        }

        [Fact]
        public void Fp16WeightStorageKeepsTwoBytesPerWeightInTheBuild()
        {
            using var project = TempProject.Create("""<EdgeModel Include="Models/ad01_fp32.onnx" ClassName="Ad16" WeightStorage="fp16" />""");
            File.Copy(SharedData.Model("ad01_fp32.onnx"), project.PathOf("Models/ad01_fp32.onnx"));

            var result = project.Build();

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("EdgeAot: float16 weight storage of Models/ad01_fp32.onnx: weights 1,063,456 -> 535,072 B", result.Output);
            string plan = File.ReadAllText(Path.Combine(project.IntermediateDir, "Probe.Ad16.edgeir"));
            Assert.Contains("CompressedGemm", plan);
            Assert.Contains("float16", plan);

            using var both = TempProject.Create("""<EdgeModel Include="Models/ad01_fp32.onnx" WeightStorage="fp16" Quantize="int8" CalibrationData="calib/" />""");
            File.Copy(SharedData.Model("ad01_fp32.onnx"), both.PathOf("Models/ad01_fp32.onnx"));
            var refused = both.Build();
            Assert.True(refused.ExitCode != 0, refused.ToString());
            Assert.Contains("EAOT0052", refused.Output);
        }
    }
}
