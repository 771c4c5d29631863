using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace HybridAI.Testing.Mcp;

/// <summary>
/// A fictional order-status system as an MCP server (Streamable HTTP on loopback, the ModelContextProtocol.AspNetCore
/// server), the worked example of docs/tools.md. Its tools cover what a governed tool loop must survive: ordinary
/// look-ups, one that returns personal data, one that is slow, one that fails, one whose result is huge, and one no
/// tenant should be allowed to call. Every call is recorded (<see cref="Calls"/>) so tests can assert what reached it.
/// </summary>
public sealed class OrderStatusMcpServer : IAsyncDisposable
{
    public const string GetOrderStatus = "get_order_status";
    public const string GetShippingEta = "get_shipping_eta";
    public const string GetCustomerContact = "get_customer_contact";
    public const string SlowInventoryCheck = "slow_inventory_check";
    public const string FailingRefund = "failing_refund";
    public const string ExportOrderHistory = "export_order_history";
    public const string DeleteOrder = "delete_order";

    /// <summary>Listed only with <see cref="OrderStatusServerOptions.IncludeBrokenTool"/>: its schema's property type is misspelled.</summary>
    public const string BrokenLookup = "broken_lookup";

    /// <summary>The personal data <see cref="GetCustomerContact"/> returns.</summary>
    public const string CustomerEmail = "jane.doe@example.com";

    public const string CustomerPhone = "+1 415 555 0100";

    private const string OrderIdSchema = """
        {"type":"object","properties":{"order_id":{"type":"string","pattern":"^A-[0-9]{1,8}$","description":"An order number such as A-1001."}},"required":["order_id"],"additionalProperties":false}
        """;

    private readonly WebApplication _app;
    private readonly OrderStatusServerOptions _options;

    private OrderStatusMcpServer(WebApplication app, OrderStatusServerOptions options, Uri endpoint, ConcurrentQueue<string> methods)
    {
        _app = app;
        _options = options;
        Endpoint = endpoint;
        Methods = methods;
    }

    /// <summary>The Streamable HTTP endpoint (<c>http://127.0.0.1:port/mcp</c>).</summary>
    public Uri Endpoint { get; }

    /// <summary>Every JSON-RPC method posted to the server, in order ("initialize" once per new MCP session).</summary>
    public ConcurrentQueue<string> Methods { get; }

    /// <summary>Every tool call received, in order: the tool and its arguments as JSON.</summary>
    public ConcurrentQueue<(string Tool, string ArgumentsJson)> Calls { get; } = new();

    public static async Task<OrderStatusMcpServer> StartAsync(OrderStatusServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new OrderStatusServerOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = nameof(OrderStatusMcpServer), EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        OrderStatusMcpServer? server = null;
        builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "order-status", Version = "1.0" })
            .WithHttpTransport(o => o.Stateless = true)
            .WithListToolsHandler((_, _) => ValueTask.FromResult(new ListToolsResult { Tools = [.. Tools(options)] }))
            .WithCallToolHandler((request, ct) => server!.CallAsync(request.Params!, ct));
        var app = builder.Build();
        var methods = new ConcurrentQueue<string>();
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method))
            {
                context.Request.EnableBuffering();
                try
                {
                    using var message = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                    if (message.RootElement.ValueKind == JsonValueKind.Object && message.RootElement.TryGetProperty("method", out var method))
                    {
                        methods.Enqueue(method.GetString() ?? "");
                    }
                }
                catch (JsonException)
                {
                    // Not ours to judge: the MCP endpoint answers it.
                }

                context.Request.Body.Position = 0;
            }

            await next();
        });
        app.MapMcp("/mcp");
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new OrderStatusMcpServer(app, options, new Uri(address.TrimEnd('/') + "/mcp"), methods);
        return server;
    }

    /// <summary>Stops the server; clients then see a refused connection (a disconnected server).</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private static IEnumerable<Tool> Tools(OrderStatusServerOptions options)
    {
        yield return Define(GetOrderStatus, "Current status and carrier of an order.", OrderIdSchema);
        yield return Define(GetShippingEta, "Estimated delivery date of a shipped order.", OrderIdSchema);
        yield return Define(GetCustomerContact, "The customer's name, e-mail and phone for an order.", OrderIdSchema);
        yield return Define(SlowInventoryCheck, "Checks warehouse stock for a SKU (slow).",
            """{"type":"object","properties":{"sku":{"type":"string"}},"required":["sku"]}""");
        yield return Define(FailingRefund, "Starts a refund (its backend is down).", OrderIdSchema);
        yield return Define(ExportOrderHistory, "Exports an order's full event history.", OrderIdSchema);
        yield return Define(DeleteOrder, "Deletes an order permanently.", OrderIdSchema);
        if (options.IncludeBrokenTool)
        {
            yield return Define(BrokenLookup, "A tool whose schema is wrong.", """{"type":"object","properties":{"q":{"type":"strnig"}},"required":"q"}""");
        }
    }

    private static Tool Define(string name, string description, string schema) => new()
    {
        Name = name,
        Description = description,
        InputSchema = JsonDocument.Parse(schema).RootElement.Clone(),
    };

    private async ValueTask<CallToolResult> CallAsync(CallToolRequestParams call, CancellationToken cancellationToken)
    {
        var arguments = call.Arguments ?? new Dictionary<string, JsonElement>();
        Calls.Enqueue((call.Name, JsonSerializer.Serialize(arguments)));
        var order = arguments.TryGetValue("order_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : "";
        switch (call.Name)
        {
            case GetOrderStatus:
                return Text($$"""{"order_id":"{{order}}","status":"shipped","carrier":"ParcelCo","tracking":"PC{{order.Replace("A-", "", StringComparison.Ordinal)}}77"}""");
            case GetShippingEta:
                return Text($$"""{"order_id":"{{order}}","eta":"2026-12-03"}""");
            case GetCustomerContact:
                return Text($"Customer for {order}: Jane Doe, e-mail {CustomerEmail}, phone {CustomerPhone}.");
            case SlowInventoryCheck:
                await Task.Delay(_options.SlowDelay, cancellationToken);
                return Text("""{"in_stock":12}""");
            case FailingRefund:
                throw new McpException("The refund backend is unavailable.");
            case ExportOrderHistory:
                return Text(new string('e', _options.HugeResultChars));
            case DeleteOrder:
                return Text($$"""{"deleted":"{{order}}"}""");
            default:
                return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = $"Unknown tool '{call.Name}'." }] };
        }
    }

    private static CallToolResult Text(string text) => new() { Content = [new TextContentBlock { Text = text }] };
}

/// <summary>How the order-status server behaves.</summary>
public sealed record OrderStatusServerOptions
{
    /// <summary>How long <c>slow_inventory_check</c> takes (it honours cancellation).</summary>
    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The size of <c>export_order_history</c>'s result.</summary>
    public int HugeResultChars { get; init; } = 1024 * 1024;

    /// <summary>Also list <c>broken_lookup</c>, whose input schema is invalid.</summary>
    public bool IncludeBrokenTool { get; init; }
}
