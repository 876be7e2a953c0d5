using System;
using System.Collections.Generic;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// All operator families the compiler supports. Adding an op: write an
    /// <see cref="OperatorDefinition"/> in Ops/, list it here, add its emitter in EdgeAot.Generator.
    /// </summary>
    public static class OperatorRegistry
    {
        private static readonly OperatorDefinition[] Definitions =
        {
            new ConvOperator(),
            new GemmOperator(),
            new MatMulOperator(),
            new PoolOperator(),
            new GlobalPoolOperator(),
            new BatchNormOperator(),
            new DequantizeLinearOperator(),
            new QuantizeLinearOperator(),
            new QuantizedConvOperator(),
            new QuantizedMatMulOperator(),
            new RuntimeQuantizedOperator(),
            new DynamicQuantizeLinearOperator(),
            new QLinearBinaryOperator(),
            new QLinearPoolOperator(),
            new BinaryElementwiseOperator(),
            new ActivationOperator(),
            new SoftmaxOperator(),
            new TransposeOperator(),
            new ConcatOperator(),
            new ViewOperator(),
            new ConstantOperator(),
            new SliceOperator(),
            new SplitOperator(),
            new PadOperator(),
            new GatherOperator(),
            new ExpandOperator(),
            new TileOperator(),
            new WhereOperator(),
            new DepthSpaceOperator(),
            new ShapeOperator(),
            new ConstantOfShapeOperator(),
            new RangeOperator(),
            new CastOperator(),
            new ComparisonOperator(),
            new ReduceOperator(),
            new ArgReduceOperator(),
            new NormalizationOperator(),
            new AxisNormalizationOperator(),
            new MeanVarianceNormalizationOperator(),
            new ConvTransposeOperator(),
            new ResizeOperator(),
            new SparseGemmOperator(),
            new CompressedGemmOperator(),
            new RoundToFloat16Operator(),
            new ElementwiseMathOperator(),
            new CastLikeOperator(),
            new GatherElementsOperator(),
            new GatherNDOperator(),
            new ScatterElementsOperator(),
            new ScatterNDOperator(),
            new ReverseSequenceOperator(),
            new TopKOperator(),
            new HardmaxOperator(),
            new CompressOperator(),
            new NonZeroOperator(),
            new TriluOperator(),
            new EyeLikeOperator(),
            new OneHotOperator(),
            new CumSumOperator(),
            new LpPoolOperator(),
            new RecurrentOperator(),
            new EinsumOperator(),
            new TensorScatterOperator(),
        };

        private static readonly Dictionary<string, OperatorDefinition> ByKey = BuildIndex();

        public static OperatorDefinition? Find(string domain, string opType)
            => ByKey.TryGetValue(Key(domain, opType), out var d) ? d : null;

        public static IEnumerable<string> SupportedOpTypes()
        {
            var names = new List<string>(ByKey.Keys);
            names.Sort(StringComparer.Ordinal);
            return names;
        }

        private static string Key(string domain, string opType)
            => (domain == "ai.onnx" ? "" : domain) + "::" + opType;

        private static Dictionary<string, OperatorDefinition> BuildIndex()
        {
            var map = new Dictionary<string, OperatorDefinition>(StringComparer.Ordinal);
            foreach (var d in Definitions)
            {
                foreach (var op in d.OpTypes) map.Add(Key(d.Domain, op), d);
            }
            return map;
        }
    }
}
