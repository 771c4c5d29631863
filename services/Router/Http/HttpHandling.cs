using HybridAI.Contracts;
using HybridAI.Router.Errors;
using HybridAI.Router.OpenAi;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Http;

/// <summary>
/// What every HybridAI HTTP endpoint does around its work: the body limit, the request id echoed in
/// <c>x-request-id</c>, and failures written in OpenAI's shape (with the decision's headers and <c>hybridai</c> object
/// when routing got that far). A client that went away gets nothing written.
/// </summary>
public static class HttpHandling
{
    public static async Task RunAsync(HttpContext context, Func<HttpContext, Task> work)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<RouterOptions>>().Value.MaxRequestBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
        {
            body.MaxRequestBodySize = limit;
        }

        try
        {
            await work(context);
        }
        catch (RoutingException e) when (!context.RequestAborted.IsCancellationRequested)
        {
            var decision = e.Decision is { } d ? DecisionMapper.ToDto(d, RequestId(context)) : null;
            if (e.Decision is { } routed && !context.Response.HasStarted)
            {
                DecisionMapper.ApplyHeaders(context.Response, routed, withCost: true);
            }

            await FailAsync(context, HttpErrors.ToOpenAi(e), decision);
        }
        catch (OpenAiException e) when (!context.RequestAborted.IsCancellationRequested)
        {
            await FailAsync(context, e, null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await FailAsync(context, new OpenAiException(413, "invalid_request_error",
                $"The request body is larger than Router:MaxRequestBodyBytes ({limit:N0} bytes).", null, "payload_too_large"), null);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody to answer.
        }
    }

    public static string RequestId(HttpContext context) =>
        context.Items.TryGetValue(HybridAIHeaders.RequestId, out var id) && id is string s ? s : context.Request.Headers[HybridAIHeaders.RequestId].ToString();

    private static async Task FailAsync(HttpContext context, OpenAiException error, HybridAiDecisionDto? decision)
    {
        if (context.Response.HasStarted)
        {
            if (context.Items.TryGetValue(typeof(SseChatWriter), out var writer) && writer is SseChatWriter sse)
            {
                await sse.FailAsync(error, decision, context.RequestAborted);
            }

            return;
        }

        await OpenAiResults.WriteErrorAsync(context, error, decision);
    }
}
