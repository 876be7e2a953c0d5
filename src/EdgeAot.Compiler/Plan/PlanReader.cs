using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Plan
{
    /// <summary>Reads `.edgeir` text back into a <see cref="ModelPlan"/>; rejects anything malformed.</summary>
    public static class PlanReader
    {
        public static ModelPlan Read(string text)
        {
            var lines = text.Split('\n');
            int lineNo = 0;
            string Next()
            {
                while (lineNo < lines.Length)
                {
                    string line = lines[lineNo++].TrimEnd('\r');
                    if (line.Length > 0) return line;
                }
                throw new FormatException("Unexpected end of plan.");
            }

            if (Next() != PlanWriter.Header) throw new FormatException("Not an EdgeAot plan (expected '" + PlanWriter.Header + "').");

            var model = Tokens(Next(), "model");
            var fields = KeyValues(model, 1);
            long arena = PlanText.ParseInt(Tokens(Next(), "arena")[1]);
            long weights = PlanText.ParseInt(Tokens(Next(), "weights")[1]);

            var tensors = new List<(int Id, string Name, DataType Type, long[] Shape, TensorStorage Storage, long Offset, long Bytes)>();
            var data = new Dictionary<int, byte[]>();
            var nodes = new List<NodePlan>();
            int[] inputs = Array.Empty<int>(), outputs = Array.Empty<int>();

            string line = Next();
            while (line.StartsWith("tensor ", StringComparison.Ordinal))
            {
                var t = Tokens(line, "tensor");
                if (t.Count != 8) throw new FormatException("Bad tensor line: " + line);
                int id = checked((int)PlanText.ParseInt(t[1]));
                if (id != tensors.Count) throw new FormatException("Tensor ids must be dense and ordered.");
                if (!DataTypes.TryParsePlanName(t[3], out var type)) throw new FormatException("Unknown type " + t[3]);
                tensors.Add((id, Value(t[7], "name"), type, ParseShape(t[4]), ParseStorage(t[2]), PlanText.ParseInt(t[5]), PlanText.ParseInt(t[6])));
                line = Next();
            }
            inputs = Ids(Tokens(line, "inputs"), 1, tensors.Count);
            outputs = Ids(Tokens(Next(), "outputs"), 1, tensors.Count);

            line = Next();
            while (line.StartsWith("node ", StringComparison.Ordinal))
            {
                var head = Tokens(line, "node");
                if (head.Count != 4) throw new FormatException("Bad node line: " + line);
                int index = checked((int)PlanText.ParseInt(head[1]));
                string op = head[2];
                string name = Value(head[3], "name");
                var nodeInputs = Ids(Tokens(Next(), "in"), 1, tensors.Count, allowAbsent: true);
                var nodeOutputs = Ids(Tokens(Next(), "out"), 1, tensors.Count);
                var fused = new List<string>();
                var attrs = new List<AttributePlan>();
                var scratch = new List<ScratchPlan>();
                line = Next();
                while (line.StartsWith("  ", StringComparison.Ordinal))
                {
                    var t = Tokenize(line);
                    if (t[0] == "fused" && t.Count == 2) fused.Add(Unquote(t[1]));
                    else if (t[0] == "attr" && t.Count >= 3) attrs.Add(ParseAttribute(t));
                    else if (t[0] == "scratch" && t.Count == 5) scratch.Add(ParseScratch(t, arena));
                    else throw new FormatException("Bad node detail: " + line);
                    line = Next();
                }
                nodes.Add(new NodePlan(index, name, op, new EquatableArray<int>(nodeInputs), new EquatableArray<int>(nodeOutputs),
                    new EquatableArray<AttributePlan>(attrs.ToArray()), new EquatableArray<string>(fused.ToArray()))
                {
                    Scratch = new EquatableArray<ScratchPlan>(scratch.ToArray()),
                });
            }
            while (line.StartsWith("data ", StringComparison.Ordinal))
            {
                int space = line.IndexOf(' ', 5);
                if (space < 0) throw new FormatException("Bad data line.");
                int id = checked((int)PlanText.ParseInt(line.Substring(5, space - 5)));
                if (id < 0 || id >= tensors.Count || data.ContainsKey(id)) throw new FormatException("Bad data tensor id " + id);
                data[id] = Convert.FromBase64String(line.Substring(space + 1));
                line = Next();
            }
            if (line != "end") throw new FormatException("Expected 'end', found: " + line);

            var tensorPlans = new TensorPlan[tensors.Count];
            foreach (var t in tensors)
            {
                byte[] bytes = data.TryGetValue(t.Id, out var d) ? d : Array.Empty<byte>();
                if (t.Storage == TensorStorage.Weight && bytes.LongLength != t.Bytes)
                    throw new FormatException("Weight tensor " + t.Id + " has " + bytes.Length + " bytes, expected " + t.Bytes);
                tensorPlans[t.Id] = new TensorPlan(t.Id, t.Name, t.Type, new EquatableArray<long>(t.Shape), t.Storage, t.Offset, t.Bytes, new EquatableArray<byte>(bytes));
            }

            // The generator pastes these into code: a hand-edited or corrupt plan must not inject anything.
            if (!Identifiers.IsValidIdentifier(fields["class"])) throw new FormatException("The class name is not a C# identifier.");
            if (!Identifiers.IsValidNamespace(fields["namespace"])) throw new FormatException("The namespace is not a C# namespace.");
            long maxSource = fields.TryGetValue("maxsource", out var maxSourceText) ? PlanText.ParseInt(maxSourceText) : 0;
            var goal = OptimizationGoal.Memory;
            if (fields.TryGetValue("optimize", out var goalText) && !CompileOptions.TryParseGoal(goalText, out goal)) throw new FormatException("Bad optimize value.");

            return new ModelPlan(
                fields["file"], fields["sha256"], fields["class"], fields["namespace"], fields["producer"],
                PlanText.ParseInt(fields["opset"]), arena, weights,
                new EquatableArray<TensorPlan>(tensorPlans), new EquatableArray<int>(inputs), new EquatableArray<int>(outputs),
                new EquatableArray<NodePlan>(nodes.ToArray()))
            {
                MaxSourceBytes = maxSource,
                OptimizeFor = goal,
            };
        }

        private static AttributePlan ParseAttribute(List<string> t)
        {
            string name = t[1];
            string kind = t[2];
            var noInts = EquatableArray<long>.Empty;
            var noFloats = EquatableArray<float>.Empty;
            switch (kind)
            {
                case "int" when t.Count == 4:
                    return new AttributePlan(name, AttributeKind.Int, PlanText.ParseInt(t[3]), 0, "", noInts, noFloats);
                case "float" when t.Count == 4:
                    return new AttributePlan(name, AttributeKind.Float, 0, PlanText.ParseFloat(t[3]), "", noInts, noFloats);
                case "string" when t.Count == 4:
                    return new AttributePlan(name, AttributeKind.String, 0, 0, Unquote(t[3]), noInts, noFloats);
                case "ints":
                    var ints = new long[t.Count - 3];
                    for (int i = 0; i < ints.Length; i++) ints[i] = PlanText.ParseInt(t[i + 3]);
                    return new AttributePlan(name, AttributeKind.Ints, 0, 0, "", new EquatableArray<long>(ints), noFloats);
                case "floats":
                    var floats = new float[t.Count - 3];
                    for (int i = 0; i < floats.Length; i++) floats[i] = PlanText.ParseFloat(t[i + 3]);
                    return new AttributePlan(name, AttributeKind.Floats, 0, 0, "", noInts, new EquatableArray<float>(floats));
                default:
                    throw new FormatException("Bad attribute '" + name + "'.");
            }
        }

        /// <summary>"scratch name type elements offset": the name becomes a local variable, the slice must lie inside the arena.</summary>
        private static ScratchPlan ParseScratch(List<string> t, long arena)
        {
            if (!Identifiers.IsValidIdentifier(t[1])) throw new FormatException("Scratch name '" + t[1] + "' is not a C# identifier.");
            if (!DataTypes.TryParsePlanName(t[2], out var type)) throw new FormatException("Unknown type " + t[2]);
            long elements = PlanText.ParseInt(t[3]), offset = PlanText.ParseInt(t[4]);
            if (elements < 0 || offset < 0 || elements > (arena - offset) / Math.Max(1, DataTypes.SizeOf(type)))
                throw new FormatException("Scratch '" + t[1] + "' does not lie inside the arena.");
            return new ScratchPlan(t[1], type, elements, offset);
        }

        private static TensorStorage ParseStorage(string text) => text switch
        {
            "input" => TensorStorage.Input,
            "output" => TensorStorage.Output,
            "arena" => TensorStorage.Arena,
            "weight" => TensorStorage.Weight,
            _ => throw new FormatException("Unknown storage " + text),
        };

        private static long[] ParseShape(string text)
        {
            if (text.Length < 2 || text[0] != '[' || text[text.Length - 1] != ']') throw new FormatException("Bad shape " + text);
            string inner = text.Substring(1, text.Length - 2);
            if (inner.Length == 0) return Array.Empty<long>();
            var parts = inner.Split(',');
            var dims = new long[parts.Length];
            for (int i = 0; i < parts.Length; i++) dims[i] = PlanText.ParseInt(parts[i]);
            return dims;
        }

        private static int[] Ids(List<string> tokens, int start, int tensorCount, bool allowAbsent = false)
        {
            var ids = new int[tokens.Count - start];
            for (int i = 0; i < ids.Length; i++)
            {
                int id = checked((int)PlanText.ParseInt(tokens[start + i]));
                if (id >= tensorCount || id < (allowAbsent ? -1 : 0)) throw new FormatException("Tensor id out of range: " + id);
                ids[i] = id;
            }
            return ids;
        }

        private static Dictionary<string, string> KeyValues(List<string> tokens, int start)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = start; i < tokens.Count; i++)
            {
                int eq = tokens[i].IndexOf('=');
                if (eq <= 0) throw new FormatException("Expected key=value, found " + tokens[i]);
                string value = tokens[i].Substring(eq + 1);
                map[tokens[i].Substring(0, eq)] = value.StartsWith("\"", StringComparison.Ordinal) ? Unquote(value) : value;
            }
            foreach (string key in new[] { "file", "sha256", "class", "namespace", "producer", "opset" })
            {
                if (!map.ContainsKey(key)) throw new FormatException("Model line lacks '" + key + "'.");
            }
            return map;
        }

        private static string Value(string token, string key)
        {
            if (!token.StartsWith(key + "=", StringComparison.Ordinal)) throw new FormatException("Expected " + key + "=");
            return Unquote(token.Substring(key.Length + 1));
        }

        private static List<string> Tokens(string line, string keyword)
        {
            var tokens = Tokenize(line);
            if (tokens.Count == 0 || tokens[0] != keyword) throw new FormatException("Expected '" + keyword + "', found: " + line);
            return tokens;
        }

        /// <summary>Splits on spaces, keeping quoted strings (with escapes) inside one token.</summary>
        private static List<string> Tokenize(string line)
        {
            var tokens = new List<string>();
            var current = new StringBuilder();
            bool quoted = false;
            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if (quoted)
                {
                    current.Append(c);
                    if (c == '\\' && i + 1 < line.Length) current.Append(line[++i]);
                    else if (c == '"') quoted = false;
                }
                else if (c == ' ')
                {
                    if (current.Length > 0) tokens.Add(current.ToString());
                    current.Clear();
                }
                else
                {
                    if (c == '"') quoted = true;
                    current.Append(c);
                }
            }
            if (quoted) throw new FormatException("Unterminated string.");
            if (current.Length > 0) tokens.Add(current.ToString());
            return tokens;
        }

        private static string Unquote(string token)
        {
            if (token.Length < 2 || token[0] != '"' || token[token.Length - 1] != '"') throw new FormatException("Expected a quoted string: " + token);
            var sb = new StringBuilder(token.Length);
            for (int i = 1; i < token.Length - 1; i++)
            {
                char c = token[i];
                if (c != '\\')
                {
                    sb.Append(c);
                    continue;
                }
                if (++i >= token.Length - 1) throw new FormatException("Bad escape.");
                char e = token[i];
                if (e == 'u')
                {
                    if (i + 4 >= token.Length) throw new FormatException("Bad \\u escape.");
                    sb.Append((char)int.Parse(token.Substring(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                }
                else sb.Append(e);
            }
            return sb.ToString();
        }
    }
}
