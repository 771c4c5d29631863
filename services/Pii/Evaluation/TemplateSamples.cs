using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using HybridAI.Pii.Recognizers;

namespace HybridAI.Pii.Evaluation;

/// <summary>
/// Builds labelled examples from Presidio's sentence templates (<c>{{credit_card_number}}</c>, <c>{{iban}}</c>, …) with
/// seeded, valid values (Luhn card numbers, mod-97 IBANs, issued-range SSNs, phone numbers in many national
/// formats). This complements the small Presidio dev set, which has no IBANs and few e-mails. Only structured
/// types are labelled: names and addresses filled in here would only echo the recognizer's own word lists.
/// </summary>
public static partial class TemplateSamples
{
    private static readonly string[] Filler = ["Lindqvist", "Okafor", "Nakamura", "Rossi", "Kowalski", "Acme Corp", "Oslo", "Peru"];

    public static List<PiiExample> Generate(IReadOnlyList<string> templates, int count, int seed)
    {
        var random = new Random(seed);
        var examples = new List<PiiExample>(count);
        // The template file writes line breaks as "\n" (and escapes some commas as "\,").
        var usable = templates.Where(t => t.Contains("{{", StringComparison.Ordinal))
            .Select(t => t.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\,", ",", StringComparison.Ordinal))
            .ToList();
        for (var i = 0; i < count; i++)
        {
            var template = usable[random.Next(usable.Count)];
            var text = new StringBuilder();
            var spans = new List<GoldSpan>();
            var position = 0;
            foreach (Match m in Placeholder().Matches(template))
            {
                text.Append(template, position, m.Index - position);
                var (value, type) = Fill(m.Groups[1].Value, random);
                if (type is not null)
                {
                    spans.Add(new GoldSpan(type, text.Length, text.Length + value.Length));
                }

                text.Append(value);
                position = m.Index + m.Length;
            }

            text.Append(template, position, template.Length - position);
            examples.Add(new PiiExample(text.ToString(), spans));
        }

        return examples;
    }

    private static (string Value, string? Type) Fill(string placeholder, Random r) => placeholder switch
    {
        "credit_card_number" => (CardNumber(r), PiiEntityTypes.CreditCard),
        "iban" => (Iban(r), PiiEntityTypes.Iban),
        "ssn" => ($"{r.Next(1, 665):D3}-{r.Next(1, 100):D2}-{r.Next(1, 10000):D4}", PiiEntityTypes.UsSsn),
        "phone_number" => (Phone(r), PiiEntityTypes.PhoneNumber),
        "email" => ($"{Pick(r, ["anna.k", "j_smith", "lee+news", "m.dubois", "info"])}{r.Next(100)}@{Pick(r, ["example.com", "mail.co.uk", "firma.de", "corp.io"])}", PiiEntityTypes.Email),
        "ip_address" => (r.Next(3) == 0 ? $"2001:db8:{r.Next(0x10000):x}::{r.Next(0x10000):x}" : $"{r.Next(1, 224)}.{r.Next(256)}.{r.Next(256)}.{r.Next(1, 255)}", PiiEntityTypes.IpAddress),
        "url" => ($"https://www.{Pick(r, ["shop", "portal", "news"])}{r.Next(100)}.com/{Pick(r, ["a", "b/c", "x?id=4"])}", PiiEntityTypes.Url),
        "age" => (r.Next(18, 90).ToString(CultureInfo.InvariantCulture), null),
        "year" => (r.Next(1950, 2025).ToString(CultureInfo.InvariantCulture), null),
        _ => (Pick(r, Filler), null),
    };

    private static string CardNumber(Random r)
    {
        string[] prefixes = ["4", "51", "55", "2221", "37", "6011"];
        var prefix = Pick(r, prefixes);
        var length = prefix == "37" ? 15 : 16;
        var digits = new char[length];
        prefix.CopyTo(digits);
        for (var i = prefix.Length; i < length - 1; i++)
        {
            digits[i] = (char)('0' + r.Next(10));
        }

        for (var check = 0; check < 10; check++)
        {
            digits[^1] = (char)('0' + check);
            if (CreditCardRecognizer.Luhn(digits))
            {
                break;
            }
        }

        var number = new string(digits);
        return r.Next(3) switch
        {
            0 when length == 16 => string.Join(' ', number.Chunk(4).Select(c => new string(c))),
            1 when length == 16 => string.Join('-', number.Chunk(4).Select(c => new string(c))),
            _ => number,
        };
    }

    private static string Iban(Random r)
    {
        (string Country, int Length)[] countries = [("DE", 22), ("GB", 22), ("FR", 27), ("NL", 18), ("ES", 24), ("IT", 27), ("CH", 21)];
        var (country, length) = Pick(r, countries);
        var bban = new char[length - 4];
        for (var i = 0; i < bban.Length; i++)
        {
            bban[i] = country is "GB" or "NL" && i < 4 ? (char)('A' + r.Next(26)) : (char)('0' + r.Next(10));
        }

        var body = new string(bban);
        var check = 98 - IbanRecognizer.Mod97($"{country}00{body}");
        var iban = $"{country}{check:D2}{body}";
        return r.Next(2) == 0 ? iban : string.Join(' ', iban.Chunk(4).Select(c => new string(c)));
    }

    private static string Phone(Random r)
    {
        string D(int n) => string.Concat(Enumerable.Range(0, n).Select(_ => (char)('0' + r.Next(10))));
        return r.Next(8) switch
        {
            0 => $"+1 ({r.Next(200, 999)}) {D(3)}-{D(4)}",
            1 => $"+44 20 {D(4)} {D(4)}",
            2 => $"+49 30 {D(8)}",
            3 => $"({r.Next(200, 999)}) {D(3)}-{D(4)}",
            4 => $"0{r.Next(1, 9)} {D(2)} {D(2)} {D(2)} {D(2)}",
            5 => $"{r.Next(200, 999)}.{D(3)}.{D(4)}",
            6 => $"+33 6 {D(2)} {D(2)} {D(2)} {D(2)}",
            _ => $"{r.Next(200, 999)}-{D(3)}-{D(4)} ext. {r.Next(10, 999)}",
        };
    }

    private static T Pick<T>(Random r, T[] values) => values[r.Next(values.Length)];

    [GeneratedRegex(@"\{\{([a-z_]+)\}\}")]
    private static partial Regex Placeholder();
}
