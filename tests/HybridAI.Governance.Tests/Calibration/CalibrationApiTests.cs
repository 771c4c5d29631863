using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Calibration;
using HybridAI.Governance.Tests.Api;
using HybridAI.Quality.Calibration;
using HybridAI.Testing.Redis;
using Microsoft.Extensions.DependencyInjection;

namespace HybridAI.Governance.Tests.Calibration;

public sealed class CalibrationApiTests(RedisServerFixture redis) : IDisposable
{
    private const string Calibrated = """{ "calibration": { "enabled": true, "target": "parity>=0.9" }, "thresholds": { "needs_llm": 0.95 } }""";

    private readonly GovernanceHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private InMemoryCalibrationSampleSource Samples => _host.Factory.Services.GetRequiredService<InMemoryCalibrationSampleSource>();

    [Fact]
    public async Task TheJobProposesThresholdsMeetingTheTargetWithTheCurveAsDataAndSvg()
    {
        await SetUpAsync("acme", Calibrated);

        await _host.Factory.Services.GetRequiredService<CalibrationJob>().RunOnceAsync(Ct);

        var proposal = Assert.Single((await ListAsync("acme")).EnumerateArray());
        Assert.Equal("PROPOSAL_STATE_PENDING", proposal.GetProperty("state").GetString());
        Assert.Equal("parity>=0.9", proposal.GetProperty("target").GetString());
        var proposed = proposal.GetProperty("proposed").GetProperty("needs_llm").GetDouble();
        Assert.InRange(proposed, 0.3, 0.9);
        var needsLlm = proposal.GetProperty("signals").EnumerateArray().Single(s => s.GetProperty("signal").GetString() == "needs_llm");
        Assert.Equal("proposed", needsLlm.GetProperty("status").GetString());
        Assert.True(needsLlm.GetProperty("chosen").GetProperty("parity_lower_bound").GetDouble() >= 0.9);
        Assert.True(needsLlm.GetProperty("current").GetProperty("parity").GetDouble() < 0.9);
        Assert.True(needsLlm.GetProperty("curve").GetArrayLength() > 50);
        Assert.Equal("insufficient_data", proposal.GetProperty("signals").EnumerateArray().Single(s => s.GetProperty("signal").GetString() == "faq_score").GetProperty("status").GetString());

        var chart = await _host.Admin.GetAsync(new Uri($"/admin/tenants/acme/calibration/proposals/{Id(proposal)}/chart.svg?signal=needs_llm", UriKind.Relative), Ct);
        Assert.Equal("image/svg+xml", chart.Content.Headers.ContentType?.MediaType);
        var svg = XDocument.Parse(await chart.Content.ReadAsStringAsync(Ct));
        Assert.Contains(svg.Descendants().Where(e => e.Name.LocalName == "text"), t => t.Value.StartsWith("proposed ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApprovalWritesANewPolicyVersionAttributedInTheLedgerAndRollbackRestoresThePreviousThresholds()
    {
        await SetUpAsync("acme", Calibrated);
        var proposal = await ProposeAsync("acme");
        var proposed = proposal.GetProperty("proposed").GetProperty("needs_llm").GetDouble();

        var approved = await PostAsync($"/admin/tenants/acme/calibration/proposals/{Id(proposal)}/approve", "alice");

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var policy = await _host.Governance.GetPolicyAsync(new GetPolicyRequest { TenantId = "acme" }, cancellationToken: Ct);
        Assert.Equal((2, proposed), (policy.Version, policy.Thresholds.NeedsLlm));
        Assert.Equal($"admin:alice (calibration proposal {Id(proposal)})", policy.UpdatedBy);
        Assert.True(policy.Calibration.Enabled, "the rest of the policy is kept");
        var decided = await GetAsync("acme", Id(proposal));
        Assert.Equal(("PROPOSAL_STATE_APPROVED", "admin:alice", 2), (decided.GetProperty("state").GetString(), decided.GetProperty("decided_by").GetString(), decided.GetProperty("applied_version").GetInt32()));
        var ledger = await _host.Admin.GetStringAsync(new Uri("/admin/ledger/export?tenant=acme&kind=all", UriKind.Relative), Ct);
        Assert.Contains($"calibration proposal {Id(proposal)}", ledger, StringComparison.Ordinal);

        var again = await PostAsync($"/admin/tenants/acme/calibration/proposals/{Id(proposal)}/approve", "bob");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("it is approved", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var rolledBack = await PostAsync("/admin/tenants/acme/calibration/rollback", "carol");

        Assert.Equal(HttpStatusCode.OK, rolledBack.StatusCode);
        policy = await _host.Governance.GetPolicyAsync(new GetPolicyRequest { TenantId = "acme" }, cancellationToken: Ct);
        Assert.Equal((3, 0.95), (policy.Version, policy.Thresholds.NeedsLlm));
        Assert.Equal("admin:carol (threshold rollback to those of version 1)", policy.UpdatedBy);
        var versions = await GovernanceHost.ReadAsync(await _host.Admin.GetAsync(new Uri("/admin/tenants/acme/policy/versions", UriKind.Relative), Ct));
        Assert.Equal([3, 2, 1], versions.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task RollbackWithoutEarlierThresholdsIsAConflict()
    {
        await SetUpAsync("acme", Calibrated);

        var response = await PostAsync("/admin/tenants/acme/calibration/rollback", "alice");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("nothing to roll back to", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectedProposalsAreKeptAndCannotBeApprovedLater()
    {
        await SetUpAsync("acme", Calibrated);
        var proposal = await ProposeAsync("acme");

        var rejected = await PostAsync($"/admin/tenants/acme/calibration/proposals/{Id(proposal)}/reject", "alice");

        Assert.Equal("PROPOSAL_STATE_REJECTED", (await GovernanceHost.ReadAsync(rejected)).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync($"/admin/tenants/acme/calibration/proposals/{Id(proposal)}/approve", "bob")).StatusCode);
        Assert.Equal(1, (await _host.Governance.GetPolicyAsync(new GetPolicyRequest { TenantId = "acme" }, cancellationToken: Ct)).Version);
    }

    [Fact]
    public async Task ANewerProposalSupersedesAPendingOne()
    {
        await SetUpAsync("acme", Calibrated);
        var first = await ProposeAsync("acme");

        await ProposeAsync("acme");

        Assert.Equal("PROPOSAL_STATE_SUPERSEDED", (await GetAsync("acme", Id(first))).GetProperty("state").GetString());
        Assert.Equal(2, (await ListAsync("acme")).GetArrayLength());
    }

    [Fact]
    public async Task AutoApplyWritesThePolicyVersionWithoutApproval()
    {
        await SetUpAsync("acme", """{ "calibration": { "enabled": true, "target": "llm-share<=0.3", "auto_apply": true } }""");

        await _host.Factory.Services.GetRequiredService<CalibrationJob>().RunOnceAsync(Ct);

        var proposal = Assert.Single((await ListAsync("acme")).EnumerateArray());
        Assert.Equal("PROPOSAL_STATE_APPROVED", proposal.GetProperty("state").GetString());
        Assert.Equal(CalibrationService.AutoApplyActor, proposal.GetProperty("decided_by").GetString());
        var policy = await _host.Governance.GetPolicyAsync(new GetPolicyRequest { TenantId = "acme" }, cancellationToken: Ct);
        Assert.Equal(2, policy.Version);
        Assert.Equal(proposal.GetProperty("proposed").GetProperty("needs_llm").GetDouble(), policy.Thresholds.NeedsLlm);
        Assert.StartsWith(CalibrationService.AutoApplyActor, policy.UpdatedBy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheJobSkipsTenantsWithoutCalibrationAndRunsEachSlotOnce()
    {
        await SetUpAsync("acme", Calibrated);
        await SetUpAsync("globex", """{ "thresholds": { "needs_llm": 0.5 } }""");
        var job = _host.Factory.Services.GetRequiredService<CalibrationJob>();

        await job.RunOnceAsync(Ct);
        await job.RunOnceAsync(Ct);

        Assert.Equal(1, (await ListAsync("acme")).GetArrayLength());
        Assert.Equal(0, (await ListAsync("globex")).GetArrayLength());
    }

    [Fact]
    public async Task ProposalsAreInvisibleToOtherTenants()
    {
        await SetUpAsync("acme", Calibrated);
        await SetUpAsync("globex", Calibrated);
        var proposal = await ProposeAsync("acme");

        var read = await _host.Admin.GetAsync(new Uri($"/admin/tenants/globex/calibration/proposals/{Id(proposal)}", UriKind.Relative), Ct);
        var approve = await PostAsync($"/admin/tenants/globex/calibration/proposals/{Id(proposal)}/approve", "mallory");

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, approve.StatusCode);
        Assert.Equal(0, (await ListAsync("globex")).GetArrayLength());
        Assert.Equal(1, (await _host.Governance.GetPolicyAsync(new GetPolicyRequest { TenantId = "globex" }, cancellationToken: Ct)).Version);
    }

    [Fact]
    public async Task TooFewSamplesGiveANoChangeProposalSayingWhy()
    {
        await _host.CreateTenantAsync("acme");
        Assert.Equal(HttpStatusCode.OK, (await _host.PutPolicyAsync("acme", Calibrated)).StatusCode);
        AddTraffic("acme", 50, seed: 1);

        var proposal = await ProposeAsync("acme");

        Assert.Equal("PROPOSAL_STATE_NO_CHANGE", proposal.GetProperty("state").GetString());
        Assert.Contains("50 sample(s) carry needs_llm", proposal.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableTargetGivesANoChangeProposalSayingSo()
    {
        await SetUpAsync("acme", """{ "calibration": { "enabled": true, "target": "parity>=0.99, llm-share<=0.1" } }""");

        var proposal = await ProposeAsync("acme");

        Assert.Equal("PROPOSAL_STATE_NO_CHANGE", proposal.GetProperty("state").GetString());
        Assert.Contains("Target unreachable on this data", proposal.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedTargetsAndThresholdsAreRefusedWithFieldViolations()
    {
        await _host.CreateTenantAsync("acme");

        var response = await _host.PutPolicyAsync("acme", """
            { "calibration": { "enabled": true, "target": "parity<=0.95" }, "thresholds": { "needs_llm": 1.5, "cascade_min_mean_logprob": 2 } }
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problems = (await GovernanceHost.ReadAsync(response)).GetProperty("error").GetProperty("problems").EnumerateArray()
            .Select(p => $"{p.GetProperty("field").GetString()}: {p.GetProperty("description").GetString()}").ToList();
        Assert.Contains(problems, p => p.StartsWith("calibration.target: The calibration target clause 'parity<=0.95' points the wrong way", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("thresholds.needs_llm: must be between 0 and 1", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("thresholds.cascade_min_mean_logprob: must be between -100 and 0", StringComparison.Ordinal));
        Assert.Contains("required when calibration is enabled",
            await (await _host.PutPolicyAsync("acme", """{ "calibration": { "enabled": true } }""")).Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunningWithoutATargetIsAConflict()
    {
        await _host.CreateTenantAsync("acme");

        var response = await PostAsync("/admin/tenants/acme/calibration/proposals", "alice");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("no calibration target", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private async Task SetUpAsync(string tenant, string policy)
    {
        await _host.CreateTenantAsync(tenant);
        var put = await _host.PutPolicyAsync(tenant, policy);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        AddTraffic(tenant, 1500, seed: tenant.Length);
    }

    // The SLM answer fails more often the higher the needs-LLM probability (as a judge would find).
    private void AddTraffic(string tenant, int count, int seed)
    {
        var random = new Random(seed);
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        for (var i = 0; i < count; i++)
        {
            var p = Math.Round(random.NextDouble(), 3);
            Samples.Add(tenant, at, new CalibrationSample(p, null, null, random.NextDouble() < 0.5 * p ? 0 : 1, 100, 2000) { Source = "judge" });
        }
    }

    private async Task<JsonElement> ProposeAsync(string tenant)
    {
        var response = await PostAsync($"/admin/tenants/{tenant}/calibration/proposals", "alice");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await GovernanceHost.ReadAsync(response);
    }

    private async Task<JsonElement> ListAsync(string tenant)
    {
        var body = await GovernanceHost.ReadAsync(await _host.Admin.GetAsync(new Uri($"/admin/tenants/{tenant}/calibration/proposals", UriKind.Relative), Ct));
        return body.TryGetProperty("proposals", out var proposals) ? proposals : JsonDocument.Parse("[]").RootElement;
    }

    private async Task<JsonElement> GetAsync(string tenant, string id) =>
        await GovernanceHost.ReadAsync(await _host.Admin.GetAsync(new Uri($"/admin/tenants/{tenant}/calibration/proposals/{id}", UriKind.Relative), Ct));

    private async Task<HttpResponseMessage> PostAsync(string path, string actor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative));
        request.Headers.Add("x-admin-actor", actor);
        return await _host.Admin.SendAsync(request, Ct);
    }

    private static string Id(JsonElement proposal) => proposal.GetProperty("id").GetString()!;

    public void Dispose()
    {
        _ = redis;
        _host.Dispose();
    }
}
