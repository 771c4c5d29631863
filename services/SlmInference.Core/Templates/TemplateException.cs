namespace HybridAI.SlmInference.Core.Templates;

/// <summary>A chat template that uses Jinja HybridAI does not support, is malformed, or raised an error while rendering.</summary>
public sealed class TemplateException : Exception
{
    public TemplateException(string message) : base(message)
    {
    }

    public TemplateException(string message, Exception inner) : base(message, inner)
    {
    }

    public TemplateException()
    {
    }
}

/// <summary>One chat message as a template sees it (<c>message['role']</c>, <c>message['content']</c>).</summary>
public sealed record ChatTurn(string Role, string Content);
