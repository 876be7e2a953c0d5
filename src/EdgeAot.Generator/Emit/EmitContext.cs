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
