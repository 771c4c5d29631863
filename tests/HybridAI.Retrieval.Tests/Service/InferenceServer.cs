using HybridAI.SlmInference;
using HybridAI.Testing.Services;

[assembly: AssemblyFixture(typeof(HybridAI.Retrieval.Tests.Service.InferenceServer))]

namespace HybridAI.Retrieval.Tests.Service;

/// <summary>One slm-inference for the test assembly, on loopback ports, CPU, sharing the machine's model cache.</summary>
public sealed class InferenceServer : IDisposable
{
    public static string CacheDirectory { get; } = Path.Combine(Path.GetTempPath(), "hybridai-tests", "models");

    public InferenceServer()
    {
        Service = new LoopbackService<InferenceOptions>("slm-inference", new Dictionary<string, string?>
        {
            ["Inference:Device"] = "cpu",
            ["Inference:CacheDirectory"] = CacheDirectory,
            ["Inference:IntraOpThreads"] = "1",
            ["Logging:LogLevel:Default"] = "Warning",
        });
    }

    public LoopbackService<InferenceOptions> Service { get; }

    /// <summary>Settings for an in-process retrieval that embeds through this slm-inference, in its own data folder.</summary>
    public Dictionary<string, string?> RetrievalSettings(string? dataPath = null, IDictionary<string, string?>? extra = null)
    {
        var settings = Service.DiscoverySettings();
        settings["Retrieval:DataPath"] = dataPath ?? TempFolder.Create();
        settings["Logging:LogLevel:Default"] = "Warning";
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public void Dispose() => Service.Dispose();
}

/// <summary>Data folders for tests, under the system temp folder, removed when the test process ends.</summary>
public static class TempFolder
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "hybridai-tests", "retrieval", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    static TempFolder() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A store still open at exit; the OS temp cleaner takes it.
        }
    };

    public static string Create() => Directory.CreateDirectory(Path.Combine(Root, Guid.NewGuid().ToString("N"))).FullName;
}
