using System.Globalization;
using System.Text.Json;

namespace HybridAI.Router.Mcp;

/// <summary>
/// Reads a tool call's arguments against what the tool's input schema promises, collecting every problem (unknown
/// names, missing required values, wrong types, values out of bounds) so the caller gets one message naming them all.
/// Clients are not trusted to have validated against the schema.
/// </summary>
public sealed class ToolArguments
{
    private readonly IReadOnlyDictionary<string, JsonElement> _values;
    private readonly List<string> _problems = [];

    public ToolArguments(IDictionary<string, JsonElement>? values, IReadOnlyCollection<string> known)
    {
        _values = values is null ? new Dictionary<string, JsonElement>() : new Dictionary<string, JsonElement>(values, StringComparer.Ordinal);
        foreach (var name in _values.Keys.Where(n => !known.Contains(n)).Order(StringComparer.Ordinal))
        {
            _problems.Add($"{Shorten(name)}: is not an argument of this tool (it takes {string.Join(", ", known)}).");
        }
    }

    /// <summary>A string of <paramref name="minLength"/> to <paramref name="maxLength"/> characters (not only whitespace when required).</summary>
    public string? Text(string name, bool required, int maxLength, int minLength = 1)
    {
        if (!Present(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return Problem<string>(name, $"must be a string, not {Kind(value)}.");
        }

        string text;
        try
        {
            text = value.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            // JsonElement.GetString refuses escapes that are not valid UTF-16 (an unpaired surrogate).
            return Problem<string>(name, "contains invalid Unicode text (an unpaired UTF-16 surrogate).");
        }

        if (text.Length > maxLength)
        {
            return Problem<string>(name, $"has {text.Length} characters; at most {maxLength}.");
        }

        if (text.Trim().Length < minLength)
        {
            return Problem<string>(name, minLength == 1 ? "must not be empty." : $"must have at least {minLength} characters.");
        }

        return text;
    }

    /// <summary>One of <paramref name="allowed"/> (compared ordinally).</summary>
    public string? Choice(string name, bool required, params string[] allowed)
    {
        if (!Present(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || !allowed.Contains(value.GetString(), StringComparer.Ordinal))
        {
            return Problem<string>(name, $"must be one of {string.Join(", ", allowed)}, not {Shown(value)}.");
        }

        return value.GetString();
    }

    public int? WholeNumber(string name, bool required, int minimum, int maximum)
    {
        if (!Present(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || number != Math.Floor(number)
            || number < minimum || number > maximum)
        {
            _problems.Add($"{name}: must be an integer from {minimum} to {maximum}, not {Shown(value)}.");
            return null;
        }

        return (int)number;
    }

    public double? Number(string name, bool required, double minimum, double maximum)
    {
        if (!Present(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || double.IsNaN(number) || number < minimum || number > maximum)
        {
            _problems.Add($"{name}: must be a number from {Format(minimum)} to {Format(maximum)}, not {Shown(value)}.");
            return null;
        }

        return number;
    }

    public bool? Flag(string name)
    {
        if (!Present(name, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            _problems.Add($"{name}: must be true or false, not {Shown(value)}.");
            return null;
        }

        return value.GetBoolean();
    }

    /// <summary>Throws <see cref="ToolArgumentException"/> naming every problem found so far.</summary>
    public void ThrowIfInvalid()
    {
        if (_problems.Count > 0)
        {
            throw new ToolArgumentException(_problems);
        }
    }

    private bool Present(string name, bool required, out JsonElement value)
    {
        if (_values.TryGetValue(name, out value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
        {
            return true;
        }

        if (required)
        {
            _problems.Add($"{name}: is required.");
        }

        return false;
    }

    private T? Problem<T>(string name, string message) where T : class
    {
        _problems.Add($"{name}: {message}");
        return null;
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "a string",
    };

    private static string Shown(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"'{Shorten(value.GetString() ?? "")}'",
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => Shorten(value.GetRawText()),
        _ => Kind(value),
    };

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A tool call whose arguments do not match the tool's input schema; the message names every problem.</summary>
public sealed class ToolArgumentException(IReadOnlyList<string> problems)
    : Exception($"Invalid arguments: {string.Join(" ", problems)}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
