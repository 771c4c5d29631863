using System.Text;

namespace HybridAI.Testing.Data;

/// <summary>
/// Reads RFC 4180 CSV (quoted fields with doubled quotes and embedded newlines), as the shared datasets use, into rows
/// keyed by the header's column names.
/// </summary>
public static class Csv
{
    /// <summary>Every data row of <paramref name="path"/> as column → value.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string path)
    {
        var records = Parse(File.ReadAllText(path, Encoding.UTF8)).ToList();
        if (records.Count == 0)
        {
            return [];
        }

        var header = records[0];
        return records.Skip(1)
            .Where(r => r.Count > 1 || (r.Count == 1 && r[0].Length > 0))
            .Select(r => (IReadOnlyDictionary<string, string>)header.Select((name, i) => (name, value: i < r.Count ? r[i] : ""))
                .ToDictionary(x => x.name, x => x.value, StringComparer.Ordinal))
            .ToList();
    }

    /// <summary>Splits CSV text into records of fields.</summary>
    public static IEnumerable<List<string>> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    record.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    record.Add(field.ToString());
                    field.Clear();
                    yield return record;
                    record = [];
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            yield return record;
        }
    }
}
