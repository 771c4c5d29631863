using System.Collections.Frozen;
using HybridAI.Contracts.Common.V1;

namespace HybridAI.Pii;

/// <summary>
/// How findings set a text's data class: the most sensitive finding wins, and a text without findings is
/// public. The default mapping can be replaced per deployment (Router policy configuration).
/// </summary>
public sealed class DataClassPolicy
{
    public static DataClassPolicy Default { get; } = new(new Dictionary<string, DataClass>
    {
        [PiiEntityTypes.CreditCard] = DataClass.Restricted,
        [PiiEntityTypes.Iban] = DataClass.Restricted,
        [PiiEntityTypes.UsSsn] = DataClass.Restricted,
        [PiiEntityTypes.Email] = DataClass.Confidential,
        [PiiEntityTypes.PhoneNumber] = DataClass.Confidential,
        [PiiEntityTypes.Person] = DataClass.Confidential,
        [PiiEntityTypes.StreetAddress] = DataClass.Confidential,
        [PiiEntityTypes.DateOfBirth] = DataClass.Confidential,
        [PiiEntityTypes.PostalCode] = DataClass.Internal,
        // Personal data under the GDPR (CJEU C-582/14, Breyer): redacted or kept local like other identifiers.
        [PiiEntityTypes.IpAddress] = DataClass.Confidential,
        [PiiEntityTypes.Url] = DataClass.Internal,
    });

    private readonly FrozenDictionary<string, DataClass> _classes;

    public DataClassPolicy(IReadOnlyDictionary<string, DataClass> classes) =>
        _classes = classes.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The class of one entity type (unknown types count as confidential: err on the side of care).</summary>
    public DataClass ClassOf(string type) => _classes.GetValueOrDefault(type, DataClass.Confidential);

    /// <summary>The class of a text with these findings.</summary>
    public DataClass Classify(IEnumerable<PiiFinding> findings)
    {
        var result = DataClass.Public;
        foreach (var finding in findings)
        {
            var c = ClassOf(finding.Type);
            if (c > result)
            {
                result = c;
            }
        }

        return result;
    }
}
