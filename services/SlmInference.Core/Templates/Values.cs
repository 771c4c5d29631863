using System.Collections;
using System.Globalization;
using System.Text;

namespace HybridAI.SlmInference.Core.Templates;

/// <summary>Jinja's undefined value: empty when printed, false when tested.</summary>
internal sealed class Undefined
{
    public static readonly Undefined Instance = new();

    private Undefined()
    {
    }
}

/// <summary>The mutable object <c>namespace()</c> returns, so loops can carry state out.</summary>
internal sealed class Namespace
{
    public Dictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);
}

/// <summary>A global function (<c>raise_exception</c>, <c>namespace</c>, <c>range</c>, …).</summary>
internal delegate object? TemplateFunction(IReadOnlyList<object?> arguments, IReadOnlyDictionary<string, object?> keywords);

/// <summary>Python semantics for template values: truth, text, equality, iteration, JSON.</summary>
internal static class Values
{
    public static bool IsTrue(object? value) => value switch
    {
        null or Undefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        ICollection c => c.Count > 0,
        _ => true,
    };

    public static string ToText(object? value) => value switch
    {
        null => "None",
        Undefined => "",
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatDouble(d),
        string s => s,
        IList list => "[" + string.Join(", ", list.Cast<object?>().Select(Repr)) + "]",
        IDictionary<string, object?> map => "{" + string.Join(", ", map.Select(kv => $"{Repr(kv.Key)}: {Repr(kv.Value)}")) + "}",
        _ => value.ToString() ?? "",
    };

    public static string Repr(object? value) => value is string s ? "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'" : ToText(value);

    private static string FormatDouble(double d) =>
        d == Math.Floor(d) && Math.Abs(d) < 1e16 ? d.ToString("0.0", CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture);

    public static new bool Equals(object? left, object? right) => (left, right) switch
    {
        (null, null) => true,
        (Undefined, Undefined) => true,
        (long a, long b) => a == b,
        (long or double, long or double) => ToDouble(left) == ToDouble(right),
        (bool a, bool b) => a == b,
        (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
        (IList a, IList b) => a.Count == b.Count && a.Cast<object?>().Zip(b.Cast<object?>()).All(p => Equals(p.First, p.Second)),
        _ => ReferenceEquals(left, right),
    };

    public static double ToDouble(object? value) => value switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new TemplateException($"{Describe(value)} is not a number"),
    };

    public static IEnumerable<object?> Iterate(object? value) => value switch
    {
        null or Undefined => [],
        string s => s.EnumerateRunes().Select(r => (object?)r.ToString()),
        IDictionary<string, object?> map => map.Keys,
        IEnumerable e => e.Cast<object?>(),
        _ => throw new TemplateException($"{Describe(value)} is not iterable"),
    };

    public static string Describe(object? value) => value switch
    {
        null => "None",
        Undefined => "an undefined value",
        string => "a string",
        long or double => "a number",
        bool => "a boolean",
        IList => "a list",
        IDictionary<string, object?> => "a mapping",
        _ => value.GetType().Name,
    };

    /// <summary>Python's json.dumps as Hugging Face's tojson calls it (non-ASCII kept, ", " and ": " separators).</summary>
    public static string ToJson(object? value, int? indent, int depth = 0)
    {
        var builder = new StringBuilder();
        WriteJson(builder, value, indent, depth);
        return builder.ToString();
    }

    private static void WriteJson(StringBuilder builder, object? value, int? indent, int depth)
    {
        switch (value)
        {
            case null or Undefined:
                builder.Append("null");
                break;
            case bool b:
                builder.Append(b ? "true" : "false");
                break;
            case long or double:
                builder.Append(ToText(value));
                break;
            case string s:
                builder.Append('"');
                foreach (var c in s)
                {
                    builder.Append(c switch
                    {
                        '"' => "\\\"",
                        '\\' => "\\\\",
                        '\n' => "\\n",
                        '\r' => "\\r",
                        '\t' => "\\t",
                        '\b' => "\\b",
                        '\f' => "\\f",
                        < ' ' => $"\\u{(int)c:x4}",
                        _ => c.ToString(),
                    });
                }

                builder.Append('"');
                break;
            case IDictionary<string, object?> map:
                WriteContainer(builder, '{', '}', map.Select(kv => (Key: (string?)kv.Key, kv.Value)), indent, depth);
                break;
            case Namespace ns:
                WriteContainer(builder, '{', '}', ns.Values.Select(kv => (Key: (string?)kv.Key, kv.Value)), indent, depth);
                break;
            case IEnumerable e:
                WriteContainer(builder, '[', ']', e.Cast<object?>().Select(v => (Key: (string?)null, Value: v)), indent, depth);
                break;
            default:
                throw new TemplateException($"{Describe(value)} cannot be written as JSON");
        }
    }

    private static void WriteContainer(StringBuilder builder, char open, char close, IEnumerable<(string? Key, object? Value)> items, int? indent, int depth)
    {
        builder.Append(open);
        var first = true;
        foreach (var (key, item) in items)
        {
            builder.Append(first ? "" : indent is null ? ", " : ",");
            if (indent is { } n)
            {
                builder.Append('\n').Append(' ', n * (depth + 1));
            }

            first = false;
            if (key is not null)
            {
                WriteJson(builder, key, indent, depth + 1);
                builder.Append(": ");
            }

            WriteJson(builder, item, indent, depth + 1);
        }

        if (indent is { } m && !first)
        {
            builder.Append('\n').Append(' ', m * depth);
        }

        builder.Append(close);
    }
}
