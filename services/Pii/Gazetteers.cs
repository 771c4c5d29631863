using System.Collections.Frozen;
using System.Reflection;

namespace HybridAI.Pii;

/// <summary>
/// Word lists shipped with the library (Data/*.txt: written by the project, or derived from openly licensed Debian
/// packages as Data/README.md records), loaded once and looked up by span without allocating.
/// </summary>
internal static class Gazetteers
{
    private static readonly Lazy<Lists> Loaded = new(static () => new Lists());

    public static FrozenSet<string> FirstNames => Loaded.Value.FirstNames.Set;

    public static FrozenSet<string> AmbiguousNames => Loaded.Value.AmbiguousNames.Set;

    public static FrozenSet<string> Stopwords => Loaded.Value.Stopwords.Set;

    /// <summary>A word of the project's stopword list (never part of a name).</summary>
    public static bool IsStopword(ReadOnlySpan<char> word) => Loaded.Value.Stopwords.Contains(word);

    /// <summary>An ordinary English word (wamerican's lower-case entries) or a stopword.</summary>
    public static bool IsEnglishWord(ReadOnlySpan<char> word) => Loaded.Value.English.Contains(word) || Loaded.Value.Stopwords.Contains(word);

    /// <summary>A given name: the project's list or the name lists derived from Faker's person providers.</summary>
    public static bool IsGivenName(ReadOnlySpan<char> word) => Loaded.Value.FirstNames.Contains(word) || Loaded.Value.GivenNames.Contains(word);

    /// <summary>A given name of the project's own list of common ones.</summary>
    public static bool IsCommonGivenName(ReadOnlySpan<char> word) => Loaded.Value.FirstNames.Contains(word);

    public static bool IsSurname(ReadOnlySpan<char> word) => Loaded.Value.Surnames.Contains(word);

    /// <summary>A capitalised word that names no private person: a place, a people, a language, a month, a brand.</summary>
    public static bool IsKnownProperNoun(ReadOnlySpan<char> word) => Loaded.Value.ProperNouns.Contains(word) || Loaded.Value.Languages.Contains(word);

    public static bool IsAmbiguousName(ReadOnlySpan<char> word) => Loaded.Value.AmbiguousNames.Contains(word);

    private sealed class Lists
    {
        public WordList FirstNames { get; } = Load("first-names.txt");

        public WordList AmbiguousNames { get; } = Load("ambiguous-names.txt");

        public WordList Stopwords { get; } = Load("stopwords.txt");

        public WordList English { get; } = Load("english-words.txt");

        public WordList GivenNames { get; } = Load("given-names.txt");

        public WordList Surnames { get; } = Load("surnames.txt");

        public WordList ProperNouns { get; } = Load("proper-nouns.txt");

        public WordList Languages { get; } = Load("languages.txt");
    }

    private sealed class WordList(FrozenSet<string> set)
    {
        private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup = set.GetAlternateLookup<ReadOnlySpan<char>>();

        public FrozenSet<string> Set { get; } = set;

        public bool Contains(ReadOnlySpan<char> word) => _lookup.Contains(word);
    }

    private static WordList Load(string name)
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

        return new WordList(words.ToFrozenSet(StringComparer.OrdinalIgnoreCase));
    }
}
