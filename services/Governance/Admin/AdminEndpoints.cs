using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Errors;
using HybridAI.Governance.Ledger;
using HybridAI.Governance.Policies;
using HybridAI.Governance.Quality;
using HybridAI.Governance.Reports;
using HybridAI.Governance.Tenants;

namespace HybridAI.Governance.Admin;

/// <summary>The admin HTTP API under <c>/admin</c> (documented in docs/api.md), mirroring GovernanceAdminService.</summary>
public static class AdminEndpoints
{
    public const string Prefix = "/admin";

    /// <summary>Maps <c>/admin/*</c> behind <see cref="AdminMiddleware"/>.</summary>
    public static WebApplication MapAdminApi(this WebApplication app)
    {
        app.UseWhen(c => c.Request.Path.StartsWithSegments(Prefix), branch => branch.UseMiddleware<AdminMiddleware>());
        var admin = app.MapGroup(Prefix);

        admin.MapPost("/tenants", async (HttpContext c, TenantService tenants) =>
        {
            var tenant = await tenants.CreateTenantAsync(await AdminHttp.ReadAsync<CreateTenantRequest>(c), c.RequestAborted);
            return Results.Text(ProtoJson.Formatter.Format(tenant), "application/json", statusCode: StatusCodes.Status201Created);
        });
        admin.MapGet("/tenants", async (HttpContext c, TenantService tenants) =>
            AdminHttp.Json(await tenants.ListTenantsAsync(c.RequestAborted)));

        admin.MapPost("/tenants/{id}/keys", async (string id, HttpContext c, TenantService tenants) =>
        {
            var request = await AdminHttp.ReadAsync<IssueKeyRequest>(c, optional: true);
            SamePath("tenant_id", request.TenantId, id);
            request.TenantId = id;
            return AdminHttp.Json(await tenants.IssueKeyAsync(request, c.RequestAborted), StatusCodes.Status201Created);
        });
        admin.MapGet("/tenants/{id}/keys", async (string id, HttpContext c, TenantService tenants) =>
            AdminHttp.Json(await tenants.ListKeysAsync(id, c.RequestAborted)));
        admin.MapPost("/keys/{keyId}/rotate", async (string keyId, HttpContext c, TenantService tenants) =>
        {
            var request = await AdminHttp.ReadAsync<RotateKeyRequest>(c, optional: true);
            SamePath("key_id", request.KeyId, keyId);
            request.KeyId = keyId;
            return AdminHttp.Json(await tenants.RotateKeyAsync(request, c.RequestAborted), StatusCodes.Status201Created);
        });
        admin.MapDelete("/keys/{keyId}", async (string keyId, HttpContext c, TenantService tenants) =>
            AdminHttp.Json(await tenants.RevokeKeyAsync(keyId, c.RequestAborted)));

        admin.MapGet("/tenants/{id}/policy", async (string id, HttpContext c, PolicyService policies) =>
            PolicyResult(await policies.GetForTenantAsync(id, c.RequestAborted), c));
        admin.MapPut("/tenants/{id}/policy", async (string id, HttpContext c, PolicyService policies) =>
        {
            var policy = await AdminHttp.ReadAsync<TenantPolicy>(c);
            SamePath("tenant_id", policy.TenantId, id);
            policy.TenantId = id;
            var stored = await policies.PutAsync(new PutPolicyRequest { Policy = policy, ExpectedVersion = ExpectedVersion(c) },
                AdminActor.From(c.Request.Headers[AdminActor.Header]), c.RequestAborted);
            return PolicyResult(stored, c);
        });
        admin.MapGet("/tenants/{id}/policy/versions", async (string id, HttpContext c, PolicyService policies) =>
        {
            var limit = AdminHttp.LimitOnly(c.Request);
            return AdminHttp.Json(await policies.ListVersionsAsync(id, limit, c.RequestAborted));
        });

        admin.MapGet("/tenants/{id}/report", async (string id, HttpContext c, ReportService reports) =>
        {
            var problems = new List<Problem>();
            AdminHttp.OnlyKnownQuery(c.Request, problems, "from", "to");
            var from = AdminHttp.Time(c.Request, "from", problems);
            var to = AdminHttp.Time(c.Request, "to", problems);
            Throw.IfAny("The report request", problems);
            return AdminHttp.Json(await reports.BuildAsync(new ReportRequest
            {
                TenantId = id,
                From = from is { } f ? Timestamp.FromDateTimeOffset(f) : null,
                To = to is { } t ? Timestamp.FromDateTimeOffset(t) : null,
            }, c.RequestAborted));
        });

        admin.MapGet("/tenants/{id}/quality", async (string id, HttpContext c, QualityService quality, TimeProvider clock) =>
        {
            var problems = new List<Problem>();
            AdminHttp.OnlyKnownQuery(c.Request, problems, "from", "to");
            var now = clock.GetUtcNow();
            var from = AdminHttp.Time(c.Request, "from", problems) ?? now - QualityService.DefaultRange;
            var to = AdminHttp.Time(c.Request, "to", problems) ?? now;
            Throw.IfAny("The quality request", problems);
            var rows = await quality.ObservationsAsync(id, from, to, c.RequestAborted);
            return Results.Json(new { tenant_id = id, from, to, observations = rows }, QualityService.Json);
        });

        admin.MapGet("/ledger/verify", async (HttpContext c, IAuditLedger ledger) =>
        {
            var result = await ledger.VerifyAsync(c.RequestAborted);
            return AdminHttp.Json(new VerifyLedgerResponse
            {
                Valid = result.Valid,
                Records = result.Records,
                FirstBrokenSequence = result.FirstBrokenSequence,
                Message = result.Message,
                HeadHash = result.HeadHash,
                HeadSequence = result.HeadSequence,
            });
        });
        admin.MapGet("/ledger/export", ExportAsync);
        admin.MapToolAdminApi();
        return app;
    }

