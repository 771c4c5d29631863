using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Router.Tools;
using HybridAI.Testing.Mcp;
using HybridAI.Testing.Time;
using HybridAI.Tools.Mcp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Tests.Tools;

/// <summary>
/// MCP sessions kept between requests, against a private order-status server (so every message it receives is this
/// test's): a new session opens with the MCP handshake ("server/discover" or "initialize"); a pooled one does not.
/// </summary>
public sealed class McpSessionPoolTests : IAsyncLifetime
{
    private static readonly JsonElement Order = JsonDocument.Parse("""{"order_id":"A-1"}""").RootElement.Clone();

    private readonly ManualTimeProvider _clock = new();
    private OrderStatusMcpServer _orders = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _orders = await OrderStatusMcpServer.StartAsync(cancellationToken: Ct);

    public async ValueTask DisposeAsync() => await _orders.DisposeAsync();

    [Fact]
    public async Task ASecondRequestCallsOverTheFirstOnesSessionWithoutAHandshake()
    {
        await using var pool = Pool(size: 4);
        await RequestAsync(pool);
        var before = _orders.Methods.Count;

        await RequestAsync(pool);

        Assert.Equal(["tools/call"], _orders.Methods.Skip(before));
        Assert.Equal(1, pool.IdleCount);
    }

    [Fact]
    public async Task ASessionWhoseCallFailedIsClosedNotPooled()
    {
        await using var pool = Pool(size: 4);
        await using (var connections = Connections(pool))
        {
            await connections.GetAsync(Server(), Ct);
            await connections.DropAsync(Server());
        }

        await using (var connections = Connections(pool))
        {
            // Leased, but its call never completed (the request was cancelled): its state is unknown.
            await connections.GetAsync(Server(), Ct);
        }

        Assert.Equal(0, pool.IdleCount);
    }

    [Fact]
    public async Task AnIdleSessionPastItsTimeoutIsClosedAndANewOneOpened()
    {
        await using var pool = Pool(size: 4);
        await RequestAsync(pool);
        _clock.Advance(TimeSpan.FromSeconds(31));
        var before = _orders.Methods.Count;

        await RequestAsync(pool);

        Assert.NotEqual("tools/call", _orders.Methods.Skip(before).First());
        Assert.Equal(1, pool.IdleCount);
    }

    [Fact]
    public async Task PoolSizeZeroConnectsForEveryRequestAndAReRegisteredServerGetsNewSessions()
    {
        await using (var off = Pool(size: 0))
        {
            await RequestAsync(off);
            Assert.Equal(0, off.IdleCount);
        }

        await using var pool = Pool(size: 4);
        await RequestAsync(pool);
        var before = _orders.Methods.Count;

        await RequestAsync(pool, Server(registeredAt: 2));

        Assert.NotEqual("tools/call", _orders.Methods.Skip(before).First());
        Assert.Equal(2, pool.IdleCount);
    }

    private McpSessionPool Pool(int size) =>
        new(Options.Create(new ToolsOptions { SessionPoolSize = size, SessionIdleTimeout = TimeSpan.FromSeconds(30) }), _clock);

    private static McpConnections Connections(McpSessionPool pool) =>
        new(StdioCommandAllowList.Empty, TimeSpan.FromSeconds(5), pool, NullLoggerFactory.Instance);

    private ToolServer Server(long registeredAt = 1) => new()
    {
        TenantId = "shop",
        Name = "orders",
        Transport = ToolTransport.StreamableHttp,
        Url = _orders.Endpoint.ToString(),
        RegisteredAt = new Timestamp { Seconds = registeredAt },
    };

    /// <summary>One request's tool call, as the tool loop makes it: get the session, call, report success, end the request.</summary>
    private async Task RequestAsync(McpSessionPool pool, ToolServer? server = null)
    {
        server ??= Server();
        await using var connections = Connections(pool);
        var client = await connections.GetAsync(server, Ct);
        var result = await McpToolCall.CallAsync(client, OrderStatusMcpServer.GetOrderStatus, Order, Ct);
        Assert.False(result.IsError, result.Text);
        connections.Completed(server);
    }
}
