using Microsoft.Extensions.Options;

namespace HybridAI.Router.Policy;

/// <summary>
/// The policy in force. It follows <c>Router:Policy</c> as configuration changes (a file edit, a ConfigMap update):
/// each change is compiled, and a change with problems is refused with every problem logged, so a typo never leaves
/// the router without a valid policy. The options are bound without validators on purpose: a validator would make the
/// options monitor throw on a bad reload instead of letting the last good policy serve.
/// </summary>
public sealed partial class PolicyProvider : IDisposable
{
    private readonly ILogger<PolicyProvider> _logger;
    private readonly IDisposable? _subscription;
    private CompiledPolicy _current;

    public PolicyProvider(IOptionsMonitor<PolicyOptions> options, ILogger<PolicyProvider> logger)
    {
        _logger = logger;
        var compiled = PolicyCompiler.Compile(options.CurrentValue);
        if (compiled.Problems.Count > 0)
        {
            // RouterOptions validation refuses start-up with these problems named; this is only reached without it.
            throw new InvalidOperationException("Invalid Router:Policy: " + string.Join("; ", compiled.Problems.Select(p => $"{p.Key}: {p.Message}")));
        }

        _current = compiled;
        _subscription = options.OnChange((changed, _) => Reload(changed));
    }

    /// <summary>Raised after a new policy took effect.</summary>
    public event Action<CompiledPolicy>? Changed;

    public CompiledPolicy Current => Volatile.Read(ref _current);

    /// <summary>Compiles and, when valid, installs a new policy; returns the problems that refused it.</summary>
    public IReadOnlyList<(string Key, string Message)> Reload(PolicyOptions options)
    {
        var compiled = PolicyCompiler.Compile(options);
        if (compiled.Problems.Count > 0)
        {
            LogRefused(_logger, compiled.Problems.Count, string.Join("; ", compiled.Problems.Select(p => $"Router:Policy:{p.Key}: {p.Message}")));
            return compiled.Problems;
        }

        Volatile.Write(ref _current, compiled);
        LogReloaded(_logger, compiled.Rules.Count, compiled.IsDefault ? "the default policy" : "configured rules");
        Changed?.Invoke(compiled);
        return [];
    }

    public void Dispose() => _subscription?.Dispose();

    [LoggerMessage(Level = LogLevel.Error, Message = "Router:Policy changed but was refused ({Count} problems); the previous policy stays in force: {Problems}")]
    private static partial void LogRefused(ILogger logger, int count, string problems);

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing policy reloaded: {Rules} rules ({Source})")]
    private static partial void LogReloaded(ILogger logger, int rules, string source);
}
