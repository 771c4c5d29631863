namespace HybridAI.Retrieval.Errors;

/// <summary>One problem with a request, named by the field it concerns (<c>documents[2].label</c>).</summary>
public sealed record Problem(string Field, string Description)
{
    public override string ToString() => Field.Length == 0 ? Description : $"{Field}: {Description}";
}

/// <summary>
/// Domain errors. Feature code throws these; the HTTP and gRPC boundaries translate them (RetrievalErrors), so both
/// APIs say the same thing.
/// </summary>
public abstract class RetrievalException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The request is invalid; every problem is listed. Nothing was stored.</summary>
public sealed class ValidationFailedException(string what, IReadOnlyList<Problem> problems)
    : RetrievalException($"{what} is invalid ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}): {string.Join(" ", problems)}")
{
    public IReadOnlyList<Problem> Problems { get; } = problems;

    /// <summary>Throws listing every problem, if there are any.</summary>
    public static void ThrowIfAny(string what, IReadOnlyList<Problem> problems)
    {
        if (problems.Count > 0)
        {
            throw new ValidationFailedException(what, problems);
        }
    }
}

/// <summary>A collection or document does not exist for this tenant (indistinguishable from another tenant's).</summary>
public sealed class NotFoundException(string resourceType, string resourceName)
    : RetrievalException($"{char.ToUpperInvariant(resourceType[0])}{resourceType[1..]} '{resourceName}' does not exist.")
{
    public string ResourceType { get; } = resourceType;

    public string ResourceName { get; } = resourceName;
}

public sealed class AlreadyExistsException(string resourceType, string resourceName)
    : RetrievalException($"{char.ToUpperInvariant(resourceType[0])}{resourceType[1..]} '{resourceName}' already exists.")
{
    public string ResourceType { get; } = resourceType;

    public string ResourceName { get; } = resourceName;
}

/// <summary>The operation does not fit the resource's state, e.g. FAQs into a documents collection.</summary>
public sealed class PreconditionFailedException(string message, string subject, string type) : RetrievalException(message)
{
    public string Subject { get; } = subject;

    public string Type { get; } = type;
}

/// <summary>A document or body is larger than its configured limit.</summary>
public sealed class PayloadTooLargeException(string message) : RetrievalException(message);

/// <summary>A document's format is not one retrieval reads.</summary>
public sealed class UnsupportedMediaTypeException(string message) : RetrievalException(message);

/// <summary>The call carries no tenant: it did not come through the edge.</summary>
public sealed class MissingTenantException()
    : RetrievalException($"The request has no tenant. Call retrieval through the edge, which authenticates the API key and stamps {Contracts.HybridAIHeaders.Tenant}.");

/// <summary>A dependency (slm-inference, Qdrant) failed; a retry may succeed.</summary>
public sealed class DependencyUnavailableException(string message, Exception? inner = null) : RetrievalException(message, inner);

/// <summary>A limit of the installation is reached (collections per tenant).</summary>
public sealed class QuotaExceededException(string message) : RetrievalException(message);
