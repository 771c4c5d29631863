using Google.Rpc;
using Grpc.Core;
using HybridAI.Contracts.Llm.V1;

namespace HybridAI.LlmProxy.Tests;

/// <summary>Assertions on gRPC errors and their google.rpc details.</summary>
internal static class RpcAssert
{
    public static async Task<RpcException> ThrowsAsync(StatusCode code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(code == error.StatusCode, $"expected {code}, got {error.StatusCode}: {error.Status.Detail}");
        return error;
    }

    public static BadRequest.Types.FieldViolation Violation(RpcException error, string field)
    {
        var badRequest = error.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        return Assert.Single(badRequest.FieldViolations, v => v.Field == field);
    }

    public static CompletionFailure Failure(RpcException error)
    {
        var failure = error.GetRpcStatus()?.GetDetail<CompletionFailure>();
        Assert.NotNull(failure);
        return failure;
    }
}
