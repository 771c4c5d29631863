using HybridAI.Cli.Commands;

namespace HybridAI.Cli.Tests;

/// <summary>
/// Runs the tool in-process with its console output captured. The console is process-wide, so every class that uses
/// this belongs to <see cref="ConsoleCollection"/>, which never runs beside another test.
/// </summary>
internal static class CliConsole
{
    public static async Task<(int Code, string Output)> RunAsync(string[] args)
    {
        var original = (Console.Out, Console.Error);
        using var output = new StringWriter();
        Console.SetOut(output);
        Console.SetError(output);
        try
        {
            var code = await HybridAICommands.RunAsync(args, TestContext.Current.CancellationToken);
            return (code, output.ToString());
        }
        finally
        {
            Console.SetOut(original.Out);
            Console.SetError(original.Error);
        }
    }
}

[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;
