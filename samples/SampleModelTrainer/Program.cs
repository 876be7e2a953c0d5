using System;
using System.IO;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Onnx;
using SampleModelTrainer;

// Trains the sample's bundled model and writes it as ONNX with EdgeAot's own model builder:
//   dotnet run --project samples/SampleModelTrainer [-- output.onnx]
// Everything is seeded, so the same SDK reproduces the committed samples/EdgeAot.Sample/Models/sample.onnx.
string output = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "../../../../EdgeAot.Sample/Models/sample.onnx");
var rng = new Random(2026);
var mlp = new Mlp(ShapesDataset.Pixels, 24, ShapesDataset.Classes.Length, rng);
for (int step = 0; step < 40_000; step++)
{
    var (image, label) = ShapesDataset.Sample(rng);
    mlp.Train(image, label, step < 20_000 ? 0.05f : 0.01f);
}

var test = new Random(7);
int correct = 0;
const int TestCount = 2000;
var hidden = new float[mlp.Hidden];
for (int i = 0; i < TestCount; i++)
{
    var (image, label) = ShapesDataset.Sample(test);
    float[] p = mlp.Forward(image, hidden);
    int best = 0;
    for (int c = 1; c < p.Length; c++) if (p[c] > p[best]) best = c;
    if (best == label) correct++;
}
Console.WriteLine($"held-out accuracy: {100.0 * correct / TestCount:F1}% on {TestCount} generated images");

// image [1,1,8,8] → Flatten → Gemm(64→24) → Relu → Gemm(24→4) → Softmax
var b = new OnnxModelBuilder("shapes_mlp", opset: 13).Producer("EdgeAot SampleModelTrainer", "1");
string x = b.Input("image", DataType.Float32, 1, 1, ShapesDataset.Side, ShapesDataset.Side);
string flat = b.Node("Flatten", new[] { x }, OnnxAttribute.Int("axis", 1));
string w1 = b.Initializer("fc1.weight", new long[] { mlp.Hidden, mlp.Inputs }, mlp.W1);
string b1 = b.Initializer("fc1.bias", new long[] { mlp.Hidden }, mlp.B1);
string h = b.Node("Gemm", new[] { flat, w1, b1 }, OnnxAttribute.Int("transB", 1));
string r = b.Node("Relu", new[] { h });
string w2 = b.Initializer("fc2.weight", new long[] { mlp.Outputs, mlp.Hidden }, mlp.W2);
string b2 = b.Initializer("fc2.bias", new long[] { mlp.Outputs }, mlp.B2);
string logits = b.Node("Gemm", new[] { r, w2, b2 }, OnnxAttribute.Int("transB", 1));
string probabilities = b.Node("Softmax", new[] { logits }, OnnxAttribute.Int("axis", 1));
b.Output(probabilities, DataType.Float32, 1, ShapesDataset.Classes.Length);
File.WriteAllBytes(output, b.ToBytes());
Console.WriteLine("wrote " + Path.GetFullPath(output));
