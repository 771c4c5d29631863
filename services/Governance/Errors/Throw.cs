namespace HybridAI.Governance.Errors;

internal static class Throw
{
    /// <summary>Throws <see cref="ValidationFailedException"/> listing every problem, if there are any.</summary>
    public static void IfAny(string what, IReadOnlyList<Problem> problems)
    {
        if (problems.Count > 0)
        {
            throw new ValidationFailedException(what, problems);
        }
    }
}
