using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace HybridAI.Edge.Gate;

/// <summary>Compares a presented key with <c>Edge:AdminApiKey</c> in constant time; an empty setting matches nothing.</summary>
public sealed class AdminKeyCheck(IOptions<EdgeOptions> options)
{
    public bool Matches(string presented)
    {
        var expected = options.Value.AdminApiKey;
        var a = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var b = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        // Hashes first, so the comparison's time depends on neither key's length.
        return CryptographicOperations.FixedTimeEquals(a, b) && expected.Length > 0;
    }
}
