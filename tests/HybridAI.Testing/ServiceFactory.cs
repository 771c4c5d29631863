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
        using var factory = new ServiceFactory<TEntryPoint>(settings);
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        var message = Flatten(error);
        foreach (var key in expectedKeys)
        {
            Assert.Contains(key, message, StringComparison.Ordinal);
        }

        return message;
    }

    private static string Flatten(Exception e) => e switch
    {
        AggregateException a => string.Join(" | ", a.InnerExceptions.Select(Flatten)),
        { InnerException: { } inner } when e.Message.Length == 0 => Flatten(inner),
        _ => e.Message,
    };
}
