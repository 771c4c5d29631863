namespace HybridAI.Pii.Recognizers;

/// <summary>Finds one kind of entity. Recognizers run in time linear in the text.</summary>
public interface IPiiRecognizer
{
    /// <summary>Appends every candidate found in the scanned text to <paramref name="findings"/>.</summary>
    void Recognize(PiiScan scan, List<PiiFinding> findings);
}

/// <summary>One text being scanned, with what several recognizers share computed once (its words).</summary>
public sealed class PiiScan(string text)
{
    private List<TextWord>? _words;

    public string Text { get; } = text;

    internal List<TextWord> Words => _words ??= TextWord.Split(Text);
}