    private static async Task ExportAsync(HttpContext c, IAuditLedger ledger)
    {
        var problems = new List<Problem>();
        AdminHttp.OnlyKnownQuery(c.Request, problems, "tenant", "from", "to", "kind");
        var from = AdminHttp.Time(c.Request, "from", problems);
        var to = AdminHttp.Time(c.Request, "to", problems);
        var kind = c.Request.Query["kind"].ToString();
        if (kind is not ("" or "receipts" or "all"))
        {
            problems.Add(new Problem("kind", $"must be receipts (default) or all (receipts and policy changes), not '{TenantRules.Truncate(kind)}'."));
        }

        Throw.IfAny("The export request", problems);
        var query = LedgerExport.Query(c.Request.Query["tenant"], from, to, includePolicyChanges: kind == "all");

        c.Response.ContentType = "application/x-ndjson";
        await using var writer = new Utf8JsonWriter(c.Response.BodyWriter);
        await foreach (var entry in ledger.ReadAsync(query, c.RequestAborted))
        {
            LedgerExport.WriteLine(writer, entry);
            await writer.FlushAsync(c.RequestAborted);
            writer.Reset();
            c.Response.BodyWriter.Write("\n"u8);
        }

        await c.Response.BodyWriter.FlushAsync(c.RequestAborted);
    }

    private static IResult PolicyResult(TenantPolicy policy, HttpContext c)
    {
        c.Response.Headers.ETag = $"\"{policy.Version.ToString(CultureInfo.InvariantCulture)}\"";
        return AdminHttp.Json(policy);
    }

    /// <summary>Optimistic concurrency: <c>If-Match: "3"</c> (the ETag of the version read) replaces only version 3.</summary>
    private static int ExpectedVersion(HttpContext c)
    {
        var ifMatch = c.Request.Headers.IfMatch.ToString().Trim().Trim('"');
        if (ifMatch.Length == 0)
        {
            return 0;
        }

        return int.TryParse(ifMatch, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
            ? version
            : throw new ValidationFailedException("The request", [new Problem("If-Match", $"must be a policy version ETag such as \"3\", not '{TenantRules.Truncate(ifMatch)}'.")]);
    }

    private static void SamePath(string field, string inBody, string inPath)
    {
        if (inBody.Length > 0 && inBody != inPath)
        {
            throw new ValidationFailedException("The request", [new Problem(field, $"is '{TenantRules.Truncate(inBody)}' in the body but '{TenantRules.Truncate(inPath)}' in the path.")]);
        }
    }
}
