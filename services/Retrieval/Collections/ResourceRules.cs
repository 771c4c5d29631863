using System.Text.RegularExpressions;
using HybridAI.Retrieval.Errors;

namespace HybridAI.Retrieval.Collections;

/// <summary>What names, ids and metadata may look like; each check adds a problem naming the field.</summary>
public static partial class ResourceRules
{
    public const int MaxIdLength = 256;
    public const int MaxMetadataKeyLength = 64;
    public const int MaxMetadataValueLength = 1024;

    /// <summary>Collection names: lower-case letters, digits, <c>-</c> and <c>_</c>, starting with a letter or digit, at most 63 characters.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}$", RegexOptions.CultureInvariant)]
    public static partial Regex CollectionName();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex MetadataKey();

    public static void CheckCollectionName(string name, string field, List<Problem> problems)
    {
        if (string.IsNullOrEmpty(name))
        {
            problems.Add(new Problem(field, "is required."));
        }
        else if (!CollectionName().IsMatch(name))
        {
            problems.Add(new Problem(field, $"must be 1-63 lower-case letters, digits, '-' or '_', starting with a letter or digit, not '{Truncate(name)}'."));
        }
    }

    public static void CheckId(string id, string field, List<Problem> problems)
    {
        if (string.IsNullOrEmpty(id))
        {
            problems.Add(new Problem(field, "is required."));
        }
        else if (id.Length > MaxIdLength || id.Any(char.IsControl) || id.Trim().Length != id.Length)
        {
            problems.Add(new Problem(field, $"must be 1-{MaxIdLength} characters without control characters or surrounding spaces, not '{Truncate(id)}'."));
        }
    }

    public static void CheckMetadata(IReadOnlyDictionary<string, string> metadata, int maxEntries, string field, List<Problem> problems)
    {
        if (metadata.Count > maxEntries)
        {
            problems.Add(new Problem(field, $"has {metadata.Count} entries; at most {maxEntries} (Retrieval:Limits:MaxMetadataEntries)."));
        }

        foreach (var (key, value) in metadata)
        {
            if (!MetadataKey().IsMatch(key))
            {
                problems.Add(new Problem($"{field}.{Truncate(key)}", "keys must be 1-64 letters, digits, '_', '.' or '-'."));
            }
            else if (value.Length > MaxMetadataValueLength)
            {
                problems.Add(new Problem($"{field}.{key}", $"is longer than {MaxMetadataValueLength} characters."));
            }
        }
    }

    public static string Truncate(string value) => value.Length <= 64 ? value : value[..61] + "...";
}
