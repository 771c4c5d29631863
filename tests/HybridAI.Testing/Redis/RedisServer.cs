using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace HybridAI.Testing.Redis;

/// <summary>
/// A real <c>redis-server</c> for tests: started on a free loopback port with a temporary directory and no
/// persistence, flushed between tests with <see cref="FlushAsync"/>, and stopped and restarted on the same port
/// with <see cref="StopAsync"/>/<see cref="StartAsync"/> to simulate an outage. Use it as an xUnit fixture
/// (<see cref="RedisServerFixture"/>). <c>HYBRIDAI_REDIS_SERVER</c> overrides the program path.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string DefaultProgram = "/usr/bin/redis-server";

    private readonly string _program;
    private readonly string _directory;
    private readonly bool _appendOnly;
    private Process? _process;
    private ConnectionMultiplexer? _admin;

    private RedisServer(string program, int port, bool appendOnly)
    {
        _program = program;
        _appendOnly = appendOnly;
        Port = port;
        _directory = Directory.CreateTempSubdirectory("hybridai-redis-").FullName;
    }

    public int Port { get; }

    /// <summary>A StackExchange.Redis connection string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=5000";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server on a free port; fails clearly when redis-server is not installed.</summary>
    public static Task<RedisServer> StartNewAsync(CancellationToken cancellationToken = default) => StartNewAsync(appendOnly: false, cancellationToken);

    /// <summary>
    /// Starts a server on a free port; with <paramref name="appendOnly"/> it keeps an append-only file synced on every
    /// write (<c>appendfsync always</c>), so its data survives <see cref="StopAsync"/> (a crash) as a production Redis
    /// configured for durability does.
    /// </summary>
    public static async Task<RedisServer> StartNewAsync(bool appendOnly, CancellationToken cancellationToken = default)
    {
        var program = Environment.GetEnvironmentVariable("HYBRIDAI_REDIS_SERVER") is { Length: > 0 } configured ? configured : DefaultProgram;
        if (!File.Exists(program))
        {
            throw new InvalidOperationException(
                $"{program} is not installed; tests that need Redis run against a real server (apt-get install redis-server, or set HYBRIDAI_REDIS_SERVER).");
        }

        var server = new RedisServer(program, FreePort(), appendOnly);
        await server.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>Starts (or restarts, after <see cref="StopAsync"/>) the server on its port and waits until it answers PING.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        var start = new ProcessStartInfo(_program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _directory,
            "--save", "", "--appendonly", _appendOnly ? "yes" : "no", "--appendfsync", "always", "--protected-mode", "yes", "--loglevel", "warning" })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"{_program} did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_program} exited with code {_process.ExitCode} on port {Port}.");
            }

            try
            {
                _admin ??= await ConnectionMultiplexer.ConnectAsync(ConnectionString);
                await _admin.GetDatabase().PingAsync();
                return;
            }
            catch (RedisException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    /// <summary>Stops the server (SIGKILL: like a crash, nothing is saved) and waits until it has exited.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_process is not { } process)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token);
        process.Dispose();
        _process = null;
    }

    /// <summary>Deletes every key, so each test starts from an empty server.</summary>
    public async Task FlushAsync()
    {
        var admin = _admin ?? throw new InvalidOperationException("The server is not started.");
        await admin.GetServer(admin.GetEndPoints()[0]).FlushAllDatabasesAsync();
    }

    /// <summary>A new client connection (the caller disposes it).</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }

        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless; failing a test run over it is not.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>An xUnit fixture owning one <see cref="RedisServer"/> for a test class or assembly.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public RedisServer Server => _server ?? throw new InvalidOperationException("The Redis fixture is not initialised.");

    public async ValueTask InitializeAsync() => _server = await RedisServer.StartNewAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
