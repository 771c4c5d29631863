namespace HybridAI.Governance.Errors;

/// <summary>One problem with a request, named by the field it concerns (<c>policy.budgets[1].period</c>).</summary>
public sealed record Problem(string Field, string Description)
{
    public override string ToString() => Field.Length == 0 ? Description : $"{Field}: {Description}";
}

/// <summary>
/// Domain errors. Feature code throws these; the HTTP and gRPC boundaries translate them (400/404/409 and
/// INVALID_ARGUMENT/NOT_FOUND/ALREADY_EXISTS/FAILED_PRECONDITION), so both APIs say the same thing.
/// </summary>
public abstract class GovernanceException(string message) : Exception(message);

/// <summary>The request is invalid; every problem is listed.</summary>
public sealed class ValidationFailedException(string what, IReadOnlyList<Problem> problems)
    : GovernanceException($"{what} is invalid ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}): {string.Join(" ", problems)}")
{
    public IReadOnlyList<Problem> Problems { get; } = problems;
}

public sealed class NotFoundException(string resourceType, string resourceName)
    : GovernanceException($"{resourceType} '{resourceName}' does not exist.")
{
    public string ResourceType { get; } = resourceType;

    public string ResourceName { get; } = resourceName;
}

public sealed class AlreadyExistsException(string resourceType, string resourceName)
    : GovernanceException($"{resourceType} '{resourceName}' already exists.")
{
    public string ResourceType { get; } = resourceType;

    public string ResourceName { get; } = resourceName;
}

/// <summary>The request conflicts with the current state (e.g. an optimistic-concurrency version mismatch).</summary>
public sealed class PreconditionFailedException(string message, string subject) : GovernanceException(message)
{
    public string Subject { get; } = subject;
}

/// <summary>A presented API key is not valid. Deliberately says nothing about why (unknown, revoked, expired, malformed).</summary>
public sealed class InvalidApiKeyException() : GovernanceException("The API key is not valid.");

/// <summary>A reservation would exceed a budget; <see cref="RetryAfter"/> is when it could succeed.</summary>
public sealed class BudgetExhaustedException(string message, string period, TimeSpan retryAfter) : GovernanceException(message)
{
    public string Period { get; } = period;

    public TimeSpan RetryAfter { get; } = retryAfter;
}
