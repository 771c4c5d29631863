namespace HybridAI.Retrieval.Tenancy;

/// <summary>
/// A tenant's collection: the first argument of every store call, so no query can be written without the tenant. The
/// tenant comes only from the <c>x-hybridai-tenant</c> header or metadata the edge stamps (<see cref="TenantResolver"/>).
/// </summary>
public readonly record struct CollectionScope(string Tenant, string Collection)
{
    public override string ToString() => $"{Tenant}/{Collection}";
}
