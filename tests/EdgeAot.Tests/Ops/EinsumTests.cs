using System;
using System.Linq;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Tests.Harness;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Tests.Ops
{
    /// <summary>Einsum equations against hand-written loops: implicit output, diagonals, "..." broadcasting, three operands.</summary>
    public class EinsumTests
    {
        private static float[] Run(string equation, float[][] data, params long[][] shapes)
        {
            var b = new OpGraphBuilder(12);
            var inputs = shapes.Select((s, i) => (Value?)b.Input("x" + i, DataType.Float32, s)).ToArray();
            b.Output(b.Node("Einsum", inputs, Attribute.FromString("equation", equation)));
            string name = "Einsum" + new string(equation.Where(char.IsLetter).ToArray()) + shapes.Length;
            return (float[])GeneratedCode.Compile(b.Lower(name)).Run(data.Cast<Array>().ToArray())[0];
        }

        [Fact]
        public void Implicit_matmul_with_transposed_output_order()
        {
            // "kj,ji" has implicit output "ik" (alphabetical): y[i,k] = Σ_j a[k,j] b[j,i].
            float[] a = OpData.Random(1, 2 * 3), bm = OpData.Random(2, 3 * 4);
            var expected = new float[4 * 2];
            for (int i = 0; i < 4; i++)
            for (int k = 0; k < 2; k++)
            for (int j = 0; j < 3; j++)
                expected[i * 2 + k] += a[k * 3 + j] * bm[j * 4 + i];
            OpData.AssertClose(expected, Run("kj, ji", new[] { a, bm }, new long[] { 2, 3 }, new long[] { 3, 4 }), "kj,ji", 1e-5, 1e-6);
        }

        [Fact]
        public void Diagonal_trace_and_broadcast_ellipsis()
        {
            float[] m = OpData.Random(3, 3 * 3);
            Assert.Equal(new[] { m[0] + m[4] + m[8] }, Run("ii", new[] { m }, new long[] { 3, 3 }));

            // "...ij,...jk->...ik" with batch dims [2,1] and [3] broadcasting to [2,3].
            float[] a = OpData.Random(4, 2 * 1 * 2 * 3), bm = OpData.Random(5, 3 * 3 * 2);
            var expected = new float[2 * 3 * 2 * 2];
            for (int p = 0; p < 2; p++)
            for (int q = 0; q < 3; q++)
            for (int i = 0; i < 2; i++)
            for (int k = 0; k < 2; k++)
            for (int j = 0; j < 3; j++)
                expected[((p * 3 + q) * 2 + i) * 2 + k] += a[(p * 2 + i) * 3 + j] * bm[(q * 3 + j) * 2 + k];
            OpData.AssertClose(expected, Run("...ij,...jk->...ik", new[] { a, bm }, new long[] { 2, 1, 2, 3 }, new long[] { 3, 3, 2 }), "batched", 1e-5, 1e-6);
        }

        [Fact]
        public void Three_operands_and_full_reduction()
        {
            float[] a = OpData.Random(6, 3), bv = OpData.Random(7, 3 * 4), c = OpData.Random(8, 4);
            float expected = 0;
            for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++)
                expected += a[i] * bv[i * 4 + j] * c[j];
            OpData.AssertClose(new[] { expected }, Run("i,ij,j->", new[] { a, bv, c }, new long[] { 3 }, new long[] { 3, 4 }, new long[] { 4 }), "i,ij,j", 1e-5, 1e-6);
        }

        [Theory]
        [InlineData("ij,jk->ikk")]
        [InlineData("ij,jk->iz")]
        [InlineData("ijk,jk")]
        [InlineData("ij,kk")]
        public void Invalid_equations_are_EAOT0011(string equation)
        {
            var b = new OpGraphBuilder(12);
            b.Output(b.Node("Einsum", new Value?[] { b.Input("a", DataType.Float32, 2, 3), b.Input("b", DataType.Float32, 3, 4) }, Attribute.FromString("equation", equation)));
            var result = b.TryLower("EinsumInvalid");
            Assert.False(result.Success);
            Assert.Equal(DiagnosticCatalog.InvalidNode.Id, result.Diagnostics[0].Id);
        }
    }
}
