using System.Collections.Frozen;
using System.Reflection;

namespace HybridAI.Pii;

/// <summary>Word lists shipped with the library (Data/*.txt, written by the project), loaded once.</summary>
internal static class Gazetteers
{
    public static FrozenSet<string> FirstNames { get; } = Load("first-names.txt");

    public static FrozenSet<string> AmbiguousNames { get; } = Load("ambiguous-names.txt");

    public static FrozenSet<string> Stopwords { get; } = Load("stopwords.txt");

    private static FrozenSet<string> Load(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"HybridAI.Pii.Data.{name}")
            ?? throw new InvalidOperationException($"The embedded word list {name} is missing from HybridAI.Pii.");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            foreach (var word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                words.Add(word);
            }
        }

        return words.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
