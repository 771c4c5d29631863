using HybridAI.Contracts;
using HybridAI.Router.Errors;
using HybridAI.Router.Http;
using HybridAI.Router.OpenAi;
using HybridAI.Router.Requests;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Mcp;

/// <summary>
/// What every <c>/mcp</c> request passes before the MCP transport sees it, as every other router endpoint does: the
/// tenant the edge stamped (none: 401 in OpenAI's shape, the request never reaches the MCP server), the request id
/// echoed in <c>x-request-id</c>, and <c>Router:MaxRequestBodyBytes</c>. The caller is kept on the request for the tools.
/// </summary>
public static class McpAdmission
{
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<RouterOptions>>().Value.MaxRequestBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
        {
            body.MaxRequestBodySize = limit;
        }

        Caller caller;
        try
        {
            caller = CallerResolver.From(context);
        }
        catch (RoutingException e)
        {
            await OpenAiResults.WriteErrorAsync(context, HttpErrors.ToOpenAi(e), null);
            return;
        }

        context.Items[typeof(Caller)] = caller;
        context.Items[HybridAIHeaders.RequestId] = caller.RequestId;
        context.Response.Headers[HybridAIHeaders.RequestId] = caller.RequestId;
        await next(context);
    }

    /// <summary>The caller admitted for this request (tools run only behind <see cref="InvokeAsync"/>).</summary>
    public static Caller CallerOf(HttpContext? context) =>
        context?.Items[typeof(Caller)] as Caller ?? throw RoutingException.NoTenant();
}
