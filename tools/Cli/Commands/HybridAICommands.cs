using System.CommandLine;
using HybridAI.Cli.Data;

namespace HybridAI.Cli.Commands;

/// <summary>The command tree: <c>hybridai train …</c>, <c>hybridai eval …</c> and <c>hybridai calibrate</c>.</summary>
public static class HybridAICommands
{
    /// <summary>
    /// Runs the tool. Bad input (data files, heads, arguments) ends with one line naming the problem and exit code 1,
    /// not a stack trace; anything else is a bug and keeps its stack trace.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Build().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (Exception e) when (e is DataFormatException or FileNotFoundException or InvalidDataException or ArgumentException or DirectoryNotFoundException or FormatException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
    }

    public static RootCommand Build()
    {
        var eval = new Command("eval", "Evaluate a head or detector on labelled data; the last line of output is JSON.");
        eval.Subcommands.Add(EvalPiiCommand.Create());
        EvalCommands.AddTo(eval);

        var root = new RootCommand("hybridai: train and evaluate HybridAI's routing signals on your own data.");
        root.Subcommands.Add(TrainCommands.Create());
        root.Subcommands.Add(eval);
        root.Subcommands.Add(CalibrateCommand.Create());
        return root;
    }
}
