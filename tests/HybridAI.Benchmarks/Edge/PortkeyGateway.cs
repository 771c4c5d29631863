using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace HybridAI.Benchmarks.Edge;

/// <summary>
/// Portkey's open-source gateway (npm <c>@portkey-ai/gateway</c>), installed by the operator beforehand
/// (<c>npm install --prefix &lt;dir&gt; @portkey-ai/gateway@1.15.2</c>) and started with node on a free loopback port.
/// </summary>
internal sealed class PortkeyGateway : IAsyncDisposable
{
    private readonly Process _process;

    private PortkeyGateway(Process process, int port)
    {
        _process = process;
        Address = new Uri($"http://127.0.0.1:{port}/v1/");
    }

    /// <summary>The gateway's OpenAI-compatible base address.</summary>
    public Uri Address { get; }

    public static async Task<PortkeyGateway> StartAsync(string installDirectory, CancellationToken cancellationToken)
    {
        var script = Path.Combine(installDirectory, "node_modules", "@portkey-ai", "gateway", "build", "start-server.js");
        if (!File.Exists(script))
        {
            throw new FileNotFoundException($"Portkey's gateway is not installed under {installDirectory} (npm install --prefix {installDirectory} @portkey-ai/gateway@1.15.2).", script);
        }

        var port = FreePort();
        var start = new ProcessStartInfo("node", [script, $"--port={port.ToString(CultureInfo.InvariantCulture)}", "--headless"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var gateway = new PortkeyGateway(process, port);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port, cancellationToken);
                return gateway;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        await gateway.DisposeAsync();
        throw new TimeoutException("Portkey's gateway did not listen within 30 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
