using System;
using EdgeAot.Compiler.Ir;
using EdgeAot.Compiler.Plan;

namespace EdgeAot.Generator.Emit
{
    /// <summary>What an <see cref="OpEmitter"/> sees while writing one node's kernel.</summary>
    internal sealed class EmitContext
    {
        public EmitContext(ModelPlan plan, NodePlan node, OpEmitter emitter, SourceWriter writer, ConstantTables tables)
        {
            Plan = plan;
            Node = node;
            Emitter = emitter;
            Writer = writer;
            Tables = tables;
        }

        public ModelPlan Plan { get; }

        public NodePlan Node { get; }

        public OpEmitter Emitter { get; }

        public SourceWriter Writer { get; }

        public ConstantTables Tables { get; }

        /// <summary>
        /// A constant integer table for this kernel as a static readonly field of the class (never a
        /// <c>new T[] { ... }</c> local, see <see cref="ConstantTables"/>); returns the field's name.
        /// </summary>
        public string ConstantTable(string name, string elementType, long[] values)
            => Tables.Add(TableName(name), elementType, System.Array.ConvertAll(values, Literals.Int));

        /// <summary>A constant float table for this kernel, as <see cref="ConstantTable(string, string, long[])"/>.</summary>
        public string ConstantTable(string name, float[] values)
            => Tables.Add(TableName(name), "float", System.Array.ConvertAll(values, Literals.Float));

        private string TableName(string name) => Node.OpType + Literals.Int(Node.Index) + ParameterNames.Pascal(name);

        /// <summary>
        /// Declares the local <paramref name="name"/> as the node's planned arena scratch of that name
        /// (a slice of the kernel's <c>scratch</c> parameter) and returns its element count. The
        /// compiler planned the size; <paramref name="expectedElements"/>, when given, is what the
        /// kernel's loops index, and a plan that disagrees is refused rather than emitted.
        /// </summary>
        public long DeclareScratch(string name, long expectedElements = -1)
        {
            long start = ScratchStart(Node);
            foreach (var part in Node.Scratch)
            {
                if (!string.Equals(part.Name, name, StringComparison.Ordinal)) continue;
                if (expectedElements >= 0 && part.Elements != expectedElements)
                    throw new InvalidOperationException(Node.OpType + " #" + Node.Index + ": scratch '" + name + "' is planned for " + part.Elements + " elements, the kernel needs " + expectedElements + ".");
                string type = DataTypes.CSharpName(part.Type);
                Line("global::System.Span<" + type + "> " + name + " = Slice<" + type + ">(scratch, " + Literals.Int(part.Offset - start) + ", " + Literals.Int(part.Elements) + ");");
                return part.Elements;
            }
            throw new InvalidOperationException(Node.OpType + " #" + Node.Index + ": the plan has no scratch '" + name + "'.");
        }

        /// <summary>Arena offset where the node's scratch block starts (its parts lie back to back from here).</summary>
        public static long ScratchStart(NodePlan node)
        {
            long start = long.MaxValue;
            foreach (var part in node.Scratch) start = Math.Min(start, part.Offset);
            return start;
        }

        /// <summary>Bytes from <see cref="ScratchStart"/> to the end of the node's last scratch part.</summary>
        public static long ScratchLength(NodePlan node)
        {
            long end = 0;
            foreach (var part in node.Scratch) end = Math.Max(end, part.Offset + part.ByteLength);
            return end - ScratchStart(node);
        }

        public bool HasInput(int index) => Node.Input(index) >= 0;

        public TensorPlan Input(int index)
        {
            int id = Node.Input(index);
            if (id < 0) throw new InvalidOperationException(Node.OpType + " #" + Node.Index + ": input " + index + " is absent.");
            return Plan.Tensor(id);
        }

        public TensorPlan Output(int index) => Plan.Tensor(Node.Outputs[index]);

        public string InputName(int index) => Emitter.InputName(Node, index);

        public string OutputName(int index) => Emitter.OutputName(Node, index);

        public long[] InputShape(int index) => Input(index).Shape.ToArray();

        public long[] OutputShape(int index) => Output(index).Shape.ToArray();

        /// <summary>The C# element type of a tensor.</summary>
        public static string ElementType(TensorPlan tensor) => DataTypes.CSharpName(tensor.Type);

        /// <summary>True when both tensors occupy the same storage (a view or an in-place op).</summary>
        public static bool SameStorage(TensorPlan a, TensorPlan b)
            => a.Storage == b.Storage && a.Offset == b.Offset && (a.Storage != TensorStorage.Weight || a.Id == b.Id);

        public SourceWriter Line(string text = "") => Writer.Line(text);

        public SourceWriter.BlockScope Block(string header) => Writer.Block(header);
    }
}
