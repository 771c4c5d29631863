using System.Diagnostics;

namespace HybridAI.Cli.Embedding;

/// <summary>Progress on standard error (standard output stays clean for tables and the JSON line).</summary>
public sealed class Progress(string stage, int total)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _lastPercent = -1;

    public void Report(int done)
    {
        var percent = total == 0 ? 100 : (int)(100L * done / total);
        // Each time a tenth of the way is crossed (and at the end): readable in a terminal and in CI logs alike.
        if (percent / 10 == _lastPercent / 10 && done != total)
        {
            return;
        }

        _lastPercent = percent;
        var rate = done / Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
        Console.Error.WriteLine($"{stage}: {done}/{total} ({percent}%, {rate:F0}/s)");
    }

    public static void Note(string message) => Console.Error.WriteLine(message);
}
