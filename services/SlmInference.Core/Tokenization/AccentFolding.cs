using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace HybridAI.SlmInference.Core.Tokenization;

/// <summary>
/// BERT's accent stripping (NFD, then drop non-spacing marks) without ICU: the services run with invariant
/// globalisation, where <see cref="string.Normalize()"/> does not decompose. The table (accent-folding.txt) is generated
/// from the Unicode Character Database; Hangul syllables decompose algorithmically into their jamo, as NFD does.
/// </summary>
internal static class AccentFolding
{
    private static readonly FrozenDictionary<int, string> Table = Load();

    /// <summary>Appends <paramref name="rune"/> with its accents removed.</summary>
    public static void AppendFolded(StringBuilder target, Rune rune)
    {
        var value = rune.Value;
        if (value is >= 0xAC00 and <= 0xD7A3)
        {
            var index = value - 0xAC00;
            target.Append((char)(0x1100 + (index / 588))).Append((char)(0x1161 + (index % 588 / 28)));
            if (index % 28 != 0)
            {
                target.Append((char)(0x11A7 + (index % 28)));
            }

            return;
        }

        if (Table.TryGetValue(value, out var folded))
        {
            target.Append(folded);
            return;
        }

        if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
        {
            target.Append(rune.ToString());
        }
    }

    private static FrozenDictionary<int, string> Load()
    {
        using var stream = typeof(AccentFolding).Assembly.GetManifestResourceStream("HybridAI.SlmInference.Core.Tokenization.accent-folding.txt")
            ?? throw new InvalidOperationException("The accent folding table is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var table = new Dictionary<int, string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var folded = new StringBuilder();
            foreach (var part in line[(tab + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                folded.Append(char.ConvertFromUtf32(int.Parse(part, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            }

            table[int.Parse(line.AsSpan(0, tab), NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = folded.ToString();
        }

        return table.ToFrozenDictionary();
    }
}
