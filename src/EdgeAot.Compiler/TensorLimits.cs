using System;
using System.Globalization;
using EdgeAot.Compiler.Diagnostics;
using EdgeAot.Compiler.Ir;

namespace EdgeAot.Compiler
{
    /// <summary>
    /// The per-tensor size limits of <see cref="CompileOptions"/>, checked in one place for graph
    /// inputs, initializers and every lowered output. Each refusal is EAOT0013 naming the MSBuild
    /// property that raises the limit.
    /// </summary>
    public static class TensorLimits
    {
        /// <summary>Throws EAOT0013 when a tensor of <paramref name="dims"/> overflows or exceeds a limit.</summary>
        public static void Check(long[] dims, DataType type, CompileOptions options, string label, string? node)
        {
            long count = Shape.ElementCount(dims);
            long bytes = count < 0 ? -1 : Shape.ByteSize(dims, type);
            if (count < 0 || bytes < 0)
                throw new ModelException(DiagnosticCatalog.SizeLimit, label + " has shape " + Shape.Format(dims) + ", whose size is negative or overflows 64 bits.", node);
            // Generated code indexes with int whatever the option says.
            long maxElements = Math.Min(options.MaxTensorElements, int.MaxValue);
            if (count > maxElements)
            {
                throw new ModelException(DiagnosticCatalog.SizeLimit, label + " of shape " + Shape.Format(dims) + " has " + Count(count)
                    + " elements, more than the limit of " + Count(maxElements) + " (EdgeAotMaxTensorElements).", node);
            }
            if (bytes > options.MaxTensorBytes)
            {
                throw new ModelException(DiagnosticCatalog.SizeLimit, label + " of shape " + Shape.Format(dims) + " needs " + Count(bytes)
                    + " bytes, more than the limit of " + Count(options.MaxTensorBytes) + " (EdgeAotMaxTensorBytes).", node);
            }
        }

        internal static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);
    }
}
