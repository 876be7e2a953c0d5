using System;
using System.Collections.Generic;
using EdgeAot.Compiler.Ir;
using Attribute = EdgeAot.Compiler.Ir.Attribute;

namespace EdgeAot.Compiler.Ops
{
    /// <summary>
    /// RNN, GRU and LSTM (float32): forward, reverse or bidirectional, layout 0 or 1, given or
    /// default activations, initial states, LSTM peepholes, GRU linear_before_reset, and
    /// sequence_lens either absent, constant or read at run time (it never changes a shape).
    /// Lowered attributes: direction, hidden_size, layout, activations (one comma-separated string
    /// of normalized names, one per gate function and direction), activation_alpha and
    /// activation_beta (one value per activation, defaults filled in), clip (absent when there is
    /// none), linear_before_reset (GRU) and, when constant, sequence_lens (the input removed).
    /// </summary>
    public sealed class RecurrentOperator : OperatorDefinition
    {
        public override IReadOnlyList<string> OpTypes { get; } = new[] { "RNN", "GRU", "LSTM" };

        public override Float16Handling Float16(Node node) => Float16Handling.ComputeInFloat32;

        public override int MinOpset => 7;

        /// <summary>Scratch floats the kernel keeps on the stack: two gate buffers and three hidden-size vectors.</summary>
        public const long MaxStateFloats = 16384;

        /// <summary>Gates per cell (rows of W per direction in units of hidden_size).</summary>
        public static int GateCount(string opType) => opType switch { "LSTM" => 4, "GRU" => 3, _ => 1 };

        /// <summary>Activation functions per direction (f, g, h for LSTM; f, g for GRU; f for RNN).</summary>
        public static int ActivationCount(string opType) => opType switch { "LSTM" => 3, "GRU" => 2, _ => 1 };

