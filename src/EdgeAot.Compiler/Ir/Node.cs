using System.Collections.Generic;

namespace EdgeAot.Compiler.Ir
{
    /// <summary>One operator application. Absent optional inputs are null entries in <see cref="Inputs"/>.</summary>
    public sealed class Node
    {
        public Node(string name, string opType, string domain, List<Value?> inputs, List<Value> outputs, AttributeSet attributes)
        {
            Name = name;
            OpType = opType;
            Domain = domain;
            Inputs = inputs;
            Outputs = outputs;
            Attributes = attributes;
        }

        /// <summary>The ONNX node name (untrusted text) or a derived one when the model left it empty.</summary>
        public string Name { get; set; }

        public string OpType { get; set; }

        /// <summary>"" for the default ONNX domain.</summary>
        public string Domain { get; set; }

        /// <summary>Opset version of the node's domain in the model.</summary>
        public int OpsetVersion { get; set; }

        public List<Value?> Inputs { get; }

        public List<Value> Outputs { get; }

        public AttributeSet Attributes { get; }

        /// <summary>Names of the nodes fused into this one by passes (for comments and the report).</summary>
        public List<string> FusedFrom { get; } = new List<string>();

        public Value? Input(int index) => index < Inputs.Count ? Inputs[index] : null;

        public override string ToString() => OpType + " '" + Name + "'";
    }
}
