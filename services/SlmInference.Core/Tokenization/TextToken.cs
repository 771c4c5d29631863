namespace HybridAI.SlmInference.Core.Tokenization;

/// <summary>A token id with the span of the original text it came from (UTF-16 offsets, end exclusive).</summary>
/// <remarks>
/// Offsets are exact when normalisation kept a word's length (ASCII text, the common case); when lower-casing or accent
/// stripping changed a word's length, every piece of that word carries the whole word's span.
/// </remarks>
public readonly record struct TextToken(int Id, int Start, int End);

/// <summary>An encoder input: token ids including the special tokens, and whether the text had to be cut.</summary>
/// <param name="Ids">Token ids as fed to the model (e.g. <c>[CLS] … [SEP]</c>).</param>
/// <param name="Truncated">The text had more tokens than the model's window; the tail was dropped.</param>
/// <param name="FullLength">How many ids the text would have had without truncation (specials included).</param>
public sealed record EncodedText(int[] Ids, bool Truncated, int FullLength)
{
    /// <summary>Number of ids fed to the model.</summary>
    public int Length => Ids.Length;
}
