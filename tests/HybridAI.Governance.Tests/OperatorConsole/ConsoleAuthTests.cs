using System.Net;
using HybridAI.Governance.Tests.Api;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HybridAI.Governance.Tests.OperatorConsole;

public sealed class ConsoleAuthTests : IDisposable
{
    private readonly GovernanceHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Browser() => _host.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static Task<HttpResponseMessage> LoginAsync(HttpClient client, string key) =>
        client.PostAsync(new Uri("/console/login", UriKind.Relative), new FormUrlEncodedContent([new("key", key)]), Ct);

    [Fact]
    public async Task SendsVisitorsWithoutASessionToTheLoginFormAndRefusesTheApi()
    {
        using var client = Browser();

        var page = await client.GetAsync(new Uri("/console", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/console/login", page.Headers.Location?.ToString());

        var form = await client.GetStringAsync(new Uri("/console/login", UriKind.Relative), Ct);
        Assert.Contains("""<form class="login" method="post" action="/console/login" """, form, StringComparison.Ordinal);
        Assert.Contains("""type="password" """, form, StringComparison.Ordinal);

        var api = await client.GetAsync(new Uri("/console/api/overview", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        var error = await GovernanceHost.ReadAsync(api);
        Assert.Equal("no_console_session", error.GetProperty("error").GetProperty("code").GetString());

        // The admin key is accepted only through the login form: a bearer header is not a console session.
        using var bearer = Browser();
        bearer.DefaultRequestHeaders.Authorization = new("Bearer", GovernanceHost.AdminKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync(new Uri("/console/api/overview", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task RefusesAWrongKeyWithoutSettingACookie()
    {
        using var client = Browser();

        var response = await LoginAsync(client, "not-the-admin-key-0123456789");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Contains("That is not the admin key.", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(new Uri("/console/login", UriKind.Relative),
            new StringContent($"key={GovernanceHost.AdminKey}"), Ct)).StatusCode);
    }

    [Fact]
    public async Task SignsInWithTheAdminKeyIntoAStrictHttpOnlyCookieThatNeverHoldsTheKey()
    {
        using var client = Browser();

        var response = await LoginAsync(client, GovernanceHost.AdminKey);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console", response.Headers.Location?.ToString());
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("hybridai-console=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/console", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase); // plain HTTP in this test
        Assert.DoesNotContain(GovernanceHost.AdminKey, cookie, StringComparison.Ordinal);

        var page = await client.GetAsync(new Uri("/console", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("<script", await page.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/console/api/ledger", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task MarksTheCookieSecureOnHttps()
    {
        using var client = _host.Factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            BaseAddress = new Uri("https://localhost"),
        });

        var response = await LoginAsync(client, GovernanceHost.AdminKey);

        Assert.Contains("secure", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("tampered-signature")]
    [InlineData("extended-expiry")]
    [InlineData("no-signature")]
    public async Task RejectsAForgedSessionCookie(string forgery)
    {
        using var login = Browser();
        var cookie = Assert.Single((await LoginAsync(login, GovernanceHost.AdminKey)).Headers.GetValues("Set-Cookie"));
        var value = cookie.Split(';')[0]["hybridai-console=".Length..];
        var (expiry, signature) = (value[..value.IndexOf('.', StringComparison.Ordinal)], value[(value.IndexOf('.', StringComparison.Ordinal) + 1)..]);
        var forged = forgery switch
        {
            "tampered-signature" => $"{expiry}.{(signature[0] == 'A' ? 'B' : 'A')}{signature[1..]}",
            "extended-expiry" => $"{long.Parse(expiry, System.Globalization.CultureInfo.InvariantCulture) + 86_400}.{signature}",
            _ => expiry,
        };
        using var client = _host.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/console/api/ledger", UriKind.Relative));
        request.Headers.Add("Cookie", $"hybridai-console={forged}");

        var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SignOutClearsTheSession()
    {
        using var client = Browser();
        await LoginAsync(client, GovernanceHost.AdminKey);

        var response = await client.PostAsync(new Uri("/console/logout", UriKind.Relative), null, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("hybridai-console=;", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(new Uri("/console", UriKind.Relative), Ct)).StatusCode);
    }

    public void Dispose() => _host.Dispose();
}
