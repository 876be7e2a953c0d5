using System;
using System.Collections.Generic;
using EdgeAot.Generator.Emitters;

namespace EdgeAot.Generator.Emit
{
    /// <summary>All op emitters, one per operator family (files in Emitters/).</summary>
    internal static class EmitterRegistry
    {
        private static readonly OpEmitter[] Emitters =
        {
            new ConvEmitter(),
            new GemmEmitter(),
            new PoolEmitter(),
            new GlobalPoolEmitter(),
            new BatchNormEmitter(),
            new DequantizeLinearEmitter(),
            new QuantizeLinearEmitter(),
            new QuantizedConvEmitter(),
            new QuantizedMatMulEmitter(),
            new RuntimeQuantizedConvEmitter(),
            new RuntimeQuantizedMatMulEmitter(),
            new DynamicQuantizeLinearEmitter(),
            new QLinearBinaryEmitter(),
            new QLinearPoolEmitter(),
            new BinaryElementwiseEmitter(),
            new ActivationEmitter(),
            new SoftmaxEmitter(),
            new TransposeEmitter(),
            new ConcatEmitter(),
            new ViewEmitter(),
            new SliceEmitter(),
            new SplitEmitter(),
            new PadEmitter(),
            new GatherEmitter(),
            new ExpandEmitter(),
            new TileEmitter(),
            new WhereEmitter(),
            new DepthSpaceEmitter(),
            new ConstantOfShapeEmitter(),
            new CastEmitter(),
            new ComparisonEmitter(),
            new ReduceEmitter(),
            new ArgReduceEmitter(),
            new NormalizationEmitter(),
            new AxisNormalizationEmitter(),
            new MeanVarianceNormalizationEmitter(),
            new ConvTransposeEmitter(),
            new ResizeEmitter(),
            new SparseGemmEmitter(),
            new CompressedGemmEmitter(),
            new RoundToFloat16Emitter(),
            new ElementwiseMathEmitter(),
            new GatherElementsEmitter(),
            new GatherNDEmitter(),
            new ScatterElementsEmitter(),
            new ScatterNDEmitter(),
            new ReverseSequenceEmitter(),
            new TopKEmitter(),
            new HardmaxEmitter(),
            new CompressEmitter(),
            new TriluEmitter(),
            new EyeLikeEmitter(),
            new OneHotEmitter(),
            new CumSumEmitter(),
            new LpPoolEmitter(),
            new RecurrentEmitter(),
            new EinsumEmitter(),
            new TensorScatterEmitter(),
        };

        private static readonly Dictionary<string, OpEmitter> ByOpType = BuildIndex();

        public static OpEmitter? Find(string opType) => ByOpType.TryGetValue(opType, out var e) ? e : null;

        private static Dictionary<string, OpEmitter> BuildIndex()
        {
            var map = new Dictionary<string, OpEmitter>(StringComparer.Ordinal);
            foreach (var e in Emitters)
            {
                foreach (var op in e.OpTypes) map.Add(op, e);
            }
            return map;
        }
    }
}
