using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace HybridAI.AppHost;

/// <summary>Asks the container runtime Aspire would use whether its engine answers.</summary>
public static class ContainerRuntimeProbe
{
    /// <summary>Returns whether a container engine is healthy, and why (for the log line).</summary>
    public static (bool Healthy, string Reason) Check(IConfiguration configuration, TimeSpan timeout)
    {
        var runtime = configuration["ASPIRE_CONTAINER_RUNTIME"] is { Length: > 0 } r ? r : "docker";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return (false, $"'{runtime}' could not be started");
            }

            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (false, $"'{runtime} info' did not answer within {timeout.TotalSeconds:F0} s");
            }

            var version = process.StandardOutput.ReadToEnd().Trim();
            return process.ExitCode == 0 && version.Length > 0
                ? (true, $"{runtime} engine {version} is healthy")
                : (false, $"'{runtime} info' failed: {FirstLine(process.StandardError.ReadToEnd())}");
        }
        catch (Win32Exception)
        {
            return (false, $"no container runtime ('{runtime}' is not on PATH)");
        }
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return string.IsNullOrEmpty(line) ? "no output" : line;
    }
}
