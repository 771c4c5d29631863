using System.Collections;

namespace HybridAI.SlmInference.Core.Templates;

internal abstract class Expression
{
    public abstract object? Evaluate(RenderContext context);
}

internal sealed class LiteralExpression(object? value) : Expression
{
    public override object? Evaluate(RenderContext context) => value;
}

internal sealed class NameExpression(string name) : Expression
{
    public string Name => name;

    public override object? Evaluate(RenderContext context) => context.Get(name);
}

internal sealed class ListExpression(IReadOnlyList<Expression> items) : Expression
{
    public override object? Evaluate(RenderContext context) => items.Select(i => i.Evaluate(context)).ToList();
}

internal sealed class DictExpression(IReadOnlyList<(Expression Key, Expression Value)> items) : Expression
{
    public override object? Evaluate(RenderContext context) =>
        items.ToDictionary(i => Values.ToText(i.Key.Evaluate(context)), i => i.Value.Evaluate(context), StringComparer.Ordinal);
}

internal sealed class AttributeExpression(Expression target, string name) : Expression
{
    public Expression Target => target;

    public string Name => name;

    public override object? Evaluate(RenderContext context) => Get(target.Evaluate(context), name);

    public static object? Get(object? value, object? key) => (value, key) switch
    {
        (IDictionary<string, object?> map, string k) => map.TryGetValue(k, out var v) ? v : Undefined.Instance,
        (Namespace ns, string k) => ns.Values.TryGetValue(k, out var v) ? v : Undefined.Instance,
        (IList list, long i) => i < list.Count && i >= -list.Count ? list[(int)(i < 0 ? list.Count + i : i)] : Undefined.Instance,
        (string s, long i) => i < s.Length && i >= -s.Length ? s[(int)(i < 0 ? s.Length + i : i)].ToString() : Undefined.Instance,
        _ => Undefined.Instance,
    };
}

internal sealed class IndexExpression(Expression target, Expression index) : Expression
{
    public override object? Evaluate(RenderContext context) => AttributeExpression.Get(target.Evaluate(context), index.Evaluate(context));
}

internal sealed class SliceExpression(Expression target, Expression? start, Expression? stop, Expression? step) : Expression
{
    public override object? Evaluate(RenderContext context)
    {
        var value = target.Evaluate(context);
        var items = value switch
        {
            string s => s.Select(c => (object?)c.ToString()).ToList(),
            IList list => list.Cast<object?>().ToList(),
            _ => throw new TemplateException($"{Values.Describe(value)} cannot be sliced"),
        };
        var stepValue = step is null ? 1 : (long)Values.ToDouble(step.Evaluate(context));
        if (stepValue == 0)
        {
            throw new TemplateException("slice step cannot be zero");
        }

        var count = items.Count;
        long Clamp(Expression? e, long fallback)
        {
            if (e is null || e.Evaluate(context) is null)
            {
                return fallback;
            }

            var v = (long)Values.ToDouble(e.Evaluate(context));
            v = v < 0 ? v + count : v;
            return stepValue > 0 ? Math.Clamp(v, 0, count) : Math.Clamp(v, -1, count - 1);
        }

        var from = Clamp(start, stepValue > 0 ? 0 : count - 1);
        var to = Clamp(stop, stepValue > 0 ? count : -1);
        var result = new List<object?>();
        for (var i = from; stepValue > 0 ? i < to : i > to; i += stepValue)
        {
            result.Add(items[(int)i]);
        }

        return value is string ? string.Concat(result.Cast<string>()) : result;
    }
}

internal sealed class ConditionalExpression(Expression condition, Expression then, Expression? otherwise) : Expression
{
    public override object? Evaluate(RenderContext context) =>
        Values.IsTrue(condition.Evaluate(context)) ? then.Evaluate(context) : otherwise?.Evaluate(context) ?? Undefined.Instance;
}

internal sealed class NotExpression(Expression operand) : Expression
{
    public override object? Evaluate(RenderContext context) => !Values.IsTrue(operand.Evaluate(context));
}

internal sealed class NegateExpression(Expression operand) : Expression
{
    public override object? Evaluate(RenderContext context) => operand.Evaluate(context) switch
    {
        long l => (object)-l,
        var v => -Values.ToDouble(v),
    };
}

internal sealed class LogicalExpression(string op, Expression left, Expression right) : Expression
{
    public override object? Evaluate(RenderContext context)
    {
        var l = left.Evaluate(context);
        return op == "and" ? (Values.IsTrue(l) ? right.Evaluate(context) : l) : (Values.IsTrue(l) ? l : right.Evaluate(context));
    }
}

