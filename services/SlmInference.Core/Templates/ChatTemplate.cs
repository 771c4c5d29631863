using System.Globalization;

namespace HybridAI.SlmInference.Core.Templates;

/// <summary>
/// A model's chat template (Jinja, from <c>tokenizer_config.json</c>), parsed once and rendered per request with the
/// variables Hugging Face's <c>apply_chat_template</c> provides: <c>messages</c>, <c>bos_token</c>, <c>eos_token</c>,
/// <c>add_generation_prompt</c>, <c>tools</c> (none), <c>raise_exception</c>, <c>namespace</c>, <c>range</c>,
/// <c>strftime_now</c>.
/// </summary>
public sealed class ChatTemplate
{
    private readonly Node _root;

    private ChatTemplate(Node root) => _root = root;

    /// <summary>Parses <paramref name="source"/>; unsupported Jinja fails with a <see cref="TemplateException"/> naming it.</summary>
    public static ChatTemplate Parse(string source) => new(TemplateParser.Parse(source));

    /// <summary>Renders the conversation; a template's own <c>raise_exception</c> surfaces as a <see cref="TemplateException"/>.</summary>
    public string Render(IEnumerable<ChatTurn> messages, string bosToken, string eosToken, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var globals = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["messages"] = messages.Select(m => (object?)new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["role"] = m.Role,
                ["content"] = m.Content,
            }).ToList(),
            ["bos_token"] = bosToken,
            ["eos_token"] = eosToken,
            ["add_generation_prompt"] = addGenerationPrompt,
            ["tools"] = null,
            ["raise_exception"] = (TemplateFunction)((args, _) => throw new TemplateException(args.Count > 0 ? Values.ToText(args[0]) : "the chat template raised an error")),
            ["namespace"] = (TemplateFunction)((_, kwargs) =>
            {
                var ns = new Namespace();
                foreach (var (key, value) in kwargs)
                {
                    ns.Values[key] = value;
                }

                return ns;
            }),
            ["range"] = (TemplateFunction)((args, _) => Range(args)),
            ["strftime_now"] = (TemplateFunction)((args, _) => StrftimeNow(args.Count > 0 ? Values.ToText(args[0]) : "")),
        };
        var context = new RenderContext(globals);
        _root.Render(context);
        return context.Output.ToString();
    }

    private static List<object?> Range(IReadOnlyList<object?> args)
    {
        var numbers = args.Select(a => (long)Values.ToDouble(a)).ToArray();
        var (start, stop, step) = numbers.Length switch
        {
            1 => (0L, numbers[0], 1L),
            2 => (numbers[0], numbers[1], 1L),
            3 => (numbers[0], numbers[1], numbers[2]),
            _ => throw new TemplateException("range takes 1 to 3 arguments"),
        };
        if (step == 0)
        {
            throw new TemplateException("range step cannot be zero");
        }

        var result = new List<object?>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            result.Add(i);
        }

        return result;
    }

    /// <summary>The strftime directives Llama 3 templates use (%d %b %Y and friends).</summary>
    private static string StrftimeNow(string format)
    {
        var now = DateTime.Now;
        var culture = CultureInfo.InvariantCulture;
        return format.Replace("%d", now.ToString("dd", culture), StringComparison.Ordinal)
            .Replace("%b", now.ToString("MMM", culture), StringComparison.Ordinal)
            .Replace("%B", now.ToString("MMMM", culture), StringComparison.Ordinal)
            .Replace("%m", now.ToString("MM", culture), StringComparison.Ordinal)
            .Replace("%Y", now.ToString("yyyy", culture), StringComparison.Ordinal)
            .Replace("%H", now.ToString("HH", culture), StringComparison.Ordinal)
            .Replace("%M", now.ToString("mm", culture), StringComparison.Ordinal);
    }
}
