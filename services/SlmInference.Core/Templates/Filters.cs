using System.Collections;
using System.Globalization;

namespace HybridAI.SlmInference.Core.Templates;

/// <summary>The Jinja filters and Python methods chat templates use.</summary>
internal static class Filters
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "trim", "length", "count", "upper", "lower", "title", "capitalize", "tojson", "string", "int", "float", "default", "d",
        "first", "last", "join", "list", "reverse", "replace", "round", "abs", "items", "safe", "e", "escape",
        "selectattr", "rejectattr", "map", "unique", "sort", "indent",
    };

    public static object? Apply(string name, object? value, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs)
    {
        object? Arg(int index, string keyword, object? fallback = null) =>
            args.Count > index ? args[index] : kwargs.TryGetValue(keyword, out var v) ? v : fallback;

        return name switch
        {
            "trim" => Text(value).Trim(),
            "length" or "count" => value switch
            {
                string s => (long)s.Length,
                ICollection c => (long)c.Count,
                Namespace ns => (long)ns.Values.Count,
                _ => throw new TemplateException($"{Values.Describe(value)} has no length"),
            },
            "upper" => Text(value).ToUpperInvariant(),
            "lower" => Text(value).ToLowerInvariant(),
            "title" => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(Text(value).ToLowerInvariant()),
            "capitalize" => Methods.Capitalize(Text(value)),
            "tojson" => Values.ToJson(value, Arg(0, "indent") is long indent ? (int)indent : null),
            "string" => Values.ToText(value),
            "int" => value switch
            {
                long l => l,
                double d => (long)d,
                string s when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
                _ => Arg(0, "default", 0L),
            },
            "float" => value switch
            {
                long or double => Values.ToDouble(value),
                string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
                _ => Arg(0, "default", 0.0),
            },
            "default" or "d" => value is Undefined || (Values.IsTrue(Arg(1, "boolean", false)) && !Values.IsTrue(value)) ? Arg(0, "default_value", "") : value,
            "first" => Values.Iterate(value).FirstOrDefault(Undefined.Instance),
            "last" => Values.Iterate(value).LastOrDefault(Undefined.Instance),
            "join" => string.Join(Text(Arg(0, "d", "")), Values.Iterate(value).Select(Values.ToText)),
            "list" => Values.Iterate(value).ToList(),
            "reverse" => value is string rs ? new string(rs.Reverse().ToArray()) : Values.Iterate(value).Reverse().ToList(),
            "replace" => Text(value).Replace(Text(Arg(0, "old")), Text(Arg(1, "new")), StringComparison.Ordinal),
            "round" => Math.Round(Values.ToDouble(value), (int)(Arg(0, "precision", 0L) is long p ? p : 0), MidpointRounding.ToEven),
            "abs" => value is long la ? (object)Math.Abs(la) : Math.Abs(Values.ToDouble(value)),
            "items" => value is IDictionary<string, object?> map ? map.Select(kv => (object?)new List<object?> { kv.Key, kv.Value }).ToList()
                : throw new TemplateException($"{Values.Describe(value)} has no items"),
            "safe" or "e" or "escape" => value,
            "selectattr" or "rejectattr" => Select(name == "selectattr", value, args),
            "map" => kwargs.TryGetValue("attribute", out var attribute)
                ? Values.Iterate(value).Select(v => AttributeExpression.Get(v, attribute)).ToList()
                : throw new TemplateException("map is supported with attribute= only"),
            "unique" => Values.Iterate(value).Distinct().ToList(),
            "sort" => Values.Iterate(value).OrderBy(Values.ToText, StringComparer.Ordinal).ToList(),
            "indent" => Indent(Text(value), Arg(0, "width", 4L) is long w ? (int)w : 4, Values.IsTrue(Arg(1, "first", false))),
            _ => throw new TemplateException($"filter '{name}' is not supported"),
        };
    }

    private static string Text(object? value) => value switch
    {
        string s => s,
        Undefined => "",
        _ => Values.ToText(value),
    };

    private static List<object?> Select(bool keep, object? value, IReadOnlyList<object?> args)
    {
        var attribute = args.Count > 0 ? Text(args[0]) : throw new TemplateException("selectattr needs an attribute name");
        var test = args.Count > 1 ? Text(args[1]) : null;
        var operand = args.Count > 2 ? args[2] : null;
        return Values.Iterate(value).Where(item =>
        {
            var v = AttributeExpression.Get(item, attribute);
            var passes = test switch
            {
                null => Values.IsTrue(v),
                "defined" => v is not Undefined,
                "undefined" => v is Undefined,
                "none" => v is null,
                "equalto" or "eq" or "==" => Values.Equals(v, operand),
                "ne" or "!=" => !Values.Equals(v, operand),
                "in" => operand is IList list && list.Cast<object?>().Any(x => Values.Equals(x, v)),
                _ => throw new TemplateException($"selectattr test '{test}' is not supported"),
            };
            return passes == keep;
        }).ToList();
    }

    private static string Indent(string text, int width, bool first)
    {
        var pad = new string(' ', width);
        var lines = text.Split('\n');
        return string.Join("\n", lines.Select((l, i) => (i == 0 && !first) || l.Length == 0 ? l : pad + l));
    }
}

/// <summary>Python methods on strings and mappings that templates call (<c>content.strip()</c>, <c>message.get('x')</c>).</summary>
internal static class Methods
{
    public static object? Call(object? target, string name, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs)
    {
        string Arg(int i) => args.Count > i && args[i] is string s ? s : "";
        return (target, name) switch
        {
            (string s, "strip") => args.Count > 0 ? s.Trim(Arg(0).ToCharArray()) : s.Trim(),
            (string s, "lstrip") => args.Count > 0 ? s.TrimStart(Arg(0).ToCharArray()) : s.TrimStart(),
            (string s, "rstrip") => args.Count > 0 ? s.TrimEnd(Arg(0).ToCharArray()) : s.TrimEnd(),
            (string s, "startswith") => s.StartsWith(Arg(0), StringComparison.Ordinal),
            (string s, "endswith") => s.EndsWith(Arg(0), StringComparison.Ordinal),
            (string s, "upper") => s.ToUpperInvariant(),
            (string s, "lower") => s.ToLowerInvariant(),
            (string s, "title") => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(s.ToLowerInvariant()),
            (string s, "capitalize") => Capitalize(s),
            (string s, "replace") => s.Replace(Arg(0), Arg(1), StringComparison.Ordinal),
            (string s, "split") => (args.Count > 0 && args[0] is string sep
                ? s.Split(sep)
                : s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Select(p => (object?)p).ToList(),
            (string s, "find") => (long)s.IndexOf(Arg(0), StringComparison.Ordinal),
            (string s, "count") => (long)(s.Length - s.Replace(Arg(0), "", StringComparison.Ordinal).Length) / Math.Max(1, Arg(0).Length),
            (IDictionary<string, object?> map, "get") => map.TryGetValue(Arg(0), out var v) ? v : (args.Count > 1 ? args[1] : null),
            (IDictionary<string, object?> map, "items") => map.Select(kv => (object?)new List<object?> { kv.Key, kv.Value }).ToList(),
            (IDictionary<string, object?> map, "keys") => map.Keys.Select(k => (object?)k).ToList(),
            (IDictionary<string, object?> map, "values") => map.Values.ToList(),
            _ => throw new TemplateException($"method '{name}' on {Values.Describe(target)} is not supported"),
        };
    }

    public static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();
}