        public override void Lower(Node node, LoweringContext context)
        {
            string op = node.OpType;
            var x = context.Required(node, 0);
            var w = context.Required(node, 1);
            var r = context.Required(node, 2);
            foreach (var v in new[] { x, w, r })
            {
                if (v.Type != DataType.Float32) throw context.UnsupportedType(node, v.Type);
            }
            int maxInputs = op == "LSTM" ? 8 : 6;
            if (node.Inputs.Count > maxInputs) throw context.Fail(node, "too many inputs.");
            if (node.Outputs.Count > (op == "LSTM" ? 3 : 2)) throw context.Fail(node, "too many outputs.");
            if (x.Rank != 3 || w.Rank != 3 || r.Rank != 3) throw context.Fail(node, "X, W and R must be 3-D.");

            string direction = node.Attributes.GetString("direction", "forward");
            if (direction is not ("forward" or "reverse" or "bidirectional")) throw context.Fail(node, "direction must be forward, reverse or bidirectional.");
            long directions = direction == "bidirectional" ? 2 : 1;
            long layout = node.OpsetVersion >= 14 ? node.Attributes.GetInt("layout", 0) : 0;
            if (layout is not (0 or 1)) throw context.Fail(node, "layout must be 0 or 1.");
            long seq = layout == 0 ? x.Shape[0] : x.Shape[1], batch = layout == 0 ? x.Shape[1] : x.Shape[0], input = x.Shape[2];
            long hidden = node.Attributes.GetInt("hidden_size", r.Shape[2]);
            int gates = GateCount(op);
            if (hidden < 1) throw context.Fail(node, "hidden_size must be positive.");
            if (!Shape.SameAs(w.Shape, new[] { directions, gates * hidden, input })) throw context.Fail(node, "W must have shape " + Shape.Format(new[] { directions, gates * hidden, input }) + ".");
            if (!Shape.SameAs(r.Shape, new[] { directions, gates * hidden, hidden })) throw context.Fail(node, "R must have shape " + Shape.Format(new[] { directions, gates * hidden, hidden }) + ".");
            if (2 * gates * hidden + 3 * hidden > MaxStateFloats)
                throw context.Unsupported(node, "hidden_size " + hidden + " needs more than " + MaxStateFloats + " floats of stack state.");

            CheckOptional(node, context, 3, new[] { directions, 2 * gates * hidden }, "B");
            long[] stateShape = layout == 0 ? new[] { directions, batch, hidden } : new[] { batch, directions, hidden };
            CheckOptional(node, context, 5, stateShape, "initial_h");
            if (op == "LSTM")
            {
                CheckOptional(node, context, 6, stateShape, "initial_c");
                CheckOptional(node, context, 7, new[] { directions, 3 * hidden }, "P");
                if (node.Attributes.GetInt("input_forget", 0) != 0) throw context.Unsupported(node, "input_forget=1 is not supported.");
            }

            long[]? constantLens = null;
            var lens = node.Input(4);
            if (lens is not null)
            {
                if (lens.Type != DataType.Int32) throw context.UnsupportedType(node, lens.Type);
                if (!Shape.SameAs(lens.Shape, new[] { batch })) throw context.Fail(node, "sequence_lens must have shape [batch_size].");
                if (lens.IsConstant)
                {
                    long[] values = TensorData.ToInt64(lens);
                    foreach (long v in values)
                    {
                        if (v < 0 || v > seq) throw context.Fail(node, "sequence length " + v + " is outside [0, " + seq + "].");
                    }
                    constantLens = values;
                    node.Inputs[4] = null;
                }
            }

            var (names, alphas, betas) = Activations(node, context, (int)directions);
            bool hasClip = node.Attributes.Find("clip") is not null;
            float clip = node.Attributes.GetFloat("clip", 0f);
            if (hasClip && !(clip > 0)) throw context.Fail(node, "clip must be positive.");
            long linearBeforeReset = op == "GRU" && node.Attributes.GetInt("linear_before_reset", 0) != 0 ? 1 : 0;

            NodeAttributes.KeepOnly(node);
            if (constantLens is not null) NodeAttributes.SetInts(node, "sequence_lens", constantLens);
            node.Attributes.Set(Attribute.FromString("direction", direction));
            NodeAttributes.SetInt(node, "hidden_size", hidden);
            NodeAttributes.SetInt(node, "layout", layout);
            node.Attributes.Set(Attribute.FromString("activations", string.Join(",", names)));
            node.Attributes.Set(Attribute.FromFloats("activation_alpha", alphas));
            node.Attributes.Set(Attribute.FromFloats("activation_beta", betas));
            if (hasClip) NodeAttributes.SetFloat(node, "clip", clip);
            if (op == "GRU") NodeAttributes.SetInt(node, "linear_before_reset", linearBeforeReset);

            for (int i = 0; i < node.Outputs.Count; i++)
            {
                long[] shape = i == 0
                    ? (layout == 0 ? new[] { seq, directions, batch, hidden } : new[] { batch, seq, directions, hidden })
                    : stateShape;
                context.SetOutput(node, i, DataType.Float32, shape);
            }
        }

        /// <summary>Gate pre-activations W·x_t + Wb and R·h + Rb, and the running state of one batch row.</summary>
        public override IReadOnlyList<ScratchBuffer> Scratch(Node node)
        {
            var x = node.Inputs[0]!;
            if (x.Shape[0] * x.Shape[1] == 0) return ScratchBuffer.None;
            long hidden = node.Attributes.GetInt("hidden_size", 1), gates = GateCount(node.OpType) * hidden;
            var parts = new List<ScratchBuffer>
            {
                new ScratchBuffer("gx", DataType.Float32, gates),
                new ScratchBuffer("gh", DataType.Float32, gates),
                new ScratchBuffer("h", DataType.Float32, hidden),
            };
            if (node.OpType == "LSTM") parts.Add(new ScratchBuffer("c", DataType.Float32, hidden));
            if (node.OpType == "GRU" && node.Attributes.GetInt("linear_before_reset", 0) == 0) parts.Add(new ScratchBuffer("resetH", DataType.Float32, hidden));
            return parts;
        }

