namespace HybridAI.SlmInference.Core.Tokenization;

/// <summary>
/// Settings of a BERT tokenizer, named as Hugging Face's <c>BertTokenizer</c> names them (<c>tokenizer_config.json</c>).
/// </summary>
public sealed record BertTokenizerOptions
{
    /// <summary>Lower-case the text (uncased models such as all-MiniLM-L6-v2).</summary>
    public bool LowerCase { get; init; } = true;

    /// <summary>Strip accents (NFD, drop non-spacing marks); <see langword="null"/> follows <see cref="LowerCase"/>, as HF does.</summary>
    public bool? StripAccents { get; init; }

    /// <summary>Put spaces around CJK ideographs so each becomes its own word.</summary>
    public bool TokenizeChineseChars { get; init; } = true;

    /// <summary>Longer words become <see cref="UnknownToken"/> without WordPiece (HF default 100).</summary>
    public int MaxInputCharsPerWord { get; init; } = 100;

    public string UnknownToken { get; init; } = "[UNK]";

    public string ClassifierToken { get; init; } = "[CLS]";

    public string SeparatorToken { get; init; } = "[SEP]";

    public string PaddingToken { get; init; } = "[PAD]";

    /// <summary>Prefix of WordPiece continuation pieces.</summary>
    public string ContinuingSubwordPrefix { get; init; } = "##";

    internal bool StripsAccents => StripAccents ?? LowerCase;
}
