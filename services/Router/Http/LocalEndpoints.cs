using System.Runtime.InteropServices;
using HybridAI.Contracts;
using HybridAI.Router.OpenAi;
using HybridAI.Router.Pipeline;

namespace HybridAI.Router.Http;

/// <summary>The SLM tier's direct endpoints: <c>/v1/embeddings</c>, <c>/v1/models</c>, <c>/v1/hybrid/classify</c> and <c>/v1/hybrid/extract</c>.</summary>
public static class LocalEndpoints
{
    public static Task EmbeddingsAsync(HttpContext context) => HttpHandling.RunAsync(context, async ctx =>
    {
        Admit(ctx);
        var dto = await OpenAiResults.ReadJsonAsync(ctx.Request, OpenAiJsonContext.Default.EmbeddingsRequestDto);
        var base64 = dto.EncodingFormat switch
        {
            null or "float" => false,
            "base64" => true,
            _ => throw OpenAiException.InvalidRequest($"encoding_format must be float or base64, but is '{dto.EncodingFormat}'.", "encoding_format"),
        };
        var model = dto.Model is null or "" or "hybrid-auto" ? "" : dto.Model;
        var response = await ctx.RequestServices.GetRequiredService<LocalCapabilities>().EmbedAsync(model, dto.Input ?? [], ctx.RequestAborted);
        if (dto.Dimensions is { } dimensions && dimensions != response.Dimensions)
        {
            throw OpenAiException.InvalidRequest($"dimensions: {response.Model} produces {response.Dimensions}-dimensional embeddings and cannot shorten them.", "dimensions");
        }

        await ctx.Response.WriteAsJsonAsync(new EmbeddingsResponseDto
        {
            Model = response.Model,
            Data = [.. response.Embeddings.Select((e, i) => new EmbeddingDto
            {
                Index = i,
                Embedding = base64 ? Convert.ToBase64String(MemoryMarshal.AsBytes(e.Values.ToArray().AsSpan())) : e.Values.ToArray(),
            })],
            Usage = new EmbeddingsUsageDto { PromptTokens = response.TotalTokens, TotalTokens = response.TotalTokens },
        }, OpenAiJsonContext.Default.EmbeddingsResponseDto, "application/json", ctx.RequestAborted);
    });

    public static Task ModelsAsync(HttpContext context) => HttpHandling.RunAsync(context, async ctx =>
    {
        var caller = Admit(ctx);
        var models = await ctx.RequestServices.GetRequiredService<LocalCapabilities>().ModelsAsync(caller.TenantId, ctx.RequestAborted);
        await ctx.Response.WriteAsJsonAsync(new ModelListDto { Data = [.. models.Select(ToDto)] }, OpenAiJsonContext.Default.ModelListDto,
            "application/json", ctx.RequestAborted);
    });

    public static Task ModelAsync(HttpContext context, string id) => HttpHandling.RunAsync(context, async ctx =>
    {
        var caller = Admit(ctx);
        var models = await ctx.RequestServices.GetRequiredService<LocalCapabilities>().ModelsAsync(caller.TenantId, ctx.RequestAborted);
        var model = models.FirstOrDefault(m => m.Id == id) ?? throw OpenAiException.NotFound($"The model '{id}' does not exist.", "model");
        await ctx.Response.WriteAsJsonAsync(ToDto(model), OpenAiJsonContext.Default.ModelDto, "application/json", ctx.RequestAborted);
    });

    public static Task ClassifyAsync(HttpContext context) => HttpHandling.RunAsync(context, async ctx =>
    {
        Admit(ctx);
        var dto = await OpenAiResults.ReadJsonAsync(ctx.Request, OpenAiJsonContext.Default.ClassifyRequestDto);
        var head = await ctx.RequestServices.GetRequiredService<LocalCapabilities>().ClassifyAsync(dto.Head ?? "", dto.Text ?? "", ctx.RequestAborted);
        await ctx.Response.WriteAsJsonAsync(new ClassifyResponseDto
        {
            Head = head.Head,
            Label = head.Label,
            Confidence = head.Confidence,
            Scores = [.. head.Scores.Select(s => new LabelScoreDto { Label = s.Label, Score = s.Score })],
        }, OpenAiJsonContext.Default.ClassifyResponseDto, "application/json", ctx.RequestAborted);
    });

    public static Task ExtractAsync(HttpContext context) => HttpHandling.RunAsync(context, async ctx =>
    {
        Admit(ctx);
        var dto = await OpenAiResults.ReadJsonAsync(ctx.Request, OpenAiJsonContext.Default.ExtractRequestDto);
        if (string.IsNullOrEmpty(dto.Text))
        {
            throw OpenAiException.InvalidRequest("text is required.", "text");
        }

        var (findings, dataClass, redacted) = ctx.RequestServices.GetRequiredService<LocalCapabilities>().Extract(dto.Text, dto.Redact);
        await ctx.Response.WriteAsJsonAsync(
            ExtractResponseDto.From(findings, dataClass, redacted),
            OpenAiJsonContext.Default.ExtractResponseDto, "application/json", ctx.RequestAborted);
    });

    private static Requests.Caller Admit(HttpContext context)
    {
        var caller = CallerResolver.From(context);
        context.Items[HybridAIHeaders.RequestId] = caller.RequestId;
        context.Response.Headers[HybridAIHeaders.RequestId] = caller.RequestId;
        return caller;
    }

    private static ModelDto ToDto(ListedModel m) => new()
    {
        Id = m.Id,
        OwnedBy = m.OwnedBy,
        Kind = m.Kind,
        Description = m.Description,
        Local = m.Local,
    };
}
