namespace HybridAI.Pii.Recognizers;

/// <summary>The vocabulary of street addresses: street types with their abbreviations, unit words, context words.</summary>
internal static class AddressWords
{
    /// <summary>Street types that close a street name ("Argyll Road", "President St"), with USPS and common abbreviations.</summary>
    private static readonly HashSet<string> StreetTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "street", "st", "str", "road", "rd", "avenue", "ave", "av", "lane", "ln", "drive", "dr", "drv", "boulevard", "blvd",
        "way", "wy", "place", "pl", "court", "ct", "terrace", "ter", "terr", "close", "cl", "crescent", "cres", "cr",
        "square", "sq", "parkway", "pkwy", "highway", "hwy", "circle", "cir", "trail", "trl", "row", "alley", "aly",
        "gardens", "gdns", "grove", "gr", "walk", "mews", "hill", "park", "quay", "wharf", "esplanade", "promenade",
        "broadway", "plaza", "plz", "loop", "pike", "path", "expressway", "expy", "freeway", "fwy", "turnpike", "tpke",
        "causeway", "crossing", "xing", "heights", "hts", "point", "pt", "ridge", "rdg", "run", "view", "vw", "vista",
        "glen", "green", "common", "commons", "gate", "parade", "pde", "rise", "vale", "wynd", "brae", "chase", "bypass",
        "centre", "center", "ctr", "landing", "passage", "strand", "route", "rte", "motorway", "cove", "creek", "bend",
    };

    /// <summary>Unit words: "Suite 771", "Apt. 4B", "Flat 2". The first six also make an address line on their own.</summary>
    private static readonly HashSet<string> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        "suite", "ste", "apt", "apartment", "unit", "flat", "floor", "fl", "room", "rm", "building", "bldg", "po", "box",
    };

    private static readonly HashSet<string> StandaloneUnits = new(StringComparer.OrdinalIgnoreCase) { "suite", "ste", "apt", "apartment", "unit", "flat" };

    /// <summary>Romance, Slavic and Greek street words open the name ("Via Roma 10", "rue Descartes", "ulica Długa 12").</summary>
    private static readonly HashSet<string> OpeningWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "via", "viale", "piazza", "corso", "calle", "avenida", "av", "rua", "travessa", "largo", "ulica", "ul", "rue", "chemin",
        "boulevard", "bd", "carrer", "praça", "plaza", "paseo", "camino", "carretera", "estrada", "alameda", "πλατεία", "οδός", "λεωφόρος",
    };

    /// <summary>German, Dutch and Nordic street words that close a compound ("Hauptstraße 5", "Keizersgracht 12", "Aðalgata 37").</summary>
    private static readonly string[] CompoundSuffixes =
    [
        "straße", "strasse", "str", "weg", "gasse", "platz", "allee", "damm", "ufer", "ring", "laan", "straat", "gracht", "plein",
        "kade", "steeg", "gata", "gatan", "gade", "vej", "veien", "vägen", "katu", "tie", "utca", "útja", "ulice",
    ];

    /// <summary>Words before an address that say one follows.</summary>
    public static readonly string[] Context =
    [
        "address", "live", "lives", "lived", "living", "located", "location", "ship", "deliver", "delivery", "send", "return",
        "mail", "billing", "shipping", "residence", "reside", "resides", "moved", "move", "corner", "street", "adresse", "dirección",
    ];

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> TypeLookup = StreetTypes.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> UnitLookup = Units.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> StandaloneUnitLookup = StandaloneUnits.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> OpeningLookup = OpeningWords.GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool IsStreetType(ReadOnlySpan<char> word) => TypeLookup.Contains(word);

    public static bool IsUnit(ReadOnlySpan<char> word) => UnitLookup.Contains(word);

    public static bool IsStandaloneUnit(ReadOnlySpan<char> word) => StandaloneUnitLookup.Contains(word);

    public static bool IsOpeningWord(ReadOnlySpan<char> word) => OpeningLookup.Contains(word);

    public static bool EndsWithCompoundSuffix(ReadOnlySpan<char> word)
    {
        foreach (var suffix in CompoundSuffixes)
        {
            if (word.Length > suffix.Length + 2 && word.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A word that can be part of a place or street name: capitalised, all capitals, or no English word.</summary>
    public static bool IsPlaceWord(string text, TextWord word)
    {
        var value = word.In(text);
        if (Gazetteers.IsStopword(value))
        {
            return false;
        }

        return char.IsUpper(value[0]) || !Gazetteers.IsEnglishWord(value);
    }
}
