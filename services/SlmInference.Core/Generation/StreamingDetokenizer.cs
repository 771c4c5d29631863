using System.Text;
using HybridAI.SlmInference.Core.Tokenization;

namespace HybridAI.SlmInference.Core.Generation;

/// <summary>
/// Turns generated ids into text as they arrive: bytes are decoded as UTF-8 with the incomplete tail of a multi-byte
/// character held until its last byte comes, special tokens add no text, and SentencePiece's leading space is dropped.
/// </summary>
internal sealed class StreamingDetokenizer(BpeTokenizer tokenizer)
{
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private readonly char[] _chars = new char[64];
    private bool _started;

    public string Append(int id)
    {
        if (tokenizer.SpecialIds.Contains(id))
        {
            return "";
        }

        var bytes = tokenizer.TokenBytes(id);
        var builder = new StringBuilder();
        Decode(bytes, flush: false, builder);
        return Strip(builder.ToString());
    }

    public string Flush()
    {
        var builder = new StringBuilder();
        Decode([], flush: true, builder);
        return Strip(builder.ToString());
    }

    private void Decode(ReadOnlySpan<byte> bytes, bool flush, StringBuilder builder)
    {
        var completed = false;
        while (!completed)
        {
            _decoder.Convert(bytes, _chars, flush, out var used, out var produced, out completed);
            builder.Append(_chars, 0, produced);
            bytes = bytes[used..];
        }
    }

    private string Strip(string text)
    {
        if (!_started && text.Length > 0)
        {
            _started = true;
            if (tokenizer.StripsLeadingSpace && text[0] == ' ')
            {
                return text[1..];
            }
        }

        return text;
    }
}
