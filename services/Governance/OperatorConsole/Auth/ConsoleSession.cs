using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HybridAI.Governance.Tenants;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.OperatorConsole.Auth;

/// <summary>
/// Console sessions. Logging in with the admin key sets an HttpOnly, SameSite=Strict cookie (Secure on HTTPS)
/// holding an expiry and an HMAC-SHA256 of it keyed by a key derived from the admin key, so no server state is
/// needed across replicas, the key itself never leaves the login request, and rotating the admin key ends every
/// session. Both the key and the cookie are compared in constant time.
/// </summary>
public sealed class ConsoleSession(IOptions<GovernanceOptions> governance, IOptions<ConsoleOptions> options, TimeProvider clock)
{
    public const string CookieName = "hybridai-console";
    private const string Purpose = "hybridai-console-session-v1";

    /// <summary>Whether <paramref name="presented"/> is the admin key (constant time; empty never matches).</summary>
    public bool IsAdminKey(string? presented)
    {
        var key = presented ?? "";
        return ApiKeys.FixedTimeEquals(key, governance.Value.AdminApiKey) && key.Length > 0;
    }

    /// <summary>Starts a session: sets the signed cookie on the response.</summary>
    public void SignIn(HttpContext context)
    {
        var expires = clock.GetUtcNow().AddMinutes(options.Value.SessionMinutes);
        var payload = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        context.Response.Cookies.Append(CookieName, $"{payload}.{Sign(payload)}", Cookie(context, expires));
    }

    public void SignOut(HttpContext context) => context.Response.Cookies.Delete(CookieName, Cookie(context, null));

    /// <summary>Whether the request carries an unexpired session signed with the current admin key.</summary>
    public bool IsSignedIn(HttpRequest request)
    {
        var value = request.Cookies[CookieName];
        var dot = value?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (value is null || dot <= 0)
        {
            return false;
        }

        var payload = value[..dot];
        var expected = Encoding.ASCII.GetBytes(Sign(payload));
        var presented = Encoding.ASCII.GetBytes(value[(dot + 1)..]);
        return CryptographicOperations.FixedTimeEquals(expected, presented)
            && long.TryParse(payload, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && DateTimeOffset.FromUnixTimeSeconds(seconds) > clock.GetUtcNow();
    }

    private CookieOptions Cookie(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = context.Request.IsHttps || options.Value.AlwaysSecureCookie,
        SameSite = SameSiteMode.Strict,
        Path = ConsoleEndpoints.Prefix,
        Expires = expires,
        IsEssential = true,
    };

    private string Sign(string payload)
    {
        // A key derived for this purpose only, so a session cookie is never a MAC an attacker could reuse elsewhere.
        Span<byte> key = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(governance.Value.AdminApiKey), Encoding.UTF8.GetBytes(Purpose), key);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(payload), mac);
        return Base64Url.EncodeToString(mac);
    }
}
