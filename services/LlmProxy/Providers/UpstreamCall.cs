namespace HybridAI.LlmProxy.Providers;

/// <summary>
/// What the HTTP layer saw during one upstream call. Provider SDKs wrap transport failures in their own exception
/// types; <see cref="UpstreamObserverHandler"/> records the authoritative failure here (status, Retry-After, the
/// provider's message) so classification does not depend on any SDK's exception hierarchy.
/// </summary>
internal sealed class UpstreamCall
{
    private static readonly AsyncLocal<UpstreamCall?> CurrentCall = new();

    /// <summary>The call in progress on this async flow; set by the executor around each attempt.</summary>
    public static UpstreamCall? Current
    {
        get => CurrentCall.Value;
        set => CurrentCall.Value = value;
    }

    public int? HttpStatus { get; set; }

    public UpstreamException? Failure { get; private set; }

    public UpstreamException Fail(UpstreamException failure)
    {
        Failure ??= failure;
        return Failure;
    }
}
