using System.Diagnostics;
using Grpc.Core;
using HybridAI.Contracts;
using HybridAI.Edge.Errors;
using HybridAI.Edge.Telemetry;
using HybridAI.Governance.Client.Keys;
using Microsoft.Extensions.Options;

namespace HybridAI.Edge.Gate;

/// <summary>
/// What every proxied request passes before it is forwarded: internal headers a client sent are dropped, the key is
/// checked (the route's <see cref="RouteAccess"/> says which), the body's declared size is checked, the key is counted
/// against its rate limits, and the tenant and key id governance resolved are stamped on the request. Credentials do
/// not travel further than they must: tenant routes lose <c>Authorization</c> and <c>x-api-key</c>; admin routes keep
/// <c>Authorization</c>, which governance checks again.
/// </summary>
public sealed partial class EdgeGate(
    RequestDelegate next, ApiKeyAuthorizationCache keys, AdminKeyCheck adminKey, RateLimitGate rateLimits,
    IOptions<EdgeOptions> options, EdgeTelemetry telemetry, ILogger<EdgeGate> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        StripInternalHeaders(headers);
        var access = RouteAccessReader.Of(context.GetReverseProxyFeature().Route);
        var error = access switch
        {
            RouteAccess.Admin => AdmitAdmin(headers),
            RouteAccess.Console => AdmitConsole(context),
            _ => await AdmitTenantAsync(context),
        };
        if (error is not null)
        {
            telemetry.Refused(error.Code, error.Status);
            await EdgeErrorWriter.WriteAsync(context, error);
            return;
        }

        await next(context);
    }

    private EdgeError? AdmitAdmin(IHeaderDictionary headers)
    {
        headers.Remove(ApiKeyCredentials.ApiKeyHeader);
        if (ApiKeyCredentials.Read(headers, out var key) != ApiKeyCredentials.Outcome.Found || !adminKey.Matches(key))
        {
            return EdgeError.AdminKeyRequired();
        }

        return null;
    }

    private EdgeError? AdmitConsole(HttpContext context)
    {
        context.Request.Headers.Authorization = default;
        context.Request.Headers.Remove(ApiKeyCredentials.ApiKeyHeader);
        return context.Request.ContentLength is { } length && length > options.Value.MaxRequestBodyBytes
            ? EdgeError.TooLarge(options.Value.MaxRequestBodyBytes)
            : null;
    }

    private async Task<EdgeError?> AdmitTenantAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        var outcome = ApiKeyCredentials.Read(headers, out var key);
        headers.Authorization = default;
        headers.Remove(ApiKeyCredentials.ApiKeyHeader);
        if (outcome != ApiKeyCredentials.Outcome.Found)
        {
            return outcome == ApiKeyCredentials.Outcome.Missing ? EdgeError.MissingKey() : EdgeError.MalformedKey();
        }

        Contracts.Governance.V1.AuthorizeKeyResponse? authorization;
        try
        {
            authorization = await keys.AuthorizeAsync(key, context.RequestAborted);
        }
        catch (RpcException e) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogGovernanceUnavailable(logger, e.StatusCode);
            return EdgeError.GovernanceUnavailable();
        }

        if (authorization is null)
        {
            return EdgeError.InvalidKey();
        }

        if (context.Request.ContentLength is { } length && length > options.Value.MaxRequestBodyBytes)
        {
            return EdgeError.TooLarge(options.Value.MaxRequestBodyBytes);
        }

        if (await rateLimits.CheckAsync(context, authorization) is { } refusal)
        {
            return refusal;
        }

        headers[HybridAIHeaders.Tenant] = authorization.TenantId;
        headers[HybridAIHeaders.ApiKeyId] = authorization.KeyId;
        Activity.Current?.SetTag("hybridai.tenant", authorization.TenantId);
        return null;
    }

    private static void StripInternalHeaders(IHeaderDictionary headers)
    {
        List<string>? internalHeaders = null;
        foreach (var name in headers.Keys)
        {
            if (name.StartsWith(HybridAIHeaders.InternalPrefix, StringComparison.OrdinalIgnoreCase))
            {
                (internalHeaders ??= []).Add(name);
            }
        }

        foreach (var name in internalHeaders ?? [])
        {
            headers.Remove(name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Governance could not check an API key ({Status}); request refused with 503.")]
    private static partial void LogGovernanceUnavailable(ILogger logger, StatusCode status);
}
