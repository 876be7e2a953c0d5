using System.Collections.Generic;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>Attribute bookkeeping shared by the lowering of several op families.</summary>
    internal static class NodeAttributes
    {
        /// <summary>
        /// Removes every attribute not in <paramref name="names"/>, so the plan carries exactly what
        /// the emitter reads (legacy attributes such as <c>consumed_inputs</c> disappear).
        /// </summary>
        public static void KeepOnly(Node node, params string[] names)
        {
            var remove = new List<string>();
            foreach (var a in node.Attributes.All)
            {
                if (System.Array.IndexOf(names, a.Name) < 0) remove.Add(a.Name);
            }
            foreach (var name in remove) node.Attributes.Remove(name);
        }

        public static void SetInt(Node node, string name, long value) => node.Attributes.Set(Attribute.FromInt(name, value));

        public static void SetFloat(Node node, string name, float value) => node.Attributes.Set(Attribute.FromFloat(name, value));

        public static void SetInts(Node node, string name, long[] value) => node.Attributes.Set(Attribute.FromInts(name, value));

        /// <summary>Product of <paramref name="dims"/>[from..to) (callers pass shapes already bounded by the size limits).</summary>
        public static long Product(long[] dims, int from, int to)
        {
            long p = 1;
            for (int i = from; i < to; i++) p *= dims[i];
            return p;
        }
    }
}
