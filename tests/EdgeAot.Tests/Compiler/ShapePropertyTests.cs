using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using EdgeAot.Compiler;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Ops;
using EdgeAot.Compiler.Passes;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Tests.Properties
{
    /// <summary>
    /// Property-based tests (CsCheck) of shape inference and broadcasting: random shapes against
    /// definitions written here from the ONNX/numpy rules, and broadcast values folded by the compiler
    /// against a scalar loop. CsCheck shrinks any failure to a minimal case and prints its seed.
    /// </summary>
    public class ShapePropertyTests
    {
        // Shapes of rank 0..4 with dimensions 1..4: small enough to fold, varied enough to broadcast.
        private static readonly Gen<long[]> SmallShape = Gen.Long[1, 4].Array[0, 4];

        /// <summary>A shape and a second shape derived from it: some dims set to 1, some leading dims dropped (always compatible).</summary>
        private static readonly Gen<(long[] A, long[] B)> CompatiblePair =
            from a in SmallShape
            from drop in Gen.Int[0, 4]
            from ones in Gen.Bool.Array[4]
            select (a, a.Skip(Math.Min(drop, a.Length)).Select((d, i) => ones[i] ? 1L : d).ToArray());

        [Fact]
        public void Broadcast_MatchesTheNumpyRuleAndIsSymmetric()
        {
            Gen.Select(SmallShape, SmallShape).Sample((a, b) =>
            {
                var expected = NumpyBroadcast(a, b);
                var actual = Shape.Broadcast(a, b);
                Assert.Equal(expected, actual);
                Assert.Equal(actual, Shape.Broadcast(b, a));
            }, iter: 2000);
        }

        [Fact]
        public void Broadcast_OfACompatiblePair_IsTheLargerShape()
        {
            CompatiblePair.Sample(pair =>
            {
                Assert.Equal(pair.A, Shape.Broadcast(pair.A, pair.B));
                Assert.Equal(pair.A, Shape.Broadcast(pair.B, pair.A));
            }, iter: 2000);
        }

        [Fact]
        public void AddOfBroadcastConstants_FoldsToTheScalarReference()
        {
            CompatiblePair.Sample(pair =>
            {
                var (a, b) = pair;
                float[] av = Values(a, 1), bv = Values(b, 1000);
                var node = Lowered("Add", Constant("a", a, av), Constant("b", b, bv));

                var output = node.Outputs[0];
                Assert.Equal(a, output.Shape);
                Assert.NotNull(output.Data);
                float[] folded = TensorData.ToFloat32(output);
                // Reference: index each operand with its own right-aligned coordinates, 1 → 0.
                long count = Shape.ElementCount(a);
                for (long i = 0; i < count; i++)
                {
                    long[] coordinate = Unravel(i, a);
                    Assert.Equal(av[Ravel(coordinate, a)] + bv[Ravel(coordinate, b)], folded[i]);
                }
            }, iter: 300);
        }

        [Fact]
        public void AddOfIncompatibleShapes_IsEaot0011()
        {
            Gen.Select(SmallShape, SmallShape).Where(t => NumpyBroadcast(t.Item1, t.Item2) is null).Sample((a, b) =>
            {
                var e = Assert.Throws<ModelException>(() => Lowered("Add", Input("a", a), Input("b", b)));
                Assert.Equal("EAOT0011", e.Diagnostic.Id);
            }, iter: 300);
        }

        [Fact]
        public void Transpose_PermutesTheShape()
        {
            var gen = from shape in Gen.Long[1, 5].Array[1, 5]
                      from keys in Gen.Int.Array[shape.Length]
                      select (shape, Enumerable.Range(0, shape.Length).OrderBy(i => keys[i]).ThenBy(i => i).Select(i => (long)i).ToArray());
            gen.Sample(t =>
            {
                var node = Lowered("Transpose", new[] { Input("x", t.shape) }, Attribute.FromInts("perm", t.Item2));
                Assert.Equal(t.Item2.Select(p => t.shape[p]).ToArray(), node.Outputs[0].Shape);
            }, iter: 500);
        }

        [Fact]
        public void Reshape_WithZeroAndMinusOne_KeepsTheElementCount()
        {
            // A target built from the input: some dims copied with 0, one replaced by -1, the rest regrouped.
            var gen = from shape in Gen.Long[1, 4].Array[1, 4]
                      from copyLeading in Gen.Int[0, 4]
                      from inferLast in Gen.Bool
                      select (shape, copyLeading, inferLast);
            gen.Sample(t =>
            {
                int copied = Math.Min(t.copyLeading, t.shape.Length);
                long rest = t.shape.Skip(copied).Aggregate(1L, (x, y) => x * y);
                var target = Enumerable.Repeat(0L, copied).Append(t.inferLast ? -1L : rest).ToArray();
                var node = Lowered("Reshape", Input("x", t.shape), IntConstant("s", target));

                long[] expected = t.shape.Take(copied).Append(rest).ToArray();
                Assert.Equal(expected, node.Outputs[0].Shape);
                Assert.Equal(Shape.ElementCount(t.shape), Shape.ElementCount(node.Outputs[0].Shape));
            }, iter: 500);
        }

        [Fact]
        public void Concat_AddsTheAxisAndKeepsTheRest()
        {
            var gen = from shape in Gen.Long[1, 4].Array[1, 4]
                      from axis in Gen.Int[0, 3]
                      from extra in Gen.Long[1, 4]
                      select (shape, axis, extra);
            gen.Sample(t =>
            {
                int axis = t.axis % t.shape.Length;
                long[] other = (long[])t.shape.Clone();
                other[axis] = t.extra;
                var node = Lowered("Concat", new[] { Input("a", t.shape), Input("b", other) }, Attribute.FromInt("axis", axis - t.shape.Length));
                long[] expected = (long[])t.shape.Clone();
                expected[axis] += t.extra;
                Assert.Equal(expected, node.Outputs[0].Shape);
            }, iter: 500);
        }

        /// <summary>numpy: right-align, each pair equal or one of them 1; else incompatible (null).</summary>
        private static long[]? NumpyBroadcast(long[] a, long[] b)
        {
            int rank = Math.Max(a.Length, b.Length);
            var result = new long[rank];
            for (int i = 1; i <= rank; i++)
            {
                long x = i <= a.Length ? a[a.Length - i] : 1, y = i <= b.Length ? b[b.Length - i] : 1;
                if (x != y && x != 1 && y != 1) return null;
                result[rank - i] = x == 1 ? y : x;
            }
            return result;
        }

        private static long[] Unravel(long index, long[] shape)
        {
            var c = new long[shape.Length];
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                c[d] = index % shape[d];
                index /= shape[d];
            }
            return c;
        }

        /// <summary>Flat index into <paramref name="shape"/> of the right-aligned <paramref name="coordinate"/>, size-1 dims pinned to 0.</summary>
        private static long Ravel(long[] coordinate, long[] shape)
        {
            long index = 0;
            int shift = coordinate.Length - shape.Length;
            for (int d = 0; d < shape.Length; d++) index = index * shape[d] + (shape[d] == 1 ? 0 : coordinate[d + shift]);
            return index;
        }

        private static float[] Values(long[] shape, float scale)
            => Enumerable.Range(0, (int)Shape.ElementCount(shape)).Select(i => (i + 1) * scale).ToArray();

        private static Value Input(string name, long[] shape) => new Value(name, DataType.Float32, shape);

        private static Value Constant(string name, long[] shape, float[] values) => new Value(name, DataType.Float32, shape, TensorData.FromFloat32(values));

        private static Value IntConstant(string name, long[] values) => new Value(name, DataType.Int64, new long[] { values.Length }, TensorData.FromInt64(values));

        private static Node Lowered(string op, params Value[] inputs) => Lowered(op, inputs, Array.Empty<Attribute>());

        /// <summary>One node through the compiler's own lowering (shape inference) and constant folding.</summary>
        private static Node Lowered(string op, Value[] inputs, params Attribute[] attributes)
        {
            var set = new AttributeSet();
            foreach (var a in attributes) set.Set(a);
            var node = new Node(op + "_0", op, "", inputs.Select(v => (Value?)v).ToList(), new List<Value> { new Value("y", DataType.Undefined, Array.Empty<long>()) }, set) { OpsetVersion = 13 };
            var definition = OperatorRegistry.Find("", op)!;
            var context = new LoweringContext(new CompileOptions());
            definition.Lower(node, context);
            ConstantFolding.TryFold(node, definition, context);
            return node;
        }
    }
}
