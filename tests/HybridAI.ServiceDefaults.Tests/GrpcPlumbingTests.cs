using Google.Rpc;
using Grpc.Core;
using HybridAI.ServiceDefaults.Grpc;
using HybridAI.ServiceDefaults.Tests.Probe;

namespace HybridAI.ServiceDefaults.Tests;

public sealed class GrpcPlumbingTests
{
    [Fact]
    public async Task UnimplementedMethodAnswersUnimplementedAndNamesTheMethod()
    {
        await using var host = await ProbeHost.StartAsync();
        var client = host.CreateClient();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.NotImplementedYetAsync(new Ping(), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Contains("hybridai.test.v1.ProbeService/NotImplementedYet", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImplementedMethodIsUntouched()
    {
        await using var host = await ProbeHost.StartAsync();
        var reply = await host.CreateClient().ImplementedAsync(new Ping { Text = "hi" }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("hi", reply.Text);
    }

    [Fact]
    public async Task InvalidArgumentCarriesFieldViolations()
    {
        await using var host = await ProbeHost.StartAsync();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await host.CreateClient().InvalidAsync(new Ping(), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var details = error.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(details);
        var violation = Assert.Single(details.FieldViolations);
        Assert.Equal("text", violation.Field);
    }

    [Fact]
    public void ResourceExhaustedCarriesARetryHint()
    {
        var error = RpcErrors.ResourceExhausted("queue full", TimeSpan.FromMilliseconds(250));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(TimeSpan.FromMilliseconds(250), error.GetRpcStatus()!.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan());
    }
}
