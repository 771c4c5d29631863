using Google.Rpc;
using Grpc.Core;
using HybridAI.Contracts.Inference.V1;
using HybridAI.SlmInference.Core.Models;
using System.Diagnostics.Metrics;
using HybridAI.SlmInference.Telemetry;
using HybridAI.SlmInference.Tests.Encoders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace HybridAI.SlmInference.Tests.Service;

public sealed class EmbedTests(EncoderFixture encoder, EmbedTests.Host host) : IClassFixture<EmbedTests.Host>
{
    private readonly InferenceService.InferenceServiceClient _client = host.Client;

    /// <summary>One service for the class, with a small per-request limit to test it.</summary>
    public sealed class Host() : InferenceHost(new Dictionary<string, string?> { ["Inference:MaxTextsPerRequest"] = "4" });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EmbedsWithTheShippedEncoderByDefaultExactlyAsTheEncoderDoes()
    {
        string[] texts = ["How do I locate my card?", "I still have not received my new card, I ordered over a week ago."];
        var response = await _client.EmbedAsync(new EmbedRequest { Texts = { texts } }, cancellationToken: Ct);

        Assert.Equal(ShippedEncoder.Name, response.Model);
        Assert.Equal(384, response.Dimensions);
        var expected = encoder.Encoder.Embed(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var values = response.Embeddings[i].Values;
            Assert.Equal(384, values.Count);
            Assert.Equal(1.0, Math.Sqrt(values.Sum(v => (double)v * v)), 5);
            Assert.All(values.Zip(expected[i]), pair => Assert.Equal(pair.Second, pair.First, 5));
            Assert.Equal(encoder.Encoder.Tokenize(texts[i]).Length, response.Embeddings[i].TokenCount);
            Assert.False(response.Embeddings[i].Truncated);
        }

        Assert.Equal(response.Embeddings.Sum(e => e.TokenCount), response.TotalTokens);
    }

    [Fact]
    public async Task TextsLongerThanTheWindowAreTruncatedAndSaySo()
    {
        var text = string.Join(' ', Enumerable.Repeat("card", 400));
        var response = await _client.EmbedAsync(new EmbedRequest { Model = ShippedEncoder.Name, Texts = { text } }, cancellationToken: Ct);
        Assert.Equal(256, response.Embeddings[0].TokenCount);
        Assert.True(response.Embeddings[0].Truncated);
    }

    [Fact]
    public async Task EmptyTextListIsInvalidArgument()
    {
        var error = await InferenceHost.FailsWith(StatusCode.InvalidArgument, () => _client.EmbedAsync(new EmbedRequest(), cancellationToken: Ct).ResponseAsync);
        Assert.Equal("texts", error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Single().Field);
    }

    [Fact]
    public async Task EmptyAndBlankTextsAreInvalidArgumentNamingEach()
    {
        var error = await InferenceHost.FailsWith(StatusCode.InvalidArgument,
            () => _client.EmbedAsync(new EmbedRequest { Texts = { "fine", "", " \n " } }, cancellationToken: Ct).ResponseAsync);
        var fields = error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations;
        Assert.Equal(["texts[1]", "texts[2]"], fields.Select(f => f.Field));
        Assert.Contains("texts[1]", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoreTextsThanTheLimitIsInvalidArgumentNamingTheSetting()
    {
        var error = await InferenceHost.FailsWith(StatusCode.InvalidArgument,
            () => _client.EmbedAsync(new EmbedRequest { Texts = { "a", "b", "c", "d", "e" } }, cancellationToken: Ct).ResponseAsync);
        Assert.Contains("Inference:MaxTextsPerRequest", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownModelIsNotFoundNamingIt()
    {
        var error = await InferenceHost.FailsWith(StatusCode.NotFound,
            () => _client.EmbedAsync(new EmbedRequest { Model = "bge-large", Texts = { "hello" } }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal("bge-large", error.GetRpcStatus()!.GetDetail<ResourceInfo>().ResourceName);
        Assert.Contains(ShippedEncoder.Name, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidUtf8IsInvalidArgumentNamingTheProblem()
    {
        // A hand-built EmbedRequest whose text field holds the bytes C3 28 (not UTF-8): field 2, wire type 2, length 2.
        var method = new Method<byte[], byte[]>(MethodType.Unary, "hybridai.inference.v1.InferenceService", "Embed",
            Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));
        var invoker = host.Channel.CreateCallInvoker();
        var error = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(method, null, new CallOptions(cancellationToken: Ct), [0x12, 0x02, 0xC3, 0x28]).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("UTF-8", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListModelsReportsTheShippedEncoderAndHeadsWithProviderAndHash()
    {
        var response = await _client.ListModelsAsync(new ListModelsRequest(), cancellationToken: Ct);
        Assert.Equal(["all-MiniLM-L6-v2", "guard", "intent", "needs-llm"], response.Models.Select(m => m.Name).Order(StringComparer.Ordinal));
        Assert.All(response.Models.Where(m => m.Kind == Contracts.Inference.V1.ModelKind.Head), h => Assert.Equal(ShippedEncoder.Name, h.Encoder));
        var model = Assert.Single(response.Models, m => m.Kind == Contracts.Inference.V1.ModelKind.Encoder);
        Assert.Equal(ShippedEncoder.Name, model.Name);
        Assert.Equal(Contracts.Inference.V1.ModelKind.Encoder, model.Kind);
        Assert.Equal(384, model.Dimensions);
        Assert.Equal("CPUExecutionProvider", model.ExecutionProvider);
        Assert.Equal(ShippedEncoder.ModelSha256, model.Sha256);
        Assert.Equal(256, model.MaxSequenceLength);
        Assert.Equal(30522, model.VocabSize);
    }

    [Fact]
    public async Task GenerateWithoutAGeneratorIsFailedPreconditionNamingTheSetting()
    {
        using var call = _client.Generate(new GenerateRequest { Prompt = "hello" }, cancellationToken: Ct);
        var error = await InferenceHost.FailsWith(StatusCode.FailedPrecondition, () => call.ResponseStream.MoveNext(Ct));
        Assert.Contains("Inference:Models", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthAndMetricsReportTheExecutionProvider()
    {
        var health = await host.Factory.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
        var models = health.Entries["models"];
        Assert.Equal(HealthStatus.Healthy, models.Status);
        Assert.Equal("CPUExecutionProvider", models.Data["execution_provider"]);
        Assert.Contains("CPUExecutionProvider", models.Description, StringComparison.Ordinal);

        using var gauge = new MetricCollector<int>(host.Factory.Services.GetRequiredService<IMeterFactory>(), InferenceTelemetry.Name, "hybridai.inference.models");
        gauge.RecordObservableInstruments();
        var point = Assert.Single(gauge.GetMeasurementSnapshot(), p => (string?)p.Tags["hybridai.model.kind"] == "encoder");
        Assert.Equal("CPUExecutionProvider", point.Tags["hybridai.execution_provider"]);
        Assert.Equal(ShippedEncoder.Name, point.Tags["gen_ai.request.model"]);
    }
}
