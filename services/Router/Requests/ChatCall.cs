using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Router.V1;

namespace HybridAI.Router.Requests;

/// <summary>Who is calling: stamped by the edge (tenant, key id) and the request id that ties logs, traces and the receipt together.</summary>
public sealed record Caller(string TenantId, string RequestId, string ApiKeyId)
{
    public RequestContext ToProto() => new() { TenantId = TenantId, RequestId = RequestId, ApiKeyId = ApiKeyId };
}

/// <summary>
/// One chat request as the pipeline sees it, whichever API it came through: the contract's request (HTTP bodies are
/// mapped to it once), the caller, and how the answer is delivered.
/// </summary>
public sealed class ChatCall
{
    public required ChatCompletionRequest Request { get; init; }

    public required Caller Caller { get; init; }

    public bool Stream { get; init; }

    /// <summary>HTTP <c>stream_options.include_usage</c>: a final chunk with the usage.</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>The requested model (defaulted to <c>Router:DefaultModel</c>).</summary>
    public string Model => Request.Model;

    public bool HasTools => Request.Tools.Count > 0;

    /// <summary>The last user message, the request's question (empty when there is none).</summary>
    public string LastUserText
    {
        get
        {
            for (var i = Request.Messages.Count - 1; i >= 0; i--)
            {
                if (Request.Messages[i].Role == "user")
                {
                    return Request.Messages[i].Content;
                }
            }

            return "";
        }
    }
}
