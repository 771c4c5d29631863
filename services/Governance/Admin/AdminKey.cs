using HybridAI.Governance.Tenants;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.Admin;

/// <summary>Checks the admin key, presented as <c>Authorization: Bearer &lt;key&gt;</c>, in constant time.</summary>
public sealed class AdminKey(IOptions<GovernanceOptions> options)
{
    /// <summary>The only answer a caller without the key gets, whatever it asked for.</summary>
    public const string Refusal = "The admin API requires the admin key (Authorization: Bearer <admin-api-key>).";

    public bool Matches(string? authorization)
    {
        const string Scheme = "Bearer ";
        var presented = authorization is not null && authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? authorization[Scheme.Length..].Trim()
            : "";
        // Always compare, even against nothing, so a missing key takes as long as a wrong one.
        return ApiKeys.FixedTimeEquals(presented, options.Value.AdminApiKey) && presented.Length > 0;
    }
}

/// <summary>
/// Who made an admin change, as recorded in the ledger. The admin key is shared, so this is the name the caller
/// states in <c>x-admin-actor</c> (e.g. an operator's e-mail or a pipeline), recorded after <c>admin:</c>.
/// </summary>
public static class AdminActor
{
    public const string Header = "x-admin-actor";

    public static string From(string? stated)
    {
        var name = (stated ?? "").Trim();
        name = new string(name.Where(c => !char.IsControl(c)).Take(100).ToArray());
        return name.Length == 0 ? "admin" : $"admin:{name}";
    }
}
