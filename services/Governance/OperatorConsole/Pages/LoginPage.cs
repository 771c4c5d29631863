namespace HybridAI.Governance.OperatorConsole.Pages;

/// <summary>The login form: the admin key is posted once (never put in a URL) and exchanged for a session cookie.</summary>
internal static class LoginPage
{
    public static string Render(string? error) => Layout.Page("HybridAI console — sign in", $"""
        <form class="login" method="post" action="{ConsoleEndpoints.Prefix}/login" autocomplete="off">
          <h1>HybridAI console</h1>
          {(error is null ? "" : $"""<p class="error" role="alert">{Layout.Esc(error)}</p>""")}
          <label for="key">Admin key</label>
          <input id="key" name="key" type="password" required autofocus autocomplete="current-password">
          <button id="sign-in" type="submit">Sign in</button>
        </form>
        """);
}
