namespace HybridAI.ServiceDefaults.Options;

/// <summary>An options class bound from one configuration section (<c>RouterOptions.SectionName = "Router"</c>).</summary>
public interface IServiceOptions
{
    static abstract string SectionName { get; }
}

/// <summary>Cross-field rules an options class checks itself; each problem names its configuration key.</summary>
public interface ISelfValidatingOptions
{
    /// <summary>Returns one entry per problem: (key relative to the section, message).</summary>
    IEnumerable<(string Key, string Message)> Validate();
}
