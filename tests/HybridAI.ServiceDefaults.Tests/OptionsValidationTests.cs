using System.ComponentModel.DataAnnotations;
using HybridAI.ServiceDefaults.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HybridAI.ServiceDefaults.Tests;

public sealed class OptionsValidationTests
{
    [Fact]
    public void OneMessageNamesEveryBadKeyIncludingNestedAndListItems()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new Dictionary<string, string?>
        {
            ["Sample:Count"] = "0",
            ["Sample:Name"] = "",
            ["Sample:Child:Limit"] = "-1",
            ["Sample:Items:1:Id"] = "",
            ["Sample:Items:0:Id"] = "ok",
            ["Sample:Min"] = "5",
            ["Sample:Max"] = "1",
        }));

        Assert.Contains("Sample:Count:", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sample:Name:", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sample:Child:Limit:", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sample:Items:1:Id:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Sample:Items:0:Id:", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sample:Max: must be at least Min", error.Message, StringComparison.Ordinal);
        Assert.Contains("(5 problems)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidOptionsBind()
    {
        var options = Resolve(new Dictionary<string, string?> { ["Sample:Count"] = "3", ["Sample:Name"] = "x", ["Sample:Min"] = "1", ["Sample:Max"] = "2" });
        Assert.Equal(3, options.Count);
    }

    private static SampleOptions Resolve(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddValidatedOptions<SampleOptions>();
        return services.BuildServiceProvider().GetRequiredService<IOptions<SampleOptions>>().Value;
    }

    public sealed class SampleOptions : IServiceOptions, ISelfValidatingOptions
    {
        public static string SectionName => "Sample";

        [Range(1, 10)]
        public int Count { get; set; }

        [Required(AllowEmptyStrings = false)]
        public string Name { get; set; } = "";

        public ChildOptions Child { get; set; } = new();

        public List<ItemOptions> Items { get; set; } = [];

        public int Min { get; set; }

        public int Max { get; set; }

        public IEnumerable<(string Key, string Message)> Validate()
        {
            if (Max < Min)
            {
                yield return (nameof(Max), "must be at least Min.");
            }
        }
    }

    public sealed class ChildOptions
    {
        [Range(0, 100)]
        public int Limit { get; set; }
    }

    public sealed class ItemOptions
    {
        [Required(AllowEmptyStrings = false)]
        public string Id { get; set; } = "";
    }
}
