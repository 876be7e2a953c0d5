using System;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// A working buffer a kernel needs while its node runs (an im2col patch, a padded plane, a row of
    /// partial sums). The memory planner places it in the arena, live exactly at the node's step, and
    /// the emitter takes it by <see cref="Name"/> (a C# identifier: the kernel's local variable).
    /// </summary>
    public sealed record ScratchBuffer(string Name, DataType Type, long Elements)
    {
        public long Bytes => Elements * DataTypes.SizeOf(Type);

        public static readonly ScratchBuffer[] None = Array.Empty<ScratchBuffer>();
    }
}
