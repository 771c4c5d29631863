namespace HybridAI.Benchmarks.Harness;

/// <summary>The machine's 1/5/15-minute load averages, printed beside figures so a reader can tell a loaded run.</summary>
public static class MachineLoad
{
    public static string Averages()
    {
        try
        {
            return string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
