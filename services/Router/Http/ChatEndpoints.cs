using HybridAI.Contracts;
using HybridAI.Router.OpenAi;
using HybridAI.Router.Pipeline;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Http;

/// <summary><c>POST /v1/chat/completions</c> (JSON or SSE) and <c>POST /v1/hybrid/explain</c>.</summary>
public static class ChatEndpoints
{
    public static Task CompleteAsync(HttpContext context) => HttpHandling.RunAsync(context, async ctx =>
    {
        var call = await ReadCallAsync(ctx);
        var services = ctx.RequestServices;
        var pipeline = services.GetRequiredService<RoutingPipeline>();
        using var slot = await services.GetRequiredService<RequestGate>().EnterAsync(ctx.RequestAborted);
        if (call.Stream)
        {
            var writer = new SseChatWriter(ctx, call.Model, call.IncludeUsage);
            ctx.Items[typeof(SseChatWriter)] = writer;
            await pipeline.StreamAsync(call, writer, ctx.RequestAborted);
            return;
        }

        var result = await pipeline.CompleteAsync(call, ctx.RequestAborted);
        DecisionMapper.ApplyHeaders(ctx.Response, result.Decision, withCost: true);
        await ctx.Response.WriteAsJsonAsync(ChatResponseMapper.ToDto(result, call.Caller.RequestId), OpenAiJsonContext.Default.ChatCompletionResponseDto,
            "application/json", ctx.RequestAborted);
    });

    public static Task ExplainAsync(HttpContext context) => HttpHandling.RunAsync(context, async ctx =>
    {
        var call = await ReadCallAsync(ctx);
        var services = ctx.RequestServices;
        using var slot = await services.GetRequiredService<RequestGate>().EnterAsync(ctx.RequestAborted);
        var explanation = await services.GetRequiredService<RoutingPipeline>().ExplainAsync(call, ctx.RequestAborted);
        DecisionMapper.ApplyHeaders(ctx.Response, explanation.Decision, withCost: true);
        await ctx.Response.WriteAsJsonAsync(new ExplainResponseDto
        {
            Signals = DecisionMapper.ToDto(explanation.Signals),
            Decision = DecisionMapper.ToDto(explanation.Decision, call.Caller.RequestId),
            ReserveCostUsd = explanation.ReserveMicros / 1_000_000m,
            Thresholds = explanation.Thresholds.Select(t => new AppliedThresholdDto { Name = t.Name, Value = t.Value, Source = t.Source }).ToList(),
        }, OpenAiJsonContext.Default.ExplainResponseDto, "application/json", ctx.RequestAborted);
    });

    private static async Task<Requests.ChatCall> ReadCallAsync(HttpContext context)
    {
        var caller = CallerResolver.From(context);
        context.Items[HybridAIHeaders.RequestId] = caller.RequestId;
        context.Response.Headers[HybridAIHeaders.RequestId] = caller.RequestId;
        var dto = await OpenAiResults.ReadJsonAsync(context.Request, OpenAiJsonContext.Default.ChatCompletionRequestDto);
        var defaultModel = context.RequestServices.GetRequiredService<IOptions<RouterOptions>>().Value.DefaultModel;
        return ChatRequestMapper.ToCall(dto, caller, defaultModel);
    }
}
