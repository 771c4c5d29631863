using System.Globalization;
using HybridAI.Contracts.Common.V1;

namespace HybridAI.Router.Policy;

/// <summary>The outcome of one condition, with the facts it compared (for the decision's reasons).</summary>
public readonly record struct ConditionResult(bool Holds, string Explanation);

/// <summary>One compiled condition of a rule: a signal and a predicate over it.</summary>
public abstract class Condition(string signal)
{
    public string Signal { get; } = signal;

    public abstract ValueTask<ConditionResult> EvaluateAsync(PolicyInput input, CancellationToken cancellationToken);

    protected static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>Comparison operators of numeric and ordered predicates.</summary>
public enum Comparison
{
    GreaterOrEqual,
    Greater,
    LessOrEqual,
    Less,
    Equal,
    NotEqual,
}

internal static class ComparisonExtensions
{
    public static bool Apply(this Comparison op, double left, double right) => op switch
    {
        Comparison.GreaterOrEqual => left >= right,
        Comparison.Greater => left > right,
        Comparison.LessOrEqual => left <= right,
        Comparison.Less => left < right,
        Comparison.Equal => left == right,
        _ => left != right,
    };

    public static string Symbol(this Comparison op) => op switch
    {
        Comparison.GreaterOrEqual => ">=",
        Comparison.Greater => ">",
        Comparison.LessOrEqual => "<=",
        Comparison.Less => "<",
        Comparison.Equal => "==",
        _ => "!=",
    };
}

/// <summary>
/// A numeric signal compared with a number, or with a threshold reference (<c>$needs_llm</c>) resolved per request
/// from the thresholds in force (the tenant's over the configured ones). A missing value never holds.
/// </summary>
public sealed class NumericCondition(string signal, Comparison op, double value, string? reference, Func<PolicyInput, CancellationToken, ValueTask<double?>> read)
    : Condition(signal)
{
    public override async ValueTask<ConditionResult> EvaluateAsync(PolicyInput input, CancellationToken cancellationToken)
    {
        var actual = await read(input, cancellationToken);
        var limit = reference is not null && input.Thresholds?.Resolve(reference) is { } resolved ? resolved : value;
        return actual is { } a
            ? new ConditionResult(op.Apply(a, limit), $"{Signal} {Format(a)} {op.Symbol()} {Format(limit)}")
            : new ConditionResult(false, $"{Signal} unknown");
    }
}

/// <summary>A text signal (or a set of them) checked against a list: any match for <c>in</c>, none for <c>not in</c>.</summary>
public sealed class SetCondition(string signal, bool negate, IReadOnlyCollection<string> values, Func<PolicyInput, IEnumerable<string>> read)
    : Condition(signal)
{
    private readonly HashSet<string> _values = new(values, StringComparer.OrdinalIgnoreCase);

    public override ValueTask<ConditionResult> EvaluateAsync(PolicyInput input, CancellationToken cancellationToken)
    {
        var actual = read(input).ToList();
        var any = actual.Any(_values.Contains);
        var shown = actual.Count == 0 ? "none" : string.Join(",", actual);
        return ValueTask.FromResult(new ConditionResult(any != negate, $"{Signal} {shown} {(negate ? "not in" : "in")} [{string.Join(", ", values)}]"));
    }
}

/// <summary>The data class compared in its order (public &lt; internal &lt; confidential &lt; restricted).</summary>
public sealed class DataClassCondition(Comparison op, DataClass value) : Condition("data_class")
{
    public override ValueTask<ConditionResult> EvaluateAsync(PolicyInput input, CancellationToken cancellationToken)
    {
        var actual = input.Signals.DataClass;
        return ValueTask.FromResult(new ConditionResult(op.Apply((int)actual, (int)value),
            $"data_class {DataClasses.Name(actual)} {op.Symbol()} {DataClasses.Name(value)}"));
    }
}

/// <summary>A yes/no fact: <c>generator</c> (available/unavailable), <c>tools</c> (present/absent).</summary>
public sealed class FlagCondition(string signal, bool expected, string yes, string no, Func<PolicyInput, bool> read) : Condition(signal)
{
    public override ValueTask<ConditionResult> EvaluateAsync(PolicyInput input, CancellationToken cancellationToken)
    {
        var actual = read(input);
        return ValueTask.FromResult(new ConditionResult(actual == expected, $"{Signal} {(actual ? yes : no)}"));
    }
}
