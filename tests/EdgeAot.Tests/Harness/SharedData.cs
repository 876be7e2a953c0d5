using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace EdgeAot.Tests.Harness
{
    /// <summary>The workplace's shared test data, read in place from ../shared next to the repository.</summary>
    public static class SharedData
    {
        private static readonly Lazy<string> RootPath = new(() =>
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EdgeAot.sln")))
                {
                    string shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
                    if (Directory.Exists(shared)) return shared;
                    throw new DirectoryNotFoundException("Shared test data not found at " + shared + ".");
                }
            }
            throw new DirectoryNotFoundException("EdgeAot.sln not found above " + AppContext.BaseDirectory + ".");
        });

        public static string Root => RootPath.Value;

        /// <summary>The ONNX backend node case folders (model.onnx + test_data_set_*).</summary>
        public static IEnumerable<string> NodeCases
            => Directory.GetDirectories(Path.Combine(Root, "onnx-backend", "node")).OrderBy(d => d, StringComparer.Ordinal);

        public static string Model(string fileName) => Path.Combine(Root, "models", "mlperf-tiny", fileName);
    }
}
