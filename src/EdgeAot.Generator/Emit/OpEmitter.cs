using System.Collections.Generic;
using EdgeAot.Compiler.Plan;

namespace EdgeAot.Generator.Emit
{
    /// <summary>
    /// Emits the kernel of one operator family. Each node becomes a private static method whose
    /// parameters are spans over its inputs (ReadOnlySpan) and outputs (Span); the emitter writes
    /// the body with every shape, stride and attribute as a constant. The node's attributes are
    /// already normalized by the compiler's OperatorDefinition for the same op.
    /// </summary>
    internal abstract class OpEmitter
    {
        public abstract IReadOnlyList<string> OpTypes { get; }

        /// <summary>Parameter name of input <paramref name="index"/> inside the kernel method.</summary>
        public virtual string InputName(NodePlan node, int index) => node.Inputs.Count == 1 ? "x" : "x" + index;

        /// <summary>Parameter name of output <paramref name="index"/> inside the kernel method.</summary>
        public virtual string OutputName(NodePlan node, int index) => node.Outputs.Count == 1 ? "y" : "y" + index;

        /// <summary>A short human description for the comment above the call (shapes are added by the caller).</summary>
        public virtual string Describe(EmitContext context) => "";

        /// <summary>
        /// True when the node needs no code at all (a view whose output already shares the input's
        /// storage); the caller then emits only a comment.
        /// </summary>
        public virtual bool IsNoOp(EmitContext context) => false;

        /// <summary>
        /// The bytes to store for constant input <paramref name="index"/> in place of the tensor's own,
        /// when the kernel streams the weights in another layout (e.g. panels packed for a micro-kernel);
        /// null keeps the tensor as it is. Only asked when this node is the weight's only reader
        /// (<see cref="WeightLayout.IsOnlyReader"/>); <see cref="EmitBody"/> must make the same choice.
        /// </summary>
        public virtual byte[]? PackConstantInput(ModelPlan plan, NodePlan node, int index) => null;

        /// <summary>Writes the kernel method's body.</summary>
        public abstract void EmitBody(EmitContext context);
    }
}
