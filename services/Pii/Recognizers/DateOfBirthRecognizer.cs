namespace HybridAI.Pii.Recognizers;

/// <summary>Dates of birth: a date (numeric or written) with a birth context word shortly before it.</summary>
public sealed class DateOfBirthRecognizer : IPiiRecognizer
{
    private static readonly string[] ContextWords = ["born", "birth", "dob", "d.o.b", "birthday", "geboren", "né le", "née le"];

    public void Recognize(PiiScan scan, List<PiiFinding> findings)
    {
        var text = scan.Text;
        Add(text, findings, Patterns.NumericDate);
        Add(text, findings, Patterns.WrittenDate);
    }

    private static void Add(string text, List<PiiFinding> findings, System.Text.RegularExpressions.Regex pattern)
    {
        foreach (var match in pattern.EnumerateMatches(text))
        {
            var start = match.Index;
            var end = start + match.Length;
            if (TextScan.IsStandalone(text, start, end) && TextScan.HasContext(text, start, end, ContextWords, before: 30))
            {
                findings.Add(new PiiFinding(PiiEntityTypes.DateOfBirth, start, end, 0.85));
            }
        }
    }
}
