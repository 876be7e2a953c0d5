using System;
using System.Collections.Generic;

namespace EdgeAot.Generator.Emit
{
    /// <summary>All op emitters, one per operator family (files in Emitters/).</summary>
    internal static class EmitterRegistry
    {
        private static readonly OpEmitter[] Emitters =
        {
            // Registered emitters (one file each in Emitters/).
            new Emitters.BinaryElementwiseEmitter(),
            new Emitters.ActivationEmitter(),
            new Emitters.SoftmaxEmitter(),
            new Emitters.TransposeEmitter(),
            new Emitters.ConcatEmitter(),
            new Emitters.ViewEmitter(),
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
