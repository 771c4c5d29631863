using System.Security.Cryptography;

namespace HybridAI.SlmInference.Core.Models;

/// <summary>Model file identity: the SHA-256 that ListModels reports and heads bind to.</summary>
public static class ModelFiles
{
    /// <summary>SHA-256 of a file as lower-case hex, streamed (model files are large).</summary>
    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
