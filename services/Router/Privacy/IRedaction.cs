namespace HybridAI.Router.Privacy;

/// <summary>Creates the redaction of one request (typed placeholders, the same one for each distinct value).</summary>
public interface IRedactionFactory
{
    IRedaction Begin();
}

/// <summary>
/// One request's redaction: holds the raw values behind its placeholders in memory only, for as long as the request
/// runs, so the answer can be restored. Never logged, cached or recorded.
/// </summary>
public interface IRedaction
{
    /// <summary><paramref name="text"/> with each finding (ordered, non-overlapping) replaced by its placeholder; <paramref name="placeholders"/> receives them in order.</summary>
    string Redact(string text, IReadOnlyList<Signals.TextFinding> findings, List<string> placeholders);

    /// <summary>Puts the original values back in place of the placeholders a model repeated.</summary>
    string Restore(string text);

    /// <summary>A restorer for a token stream, where a placeholder may arrive split across chunks.</summary>
    IStreamRestorer StreamRestorer();
}

/// <summary>Restores placeholders in a stream, holding back only what could still become one.</summary>
public interface IStreamRestorer
{
    string Push(string chunk);

    string Flush();
}
