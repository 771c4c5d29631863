using Microsoft.Playwright;

namespace HybridAI.Governance.Tests.OperatorConsole.Browser;

/// <summary>
/// Debian's <c>chromium</c> driven by Playwright (its bundled driver runs offline; Playwright's own browser
/// download is never used). A missing browser fails the test with the command that installs it.
/// </summary>
internal static class Chromium
{
    /// <summary>Overrides where chromium is looked for (default <c>/usr/bin/chromium</c>).</summary>
    public const string PathVariable = "HYBRIDAI_CHROMIUM";

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Fail($"Chromium is not installed at {ExecutablePath}: install it with `apt-get install -y chromium` (Debian), or set {PathVariable} to a Chromium executable.");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Timeout = 30_000,
                // No GPU here, and /dev/shm is small in containers.
                Args = ["--disable-gpu", "--disable-dev-shm-usage"],
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
