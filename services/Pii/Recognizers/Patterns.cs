using System.Text.RegularExpressions;

namespace HybridAI.Pii.Recognizers;

/// <summary>
/// The candidate patterns. All use the non-backtracking engine, so scanning is linear in the text whatever it
/// contains (huge or adversarial prompts included); validation (checksums, boundaries, context) is done in code.
/// </summary>
internal static class Patterns
{
    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
    private static readonly TimeSpan NoTimeout = Regex.InfiniteMatchTimeout;

    public static readonly Regex Email = new(
        @"[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}\.)+[A-Za-z]{2,24}", Options, NoTimeout);

    /// <summary>13-19 digits, optionally grouped by single spaces or dashes.</summary>
    public static readonly Regex CardNumber = new(@"\d(?:[ \-]?\d){12,18}", Options, NoTimeout);

    public static readonly Regex Ssn = new(@"\d{3}[\- ]?\d{2}[\- ]?\d{4}", Options, NoTimeout);

    /// <summary>Country code, check digits, then up to 30 alphanumerics, optionally in groups of four.</summary>
    public static readonly Regex Iban = new(@"[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,32}", Options, NoTimeout);

    public static readonly Regex IPv4 = new(@"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}", Options, NoTimeout);

    public static readonly Regex IPv6 = new(@"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%[0-9A-Za-z]+)?", Options, NoTimeout);

    public static readonly Regex Url = new(
        @"(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)[^\s<>""'`]{2,2048}", Options, NoTimeout);

    /// <summary>Bare domains on common top-level domains (example.co.uk, shop.example.com).</summary>
    public static readonly Regex Domain = new(
        @"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}\.)+(?:com|org|net|edu|gov|io|ai|co|uk|de|fr|nl|se|no|dk|fi|pl|cz|es|it|pt|ch|at|be|ie|eu|us|ca|au|nz|jp|cn|in|br|ru|info|biz|app|dev)",
        Options, NoTimeout);

    /// <summary>Phone candidates: an optional +, then digits with the separators people use, then an optional extension.</summary>
    public static readonly Regex Phone = new(
        @"(?:\+|00)?\(?\d[\d \-.()]{4,22}\d(?: ?(?:x|ext\.?|extension) ?\d{1,6})?", Options | RegexOptions.IgnoreCase, NoTimeout);

    public static readonly Regex NumericDate = new(
        @"\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2}|\d{1,2}[\-/.]\d{1,2}[\-/.]\d{2,4}", Options, NoTimeout);

    public static readonly Regex WrittenDate = new(
        @"(?:\d{1,2}(?:st|nd|rd|th)? (?:of )?)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?: \d{1,2}(?:st|nd|rd|th)?,?)? \d{4}",
        Options | RegexOptions.IgnoreCase, NoTimeout);

    public static readonly Regex UsZip = new(@"\d{5}(?:-\d{4})?", Options, NoTimeout);

    public static readonly Regex UkPostcode = new(@"[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}", Options, NoTimeout);

    public static readonly Regex CanadianPostcode = new(@"[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d", Options, NoTimeout);

    /// <summary>Words: letters (any script) with inner apostrophes or hyphens.</summary>
    public static readonly Regex Word = new(@"\p{L}+(?:['’\-]\p{L}+)*", Options, NoTimeout);
}
