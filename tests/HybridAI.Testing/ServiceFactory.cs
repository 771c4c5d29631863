using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace HybridAI.Testing;

/// <summary>
/// An in-process HybridAI service (TestServer) with configuration supplied by the test. <typeparamref name="TEntryPoint"/>
/// is any type from the service's assembly (its options class), since every service's <c>Program</c> shares one name.
/// </summary>
public class ServiceFactory<TEntryPoint>(IDictionary<string, string?>? settings = null) : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        if (settings is not null)
        {
            // UseSetting reaches the host before Program.cs reads configuration (options, ports).
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
        }
    }
}

/// <summary>Assertions about how a service starts.</summary>
public static class ServiceStartup
{
    /// <summary>
    /// Starts the service with <paramref name="settings"/> and asserts it refuses to start with one message that
    /// names every key in <paramref name="expectedKeys"/>. Returns the message.
    /// </summary>
    public static string AssertRefusesToStart<TEntryPoint>(IDictionary<string, string?> settings, params string[] expectedKeys)
        where TEntryPoint : class
    {
        var message = "";
        // WebApplicationFactory races the failing entry point: now and then it asks the already disposed host for its
        // server and reports ObjectDisposedException instead of the start-up error (dotnet/aspnetcore#33494,
        // dotnet/extensions#4873). That is the test host's race, not the service's answer, so ask again.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var factory = new ServiceFactory<TEntryPoint>(settings);
            var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
            message = Flatten(error);
            if (!DisposedHost(error))
            {
                break;
            }
        }

        foreach (var key in expectedKeys)
        {
            Assert.Contains(key, message, StringComparison.Ordinal);
        }

        return message;
    }

    private static bool DisposedHost(Exception e) => e switch
    {
        ObjectDisposedException => true,
        AggregateException a => a.InnerExceptions.Any(DisposedHost),
        { InnerException: { } inner } => DisposedHost(inner),
        _ => false,
    };

    private static string Flatten(Exception e) => e switch
    {
        AggregateException a => string.Join(" | ", a.InnerExceptions.Select(Flatten)),
        { InnerException: { } inner } when e.Message.Length == 0 => Flatten(inner),
        _ => e.Message,
    };
}
