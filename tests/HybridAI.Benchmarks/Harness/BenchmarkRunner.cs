using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace HybridAI.Benchmarks.Harness;

/// <summary>Finds the suites, runs the one asked for, and writes its section into docs/benchmarks.md.</summary>
public static class BenchmarkRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var suites = typeof(BenchmarkRunner).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IBenchmarkSuite).IsAssignableFrom(t))
            .Select(t => (IBenchmarkSuite)Activator.CreateInstance(t)!)
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToDictionary(s => s.Name, StringComparer.Ordinal);

        if (args.Length == 0 || !suites.TryGetValue(args[0], out var suite))
        {
            Console.Error.WriteLine("usage: hybridai-bench <suite> [--quick] [--no-write]");
            Console.Error.WriteLine($"suites: {string.Join(", ", suites.Keys)}");
            return args.Length == 0 ? 0 : 2;
        }

        if (Debugger.IsAttached || !IsOptimized())
        {
            Console.Error.WriteLine("warning: not a Release build; figures will not be representative (use -c Release).");
        }

        var context = new BenchmarkContext(args.Contains("--quick"), args.Skip(1).ToArray());
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };

        var started = DateTimeOffset.UtcNow;
        var section = await suite.RunAsync(context, cts.Token);
        var command = $"dotnet run -c Release --project tests/HybridAI.Benchmarks -- {string.Join(' ', args)}";
        var text = $"""
            ## {suite.Title}

            Command: `{command}`  
            Run: {started:yyyy-MM-dd HH:mm} UTC on {Machine()}{(context.Quick ? " (quick run: smoke figures only)" : "")}

            {section.Markdown.Trim()}
            """;
        Console.WriteLine(text);
        if (!args.Contains("--no-write"))
        {
            var path = Path.Combine(HybridAI.Testing.SharedDatasets.RepositoryRoot(), "docs", "benchmarks.md");
            BenchmarkDocument.WriteSection(path, suite.Name, text);
            Console.WriteLine($"wrote section '{suite.Name}' of {path}");
        }

        return 0;
    }

    private static string Machine() =>
        $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}";

    private static bool IsOptimized() =>
        typeof(BenchmarkRunner).Assembly.GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };
}
