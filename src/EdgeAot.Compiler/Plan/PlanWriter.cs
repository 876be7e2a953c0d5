using System;
using System.Text;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler.Plan
{
    /// <summary>
    /// Writes a <see cref="ModelPlan"/> as the deterministic `.edgeir` text the generator reads:
    /// one record per line, ordinal order, invariant numbers, weights in base64.
    /// </summary>
    public static class PlanWriter
    {
        public const string Header = "edgeir 1";

        public static string Write(ModelPlan plan)
        {
            var sb = new StringBuilder();
            sb.Append(Header).Append('\n');
            sb.Append("model file=").Append(PlanText.Quote(plan.ModelFile))
              .Append(" sha256=").Append(plan.Sha256)
              .Append(" class=").Append(PlanText.Quote(plan.ClassName))
              .Append(" namespace=").Append(PlanText.Quote(plan.Namespace))
              .Append(" producer=").Append(PlanText.Quote(plan.Producer))
              .Append(" opset=").Append(PlanText.Int(plan.OpsetVersion));
            if (plan.MaxSourceBytes > 0) sb.Append(" maxsource=").Append(PlanText.Int(plan.MaxSourceBytes));
            if (plan.OptimizeFor == OptimizationGoal.Speed) sb.Append(" optimize=speed");
            sb.Append('\n');
            sb.Append("arena ").Append(PlanText.Int(plan.ArenaBytes)).Append('\n');
            sb.Append("weights ").Append(PlanText.Int(plan.WeightBytes)).Append('\n');
            foreach (var t in plan.Tensors)
            {
                sb.Append("tensor ").Append(PlanText.Int(t.Id))
                  .Append(' ').Append(StorageName(t.Storage))
                  .Append(' ').Append(DataTypes.PlanName(t.Type))
                  .Append(' ').Append(Shape.Format(t.Shape.ToArray()))
                  .Append(' ').Append(PlanText.Int(t.Offset))
                  .Append(' ').Append(PlanText.Int(t.ByteLength))
                  .Append(" name=").Append(PlanText.Quote(t.Name)).Append('\n');
            }
            sb.Append("inputs").Append(IdList(plan.Inputs)).Append('\n');
            sb.Append("outputs").Append(IdList(plan.Outputs)).Append('\n');
            foreach (var n in plan.Nodes)
            {
                sb.Append("node ").Append(PlanText.Int(n.Index)).Append(' ').Append(n.OpType)
                  .Append(" name=").Append(PlanText.Quote(n.Name)).Append('\n');
                sb.Append("  in").Append(IdList(n.Inputs)).Append('\n');
                sb.Append("  out").Append(IdList(n.Outputs)).Append('\n');
                foreach (var f in n.FusedFrom) sb.Append("  fused ").Append(PlanText.Quote(f)).Append('\n');
                foreach (var a in n.Attributes) WriteAttribute(sb, a);
                foreach (var scratch in n.Scratch)
                {
                    sb.Append("  scratch ").Append(scratch.Name).Append(' ').Append(DataTypes.PlanName(scratch.Type))
                      .Append(' ').Append(PlanText.Int(scratch.Elements)).Append(' ').Append(PlanText.Int(scratch.Offset)).Append('\n');
                }
            }
            foreach (var t in plan.Tensors)
            {
                if (t.Storage != TensorStorage.Weight) continue;
                sb.Append("data ").Append(PlanText.Int(t.Id)).Append(' ')
                  .Append(Convert.ToBase64String(t.Data.ToArray())).Append('\n');
            }
            sb.Append("end\n");
            return sb.ToString();
        }

        internal static string StorageName(TensorStorage storage) => storage switch
        {
            TensorStorage.Input => "input",
            TensorStorage.Output => "output",
            TensorStorage.Arena => "arena",
            _ => "weight",
        };

        private static void WriteAttribute(StringBuilder sb, AttributePlan a)
        {
            sb.Append("  attr ").Append(a.Name).Append(' ');
            switch (a.Kind)
            {
                case AttributeKind.Int:
                    sb.Append("int ").Append(PlanText.Int(a.Int));
                    break;
                case AttributeKind.Float:
                    sb.Append("float ").Append(PlanText.Float(a.Float));
                    break;
                case AttributeKind.String:
                    sb.Append("string ").Append(PlanText.Quote(a.Text));
                    break;
                case AttributeKind.Ints:
                    sb.Append("ints");
                    foreach (long v in a.Ints) sb.Append(' ').Append(PlanText.Int(v));
                    break;
                case AttributeKind.Floats:
                    sb.Append("floats");
                    foreach (float v in a.Floats) sb.Append(' ').Append(PlanText.Float(v));
                    break;
                default:
                    throw new InvalidOperationException("Attribute kind " + a.Kind + " cannot be written to a plan.");
            }
            sb.Append('\n');
        }

        private static string IdList(EquatableArray<int> ids)
        {
            var sb = new StringBuilder();
            foreach (int id in ids) sb.Append(' ').Append(PlanText.Int(id));
            return sb.ToString();
        }
    }
}
