using System.Text.Json;

namespace HybridAI.Cli.Data;

/// <summary>A text with its class label.</summary>
public sealed record LabelledText(string Text, string Label, int Line);

/// <summary>A prompt with the outcomes of a weak and a strong model (RouteLLM's format).</summary>
public sealed record RoutingExample(string Prompt, bool WeakCorrect, bool StrongCorrect, string? Subject, int Line)
{
    /// <summary>Only the large model answers well: the needs-LLM target.</summary>
    public bool NeedsLlm => StrongCorrect && !WeakCorrect;
}

/// <summary>Loads the data formats the tool accepts, with errors that name the file and line.</summary>
public static class Datasets
{
    private static readonly string[] TextColumns = ["text", "prompt"];
    private static readonly string[] LabelColumns = ["label", "category", "intent"];

    /// <summary>CSV <c>text,label</c> (or <c>category</c>/<c>intent</c>) or JSONL <c>{text,label}</c>; at least two classes.</summary>
    public static List<LabelledText> LoadLabelled(string path)
    {
        var rows = new List<LabelledText>();
        foreach (var record in TabularReader.Read(path))
        {
            var textColumn = TextColumns.FirstOrDefault(record.Fields.ContainsKey);
            var labelColumn = LabelColumns.FirstOrDefault(record.Fields.ContainsKey);
            if (textColumn is null || labelColumn is null)
            {
                throw new DataFormatException(path, record.Line,
                    $"expected columns text,label; found {string.Join(",", record.Fields.Keys)}");
            }

            var text = record.Text(textColumn);
            var label = record.Text(labelColumn)?.Trim();
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new DataFormatException(path, record.Line, "empty text");
            }

            if (string.IsNullOrEmpty(label))
            {
                throw new DataFormatException(path, record.Line, "empty label");
            }

            rows.Add(new LabelledText(text, label, record.Line));
        }

        var classes = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Count();
        if (classes < 2)
        {
            throw new DataFormatException(path, rows.Count == 0 ? 0 : rows[^1].Line,
                $"found {classes} class{(classes == 1 ? "" : "es")}; training needs at least two");
        }

        return rows;
    }

    /// <summary>JSONL <c>{prompt, weak_correct, strong_correct[, subject]}</c>.</summary>
    public static List<RoutingExample> LoadRouting(string path)
    {
        var rows = new List<RoutingExample>();
        foreach (var record in TabularReader.Read(path))
        {
            var prompt = record.Text("prompt");
            var weak = record.Bool("weak_correct");
            var strong = record.Bool("strong_correct");
            if (prompt is null || weak is null || strong is null)
            {
                throw new DataFormatException(path, record.Line,
                    $"expected prompt, weak_correct, strong_correct (booleans); found {string.Join(",", record.Fields.Keys)}");
            }

            rows.Add(new RoutingExample(prompt, weak.Value, strong.Value, record.Text("subject"), record.Line));
        }

        if (rows.Count == 0)
        {
            throw new DataFormatException(path, 0, "no examples");
        }

        return rows;
    }

    /// <summary>
    /// Prompts from JSONL <c>{prompt|text}</c> or a CSV with a <c>prompt</c> or <c>text</c> column, or the first turn of
    /// MT-Bench-style rows <c>{turns: [...]}</c> (what a user opens a conversation with); with <paramref name="where"/>
    /// (<c>column=value</c>) only matching rows (XSTest: <c>label=safe</c>).
    /// </summary>
    public static List<string> LoadPrompts(string path, string? where = null)
    {
        var prompts = new List<string>();
        var filter = where?.Split('=', 2) is [var filterColumn, var filterValue] ? (Column: filterColumn, Value: filterValue) : ((string Column, string Value)?)null;
        if (where is not null && filter is null)
        {
            throw new ArgumentException($"--where must be column=value, not '{where}'.");
        }

        foreach (var record in TabularReader.Read(path))
        {
            if (filter is { } f)
            {
                if (!record.Fields.ContainsKey(f.Column))
                {
                    throw new DataFormatException(path, record.Line, $"no column '{f.Column}' to filter on; found {string.Join(",", record.Fields.Keys)}");
                }

                if (record.Text(f.Column) != f.Value)
                {
                    continue;
                }
            }

            var column = TextColumns.FirstOrDefault(record.Fields.ContainsKey);
            var text = column is not null ? record.Text(column)
                : record.Fields.TryGetValue("turns", out var turns) && turns.ValueKind == JsonValueKind.Array && turns.GetArrayLength() > 0
                    ? turns[0].GetString()
                    : throw new DataFormatException(path, record.Line, $"expected a prompt, text or turns column; found {string.Join(",", record.Fields.Keys)}");
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new DataFormatException(path, record.Line, "empty prompt");
            }

            prompts.Add(text);
        }

        if (prompts.Count == 0)
        {
            throw new DataFormatException(path, 0, "no prompts");
        }

        return prompts;
    }
}
