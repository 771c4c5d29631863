using System.Net;
using System.Text;
using HybridAI.Governance.OperatorConsole.Data;

namespace HybridAI.Governance.OperatorConsole.Pages;

/// <summary>The console's HTML shell: one inline stylesheet, no script, no external resources.</summary>
internal static class Layout
{
    private const string Style = """
        body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
        header{display:flex;align-items:center;gap:16px;padding:10px 24px;background:#1d2330;color:#fff}
        header h1{font-size:18px;margin:0;flex:1}
        header form{margin:0}
        header nav{display:flex;gap:12px}header nav a{color:#c9d3e6;text-decoration:none}header nav a[aria-current]{color:#fff;font-weight:600}
        main{padding:16px 24px;max-width:1520px;margin:auto}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(640px,1fr));gap:16px}
        section{background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 2px #0002}
        section h2{font-size:15px;margin:0 0 4px}
        section p.note{margin:0 0 8px;color:#5a6273;font-size:12px}
        .kpis{display:flex;gap:16px;flex-wrap:wrap;margin-bottom:16px}
        .kpi{background:#fff;border-radius:8px;padding:10px 16px;box-shadow:0 1px 2px #0002;min-width:150px}
        .kpi b{display:block;font-size:22px}
        .kpi span{color:#5a6273;font-size:12px}
        svg.chart{width:100%;height:auto;font-size:11px}
        svg .grid{stroke:#e3e6ec}svg .axis{stroke:#7a8294}svg .tick{fill:#5a6273}svg .axis-label,svg .legend text,svg text.legend{fill:#1d2330}
        svg .empty{fill:#7a8294;font-size:14px}svg .value{fill:#1d2330}
        table{border-collapse:collapse;width:100%;font-size:12px}
        th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #e3e6ec;vertical-align:top}
        td.num{text-align:right;font-variant-numeric:tabular-nums}
        .ok{color:#1e8449;font-weight:600}.bad{color:#c0392b;font-weight:600}
        .error{background:#fdecea;color:#c0392b;padding:8px 12px;border-radius:6px;margin-bottom:12px}
        form.filters{display:flex;gap:8px;align-items:center;margin-bottom:16px;flex-wrap:wrap}
        input,select,button{font:inherit;padding:4px 8px}
        .login{max-width:380px;margin:12vh auto;background:#fff;padding:24px;border-radius:8px;box-shadow:0 1px 3px #0003}
        .login input{width:100%;box-sizing:border-box;margin:8px 0 12px}
        """;

    public static string Page(string title, string body, string? header = null) => $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>{Esc(title)}</title><style>{Style}</style></head>
        <body>{header ?? ""}<main>{body}</main></body></html>
        """;

    public static string Esc(string text) => WebUtility.HtmlEncode(text);

    /// <summary>The range, bucket and tenant filter form every view opens with; it submits to <paramref name="action"/>.</summary>
    public static string Filters(string action, string range, string bucket, string tenant, DateTimeOffset from, DateTimeOffset to)
    {
        var ranges = string.Join("", ConsoleService.Ranges.Keys.Select(r => $"""<option{(r == range ? " selected" : "")}>{r}</option>"""));
        return $"""
            <form class="filters" method="get" action="{action}">
              <label>Range <select name="range">{ranges}</select></label>
              <label>Bucket <select name="bucket"><option{(bucket == "hour" ? " selected" : "")}>hour</option><option{(bucket == "day" ? " selected" : "")}>day</option></select></label>
              <label>Tenant <input name="tenant" value="{Esc(tenant)}" placeholder="all tenants" size="14"></label>
              <button type="submit">Show</button>
              <span class="note">{from:yyyy-MM-dd HH:mm} – {to:yyyy-MM-dd HH:mm} UTC</span>
            </form>
            """;
    }

    /// <summary>Headers for every console response: no script at all, no framing, no caching of figures or sessions.</summary>
    public static void Secure(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    public static IResult Html(string html, int status = StatusCodes.Status200OK) =>
        Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
}
