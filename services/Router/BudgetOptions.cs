namespace HybridAI.Router;

/// <summary>Budget reservations through governance (section <c>Router:Budget</c>).</summary>
public sealed class BudgetOptions
{
    /// <summary>Reserve, settle and release budgets for LLM calls.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// When governance cannot be reached to reserve: false (default) refuses the LLM call with 503, so no spend escapes
    /// the budget; true lets it through unreserved (logged and counted).
    /// </summary>
    public bool FailOpen { get; set; }

    /// <summary>A reservation frees itself after this long if the router never settles it (it died); at least LlmTimeout.</summary>
    public TimeSpan ReservationTtl { get; set; } = TimeSpan.FromMinutes(11);

    internal IEnumerable<(string Key, string Message)> Validate(TimeSpan llmTimeout)
    {
        if (ReservationTtl < llmTimeout || ReservationTtl > TimeSpan.FromHours(1))
        {
            yield return (nameof(ReservationTtl), $"must be at least Router:LlmTimeout ({llmTimeout}) and at most 01:00:00, but is {ReservationTtl}.");
        }
    }
}
