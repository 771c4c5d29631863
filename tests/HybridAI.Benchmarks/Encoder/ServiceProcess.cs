using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HybridAI.Benchmarks.Encoder;

/// <summary>
/// slm-inference started from its own build output as a separate process (its GPU-capable runtime stays in its
/// folder), on free loopback ports, waited for until healthy, and stopped when disposed.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process, int grpcPort)
    {
        _process = process;
        GrpcAddress = new Uri($"http://127.0.0.1:{grpcPort}");
    }

    public Uri GrpcAddress { get; }

    public static async Task<ServiceProcess> StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(HybridAI.Testing.SharedDatasets.RepositoryRoot(), "services", "SlmInference", "bin", configuration, "net10.0", "HybridAI.SlmInference.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"slm-inference is not built at {dll}; build the benchmarks project (it builds the service).", dll);
        }

        var (http, grpc) = (FreePort(), FreePort());
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["HybridAI__HttpPort"] = http.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["HybridAI__GrpcPort"] = grpc.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var service = new ServiceProcess(process, grpc);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"slm-inference exited with {process.ExitCode} at start:\n{log}");
            }

            try
            {
                if ((await client.GetStringAsync(new Uri($"http://127.0.0.1:{http}/health"), cancellationToken)) == "Healthy")
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A probe timed out while models load.
            }

            await Task.Delay(200, cancellationToken);
        }

        await service.DisposeAsync();
        throw new TimeoutException($"slm-inference did not become healthy within 90 s:\n{log}");
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
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
