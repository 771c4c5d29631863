using System.Text;

namespace HybridAI.SlmInference.Core.Templates;

/// <summary>A statement: writes output into the render context.</summary>
internal abstract class Node
{
    public abstract void Render(RenderContext context);
}

internal sealed class TextNode(string text) : Node
{
    public override void Render(RenderContext context) => context.Output.Append(text);
}

internal sealed class OutputNode(Expression expression) : Node
{
    public override void Render(RenderContext context) => context.Output.Append(Values.ToText(expression.Evaluate(context)));
}

internal sealed class BlockNode(IReadOnlyList<Node> body) : Node
{
    public override void Render(RenderContext context)
    {
        foreach (var node in body)
        {
            node.Render(context);
            if (context.LoopSignal != LoopSignal.None)
            {
                return;
            }
        }
    }
}

internal sealed class IfNode(IReadOnlyList<(Expression Condition, Node Body)> branches, Node? otherwise) : Node
{
    public override void Render(RenderContext context)
    {
        foreach (var (condition, body) in branches)
        {
            if (Values.IsTrue(condition.Evaluate(context)))
            {
                body.Render(context);
                return;
            }
        }

        otherwise?.Render(context);
    }
}

internal sealed class ForNode(IReadOnlyList<string> targets, Expression source, Expression? filter, Node body, Node? otherwise) : Node
{
    public override void Render(RenderContext context)
    {
        var items = Values.Iterate(source.Evaluate(context)).ToList();
        if (filter is not null)
        {
            items = items.Where(item =>
            {
                context.Push();
                Assign(context, item);
                var keep = Values.IsTrue(filter.Evaluate(context));
                context.Pop();
                return keep;
            }).ToList();
        }

        if (items.Count == 0)
        {
            otherwise?.Render(context);
            return;
        }

        context.Push();
        try
        {
            for (var i = 0; i < items.Count; i++)
            {
                Assign(context, items[i]);
                context.Set("loop", new Dictionary<string, object?>
                {
                    ["index"] = (long)(i + 1),
                    ["index0"] = (long)i,
                    ["revindex"] = (long)(items.Count - i),
                    ["revindex0"] = (long)(items.Count - i - 1),
                    ["first"] = i == 0,
                    ["last"] = i == items.Count - 1,
                    ["length"] = (long)items.Count,
                    ["previtem"] = i > 0 ? items[i - 1] : Undefined.Instance,
                    ["nextitem"] = i < items.Count - 1 ? items[i + 1] : Undefined.Instance,
                });
                body.Render(context);
                var signal = context.LoopSignal;
                context.LoopSignal = LoopSignal.None;
                if (signal == LoopSignal.Break)
                {
                    break;
                }
            }
        }
        finally
        {
            context.Pop();
        }
    }

    private void Assign(RenderContext context, object? item)
    {
        if (targets.Count == 1)
        {
            context.Set(targets[0], item);
            return;
        }

        var parts = Values.Iterate(item).ToList();
        if (parts.Count != targets.Count)
        {
            throw new TemplateException($"cannot unpack {parts.Count} values into {targets.Count} loop variables");
        }

        for (var i = 0; i < targets.Count; i++)
        {
            context.Set(targets[i], parts[i]);
        }
    }
}

internal sealed class SetNode(string name, string? attribute, Expression value) : Node
{
    public override void Render(RenderContext context)
    {
        var result = value.Evaluate(context);
        if (attribute is null)
        {
            context.Set(name, result);
            return;
        }

        if (context.Get(name) is not Namespace ns)
        {
            throw new TemplateException($"'{name}.{attribute}' can only be set when {name} is a namespace()");
        }

        ns.Values[attribute] = result;
    }
}

internal sealed class LoopControlNode(LoopSignal signal) : Node
{
    public override void Render(RenderContext context) => context.LoopSignal = signal;
}

internal enum LoopSignal
{
    None,
    Break,
    Continue,
}

/// <summary>Variables in nested scopes, the output, and break/continue state.</summary>
internal sealed class RenderContext
{
    private readonly List<Dictionary<string, object?>> _scopes = [];

    public RenderContext(Dictionary<string, object?> globals) => _scopes.Add(globals);

    public StringBuilder Output { get; } = new();

    public LoopSignal LoopSignal { get; set; }

    public void Push() => _scopes.Add(new Dictionary<string, object?>(StringComparer.Ordinal));

    public void Pop() => _scopes.RemoveAt(_scopes.Count - 1);

    public object? Get(string name)
    {
        for (var i = _scopes.Count - 1; i >= 0; i--)
        {
            if (_scopes[i].TryGetValue(name, out var value))
            {
                return value;
            }
        }

        return Undefined.Instance;
    }

    public void Set(string name, object? value) => _scopes[^1][name] = value;
}
