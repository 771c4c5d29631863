using HybridAI.Edge.Errors;
using HybridAI.Edge.Telemetry;
using Yarp.ReverseProxy.Forwarder;

namespace HybridAI.Edge.Gate;

/// <summary>
/// Gives YARP's own failures (service down, no destination, upstream silent for too long, unreadable request body) a
/// body in the caller's protocol: OpenAI JSON or a gRPC status. YARP sets only a status code; the exception, which
/// can carry internal addresses, is logged by YARP and never written to the caller.
/// </summary>
public sealed class ForwarderErrors(RequestDelegate next, EdgeTelemetry telemetry)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (context.GetForwarderErrorFeature() is not { } failure || context.Response.HasStarted)
        {
            return;
        }

        var error = failure.Error switch
        {
            ForwarderError.NoAvailableDestinations => EdgeError.NoDestination(),
            ForwarderError.RequestTimedOut => EdgeError.GatewayTimeout(),
            ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled =>
                EdgeError.BadRequestBody(ClientStatus(failure.Exception) ?? context.Response.StatusCode),
            ForwarderError.RequestCanceled => null,
            _ => EdgeError.BadGateway(),
        };
        if (error is null || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        telemetry.Refused(error.Code, error.Status);
        await EdgeErrorWriter.WriteAsync(context, error);
    }

    /// <summary>The status Kestrel chose for a bad request body (413 too large, 408 too slow), wherever YARP wrapped it.</summary>
    private static int? ClientStatus(Exception? e) => e switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        AggregateException all => all.InnerExceptions.Select(ClientStatus).FirstOrDefault(s => s is not null),
        { InnerException: { } inner } => ClientStatus(inner),
        _ => null,
    };
}
