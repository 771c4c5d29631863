using Grpc.Core;
using HybridAI.ServiceDefaults.Grpc;

namespace HybridAI.Retrieval.Errors;

/// <summary>How each domain error is answered over HTTP (OpenAI-shaped JSON) and gRPC (status with google.rpc details).</summary>
public static class RetrievalErrors
{
    /// <summary>HTTP status, OpenAI error type and code, or null for an exception that is not a domain error.</summary>
    public static (int Status, string Type, string Code)? Http(Exception e) => e switch
    {
        ValidationFailedException => (StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_request"),
        NotFoundException n => (StatusCodes.Status404NotFound, "invalid_request_error", $"{n.ResourceType}_not_found"),
        AlreadyExistsException a => (StatusCodes.Status409Conflict, "invalid_request_error", $"{a.ResourceType}_exists"),
        PreconditionFailedException p => (StatusCodes.Status409Conflict, "invalid_request_error", p.Type.ToLowerInvariant()),
        PayloadTooLargeException => (StatusCodes.Status413PayloadTooLarge, "invalid_request_error", "payload_too_large"),
        UnsupportedMediaTypeException => (StatusCodes.Status415UnsupportedMediaType, "invalid_request_error", "unsupported_media_type"),
        MissingTenantException => (StatusCodes.Status401Unauthorized, "authentication_error", "missing_tenant"),
        QuotaExceededException => (StatusCodes.Status429TooManyRequests, "invalid_request_error", "quota_exceeded"),
        DependencyUnavailableException => (StatusCodes.Status503ServiceUnavailable, "server_error", "unavailable"),
        _ => null,
    };

    /// <summary>The gRPC form of a domain error, or null.</summary>
    public static RpcException? Grpc(Exception e) => e switch
    {
        ValidationFailedException v => RpcErrors.InvalidArgument(v.Message, [.. v.Problems.Select(p => (p.Field, p.Description))]),
        NotFoundException n => RpcErrors.NotFound(n.ResourceType, n.ResourceName, n.Message),
        AlreadyExistsException a => new RpcException(new Status(StatusCode.AlreadyExists, a.Message)),
        PreconditionFailedException p => RpcErrors.FailedPrecondition(p.Message, p.Subject, p.Type),
        PayloadTooLargeException or UnsupportedMediaTypeException => RpcErrors.InvalidArgument(e.Message),
        MissingTenantException => new RpcException(new Status(StatusCode.Unauthenticated, e.Message)),
        QuotaExceededException => new RpcException(new Status(StatusCode.ResourceExhausted, e.Message)),
        DependencyUnavailableException => RpcErrors.Unavailable(e.Message, TimeSpan.FromSeconds(1)),
        _ => null,
    };
}
