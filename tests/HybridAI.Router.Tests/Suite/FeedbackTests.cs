using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using HybridAI.Contracts.Router.V1;

namespace HybridAI.Router.Tests.Suite;

/// <summary>
/// Rating routed responses, over HTTP (the OpenAI SDK has no such call, so plain HttpClient) and gRPC: tied to the
/// tenant's receipt, replaced on re-rating, refused for unknown or another tenant's responses and for bad ratings, and
/// shown in governance's report by tier, intent and model.
/// </summary>
public sealed class FeedbackTests(HybridSuite suite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RatingOverHttpIsTiedToTheReceiptReplacedOnReRatingAndReportedByTierIntentAndModel()
    {
        using var http = suite.RouterClient(HybridSuite.RatedReportTenant);
        var probe = new QualityProbe(suite, HybridSuite.RatedReportTenant);
        var id = QualityProbe.NewId();
        var (routed, _) = await QualityProbe.ChatAsync(http, $"{Routed.Marker()} Propose three names for an internal routing service.", id);
        Assert.Equal(200, routed.Status);
        var responseId = routed.Json.GetProperty("id").GetString()!;
        Assert.Equal($"chatcmpl-{id}", responseId);
        await probe.WaitForReceiptsAsync(id);

        var first = await RateAsync(http, new { response_id = responseId, rating = 1, comment = "Spot on. Reach me at jane.roe@example.com if needed." });
        var second = await RateAsync(http, new { response_id = responseId, rating = -1 });

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("hybrid.feedback", first.Json.GetProperty("object").GetString());
        Assert.False(first.Json.GetProperty("replaced").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.True(second.Json.GetProperty("replaced").GetBoolean());
        Assert.Equal(-1, second.Json.GetProperty("rating").GetInt32());

        var observation = (await probe.ObservationsAsync())[id];
        Assert.Equal(-1, observation.GetProperty("rating").GetInt32());
        Assert.Equal("llm", observation.GetProperty("tier").GetString());
        Assert.Equal(HybridSuite.PrimaryModel, observation.GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.Null, observation.GetProperty("comment").ValueKind); // the re-rating had no comment

        var report = await probe.ReportAsync();
        var all = report.GetProperty("quality");
        Assert.Equal(1, QualityProbe.Figure(all, "rated"));
        Assert.Equal(1, QualityProbe.Figure(all, "negative"));
        Assert.Equal(-1, all.GetProperty("rating_mean").GetDouble());
        Assert.Equal(1, QualityProbe.Figure(QualityProbe.Row(report, "quality_by_tier", "llm"), "rated"));
        Assert.Equal(1, QualityProbe.Figure(QualityProbe.Row(report, "quality_by_model", HybridSuite.PrimaryModel), "rated"));
        var intent = observation.GetProperty("intent").GetString() is { Length: > 0 } i ? i : "(none)";
        Assert.Equal(1, QualityProbe.Figure(QualityProbe.Row(report, "quality_by_intent", intent), "negative"));
    }

    [Fact]
    public async Task CommentIsStoredWithItsPersonalDataRedacted()
    {
        using var http = suite.RouterClient(HybridSuite.RatedTenant);
        var probe = new QualityProbe(suite, HybridSuite.RatedTenant);
        var id = QualityProbe.NewId();
        await QualityProbe.ChatAsync(http, $"{Routed.Marker()} Summarise the benefits of hybrid model routing in two sentences.", id);
        await probe.WaitForReceiptsAsync(id);

        var rated = await RateAsync(http, new { response_id = $"chatcmpl-{id}", rating = 0, comment = "Fine, but mail jane.roe@example.com the details." });

        Assert.Equal(HttpStatusCode.OK, rated.Status);
        var comment = (await probe.ObservationsAsync())[id].GetProperty("comment").GetString()!;
        Assert.DoesNotContain("jane.roe@example.com", comment, StringComparison.Ordinal);
        Assert.Contains("<EMAIL_1>", comment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOrAnotherTenantsResponseIsNotFoundAndABadRatingIsABadRequest()
    {
        using var owner = suite.RouterClient(HybridSuite.RatedTenant);
        using var stranger = suite.RouterClient(HybridSuite.TenantB);
        var id = QualityProbe.NewId();
        await QualityProbe.ChatAsync(owner, $"{Routed.Marker()} Outline a 3-step plan to reduce cloud costs.", id);
        await new QualityProbe(suite, HybridSuite.RatedTenant).WaitForReceiptsAsync(id);

        var foreign = await RateAsync(stranger, new { response_id = $"chatcmpl-{id}", rating = 1 });
        var unknown = await RateAsync(owner, new { response_id = $"chatcmpl-{QualityProbe.NewId()}", rating = 1 });
        var notAResponse = await RateAsync(owner, new { response_id = "embd-123", rating = 1 });
        var outOfRange = await RateAsync(owner, new { response_id = $"chatcmpl-{id}", rating = 2 });
        var missing = await RateAsync(owner, new { response_id = $"chatcmpl-{id}" });
        var fractional = await RateAsync(owner, new { response_id = $"chatcmpl-{id}", rating = 0.5 });

        foreach (var notFound in new[] { foreign, unknown, notAResponse })
        {
            Assert.Equal(HttpStatusCode.NotFound, notFound.Status);
            Assert.Equal("response_not_found", notFound.Json.GetProperty("error").GetProperty("code").GetString());
            Assert.Equal("response_id", notFound.Json.GetProperty("error").GetProperty("param").GetString());
        }

        foreach (var bad in new[] { outOfRange, missing, fractional })
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
            Assert.Equal("invalid_request_error", bad.Json.GetProperty("error").GetProperty("type").GetString());
            Assert.Equal("rating", bad.Json.GetProperty("error").GetProperty("param").GetString());
        }

        Assert.DoesNotContain(id, (await new QualityProbe(suite, HybridSuite.RatedTenant).ObservationsAsync()).Keys);
    }

    [Fact]
    public async Task RatingOverGrpcWorksLikeHttpWithFieldViolationsAndNotFound()
    {
        using var channel = GrpcChannel.ForAddress(suite.Router.GrpcAddress);
        var client = new RouterService.RouterServiceClient(channel);
        var chat = new ChatCompletionRequest { Model = "hybrid-auto" };
        chat.Messages.Add(new HybridAI.Contracts.Common.V1.ChatMessage { Role = "user", Content = $"{Routed.Marker()} Draft a short note announcing a team offsite." });
        var completed = await client.CompleteChatAsync(chat, Tenant(HybridSuite.RatedTenant), cancellationToken: Ct);
        await new QualityProbe(suite, HybridSuite.RatedTenant).WaitForReceiptsAsync(completed.Id["chatcmpl-".Length..]);

        var rated = await client.SubmitFeedbackAsync(new SubmitFeedbackRequest { ResponseId = completed.Id, Rating = 1 }, Tenant(HybridSuite.RatedTenant), cancellationToken: Ct);
        var again = await client.SubmitFeedbackAsync(new SubmitFeedbackRequest { ResponseId = completed.Id, Rating = 0 }, Tenant(HybridSuite.RatedTenant), cancellationToken: Ct);
        var invalid = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.SubmitFeedbackAsync(new SubmitFeedbackRequest { ResponseId = completed.Id, Rating = 3 }, Tenant(HybridSuite.RatedTenant), cancellationToken: Ct));
        var foreign = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.SubmitFeedbackAsync(new SubmitFeedbackRequest { ResponseId = completed.Id, Rating = 1 }, Tenant(HybridSuite.TenantA), cancellationToken: Ct));

        Assert.Equal(completed.Id, rated.ResponseId);
        Assert.False(rated.Replaced);
        Assert.True(again.Replaced);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        var violation = Assert.Single(invalid.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal("rating", violation.Field);
        Assert.Equal(StatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("response", foreign.GetRpcStatus()!.GetDetail<ResourceInfo>()!.ResourceType);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> RateAsync(HttpClient http, object body)
    {
        using var response = await http.PostAsJsonAsync("/v1/hybrid/feedback", body, Ct);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return (response.StatusCode, json);
    }

    private static Metadata Tenant(string tenant) => new() { { "x-hybridai-tenant", tenant } };
}
