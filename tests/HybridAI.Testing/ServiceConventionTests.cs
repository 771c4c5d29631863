using System.Net;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace HybridAI.Testing;

/// <summary>
/// What every HybridAI service must do, whatever its role: answer <c>/health</c> and <c>/alive</c> with the status
/// word only, and serve the standard gRPC health service. Each service's test project derives from this.
/// </summary>
public abstract class ServiceConventionTests<TEntryPoint>(IDictionary<string, string?>? settings = null) : IDisposable
    where TEntryPoint : class
{
    protected ServiceFactory<TEntryPoint> Factory { get; } = new(settings);

    [Fact]
    public async Task HealthEndpointAnswersHealthyWithoutDetails()
    {
        using var client = Factory.CreateClient();
        var response = await client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AliveEndpointAnswersHealthy()
    {
        using var client = Factory.CreateClient();
        var response = await client.GetAsync(new Uri("/alive", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GrpcHealthServiceReportsServing()
    {
        using var channel = CreateChannel();
        var client = new Health.HealthClient(channel);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HealthCheckResponse.Types.ServingStatus status;
        do
        {
            // The gRPC health publisher reports after its first run; poll briefly.
            status = (await client.CheckAsync(new HealthCheckRequest(), cancellationToken: TestContext.Current.CancellationToken)).Status;
            if (status == HealthCheckResponse.Types.ServingStatus.Serving)
            {
                break;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status);
    }

    /// <summary>A gRPC channel to the in-process service.</summary>
    protected GrpcChannel CreateChannel() =>
        GrpcChannel.ForAddress(Factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Factory.Server.CreateHandler() });

    public void Dispose()
    {
        Factory.Dispose();
        GC.SuppressFinalize(this);
    }
}
