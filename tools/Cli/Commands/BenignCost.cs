using HybridAI.Pii;

namespace HybridAI.Cli.Commands;

/// <summary>
/// What redaction costs on texts that hold no personal data: how many texts each profile would touch, and how many
/// of their words it would hide, by finding type (every finding there is a false alarm, whatever its type).
/// </summary>
internal static class BenignCost
{
    public sealed record Figures(int Texts, int Words, ProfileCost Precise, ProfileCost Recall)
    {
        public Dictionary<string, object> ToJson() => new()
        {
            ["n"] = Texts,
            ["precise_texts_flagged"] = Math.Round(Precise.TextShare(Texts), 4),
            ["recall_texts_flagged"] = Math.Round(Recall.TextShare(Texts), 4),
            ["precise_words_redacted"] = Math.Round(Precise.WordShare(Words), 4),
            ["recall_words_redacted"] = Math.Round(Recall.WordShare(Words), 4),
        };
    }

    public sealed record ProfileCost(int TextsFlagged, int WordsRedacted, IReadOnlyDictionary<string, int> FindingsByType)
    {
        public double TextShare(int texts) => texts == 0 ? 0 : (double)TextsFlagged / texts;

        public double WordShare(int words) => words == 0 ? 0 : (double)WordsRedacted / words;
    }

    public static Figures Measure(IReadOnlyList<string> texts)
    {
        var words = texts.Sum(CountWords);
        return new Figures(texts.Count, words, Cost(new PiiDetector(PiiProfile.Precise), texts), Cost(new PiiDetector(PiiProfile.Recall), texts));
    }

    public static void Print(Figures f)
    {
        Console.WriteLine($"{f.Texts} benign texts, {f.Words} words; every finding in them is a false alarm.");
        var table = new ConsoleTable("profile", "texts flagged", "share", "words redacted", "share", "findings by type");
        foreach (var (name, cost) in new[] { ("precise", f.Precise), ("recall", f.Recall) })
        {
            table.Add(name, cost.TextsFlagged, cost.TextShare(f.Texts), cost.WordsRedacted, cost.WordShare(f.Words),
                string.Join(", ", cost.FindingsByType.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}")));
        }

        Console.Write(table);
    }

    private static ProfileCost Cost(PiiDetector detector, IReadOnlyList<string> texts)
    {
        var flagged = 0;
        var redacted = 0;
        var byType = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            var findings = detector.Detect(text);
            if (findings.Count > 0)
            {
                flagged++;
            }

            foreach (var finding in findings)
            {
                redacted += CountWords(text[finding.Start..finding.End]);
                byType[finding.Type] = byType.GetValueOrDefault(finding.Type) + 1;
            }
        }

        return new ProfileCost(flagged, redacted, byType);
    }

    private static int CountWords(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
