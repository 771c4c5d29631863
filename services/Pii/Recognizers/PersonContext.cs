namespace HybridAI.Pii.Recognizers;

/// <summary>Words around a candidate that say it names a person: honorifics, introducers, verbs of people, vocatives.</summary>
internal static class PersonContext
{
    private static readonly HashSet<string> Honorifics = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "madam", "madame", "mme", "mlle", "herr", "frau",
        "señor", "señora", "senor", "senora", "sr", "sra", "signor", "signora", "dame", "lord", "lady", "mister", "doctor",
    };

    // Phrases after which a name follows; strong ones accept lower-case names ("my name is tracy").
    private static readonly (string[] Words, bool Strong)[] Introducers =
    [
        (["my", "name", "is"], true), (["name", "is"], true), (["name"], true), (["names"], true), (["surname"], true),
        (["named"], false), (["called"], false), (["call", "me"], true), (["calls", "me"], true), (["i", "am"], false), (["i'm"], false),
        (["this", "is"], false), (["regards"], false), (["thanks"], false), (["sincerely"], false), (["dear"], false),
        (["attn"], true), (["attention"], false), (["ask", "for"], false), (["speak", "to"], false), (["speak", "with"], false),
        (["contact"], false), (["signed"], true), (["guardian"], false), (["known", "as"], false), (["goes", "by"], false),
        (["my", "kid"], true), (["my", "son"], true), (["my", "daughter"], true), (["my", "wife"], true), (["my", "husband"], true),
        (["my", "partner"], true), (["my", "friend"], false), (["my", "boss"], false), (["colleague"], false), (["patient"], false),
        (["customer"], false), (["employee"], false), (["tenant"], false), (["client"], false),
    ];

    // Verbs and phrases that follow a person's name ("Eklund said", "Alexandra was a huge fan").
    private static readonly HashSet<string> PersonVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "said", "says", "told", "tells", "asked", "asks", "shouted", "replied", "wrote", "writes", "lives", "lived", "grew",
        "married", "died", "thinks", "thought", "believes", "wants", "wanted", "loves", "loved", "hates", "spent", "began",
        "started", "works", "worked", "joined", "smiled", "laughed", "cried", "called", "emailed", "texted", "paid", "owes",
        "signed", "agreed", "met", "visited", "moved", "studied", "graduated", "retired",
    };

    // Nouns after a possessive that belong to a person ("Arne's address", "Sumaya's kid").
    private static readonly HashSet<string> PersonalNouns = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "phone", "number", "email", "name", "account", "birthday", "kid", "kids", "son", "daughter", "wife",
        "husband", "mother", "father", "mom", "dad", "brother", "sister", "family", "friend", "boss", "house", "home",
        "car", "card", "salary", "wedding", "children", "child", "partner", "parents", "office", "desk", "manager",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> HonorificLookup = Honorifics.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> VerbLookup = PersonVerbs.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> NounLookup = PersonalNouns.GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool IsHonorific(string text, TextWord word) =>
        HonorificLookup.Contains(word.In(text)) && (word.End >= text.Length || text[word.End] is '.' or ' ');

    /// <summary>Whether an introducer phrase ends at word <paramref name="i"/>; null when none, else whether it is strong.</summary>
    public static bool? IntroducerEndsAt(string text, List<TextWord> words, int i)
    {
        foreach (var (phrase, strong) in Introducers)
        {
            if (i + 1 < phrase.Length)
            {
                continue;
            }

            var matched = true;
            for (var k = 0; k < phrase.Length && matched; k++)
            {
                matched = words[i - phrase.Length + 1 + k].In(text).Equals(phrase[k], StringComparison.OrdinalIgnoreCase);
            }

            if (matched)
            {
                return strong;
            }
        }

        return null;
    }

    /// <summary>What follows the name's last word says it is a person: a person's verb, or a possessive with a personal noun.</summary>
    public static bool After(string text, List<TextWord> words, int last)
    {
        var end = words[last].End;
        if (last + 1 >= words.Count)
        {
            return false;
        }

        var next = words[last + 1];
        var gap = text.AsSpan(end, next.Start - end);
        if (gap is " " && VerbLookup.Contains(next.In(text)))
        {
            return true;
        }

        // "Arne's address": the word pattern keeps the 's inside the word, so look at the word's own tail too.
        var own = words[last].In(text);
        var possessive = own.EndsWith("'s", StringComparison.OrdinalIgnoreCase) || own.EndsWith("’s", StringComparison.OrdinalIgnoreCase);
        return possessive && gap is " " && NounLookup.Contains(next.In(text));
    }

    private static readonly HashSet<string> SubjectVerbs = new(StringComparer.Ordinal) { "had", "has", "is", "was", "and", "will", "would", "did" };

    /// <summary>A verb follows, as after a sentence's subject ("Frank had given…"): weak evidence, for suspected names only.</summary>
    public static bool SubjectVerbAfter(string text, List<TextWord> words, int last) =>
        last + 1 < words.Count && words[last].AdjacentTo(text, words[last + 1]) && SubjectVerbs.Contains(words[last + 1].In(text).ToString());

    // Verbs that take a person as indirect object ("had given quorlith his address", "told priya the code").
    private static readonly HashSet<string> DitransitiveVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "give", "gives", "gave", "given", "giving", "send", "sends", "sent", "sending", "tell", "tells", "told", "telling",
        "show", "shows", "showed", "shown", "hand", "hands", "handed", "offer", "offers", "offered", "pay", "pays", "paid",
        "owe", "owes", "owed", "lend", "lends", "lent", "email", "emailed", "text", "texted", "bring", "brought", "promise",
        "promised", "teach", "taught", "forward", "forwarded", "mail", "mailed", "message", "messaged",
    };

    // What opens the direct object after the indirect one: a determiner or possessive ("his address", "the keys").
    private static readonly HashSet<string> ObjectOpeners = new(StringComparer.OrdinalIgnoreCase)
    {
        "his", "her", "their", "my", "your", "our", "its", "the", "a", "an", "some", "this", "that", "these", "those",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> DitransitiveLookup = DitransitiveVerbs.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ObjectOpenerLookup = ObjectOpeners.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Word <paramref name="i"/> stands alone where a person is the indirect object: between a verb of giving or telling
    /// and a determiner that opens the thing given ("had given quorlith his address"). An ordinary word seldom fits
    /// there ("gave everyone the", "sent them a" are English or stopwords, which callers exclude).
    /// </summary>
    public static bool IndirectObject(string text, List<TextWord> words, int i) =>
        i > 0 && i + 1 < words.Count
        && words[i - 1].AdjacentTo(text, words[i]) && words[i].AdjacentTo(text, words[i + 1])
        && DitransitiveLookup.Contains(words[i - 1].In(text)) && ObjectOpenerLookup.Contains(words[i + 1].In(text));

    private static readonly HashSet<string> PlacePrepositions = new(StringComparer.OrdinalIgnoreCase) { "in", "near", "around", "outside", "across" };

    /// <summary>A preposition of place comes right before word <paramref name="i"/>.</summary>
    public static bool PlaceBefore(string text, List<TextWord> words, int i) =>
        i > 0 && words[i - 1].AdjacentTo(text, words[i]) && PlacePrepositions.Contains(words[i - 1].In(text).ToString());

    /// <summary>The text opens with the name and a comma: "Jakobine, can I please speak to your boss?".</summary>
    public static bool Vocative(string text, List<TextWord> words, int first, int last) =>
        first == 0 && text.AsSpan(0, words[first].Start).IsWhiteSpace() && words[last].End < text.Length && text[words[last].End] == ','
        && last + 1 < words.Count && !words[last + 1].IsCapitalised(text);
}
