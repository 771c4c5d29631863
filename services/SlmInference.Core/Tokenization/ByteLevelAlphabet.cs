namespace HybridAI.SlmInference.Core.Tokenization;

/// <summary>
/// GPT-2's byte-to-character table: every byte maps to a printable character (printable Latin-1 bytes to themselves,
/// the rest to U+0100 onwards), so byte-level BPE works on strings without whitespace or control characters.
/// </summary>
internal static class ByteLevelAlphabet
{
    public static readonly char[] ByteToChar = Build();

    public static readonly Dictionary<char, byte> CharToByte = ByteToChar.Select((c, b) => (c, b)).ToDictionary(x => x.c, x => (byte)x.b);

    private static char[] Build()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }

        return table;
    }
}
