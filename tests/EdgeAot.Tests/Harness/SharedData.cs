using System;
using System.IO;
using System.Linq;

namespace EdgeAot.Tests.Harness
{
    /// <summary>Paths into the shared data folder that sits next to the repository (../shared).</summary>
    public static class SharedData
    {
        private static readonly Lazy<string> RootPath = new(FindRoot);

        public static string Root => RootPath.Value;

        /// <summary>ONNX backend node test cases, one folder each, sorted by name.</summary>
        public static string[] NodeCases => Directory.GetDirectories(Path.Combine(Root, "onnx-backend", "node")).OrderBy(p => p, StringComparer.Ordinal).ToArray();

        public static string Model(string fileName) => Path.Combine(Root, "models", "mlperf-tiny", fileName);

        private static string FindRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EdgeAot.sln")))
                {
                    string shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
                    if (Directory.Exists(shared)) return shared;
                    throw new DirectoryNotFoundException("The shared data folder is missing: " + shared);
                }
            }
            throw new DirectoryNotFoundException("EdgeAot.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
