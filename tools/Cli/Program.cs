using HybridAI.Cli.Commands;

return await HybridAICommands.RunAsync(args);
