using System.Text.RegularExpressions;
using HybridAI.Governance.Errors;

namespace HybridAI.Governance.Tenants;

/// <summary>What a tenant id and a display name may be.</summary>
public static partial class TenantRules
{
    public const int MaxNameLength = 200;

    /// <summary>Lower-case letters, digits and inner hyphens, 1-63 characters: safe in URLs, Redis keys and label values.</summary>
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    public static partial Regex TenantId();

    public static void CheckTenantId(string field, string value, List<Problem> problems)
    {
        if (string.IsNullOrEmpty(value))
        {
            problems.Add(new Problem(field, "is required."));
        }
        else if (!TenantId().IsMatch(value))
        {
            problems.Add(new Problem(field, $"must be 1-63 lower-case letters, digits or inner hyphens, but is '{Truncate(value)}'."));
        }
    }

    public static void CheckName(string field, string value, bool required, List<Problem> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                problems.Add(new Problem(field, "is required."));
            }
        }
        else if (value.Length > MaxNameLength)
        {
            problems.Add(new Problem(field, $"must be at most {MaxNameLength} characters, but has {value.Length}."));
        }
        else if (value.Any(char.IsControl))
        {
            problems.Add(new Problem(field, "must not contain control characters."));
        }
    }

    /// <summary>Echoes user input in messages without letting it flood them.</summary>
    public static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