internal sealed class BinaryExpression(string op, Expression left, Expression right) : Expression
{
    public override object? Evaluate(RenderContext context)
    {
        var l = left.Evaluate(context);
        var r = right.Evaluate(context);
        return op switch
        {
            "==" => Values.Equals(l, r),
            "!=" => !Values.Equals(l, r),
            "<" => Compare(l, r) < 0,
            "<=" => Compare(l, r) <= 0,
            ">" => Compare(l, r) > 0,
            ">=" => Compare(l, r) >= 0,
            "in" => Contains(r, l),
            "not in" => !Contains(r, l),
            "~" => Values.ToText(l) + Values.ToText(r),
            "+" => Add(l, r),
            "-" or "*" or "/" or "//" or "%" => Arithmetic(op, l, r),
            _ => throw new TemplateException($"operator '{op}' is not supported"),
        };
    }

    private static object Add(object? l, object? r) => (l, r) switch
    {
        (string a, string b) => a + b,
        (IList a, IList b) => a.Cast<object?>().Concat(b.Cast<object?>()).ToList(),
        (long a, long b) => a + b,
        _ when l is long or double && r is long or double => Values.ToDouble(l) + Values.ToDouble(r),
        _ => throw new TemplateException($"cannot add {Values.Describe(r)} to {Values.Describe(l)}"),
    };

    private static object Arithmetic(string op, object? l, object? r)
    {
        if (op == "*" && l is string s && r is long times)
        {
            return string.Concat(Enumerable.Repeat(s, (int)Math.Max(0, times)));
        }

        if (l is long a && r is long b && op != "/")
        {
            if (b == 0 && op is "//" or "%")
            {
                throw new TemplateException("division by zero");
            }

            return op switch
            {
                "-" => a - b,
                "*" => a * b,
                "//" => (long)Math.Floor((double)a / b),
                _ => ((a % b) + b) % b,
            };
        }

        var x = Values.ToDouble(l);
        var y = Values.ToDouble(r);
        return op switch
        {
            "-" => x - y,
            "*" => x * y,
            "/" => x / y,
            "//" => Math.Floor(x / y),
            _ => x - (y * Math.Floor(x / y)),
        };
    }

    private static int Compare(object? l, object? r) => (l, r) switch
    {
        (string a, string b) => string.CompareOrdinal(a, b),
        _ => Values.ToDouble(l).CompareTo(Values.ToDouble(r)),
    };

    private static bool Contains(object? container, object? item) => container switch
    {
        string s when item is string sub => s.Contains(sub, StringComparison.Ordinal),
        IDictionary<string, object?> map => item is string k && map.ContainsKey(k),
        IList list => list.Cast<object?>().Any(x => Values.Equals(x, item)),
        null or Undefined => false,
        _ => throw new TemplateException($"'in' needs a string, list or mapping, not {Values.Describe(container)}"),
    };
}

internal sealed class CallExpression(Expression callee, IReadOnlyList<Expression> arguments, IReadOnlyList<(string Name, Expression Value)> keywords) : Expression
{
    public override object? Evaluate(RenderContext context)
    {
        var args = arguments.Select(a => a.Evaluate(context)).ToList();
        var kwargs = keywords.ToDictionary(k => k.Name, k => k.Value.Evaluate(context), StringComparer.Ordinal);
        if (callee is AttributeExpression method)
        {
            return Methods.Call(method.Target.Evaluate(context), method.Name, args, kwargs);
        }

        return callee.Evaluate(context) is TemplateFunction function
            ? function(args, kwargs)
            : throw new TemplateException($"'{(callee as NameExpression)?.Name ?? "expression"}' is not a function this template engine provides");
    }
}

internal sealed class FilterExpression(Expression target, string name, IReadOnlyList<Expression> arguments, IReadOnlyList<(string Name, Expression Value)> keywords) : Expression
{
    public override object? Evaluate(RenderContext context) =>
        Filters.Apply(name, target.Evaluate(context), arguments.Select(a => a.Evaluate(context)).ToList(),
            keywords.ToDictionary(k => k.Name, k => k.Value.Evaluate(context), StringComparer.Ordinal));
}

internal sealed class TestExpression(Expression target, string name, IReadOnlyList<Expression> arguments, bool negated) : Expression
{
    public override object? Evaluate(RenderContext context)
    {
        var value = target.Evaluate(context);
        var args = arguments.Select(a => a.Evaluate(context)).ToList();
        var result = name switch
        {
            "defined" => value is not Undefined,
            "undefined" => value is Undefined,
            "none" => value is null,
            "string" => value is string,
            "number" => value is long or double,
            "integer" => value is long,
            "float" => value is double,
            "boolean" => value is bool,
            "true" => value is true,
            "false" => value is false,
            "mapping" => value is IDictionary<string, object?> or Namespace,
            "iterable" => value is string or IEnumerable,
            "sequence" => value is string or IList,
            "equalto" or "eq" or "sameas" => Values.Equals(value, args.FirstOrDefault()),
            "odd" => value is long o && o % 2 != 0,
            "even" => value is long e && e % 2 == 0,
            _ => throw new TemplateException($"test '{name}' is not supported"),
        };
        return negated ? !result : result;
    }
}
