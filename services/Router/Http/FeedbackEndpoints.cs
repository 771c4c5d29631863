using HybridAI.Contracts;
using HybridAI.Router.Feedback;
using HybridAI.Router.OpenAi;

namespace HybridAI.Router.Http;

/// <summary><c>POST /v1/hybrid/feedback</c>: rates a routed response (<see cref="FeedbackService"/>).</summary>
public static class FeedbackEndpoints
{
    public static Task SubmitAsync(HttpContext context) => HttpHandling.RunAsync(context, async ctx =>
    {
        var caller = CallerResolver.From(ctx);
        ctx.Items[HybridAIHeaders.RequestId] = caller.RequestId;
        ctx.Response.Headers[HybridAIHeaders.RequestId] = caller.RequestId;
        var dto = await OpenAiResults.ReadJsonAsync(ctx.Request, OpenAiJsonContext.Default.FeedbackRequestDto);
        var outcome = await ctx.RequestServices.GetRequiredService<FeedbackService>()
            .SubmitAsync(caller, dto.ResponseId, dto.Rating, dto.Comment, ctx.RequestAborted);
        await ctx.Response.WriteAsJsonAsync(new FeedbackResponseDto { ResponseId = outcome.ResponseId, Rating = outcome.Rating, Replaced = outcome.Replaced },
            OpenAiJsonContext.Default.FeedbackResponseDto, "application/json", ctx.RequestAborted);
    });
}
