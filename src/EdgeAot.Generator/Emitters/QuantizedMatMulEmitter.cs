using System.Collections.Generic;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Plan;
using EdgeAot.Generator.Emit;

namespace EdgeAot.Generator.Emitters
{
    /// <summary>
    /// Integer matrix product (QLinearMatMul, MatMulInteger, fused QDQ MatMul/Gemm): per output
    /// an integer dot product of (a − a_zero) and (b − b_zero), plus the int32 bias, then for
    /// QLinearMatMul fixed-point requantization and the fused clamp. No floating point.
    /// int8 × int8 with a 32-bit accumulator expands the zero points
    /// (Σ(a−az)(b−bz) = Σa·b − az·Σb − bz·Σa + K·az·bz, per-column constants computed once per call)
    /// and runs Σa·b with SIMD: B^T rows are contiguous, so one DotInt8 per output; otherwise each
    /// row of B is added to a row of accumulators in arena scratch scaled by a[t] (AxpyInt8). Same bits on
    /// every path.
    /// </summary>
    internal sealed class QuantizedMatMulEmitter : OpEmitter
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "QLinearMatMul", "MatMulInteger" };

        public override string InputName(NodePlan node, int index) => index switch { 0 => "a", 1 => "b", _ => "bias" };

        public override string Describe(EmitContext context)
            => "integer " + context.Input(0).Type.ToString().ToLowerInvariant() + " x " + context.Input(1).Type.ToString().ToLowerInvariant()
               + (context.Node.GetInt("wide", 0) != 0 ? ", 64-bit accumulator" : "");

        public override void EmitBody(EmitContext context)
        {
            var node = context.Node;
            long[] a = context.InputShape(0), b = context.InputShape(1);
            bool transB = node.GetInt("transB", 0) != 0;
            long k = a[a.Length - 1], n = transB ? b[0] : b[1], rows = context.Input(0).ElementCount / k;
            bool requantize = node.OpType == "QLinearMatMul";
            long[] bZero = node.GetInts("b_zero_points");
            long[] multipliers = requantize ? node.GetInts("multipliers") : new long[0];
            string acc = node.GetInt("wide", 0) != 0 ? "long" : "int";
            string I(long v) => Literals.Int(v);
            var w = context.Writer;
            int bodyStart = w.Length;
            if (requantize)
            {
                w.Line("global::System.ReadOnlySpan<int> multipliers = " + context.ConstantTable("multipliers", "int", multipliers) + ";");
                w.Line("global::System.ReadOnlySpan<byte> shifts = " + context.ConstantTable("shifts", "byte", node.GetInts("shifts")) + ";");
            }
            if (bZero.Length > 1) w.Line("global::System.ReadOnlySpan<int> bZero = " + context.ConstantTable("bZero", "int", bZero) + ";");
            bool simd = QuantizedMatMulOperator.UsesVectorKernel(context.Input(0).Type, context.Input(1).Type, acc == "long", n);
            if (simd)
            {
                long az = node.GetInt("a_zero_point", 0);
                bool anyBz = false;
                foreach (long z in bZero) anyBz |= z != 0;
                string bzj = bZero.Length > 1 ? "bZero[j]" : I(bZero[0]);
                QuantizedConvEmitter.EmitZeroPointBase(context, "columnBase", "b", "bZero", n, k, az, bZero, transposed: transB);
                if (!transB) context.DeclareScratch("sums", n);
                using (w.Block("for (int i = 0; i < " + I(rows) + "; i++)"))
                {
                    w.Line("var row = a.Slice(i * " + I(k) + ", " + I(k) + ");");
                    if (anyBz)
                    {
                        w.Line("int rowSum = 0;");
                        w.Line("for (int t = 0; t < " + I(k) + "; t++) rowSum += row[t];");
                    }
                    if (!transB)
                    {
                        w.Line("sums.Clear();");
                        w.Line("for (int t = 0; t < " + I(k) + "; t++) AxpyInt8(row[t], ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in b[t * " + I(n) + "]), ref sums[0], " + I(n) + ");");
                    }
                    using (w.Block("for (int j = 0; j < " + I(n) + "; j++)"))
                    {
                        string dot = transB ? "DotInt8(ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in row[0]), ref global::System.Runtime.CompilerServices.Unsafe.AsRef(in b[j * " + I(k) + "]), " + I(k) + ")" : "sums[j]";
                        w.Line("int acc = unchecked(columnBase[j] + " + dot + (anyBz ? " - " + bzj + " * rowSum" : "") + ");");
                        if (requantize)
                        {
                            string channel = multipliers.Length > 1 ? "j" : "0";
                            w.Line("long q = Requantize(acc, multipliers[" + channel + "], shifts[" + channel + "]) + " + I(node.GetInt("y_zero_point", 0)) + ";");
                            w.Line("y[i * " + I(n) + " + j] = (" + EmitContext.ElementType(context.Output(0)) + ")global::System.Math.Clamp(q, " + I(node.GetInt("output_min", 0)) + ", " + I(node.GetInt("output_max", 0)) + ");");
                        }
                        else w.Line("y[i * " + I(n) + " + j] = acc;");
                    }
                }
            }
            else
            {
                using (w.Block("for (int i = 0; i < " + I(rows) + "; i++)"))
                {
                    w.Line("var row = a.Slice(i * " + I(k) + ", " + I(k) + ");");
                    using (w.Block("for (int j = 0; j < " + I(n) + "; j++)"))
                    {
                        w.Line(acc + " acc = " + (context.HasInput(2) ? "bias[j]" : "0") + ";");
                        string bIndex = transB ? "j * " + I(k) + " + t" : "t * " + I(n) + " + j";
                        string bz = bZero.Length > 1 ? "bZero[j]" : I(bZero[0]);
                        w.Line("for (int t = 0; t < " + I(k) + "; t++) acc += (row[t] - " + I(node.GetInt("a_zero_point", 0)) + ") * (b[" + bIndex + "] - " + bz + ");");
                        if (requantize)
                        {
                            string channel = multipliers.Length > 1 ? "j" : "0";
                            w.Line("long q = Requantize(acc, multipliers[" + channel + "], shifts[" + channel + "]) + " + I(node.GetInt("y_zero_point", 0)) + ";");
                            w.Line("y[i * " + I(n) + " + j] = (" + EmitContext.ElementType(context.Output(0)) + ")global::System.Math.Clamp(q, " + I(node.GetInt("output_min", 0)) + ", " + I(node.GetInt("output_max", 0)) + ");");
                        }
                        else w.Line("y[i * " + I(n) + " + j] = unchecked((int)acc);");
                    }
                }
            }
            // The SIMD paths requantize whole rows with their own helpers; the scalar Requantize goes in only where it is called.
            if (requantize && w.WroteSince(bodyStart, "Requantize("))
            {
                w.Line();
                foreach (string line in Requantization.CSharpSource.Split('\n')) w.Line(line);
            }
        }
    }
}
