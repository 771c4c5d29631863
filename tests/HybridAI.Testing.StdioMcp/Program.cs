using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

// A stock-level look-up as a local program speaking MCP over stdin/stdout (stderr carries logs only).
var builder = Host.CreateEmptyApplicationBuilder(settings: null);
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "stock-levels", Version = "1.0" })
    .WithStdioServerTransport()
    .WithListToolsHandler((_, _) => ValueTask.FromResult(new ListToolsResult
    {
        Tools =
        [
            new Tool
            {
                Name = "get_stock_level",
                Description = "Units in stock for a SKU.",
                InputSchema = JsonDocument.Parse("""{"type":"object","properties":{"sku":{"type":"string"}},"required":["sku"]}""").RootElement.Clone(),
            },
        ],
    }))
    .WithCallToolHandler((request, _) =>
    {
        var sku = request.Params?.Arguments is { } args && args.TryGetValue("sku", out var value) ? value.GetString() : null;
        return ValueTask.FromResult(new CallToolResult
        {
            Content = [new TextContentBlock { Text = $$"""{"sku":"{{sku}}","units":42}""" }],
        });
    });
await builder.Build().RunAsync();
