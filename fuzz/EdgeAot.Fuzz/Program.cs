using System;
using System.IO;
using EdgeAot.Fuzz;
using SharpFuzz;

// Modes:
//   EdgeAot.Fuzz                 run under afl-fuzz (build/fuzz.sh): one input per fork from stdin
//   EdgeAot.Fuzz --replay PATH.. run files or folders in-process and report which ones crash
if (args.Length > 0 && args[0] == "--replay")
{
    int crashes = 0, count = 0;
    for (int i = 1; i < args.Length; i++)
    {
        var files = Directory.Exists(args[i]) ? Directory.GetFiles(args[i], "*", SearchOption.AllDirectories) : new[] { args[i] };
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (Path.GetFileName(file) == "README.txt") continue;
            count++;
            try
            {
                PipelineTarget.Run(File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                crashes++;
                Console.WriteLine(file + ": " + e.GetType().Name + ": " + e.Message);
            }
        }
    }
    Console.WriteLine(count + " inputs, " + crashes + " crashing");
    return crashes == 0 ? 0 : 1;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    PipelineTarget.Run(memory.ToArray());
});
return 0;
