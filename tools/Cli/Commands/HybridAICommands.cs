using System.CommandLine;

namespace HybridAI.Cli.Commands;

/// <summary>The command tree: <c>hybridai train …</c> and <c>hybridai eval …</c>.</summary>
public static class HybridAICommands
{
    public static RootCommand Build()
    {
        var eval = new Command("eval", "Evaluate a head or detector on labelled data; the last line of output is JSON.");
        eval.Subcommands.Add(EvalPiiCommand.Create());
        EvalCommands.AddTo(eval);

        var root = new RootCommand("hybridai: train and evaluate HybridAI's routing signals on your own data.");
        root.Subcommands.Add(TrainCommands.Create());
        root.Subcommands.Add(eval);
        return root;
    }
}
