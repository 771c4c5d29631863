using System.Text;

namespace HybridAI.SlmInference.Core.Generation;

/// <summary>
/// Streams text while watching for stop sequences: text that could be the start of a stop sequence is held back until
/// it is known not to be one, and nothing from the first stop sequence on is ever released.
/// </summary>
internal sealed class StopSequenceFilter(IReadOnlyList<string> stops)
{
    private readonly StringBuilder _pending = new();
    private readonly int _longest = stops.Count == 0 ? 0 : stops.Max(s => s.Length);

    public bool Stopped { get; private set; }

    /// <summary>Adds text; returns what can be released now (possibly empty).</summary>
    public string Push(string text)
    {
        if (Stopped)
        {
            return "";
        }

        if (_longest == 0)
        {
            return text;
        }

        _pending.Append(text);
        var pending = _pending.ToString();
        var first = -1;
        foreach (var stop in stops)
        {
            var at = pending.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
            }
        }

        if (first >= 0)
        {
            Stopped = true;
            _pending.Clear();
            return pending[..first];
        }

        // Keep the longest tail that is a prefix of some stop sequence.
        var keep = 0;
        for (var length = Math.Min(_longest - 1, pending.Length); length > 0; length--)
        {
            var tail = pending[^length..];
            if (stops.Any(s => s.StartsWith(tail, StringComparison.Ordinal)))
            {
                keep = length;
                break;
            }
        }

        _pending.Clear();
        _pending.Append(pending.AsSpan(pending.Length - keep));
        return pending[..^keep];
    }

    /// <summary>Releases what was held back when generation ends for another reason.</summary>
    public string Flush()
    {
        var rest = Stopped ? "" : _pending.ToString();
        _pending.Clear();
        return rest;
    }
}
