using System.Text;
using System.Text.Json;

namespace HybridAI.Cli.Data;

/// <summary>One record of a data file: named string fields and the line it started on.</summary>
public sealed record DataRecord(int Line, IReadOnlyDictionary<string, JsonElement> Fields)
{
    public string? Text(string name) => Fields.TryGetValue(name, out var v)
        ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Null => null, _ => v.GetRawText() }
        : null;

    public bool? Bool(string name) => Fields.TryGetValue(name, out var v)
        ? v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(v.GetString(), out var b) => b,
            JsonValueKind.Number when v.TryGetInt32(out var i) && i is 0 or 1 => i == 1,
            _ => null,
        }
        : null;
}

/// <summary>
/// Reads CSV (RFC 4180: a header row, quoted fields that may span lines) and JSONL (one object per line) into
/// records, choosing the format by extension (.csv, .jsonl/.json). Errors name the file and line.
/// </summary>
public static class TabularReader
{
    public static IEnumerable<DataRecord> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".csv" => ReadCsv(path),
            ".jsonl" or ".json" or ".ndjson" => ReadJsonLines(path),
            _ => throw new DataFormatException(path, 0, $"unsupported file type '{extension}': use .csv or .jsonl"),
        };
    }

    private static IEnumerable<DataRecord> ReadJsonLines(string path)
    {
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            JsonElement root;
            try
            {
                root = JsonDocument.Parse(text).RootElement;
            }
            catch (JsonException e)
            {
                throw new DataFormatException(path, line, $"invalid JSON: {e.Message}");
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DataFormatException(path, line, "expected one JSON object per line");
            }

            yield return new DataRecord(line, root.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal));
        }
    }

    private static IEnumerable<DataRecord> ReadCsv(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var line = 1;
        var header = ReadRow(reader, path, ref line) ?? throw new DataFormatException(path, 1, "empty file: expected a header row");
        var names = header.Select(h => h.Trim()).ToArray();
        while (true)
        {
            var start = line;
            var row = ReadRow(reader, path, ref line);
            if (row is null)
            {
                yield break;
            }

            if (row.Count == 1 && row[0].Length == 0)
            {
                continue;
            }

            if (row.Count != names.Length)
            {
                throw new DataFormatException(path, start, $"expected {names.Length} fields ({string.Join(",", names)}), found {row.Count}");
            }

            var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
            {
                fields[names[i]] = JsonSerializer.SerializeToElement(row[i]);
            }

            yield return new DataRecord(start, fields);
        }
    }

    private static List<string>? ReadRow(StreamReader reader, string path, ref int line)
    {
        if (reader.Peek() < 0)
        {
            return null;
        }

        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var startLine = line;
        while (true)
        {
            var c = reader.Read();
            if (c < 0)
            {
                if (quoted)
                {
                    throw new DataFormatException(path, startLine, "unterminated quoted field");
                }

                fields.Add(field.ToString());
                return fields;
            }

            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        line++;
                    }

                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    line++;
                    fields.Add(field.ToString());
                    return fields;
                default:
                    field.Append(ch);
                    break;
            }
        }
    }
}
