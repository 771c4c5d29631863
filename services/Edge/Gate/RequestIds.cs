using HybridAI.Contracts;

namespace HybridAI.Edge.Gate;

/// <summary>
/// Every request leaves the edge with an <c>x-request-id</c>: the caller's when it is printable ASCII of at most 128
/// characters, else a new one. The same id is forwarded and returned on the response, so a caller can quote it.
/// </summary>
public static class RequestIds
{
    public const int MaxLength = 128;

    public static string Assign(HttpContext context)
    {
        var headers = context.Request.Headers;
        var given = headers[HybridAIHeaders.RequestId];
        var id = given.Count == 1 && given.ToString() is { Length: > 0 and <= MaxLength } value && value.All(c => c is >= '!' and <= '~')
            ? value
            : Guid.NewGuid().ToString("N");
        headers[HybridAIHeaders.RequestId] = id;
        context.Response.OnStarting(static state =>
        {
            var (response, id) = ((HttpResponse, string))state;
            response.Headers[HybridAIHeaders.RequestId] = id;
            return Task.CompletedTask;
        }, (context.Response, id));
        return id;
    }
}
