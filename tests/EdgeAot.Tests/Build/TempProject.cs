using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Text;

namespace EdgeAot.Tests.Build
{
    /// <summary>
    /// A throw-away SDK project in the temp folder that imports the repo's EdgeAot.props/.targets
    /// and loads the task from src/EdgeAot.Build/bin, built with a real `dotnet build`.
    /// </summary>
    public sealed class TempProject : IDisposable
    {
        private TempProject(string directory) => Directory = directory;

        public string Directory { get; }

        public static string RepoRoot { get; } = FindRepoRoot();

        /// <summary>The task built in the same configuration as this test assembly.</summary>
        public static string TaskAssembly => BuiltAssembly("EdgeAot.Build", "net10.0");

        /// <summary>The source generator built in the same configuration (pass as EdgeAotGeneratorAssembly to run it in a probe build).</summary>
        public static string GeneratorAssembly => BuiltAssembly("EdgeAot.Generator", "netstandard2.0");

        private static string BuiltAssembly(string project, string targetFramework)
        {
            string configuration = typeof(TempProject).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            string path = Path.Combine(RepoRoot, "src", project, "bin", configuration, targetFramework, project + ".dll");
            if (!File.Exists(path)) throw new InvalidOperationException("Build src/" + project + " first: " + path + " is missing.");
            return path;
        }

        /// <param name="edgeModelItems">The EdgeModel items as XML, e.g. &lt;EdgeModel Include="Models/a.onnx" /&gt;.</param>
        public static TempProject Create(string edgeModelItems)
        {
            string dir = Path.Combine(Path.GetTempPath(), "edgeaot-build-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            System.IO.Directory.CreateDirectory(Path.Combine(dir, "Models"));
            string buildDir = Path.Combine(RepoRoot, "src", "EdgeAot.Build", "build");
            File.WriteAllText(Path.Combine(dir, "Probe.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <Import Project="{buildDir}/EdgeAot.props" />
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <OutputType>Library</OutputType>
                    <EdgeAotTaskAssembly>{TaskAssembly}</EdgeAotTaskAssembly>
                  </PropertyGroup>
                  <ItemGroup>
                    {edgeModelItems}
                  </ItemGroup>
                  <Import Project="{buildDir}/EdgeAot.targets" />
                </Project>
                """);
            File.WriteAllText(Path.Combine(dir, "Probe.cs"), "namespace Probe { public static class Marker { } }\n");
            // An empty NuGet.Config with <clear/> keeps restore off the network: the probe has no packages.
            File.WriteAllText(Path.Combine(dir, "NuGet.Config"), "<configuration><packageSources><clear /></packageSources></configuration>\n");
            return new TempProject(dir);
        }

        public string PathOf(string relative) => Path.Combine(Directory, relative);

        public string IntermediateDir => PathOf(Path.Combine("obj", "Debug", "net10.0", "edgeaot"));

        /// <summary>Runs `dotnet build` (normal verbosity) and returns its exit code and full output.</summary>
        /// <param name="properties">Extra global properties, e.g. "EdgeAotDevice=cortex-m4-256k".</param>
        public BuildResult Build(params string[] properties) => BuildUnderCulture(null, properties);

        /// <summary>Runs `dotnet build` with the build process's culture set through LC_ALL (e.g. "sv_SE.UTF-8"), or inherited when null.</summary>
        public BuildResult BuildUnderCulture(string? culture, params string[] properties)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = Directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[] { "build", "Probe.csproj", "-nologo", "-v:n", "-nodeReuse:false", "-p:UseSharedCompilation=false" }) start.ArgumentList.Add(arg);
            foreach (string property in properties) start.ArgumentList.Add("-p:" + property);
            // Inherited from `dotnet test`'s MSBuild; a child build must pick its own.
            foreach (string name in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" }) start.Environment.Remove(name);
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            if (culture is not null)
            {
                start.Environment["LC_ALL"] = culture;
                start.Environment["LANG"] = culture;
            }

            using var process = Process.Start(start)!;
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("dotnet build did not finish in 3 minutes:\n" + output);
            }
            process.WaitForExit();
            return new BuildResult(process.ExitCode, output.ToString());
        }

        public void Dispose()
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is not worth failing a test for.
            }
        }

        private static string FindRepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EdgeAot.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("EdgeAot.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public sealed record BuildResult(int ExitCode, string Output)
    {
        public override string ToString() => "exit code " + ExitCode + "\n" + Output;
    }
}
