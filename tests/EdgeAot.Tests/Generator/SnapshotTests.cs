using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;
using EdgeAot.Tests.Harness;

namespace EdgeAot.Tests.Generator
{
    /// <summary>
    /// Generated C# of small models kept as reviewed baselines in Snapshots/; a change to generated
    /// code shows up as a diff there. After reviewing an intended change, refresh them with
    /// <c>EDGEAOT_UPDATE_SNAPSHOTS=1 dotnet test --filter SnapshotTests</c>.
    /// </summary>
    public class SnapshotTests
    {
        public static IEnumerable<object[]> Models()
        {
            foreach (var name in SnapshotModels.Names) yield return new object[] { name };
        }

        [Theory]
        [MemberData(nameof(Models))]
        public void Generated_source_matches_reviewed_baseline(string name)
        {
            string actual = ModelEmitter.Emit(SnapshotModels.Plan(name));
            string path = Path.Combine(SnapshotDirectory(), name + ".g.cs");
            if (Environment.GetEnvironmentVariable("EDGEAOT_UPDATE_SNAPSHOTS") == "1")
            {
                File.WriteAllText(path, actual);
                return;
            }
            Assert.True(File.Exists(path), "No baseline " + path + "; review the output and create it with EDGEAOT_UPDATE_SNAPSHOTS=1.");
            string expected = File.ReadAllText(path).Replace("\r\n", "\n");
            Assert.Equal(expected, actual);
        }

        [Theory]
        [MemberData(nameof(Models))]
        public void Same_model_gives_identical_plan_and_source_under_any_culture(string name)
        {
            var original = Thread.CurrentThread.CurrentCulture;
            try
            {
                Thread.CurrentThread.CurrentCulture = CultureInfo.InvariantCulture;
                string plan1 = PlanWriter.Write(SnapshotModels.Plan(name));
                string source1 = ModelEmitter.Emit(SnapshotModels.Plan(name));

                var odd = (CultureInfo)CultureInfo.GetCultureInfo("sv-SE").Clone();
                odd.NumberFormat.NegativeSign = "\u2212";
                odd.NumberFormat.NumberDecimalSeparator = ",";
                Thread.CurrentThread.CurrentCulture = odd;
                Thread.CurrentThread.CurrentUICulture = odd;
                string plan2 = PlanWriter.Write(SnapshotModels.Plan(name));
                string source2 = ModelEmitter.Emit(SnapshotModels.Plan(name));

                Assert.Equal(plan1, plan2);
                Assert.Equal(source1, source2);
                Assert.DoesNotContain('\u2212', source2);
                // The plan round-trips: reading it back and emitting gives the same source.
                Assert.Equal(source1, ModelEmitter.Emit(PlanReader.Read(plan2)));
            }
            finally
            {
                Thread.CurrentThread.CurrentCulture = original;
                Thread.CurrentThread.CurrentUICulture = original;
            }
        }

        private static string SnapshotDirectory([CallerFilePath] string thisFile = "")
            => Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "Snapshots");
    }

    /// <summary>The small models whose generated code is kept as baselines.</summary>
    public static class SnapshotModels
    {
        public static readonly string[] Names = { "ConvPoolMatMul", "DepthwiseBnReluClassifier", "QdqConvRelu", "HalfAddSigmoidPad" };

        public static ModelPlan Plan(string name) => name switch
        {
            "ConvPoolMatMul" => TestModels.Lower(TestModels.ConvPoolMatMul(), "ConvPoolMatMulModel", "conv_pool_matmul.onnx"),
            "DepthwiseBnReluClassifier" => TestModels.Lower(TestModels.DepthwiseBnReluClassifier(), "DepthwiseBnReluClassifierModel", "depthwise_bn_relu.onnx"),
            "QdqConvRelu" => TestModels.Lower(TestModels.QdqConvRelu(), "QdqConvReluModel", "qdq_conv_relu.onnx"),
            "HalfAddSigmoidPad" => TestModels.Lower(TestModels.HalfAddSigmoidPad(), "HalfAddSigmoidPadModel", "half_add_sigmoid_pad.onnx"),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }
}
