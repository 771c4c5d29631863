using System.Buffers;
using System.Globalization;
using Google.Protobuf;
using HybridAI.Governance.Errors;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.Admin;

/// <summary>Reading admin requests (bounded bodies, typed query values) and writing proto JSON responses.</summary>
public static class AdminHttp
{
    /// <summary>Reads a JSON body of at most <c>Governance:MaxAdminBodyBytes</c>; an empty body is an empty message when <paramref name="optional"/>.</summary>
    public static async Task<T> ReadAsync<T>(HttpContext context, bool optional = false) where T : IMessage<T>, new()
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<GovernanceOptions>>().Value.MaxAdminBodyBytes;
        var request = context.Request;
        if (request.ContentLength > limit)
        {
            throw new PayloadTooLargeException(limit);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, 16 * 1024));
        try
        {
            var length = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted)) > 0)
            {
                length += read;
                if (length > limit)
                {
                    throw new PayloadTooLargeException(limit);
                }

                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            if (length == 0)
            {
                return optional ? new T() : throw new ValidationFailedException("The request body", [new Problem("", $"is required: a JSON {new T().Descriptor.Name}.")]);
            }

            if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                throw new ValidationFailedException("The request", [new Problem("Content-Type", $"must be application/json, not '{type}'.")]);
            }

            return ProtoJson.Parse<T>(buffer.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static IResult Json(IMessage message, int status = StatusCodes.Status200OK) =>
        Results.Text(ProtoJson.Formatter.Format(message), "application/json", System.Text.Encoding.UTF8, status);

    /// <summary>An optional RFC 3339 time from the query string; a malformed one is added to <paramref name="problems"/>.</summary>
    public static DateTimeOffset? Time(HttpRequest request, string name, List<Problem> problems)
    {
        var value = request.Query[name].ToString();
        if (value.Length == 0)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        problems.Add(new Problem(name, $"must be an RFC 3339 time such as 2026-01-31T00:00:00Z or a date such as 2026-01-31, not '{Tenants.TenantRules.Truncate(value)}'."));
        return null;
    }

    /// <summary>A list request's only query parameter, <c>limit</c> (0 when absent); anything else is a 400 naming it.</summary>
    public static int LimitOnly(HttpRequest request)
    {
        var problems = new List<Problem>();
        OnlyKnownQuery(request, problems, "limit");
        var limit = Number(request, "limit", problems);
        Throw.IfAny("The request", problems);
        return limit;
    }

    public static int Number(HttpRequest request, string name, List<Problem> problems)
    {
        var value = request.Query[name].ToString();
        if (value.Length == 0)
        {
            return 0;
        }

        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        problems.Add(new Problem(name, $"must be an integer, not '{Tenants.TenantRules.Truncate(value)}'."));
        return 0;
    }

    /// <summary>Rejects query parameters the endpoint does not know, so a typo (<c>?tennant=</c>) is not silently ignored.</summary>
    public static void OnlyKnownQuery(HttpRequest request, List<Problem> problems, params string[] known)
    {
        foreach (var key in request.Query.Keys.Where(k => !known.Contains(k, StringComparer.Ordinal)))
        {
            problems.Add(new Problem(key, $"is not a parameter of this endpoint (parameters: {(known.Length == 0 ? "none" : string.Join(", ", known))})."));
        }
    }
}
