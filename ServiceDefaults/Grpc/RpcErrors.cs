using System.Diagnostics.CodeAnalysis;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace HybridAI.ServiceDefaults.Grpc;

/// <summary>
/// Throw helpers that produce the right gRPC status with <c>google.rpc</c> details, so clients can read
/// field violations, retry hints and resource names in a structured way.
/// </summary>
public static class RpcErrors
{
    [DoesNotReturn]
    public static void ThrowInvalidArgument(string message, params (string Field, string Description)[] violations) =>
        throw InvalidArgument(message, violations);

    public static RpcException InvalidArgument(string message, params (string Field, string Description)[] violations)
    {
        var badRequest = new BadRequest();
        foreach (var (field, description) in violations)
        {
            badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });
        }

        return Build(Code.InvalidArgument, message, badRequest.FieldViolations.Count > 0 ? Any.Pack(badRequest) : null);
    }

    [DoesNotReturn]
    public static void ThrowNotFound(string resourceType, string resourceName, string message) =>
        throw NotFound(resourceType, resourceName, message);

    public static RpcException NotFound(string resourceType, string resourceName, string message) =>
        Build(Code.NotFound, message, Any.Pack(new ResourceInfo { ResourceType = resourceType, ResourceName = resourceName }));

    [DoesNotReturn]
    public static void ThrowFailedPrecondition(string message, string subject = "", string type = "") =>
        throw FailedPrecondition(message, subject, type);

    public static RpcException FailedPrecondition(string message, string subject = "", string type = "")
    {
        var failure = new PreconditionFailure();
        if (subject.Length > 0 || type.Length > 0)
        {
            failure.Violations.Add(new PreconditionFailure.Types.Violation { Subject = subject, Type = type, Description = message });
        }

        return Build(Code.FailedPrecondition, message, failure.Violations.Count > 0 ? Any.Pack(failure) : null);
    }

    /// <summary>RESOURCE_EXHAUSTED with a <c>RetryInfo</c> the client should honour.</summary>
    public static RpcException ResourceExhausted(string message, TimeSpan retryAfter) =>
        Build(Code.ResourceExhausted, message, Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }));

    /// <summary>UNAVAILABLE with a <c>RetryInfo</c>; used when a dependency is down and a retry may succeed.</summary>
    public static RpcException Unavailable(string message, TimeSpan? retryAfter = null) =>
        Build(Code.Unavailable, message, retryAfter is { } r ? Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(r) }) : null);

    private static RpcException Build(Code code, string message, Any? detail)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        if (detail is not null)
        {
            status.Details.Add(detail);
        }

        return status.ToRpcException();
    }
}
