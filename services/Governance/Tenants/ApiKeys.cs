using System.Security.Cryptography;
using System.Text;

namespace HybridAI.Governance.Tenants;

/// <summary>
/// API key material. Issued keys look like <c>hai_&lt;lookup&gt;_&lt;secret&gt;</c>: the lookup (12 base32 characters,
/// 60 bits) finds the stored record without scanning, the secret is 256 random bits. Only a salted hash is stored:
/// HMAC-SHA256 keyed with a per-key random salt. A slow password hash (PBKDF2, Argon2) would add milliseconds to
/// every authorisation and buys nothing here: it protects guessable secrets, and 256 random bits cannot be guessed.
/// Keys that do not follow the format (the development key given as an AppHost parameter) are looked up by a
/// digest of the whole key instead.
/// </summary>
public static class ApiKeys
{
    public const string Prefix = "hai_";
    public const int LookupLength = 12;
    public const int SaltBytes = 16;
    public const int MaxKeyLength = 256;

    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>A new key and its lookup.</summary>
    public static (string Key, string Lookup) Generate()
    {
        var lookup = RandomBase32(LookupLength);
        var secret = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return ($"{Prefix}{lookup}_{secret}", lookup);
    }

    /// <summary>An identifier for admin APIs, unrelated to the key material.</summary>
    public static string NewKeyId() => $"key_{RandomBase32(16)}";

    /// <summary>The lookup of a presented key, or null when it cannot be a key at all.</summary>
    public static string? LookupOf(string key)
    {
        if (key.Length is < 16 or > MaxKeyLength)
        {
            return null;
        }

        if (key.StartsWith(Prefix, StringComparison.Ordinal) && key.Length > Prefix.Length + LookupLength + 1
            && key[Prefix.Length + LookupLength] == '_')
        {
            var lookup = key.Substring(Prefix.Length, LookupLength);
            return lookup.All(c => Base32.Contains(c, StringComparison.Ordinal)) ? lookup : null;
        }

        // Imported keys (not issued here): a digest of the whole key, prefixed so it never collides with an issued lookup.
        return "x" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..(LookupLength * 2)];
    }

    /// <summary>What is shown in lists: enough to recognise a key, never enough to use it.</summary>
    public static string DisplayPrefix(string lookup) =>
        lookup.StartsWith('x') ? $"(imported) {lookup[1..9]}" : $"{Prefix}{lookup}";

    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(SaltBytes);

    public static byte[] Hash(string key, byte[] salt)
    {
        Span<byte> buffer = stackalloc byte[MaxKeyLength * 3];
        var length = Encoding.UTF8.GetBytes(key, buffer);
        return HMACSHA256.HashData(salt, buffer[..length]);
    }

    public static bool Verify(string key, byte[] salt, byte[] expectedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(key, salt), expectedHash);

    /// <summary>Compares two secrets in time that does not depend on where they differ.</summary>
    public static bool FixedTimeEquals(string presented, string expected)
    {
        // Hashing first makes the comparison length-independent as well.
        var a = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var b = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    private static string RandomBase32(int length)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Base32[RandomNumberGenerator.GetInt32(Base32.Length)];
        }

        return new string(chars);
    }
}
