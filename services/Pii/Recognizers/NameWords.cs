namespace HybridAI.Pii.Recognizers;

/// <summary>How a word of the text can take part in a person's name, from capitalisation and the shipped word lists.</summary>
internal static class NameWords
{
    /// <summary>Lower-case words inside names: "Ludwig van Beethoven", "Maria de la Cruz", "Omar bin Laden".</summary>
    private static readonly HashSet<string> Particles = new(StringComparer.Ordinal)
    {
        "van", "von", "der", "den", "de", "da", "di", "del", "della", "la", "le", "du", "dos", "das", "bin", "ibn", "al", "ter", "ten", "y",
    };

    /// <summary>Letters after a name that belong to it ("Janice Brkić MD", "Martin Luther King Jr.").</summary>
    private static readonly HashSet<string> PostNominals = new(StringComparer.OrdinalIgnoreCase)
    {
        "md", "phd", "jr", "sr", "ii", "iii", "iv", "esq", "dds", "rn", "cpa", "mba",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ParticleLookup = Particles.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> PostNominalLookup = PostNominals.GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool IsParticle(ReadOnlySpan<char> word) => ParticleLookup.Contains(word);

    public static bool IsPostNominal(ReadOnlySpan<char> word) => PostNominalLookup.Contains(word);

    /// <summary>"SSN", "VOV": two or more capitals and nothing else.</summary>
    private static bool IsAcronym(ReadOnlySpan<char> value) => value.Length >= 2 && !value.ContainsAnyExcept(UpperCaseLetters);

    private static readonly System.Buffers.SearchValues<char> UpperCaseLetters = System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    /// <summary>"Arne's" is looked up as "Arne".</summary>
    public static ReadOnlySpan<char> WithoutPossessive(ReadOnlySpan<char> word) =>
        word.Length > 3 && word[^1] is 's' && word[^2] is '\'' or '’' ? word[..^2] : word;

    /// <summary>What the lists and the spelling say about one word.</summary>
    public static NameWord Classify(string text, TextWord word)
    {
        var value = WithoutPossessive(word.In(text));
        var capitalised = word.IsCapitalised(text) && !IsAcronym(value);
        // "I'm", "You're", "don't": the word before the apostrophe decides.
        var apostrophe = value.IndexOfAny('\'', '’');
        var stem = apostrophe > 0 ? value[..apostrophe] : value;
        var stop = Gazetteers.IsStopword(stem) || (apostrophe > 0 && Gazetteers.IsEnglishWord(stem) && value.Length - apostrophe <= 3);
        var english = stop || Gazetteers.IsEnglishWord(value);
        var given = !stop && Gazetteers.IsGivenName(value);
        var surname = !stop && Gazetteers.IsSurname(value);
        var proper = Gazetteers.IsKnownProperNoun(value);
        var ambiguous = Gazetteers.IsAmbiguousName(value);
        var common = !stop && (ambiguous || Gazetteers.IsCommonGivenName(value));
        return new NameWord(capitalised, stop, english, given, surname, proper, ambiguous, common);
    }
}

/// <summary>Features of one word for name detection.</summary>
/// <param name="Capitalised">Upper-case first letter (see <see cref="TextWord.IsCapitalised"/>).</param>
/// <param name="Stopword">Never part of a name.</param>
/// <param name="English">An ordinary English word (or a stopword).</param>
/// <param name="Given">In a given-name list.</param>
/// <param name="Surname">In the surname list.</param>
/// <param name="KnownProper">A place, people, language or brand: capitalised, but no private person.</param>
/// <param name="Ambiguous">A given name that is also a common word ("Will", "May").</param>
/// <param name="CommonGiven">In the project's own list of common given names (Faker's lists also hold words like "Can").</param>
internal readonly record struct NameWord(bool Capitalised, bool Stopword, bool English, bool Given, bool Surname, bool KnownProper, bool Ambiguous, bool CommonGiven)
{
    /// <summary>A name by the lists alone: a given name or surname that is no ordinary word.</summary>
    public bool ListedName => (Given || Surname) && !English && !Ambiguous && !KnownProper;

    /// <summary>Capitalised and no ordinary word or known place: a proper noun nobody listed ("Zyxar").</summary>
    public bool UnknownProper => Capitalised && !English && !KnownProper && !Stopword;

    /// <summary>Can continue a name that has already started.</summary>
    public bool CanContinue => !Stopword && Capitalised && !KnownProper;
}
