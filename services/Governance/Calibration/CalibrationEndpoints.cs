using HybridAI.Governance.Admin;
using HybridAI.Governance.Errors;
using HybridAI.Quality.Calibration;
using HybridAI.Quality.Charts;

namespace HybridAI.Governance.Calibration;

/// <summary>The calibration admin routes under <c>/admin/tenants/{id}/calibration</c> (docs/api.md), behind the admin key.</summary>
public static class CalibrationEndpoints
{
    /// <summary>Maps proposal listing (curve as data and as SVG), run, approve, reject and rollback.</summary>
    public static WebApplication MapCalibrationApi(this WebApplication app)
    {
        var group = app.MapGroup($"{AdminEndpoints.Prefix}/tenants/{{id}}/calibration");

        group.MapGet("/proposals", async (string id, HttpContext c, CalibrationService calibration) =>
        {
            var limit = AdminHttp.LimitOnly(c.Request);
            return AdminHttp.Json(await calibration.ListAsync(id, limit, c.RequestAborted));
        });
        group.MapPost("/proposals", async (string id, HttpContext c, CalibrationService calibration) =>
            AdminHttp.Json((await calibration.ProposeAsync(id, null, c.RequestAborted))!, StatusCodes.Status201Created));
        group.MapGet("/proposals/{proposalId}", async (string id, string proposalId, HttpContext c, CalibrationService calibration) =>
            AdminHttp.Json(await calibration.GetAsync(id, proposalId, c.RequestAborted)));
        group.MapGet("/proposals/{proposalId}/chart.svg", ChartAsync);
        group.MapPost("/proposals/{proposalId}/approve", async (string id, string proposalId, HttpContext c, CalibrationService calibration) =>
            AdminHttp.Json(await calibration.ApproveAsync(id, proposalId, Actor(c), c.RequestAborted)));
        group.MapPost("/proposals/{proposalId}/reject", async (string id, string proposalId, HttpContext c, CalibrationService calibration) =>
            AdminHttp.Json(await calibration.RejectAsync(id, proposalId, Actor(c), c.RequestAborted)));
        group.MapPost("/rollback", async (string id, HttpContext c, CalibrationService calibration) =>
            AdminHttp.Json(await calibration.RollbackAsync(id, Actor(c), c.RequestAborted)));
        return app;
    }

    private static async Task<IResult> ChartAsync(string id, string proposalId, HttpContext c, CalibrationService calibration)
    {
        var problems = new List<Problem>();
        AdminHttp.OnlyKnownQuery(c.Request, problems, "signal");
        var name = c.Request.Query["signal"].ToString();
        var signal = ThresholdSignal.NeedsLlm;
        if (name.Length > 0 && !ThresholdSignals.TryParse(name, out signal))
        {
            problems.Add(new Problem("signal", $"must be one of {string.Join(", ", ThresholdSignals.All.Select(s => s.Name()))}, not '{Tenants.TenantRules.Truncate(name)}'."));
        }

        Throw.IfAny("The chart request", problems);
        var proposal = await calibration.GetAsync(id, proposalId, c.RequestAborted);
        var stored = proposal.Signals.FirstOrDefault(s => s.Signal == signal.Name())
            ?? throw new NotFoundException("calibration curve", $"{id}/{proposalId}/{signal.Name()}");
        var result = ThresholdMapping.FromProto(stored, proposal.Target);
        var title = $"{id}: {signal.Name()} ({proposal.Target}; {stored.Samples} samples; {stored.Status})";
        return Results.Text(CalibrationChart.ToSvg(result, title), "image/svg+xml", System.Text.Encoding.UTF8);
    }

    private static string Actor(HttpContext c) => AdminActor.From(c.Request.Headers[AdminActor.Header]);
}
