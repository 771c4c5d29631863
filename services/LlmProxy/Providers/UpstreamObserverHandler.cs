using System.Globalization;
using Microsoft.Extensions.Options;

namespace HybridAI.LlmProxy.Providers;

/// <summary>
/// The innermost handler of the upstream HttpClient. It turns every non-success response into a classified
/// <see cref="UpstreamException"/> (status, Retry-After, the provider's message minus secrets), refuses unexpected
/// content types, and caps the response size, recording the failure on <see cref="UpstreamCall.Current"/>.
/// </summary>
public sealed class UpstreamObserverHandler(SecretRedactor redactor, IOptions<LlmProxyOptions> options) : DelegatingHandler
{
    private const int MaxErrorBodyBytes = 16 * 1024;

    private readonly long _maxResponseBytes = options.Value.MaxResponseBytes;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var call = UpstreamCall.Current;
        if (call is null)
        {
            return response;
        }

        var status = (int)response.StatusCode;
        call.HttpStatus = status;
        if (!response.IsSuccessStatusCode)
        {
            var retryAfter = ReadRetryAfter(response);
            var body = await ReadBoundedAsync(response.Content, cancellationToken);
            response.Dispose();
            throw call.Fail(UpstreamErrors.FromStatus(status, response.ReasonPhrase, body, retryAfter, redactor));
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is not null && !IsExpected(mediaType))
        {
            response.Dispose();
            throw call.Fail(new UpstreamException(UpstreamFailureKind.BadResponse,
                $"upstream answered {status} with content type '{redactor.Redact(mediaType)}', expected application/json or text/event-stream", status));
        }

        if (response.Content.Headers.ContentLength is { } length)
        {
            if (length > _maxResponseBytes)
            {
                response.Dispose();
                throw call.Fail(TooLarge(status));
            }

            return response;
        }

        response.Content = new LimitedContent(response.Content, _maxResponseBytes, () => call.Fail(TooLarge(status)));
        return response;
    }

    private UpstreamException TooLarge(int status) =>
        new(UpstreamFailureKind.BadResponse, $"upstream response exceeded LlmProxy:MaxResponseBytes ({_maxResponseBytes} bytes)", status);

    private static bool IsExpected(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase)
        || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Retry-After in seconds or as a date, or OpenAI's <c>retry-after-ms</c>.</summary>
    internal static TimeSpan? ReadRetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
        {
            return TimeSpan.FromMilliseconds(millis);
        }

        return response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
            _ => null,
        };
    }

    private static async Task<string> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(MaxErrorBodyBytes);
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            var read = 0;
            int n;
            while (read < MaxErrorBodyBytes && (n = await stream.ReadAsync(buffer.AsMemory(read, MaxErrorBodyBytes - read), cancellationToken)) > 0)
            {
                read += n;
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // The status already says what failed; a body cut short only loses detail.
            return "";
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
