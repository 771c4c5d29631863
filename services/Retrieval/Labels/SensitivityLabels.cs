using HybridAI.Contracts.Common.V1;

namespace HybridAI.Retrieval.Labels;

/// <summary>
/// Sensitivity labels of documents and FAQ pairs, ordered public &lt; internal &lt; confidential &lt; restricted. The
/// router raises a request's data class to the highest label among the chunks it uses.
/// </summary>
public static class SensitivityLabels
{
    public static readonly IReadOnlyList<string> Names = ["public", "internal", "confidential", "restricted"];

    /// <summary>Parses <c>public</c>, <c>internal</c>, <c>confidential</c> or <c>restricted</c> (any case), or a proto name.</summary>
    public static bool TryParse(string? value, out DataClass label)
    {
        label = (value ?? "").Trim().ToLowerInvariant() switch
        {
            "public" or "data_class_public" => DataClass.Public,
            "internal" or "data_class_internal" => DataClass.Internal,
            "confidential" or "data_class_confidential" => DataClass.Confidential,
            "restricted" or "data_class_restricted" => DataClass.Restricted,
            _ => DataClass.Unspecified,
        };
        return label != DataClass.Unspecified;
    }

    public static string Name(DataClass label) => label switch
    {
        DataClass.Public => "public",
        DataClass.Internal => "internal",
        DataClass.Confidential => "confidential",
        DataClass.Restricted => "restricted",
        _ => "unspecified",
    };

    public static bool IsDefined(DataClass label) => label is >= DataClass.Public and <= DataClass.Restricted;

    public static string Expected => "public, internal, confidential or restricted";
}
