using HybridAI.Governance.Admin;
using HybridAI.Governance.OperatorConsole.Auth;
using HybridAI.Governance.OperatorConsole.Data;
using HybridAI.Governance.OperatorConsole.Pages;
using HybridAI.Governance.OperatorConsole.Quality;
using HybridAI.Governance.Errors;
using Microsoft.AspNetCore.Http.Features;

namespace HybridAI.Governance.OperatorConsole;

/// <summary>
/// The operator console at <c>/console</c> (docs/governance.md, "Console"): a login form, server-rendered pages of SVG
/// charts (the overview, and the quality view at <c>/console/quality</c>), and the same figures as JSON under
/// <c>/console/api/*</c>, all behind the console session.
/// </summary>
public static class ConsoleEndpoints
{
    public const string Prefix = "/console";
    private const int MaxLoginBytes = 4096;

    /// <summary>Maps the console pages and its JSON API.</summary>
    public static WebApplication MapConsole(this WebApplication app)
    {
        var console = app.MapGroup(Prefix).AddEndpointFilter(async (context, next) =>
        {
            Layout.Secure(context.HttpContext.Response);
            return await next(context);
        });

        console.MapGet("/login", (HttpContext c, ConsoleSession session) =>
            session.IsSignedIn(c.Request) ? Results.Redirect(Prefix, preserveMethod: false) : Layout.Html(LoginPage.Render(null)));
        console.MapPost("/login", LoginAsync);
        console.MapPost("/logout", (HttpContext c, ConsoleSession session) =>
        {
            session.SignOut(c);
            return Results.Redirect($"{Prefix}/login");
        });

        var signedIn = console.MapGroup("").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.RequestServices.GetRequiredService<ConsoleSession>().IsSignedIn(http.Request))
            {
                return await next(context);
            }

            if (http.Request.Path.StartsWithSegments($"{Prefix}/api"))
            {
                await AdminMiddleware.WriteErrorAsync(http, StatusCodes.Status401Unauthorized,
                    "The console API requires a console session: sign in at /console/login.", "authentication_error", "no_console_session");
                return Results.Empty;
            }

            return Results.Redirect($"{Prefix}/login");
        });

        signedIn.MapGet("", PageAsync);
        signedIn.MapGet("/quality", QualityPageAsync);
        signedIn.MapGet("/api/quality", async (HttpContext c, ConsoleService console, QualityConsoleService quality) =>
            await JsonAsync(c, async () => await quality.OverviewAsync(Query(c, console, "range", "bucket", "from", "to", "tenant"), c.RequestAborted)));
        signedIn.MapPost("/verify", async (HttpContext c, LedgerMonitor ledger) =>
        {
            await ledger.VerifyAsync(c.RequestAborted);
            return Results.Redirect(Prefix);
        });
        signedIn.MapGet("/api/overview", async (HttpContext c, ConsoleService console) =>
            await JsonAsync(c, async () => await console.OverviewAsync(Query(c, console, "range", "bucket", "from", "to", "tenant"), c.RequestAborted)));
        signedIn.MapGet("/api/receipts", async (HttpContext c, ConsoleService console) => await JsonAsync(c, async () =>
        {
            var problems = new List<Problem>();
            AdminHttp.OnlyKnownQuery(c.Request, problems, "tenant", "limit");
            var limit = AdminHttp.Number(c.Request, "limit", problems);
            Throw.IfAny("The receipts request", problems);
            return await console.LatestReceiptsAsync(c.Request.Query["tenant"].ToString(), limit, c.RequestAborted);
        }));
        signedIn.MapGet("/api/ledger", (LedgerMonitor ledger) => Results.Json(ledger.Status));
        signedIn.MapPost("/api/ledger/verify", async (HttpContext c, LedgerMonitor ledger) => Results.Json(await ledger.VerifyAsync(c.RequestAborted)));
        return app;
    }

    private static async Task<IResult> LoginAsync(HttpContext c, ConsoleSession session)
    {
        if (c.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxLoginBytes;
        }

        if (c.Request.ContentLength > MaxLoginBytes || !c.Request.HasFormContentType)
        {
            return Layout.Html(LoginPage.Render("Sign in with the form."), StatusCodes.Status400BadRequest);
        }

        var form = await c.Request.ReadFormAsync(c.RequestAborted);
        if (!session.IsAdminKey(form["key"]))
        {
            return Layout.Html(LoginPage.Render("That is not the admin key."), StatusCodes.Status401Unauthorized);
        }

        session.SignIn(c);
        // Post/redirect/get: the browser follows with a GET, so a reload never re-posts the key.
        return Results.Redirect(Prefix, preserveMethod: false);
    }

    private static async Task<IResult> PageAsync(HttpContext c, ConsoleService console)
    {
        var (query, range, error) = PageQuery(c, console);
        var overview = await console.OverviewAsync(query, c.RequestAborted);
        var receipts = await console.LatestReceiptsAsync(query.Tenant, 25, c.RequestAborted);
        return Layout.Html(DashboardPage.Render(overview, receipts, range.Length == 0 ? "24h" : range, error), error is null ? 200 : 400);
    }

    /// <summary>A page's filters; a bad filter shows the default view with the reason, rather than an error page.</summary>
    private static (ConsoleQuery Query, string Range, string? Error) PageQuery(HttpContext c, ConsoleService console)
    {
        try
        {
            return (Query(c, console, "range", "bucket", "tenant"), c.Request.Query["range"].ToString(), null);
        }
        catch (ValidationFailedException e)
        {
            return (console.Query(null, null, null, null, null), "", e.Message);
        }
    }

    private static async Task<IResult> QualityPageAsync(
        HttpContext c, ConsoleService console, QualityConsoleService quality, ICalibrationInsights calibration)
    {
        var (query, range, error) = PageQuery(c, console);
        var overview = await quality.OverviewAsync(query, c.RequestAborted);
        var insights = query.Tenant.Length == 0 ? null : await calibration.GetAsync(query.Tenant, c.RequestAborted);
        return Layout.Html(QualityPage.Render(overview, insights, range.Length == 0 ? "24h" : range, error), error is null ? 200 : 400);
    }

    private static ConsoleQuery Query(HttpContext c, ConsoleService console, params string[] known)
    {
        var problems = new List<Problem>();
        AdminHttp.OnlyKnownQuery(c.Request, problems, known);
        var from = AdminHttp.Time(c.Request, "from", problems);
        var to = AdminHttp.Time(c.Request, "to", problems);
        Throw.IfAny("The console query", problems);
        var q = c.Request.Query;
        return console.Query(q["range"], q["bucket"], from, to, q["tenant"]);
    }

    /// <summary>Runs <paramref name="work"/> and writes its JSON, translating validation failures into the OpenAI-shaped 400.</summary>
    private static async Task<IResult> JsonAsync<T>(HttpContext c, Func<Task<T>> work)
    {
        try
        {
            return Results.Json(await work());
        }
        catch (ValidationFailedException e)
        {
            await AdminMiddleware.WriteErrorAsync(c, StatusCodes.Status400BadRequest, e.Message, "invalid_request_error", "invalid_request", e.Problems);
            return Results.Empty;
        }
    }
}