        public override long CountMacs(Node node)
        {
            var x = node.Inputs[0]!;
            var w = node.Inputs[1]!;
            var r = node.Inputs[2]!;
            long steps = x.Shape[0] * x.Shape[1];
            return steps * (w.ElementCount + r.ElementCount);
        }

        private static void CheckOptional(Node node, LoweringContext context, int index, long[] shape, string name)
        {
            var v = node.Input(index);
            if (v is null) return;
            if (v.Type != DataType.Float32) throw context.UnsupportedType(node, v.Type);
            if (!Shape.SameAs(v.Shape, shape)) throw context.Fail(node, name + " must have shape " + Shape.Format(shape) + ".");
        }

        /// <summary>
        /// The activation of every gate function and direction with its alpha and beta. The
        /// attribute lists may name the functions of one direction only (then both directions use
        /// them); alpha and beta values are consumed in order by the functions that take them.
        /// </summary>
        private static (string[] Names, float[] Alphas, float[] Betas) Activations(Node node, LoweringContext context, int directions)
        {
            string op = node.OpType;
            int perDirection = ActivationCount(op);
            var given = node.Attributes.Find("activations");
            string[] names;
            if (given is null || given.Kind != AttributeKind.Strings || given.Strings.Length == 0)
            {
                string[] defaults = op switch
                {
                    "LSTM" => new[] { "Sigmoid", "Tanh", "Tanh" },
                    "GRU" => new[] { "Sigmoid", "Tanh" },
                    _ => new[] { "Tanh" },
                };
                names = new string[perDirection * directions];
                for (int i = 0; i < names.Length; i++) names[i] = defaults[i % perDirection];
            }
            else if (given.Strings.Length == perDirection * directions || given.Strings.Length == perDirection)
            {
                names = new string[perDirection * directions];
                for (int i = 0; i < names.Length; i++) names[i] = given.Strings[i % given.Strings.Length];
            }
            else throw context.Fail(node, "activations must list " + perDirection * directions + " functions.");

            float[] alphaList = node.Attributes.GetFloats("activation_alpha") ?? Array.Empty<float>();
            float[] betaList = node.Attributes.GetFloats("activation_beta") ?? Array.Empty<float>();
            int nextAlpha = 0, nextBeta = 0;
            var alphas = new float[names.Length];
            var betas = new float[names.Length];
            for (int i = 0; i < names.Length; i++)
            {
                string name = Normalize(names[i]) ?? throw context.Unsupported(node, "activation '" + Diagnostics.ModelDiagnostic.Printable(names[i], 40) + "' is not supported.");
                names[i] = name;
                var (usesAlpha, usesBeta, alpha, beta) = Parameters(name);
                if (usesAlpha && nextAlpha < alphaList.Length) alpha = alphaList[nextAlpha++];
                if (usesBeta && nextBeta < betaList.Length) beta = betaList[nextBeta++];
                alphas[i] = alpha;
                betas[i] = beta;
            }
            return (names, alphas, betas);
        }

        private static readonly string[] KnownActivations =
        {
            "Relu", "Tanh", "Sigmoid", "Affine", "LeakyRelu", "ThresholdedRelu", "ScaledTanh", "HardSigmoid", "Elu", "Softsign", "Softplus",
        };

        private static string? Normalize(string name)
        {
            foreach (string known in KnownActivations)
            {
                if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase)) return known;
            }
            return null;
        }

        /// <summary>Whether the function reads alpha and beta, and their defaults (those of the ONNX operators of the same name).</summary>
        private static (bool UsesAlpha, bool UsesBeta, float Alpha, float Beta) Parameters(string name) => name switch
        {
            "Affine" => (true, true, 1f, 0f),
            "LeakyRelu" => (true, false, 0.01f, 0f),
            "ThresholdedRelu" => (true, false, 1f, 0f),
            "ScaledTanh" => (true, true, 1f, 1f),
            "HardSigmoid" => (true, true, 0.2f, 0.5f),
            "Elu" => (true, false, 1f, 0f),
            _ => (false, false, 0f, 0f),
        };
    }
}
