using HybridAI.Cli.Commands;

return await HybridAICommands.Build().Parse(args).InvokeAsync();
