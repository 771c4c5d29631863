using HybridAI.Contracts.Common.V1;

namespace HybridAI.Router.Policy;

/// <summary>Data class names as written in rules, headers and the HTTP API (<c>public</c>, <c>internal</c>, …).</summary>
public static class DataClasses
{
    public static string Name(DataClass value) => value switch
    {
        DataClass.Internal => "internal",
        DataClass.Confidential => "confidential",
        DataClass.Restricted => "restricted",
        _ => "public",
    };

    public static bool TryParse(string? text, out DataClass value)
    {
        value = (text ?? "").Trim().ToLowerInvariant() switch
        {
            "public" or "data_class_public" => DataClass.Public,
            "internal" or "data_class_internal" => DataClass.Internal,
            "confidential" or "data_class_confidential" => DataClass.Confidential,
            "restricted" or "data_class_restricted" => DataClass.Restricted,
            _ => DataClass.Unspecified,
        };
        return value != DataClass.Unspecified;
    }

    /// <summary>Sensitive data (confidential and above) never reaches an external target unredacted.</summary>
    public static bool IsSensitive(DataClass value) => value >= DataClass.Confidential;

    public static DataClass Max(DataClass a, DataClass b) => a >= b ? a : b;
}
