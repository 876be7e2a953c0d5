using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>What an operator family does with float16 tensors (see <see cref="OperatorDefinition.Float16"/>).</summary>
    public enum Float16Handling
    {
        /// <summary>Refused with EAOT0005 (the default: a family opts in once its kernel has been checked).</summary>
        Unsupported,

        /// <summary>The kernel works on <c>System.Half</c> elements directly: it only moves, selects or compares them.</summary>
        Native,

        /// <summary>
        /// The node runs in float32: lowering puts a Cast to float32 before each float16 input and a
        /// Cast back to float16 (round to nearest even) after each float output, so the float32 kernel
        /// runs unchanged and the result is rounded once per node.
        /// </summary>
        ComputeInFloat32,
    }

    /// <summary>
    /// What the compiler knows about one operator family: which op types and opsets it accepts,
    /// how to check and normalize a node (fill every default, resolve auto_pad, make axes
    /// non-negative, turn constant inputs the kernel needs at build time into attributes) and
    /// how to infer output types and shapes. After <see cref="Lower"/> a node carries everything its
    /// emitter in EdgeAot.Generator needs, so emitters never re-derive ONNX defaults.
    /// </summary>
    public abstract class OperatorDefinition
    {
        /// <summary>ONNX op types this definition handles, in the default domain unless <see cref="Domain"/> says otherwise.</summary>
        public abstract IReadOnlyList<string> OpTypes { get; }

        public virtual string Domain => "";

        /// <summary>Lowest opset version of the node's domain this definition implements.</summary>
        public virtual int MinOpset => 1;

        /// <summary>Validates and normalizes <paramref name="node"/> and sets its outputs' type and shape.</summary>
        public abstract void Lower(Node node, LoweringContext context);

        /// <summary>
        /// How a node of this family with float16 inputs or outputs is compiled; asked before
        /// <see cref="Lower"/> (attributes as the model wrote them) and, for float16 outputs, after it.
        /// </summary>
        public virtual Float16Handling Float16(Node node) => Float16Handling.Unsupported;

        /// <summary>Whether <see cref="Evaluate"/> can compute this node at build time from constant inputs.</summary>
        public virtual bool CanEvaluate(Node node) => false;

        /// <summary>
        /// Computes the outputs' <see cref="Value.Data"/> of a lowered node whose inputs are all
        /// constant (constant folding). Outputs already carry their types and shapes.
        /// </summary>
        public virtual void Evaluate(Node node, LoweringContext context)
            => throw new System.NotSupportedException(node.OpType + " has no build-time evaluator.");

        /// <summary>Whether the output may share the arena slot of input 0 (elementwise, same size).</summary>
        public virtual bool CanRunInPlace(Node node) => false;

        /// <summary>
        /// Whether the output may share the arena slot of input 0 although the op is not elementwise
        /// (depthwise convolution whose kernel copies each input plane into its scratch before
        /// writing the output plane). The memory planner keeps it only when the arena shrinks.
        /// </summary>
        public virtual bool CanRunInPlaceWhenSmaller(Node node) => false;

        /// <summary>
        /// Chooses the node's kernel where the choice trades speed for scratch memory, and records it
        /// in the node's attributes. <paramref name="scratchBudgetBytes"/> is how much of the arena is
        /// free at the node's step before any scratch: a kernel that fits in it does not raise the peak.
        /// Called by the memory planner, before <see cref="Scratch"/>.
        /// </summary>
        public virtual void SelectKernel(Node node, long scratchBudgetBytes)
        {
        }

        /// <summary>
        /// <see cref="SelectKernel(Node, long)"/> for kernels that may store a constant input in their own
        /// layout: <paramref name="ownsConstant"/>(i) is true when input i is a constant that only this
        /// node reads, through one input, and that is not a graph output (the generator then stores the
        /// bytes the kernel asks for). The memory planner calls this overload.
        /// </summary>
        public virtual void SelectKernel(Node node, long scratchBudgetBytes, Func<int, bool> ownsConstant) => SelectKernel(node, scratchBudgetBytes);

        /// <summary>
        /// The scratch buffers the node's kernel needs while it runs (after <see cref="SelectKernel"/>).
        /// The planner places them in the arena, live exactly at the node's step.
        /// </summary>
        public virtual IReadOnlyList<ScratchBuffer> Scratch(Node node) => ScratchBuffer.None;

        /// <summary>Whether the output is input 0 reinterpreted with another shape (no data movement).</summary>
        public virtual bool IsView(Node node) => false;

        /// <summary>Multiply-accumulates per inference, for the report.</summary>
        public virtual long CountMacs(Node node) => 0;
    }

    /// <summary>Services for <see cref="OperatorDefinition.Lower"/>: failing with a diagnostic, reading constants.</summary>
    public sealed class LoweringContext
    {
        public LoweringContext(CompileOptions options)
        {
            Options = options;
        }

        public CompileOptions Options { get; }

        /// <summary>Bytes of constants created by folding so far (bounded in total by <see cref="CompileOptions.MaxFoldedBytes"/>).</summary>
        public long FoldedBytes { get; private set; }

        /// <summary>Counts <paramref name="bytes"/> of folded constant data against the model's folding budget.</summary>
        public void ChargeFolded(Node node, long bytes)
        {
            long total = bytes < 0 || bytes > long.MaxValue - FoldedBytes ? -1 : FoldedBytes + bytes;
            if (total < 0 || total > Options.MaxFoldedBytes)
            {
                throw new ModelException(DiagnosticCatalog.SizeLimit, node.OpType + ": constant folding would create "
                    + (bytes < 0 ? "more than 2^63" : (FoldedBytes + bytes).ToString(System.Globalization.CultureInfo.InvariantCulture))
                    + " bytes of constants in total, more than the limit of " + Options.MaxFoldedBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    + " (EdgeAotMaxFoldedBytes).", node.Name);
            }
            FoldedBytes = total;
        }

        public ModelException Fail(Node node, string message)
            => new ModelException(DiagnosticCatalog.InvalidNode, node.OpType + ": " + message, node.Name);

        public ModelException Unsupported(Node node, string message)
            => new ModelException(DiagnosticCatalog.UnsupportedOperator, node.OpType + ": " + message, node.Name);

        public ModelException UnsupportedType(Node node, DataType type)
            => new ModelException(DiagnosticCatalog.UnsupportedDataType, node.OpType + ": element type " + type + " is not supported by this operator.", node.Name);

        /// <summary>Input <paramref name="index"/>, failing when it is absent.</summary>
        public Value Required(Node node, int index)
            => node.Input(index) ?? throw Fail(node, "input " + index + " is required.");

        /// <summary>A constant input's values as 64-bit integers (int32 or int64 tensors).</summary>
        public long[] ConstantInts(Node node, int index)
        {
            var value = Required(node, index);
            if (value.Data is null) throw Unsupported(node, "input " + index + " must be a constant at build time.");
            return TensorData.ToInt64(value);
        }

        /// <summary>A constant input's values as floats.</summary>
        public float[] ConstantFloats(Node node, int index)
        {
            var value = Required(node, index);
            if (value.Data is null) throw Unsupported(node, "input " + index + " must be a constant at build time.");
            return TensorData.ToFloat32(value);
        }

        /// <summary>Sets an output's type and shape, checking the size stays within limits.</summary>
        public void SetOutput(Node node, int index, DataType type, long[] shape)
        {
            if (index >= node.Outputs.Count) throw Fail(node, "output " + index + " is missing.");
            TensorLimits.Check(shape, type, Options, node.OpType + ": output " + index.ToString(System.Globalization.CultureInfo.InvariantCulture), node.Name);
            var output = node.Outputs[index];
            output.Type = type;
            output.Shape = shape;
        }
    }
}
