using System.Security.Cryptography;
using System.Text;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Collections;
using HybridAI.Retrieval.Errors;
using HybridAI.Retrieval.Ingestion.Chunking;
using HybridAI.Retrieval.Ingestion.Extraction;
using HybridAI.Retrieval.Labels;

namespace HybridAI.Retrieval.Ingestion;

/// <summary>A validated document, extracted and chunked, with the hash that decides whether it must be re-embedded.</summary>
public sealed record PreparedDocument(string Id, DataClass Label, IReadOnlyDictionary<string, string> Metadata, ExtractedDocument Extracted,
    IReadOnlyList<Chunk> Chunks, string ContentHash);

/// <summary>
/// Checks, extracts and chunks every document of a request before anything is stored, so a bad document refuses the
/// whole request with every problem named and nothing partially stored.
/// </summary>
public sealed class DocumentPreparation(Chunker chunker, RetrievalOptions options)
{
    private const string ChunkerVersion = "chunker-1";

    private enum Kind
    {
        Invalid,
        TooLarge,
        Unsupported,
    }

    public IReadOnlyList<PreparedDocument> Prepare(IReadOnlyList<Document> documents, string embeddingModel)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var problems = new List<(Problem Problem, Kind Kind)>();
        if (documents.Count == 0)
        {
            problems.Add((new Problem("documents", "must contain at least one document."), Kind.Invalid));
        }
        else if (documents.Count > options.Limits.MaxDocumentsPerRequest)
        {
            problems.Add((new Problem("documents", $"has {documents.Count} documents; at most {options.Limits.MaxDocumentsPerRequest} per request (Retrieval:Limits:MaxDocumentsPerRequest)."), Kind.TooLarge));
        }

        var prepared = new List<PreparedDocument>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < documents.Count && problems.Count < 50; i++)
        {
            var field = $"documents[{i}]";
            try
            {
                var document = Prepare(documents[i], field, embeddingModel);
                if (!ids.Add(document.Id))
                {
                    problems.Add((new Problem($"{field}.id", $"'{ResourceRules.Truncate(document.Id)}' appears more than once in the request."), Kind.Invalid));
                }

                prepared.Add(document);
            }
            catch (ValidationFailedException e)
            {
                problems.AddRange(e.Problems.Select(p => (p, Kind.Invalid)));
            }
            catch (PayloadTooLargeException e)
            {
                problems.Add((new Problem(field, e.Message), Kind.TooLarge));
            }
            catch (UnsupportedMediaTypeException e)
            {
                problems.Add((new Problem(field, e.Message), Kind.Unsupported));
            }
        }

        if (problems.Count == 0)
        {
            return prepared;
        }

        // One kind of problem keeps its own status (413, 415); a mixture is a 400 naming all of them.
        var kinds = problems.Select(p => p.Kind).Distinct().ToList();
        var message = string.Join(" ", problems.Select(p => p.Problem));
        throw kinds switch
        {
            [Kind.TooLarge] => new PayloadTooLargeException(message),
            [Kind.Unsupported] => new UnsupportedMediaTypeException(message),
            _ => new ValidationFailedException(documents.Count == 1 ? "The document" : "The documents", [.. problems.Select(p => p.Problem)]),
        };
    }

    private PreparedDocument Prepare(Document document, string field, string embeddingModel)
    {
        var problems = new List<Problem>();
        var size = document.ContentCase switch
        {
            Document.ContentOneofCase.Text => Encoding.UTF8.GetByteCount(document.Text),
            Document.ContentOneofCase.Data => document.Data.Length,
            _ => 0,
        };
        if (size > options.Limits.MaxDocumentBytes)
        {
            throw new PayloadTooLargeException($"The document is {size} bytes; the limit is {options.Limits.MaxDocumentBytes} (Retrieval:Limits:MaxDocumentBytes).");
        }

        if (document.Id.Length > 0)
        {
            ResourceRules.CheckId(document.Id, $"{field}.id", problems);
        }

        var label = document.Label;
        if (label == DataClass.Unspecified)
        {
            label = options.ResolvedDefaultLabel;
        }
        else if (!SensitivityLabels.IsDefined(label))
        {
            problems.Add(new Problem($"{field}.label", $"must be {SensitivityLabels.Expected}."));
        }

        ResourceRules.CheckMetadata(document.Metadata, options.Limits.MaxMetadataEntries, $"{field}.metadata", problems);
        if (document.ContentCase == Document.ContentOneofCase.None || size == 0)
        {
            problems.Add(new Problem(field, "is empty: send text, html or markdown, or a file."));
        }

        ValidationFailedException.ThrowIfAny("The document", problems);
        var format = DocumentExtractor.Resolve(document.Format, null, document.FileName, document.ContentCase == Document.ContentOneofCase.Text);
        var fallbackTitle = document.FileName.Length > 0 ? Path.GetFileNameWithoutExtension(document.FileName) : document.Id;
        document.Metadata.TryGetValue("title", out var title);
        var extracted = DocumentExtractor.Extract(format, document.ContentCase == Document.ContentOneofCase.Text ? document.Text : null,
            document.ContentCase == Document.ContentOneofCase.Data ? document.Data.Memory : default, title, fallbackTitle, field);
        if (string.IsNullOrWhiteSpace(extracted.Text))
        {
            throw new ValidationFailedException("The document", [new Problem(field, $"has no text once extracted from {format.ToString().ToUpperInvariant()}.")]);
        }

        var id = document.Id.Length > 0 ? document.Id
            : document.FileName.Length > 0 ? ResourceRules.Truncate(Path.GetFileName(document.FileName))
            : "doc-" + Hash(extracted.Text)[..16];
        if (extracted.Title.Length == 0)
        {
            extracted = extracted with { Title = id };
        }

        var chunks = chunker.Split(extracted);
        if (chunks.Count > options.Limits.MaxChunksPerDocument)
        {
            throw new PayloadTooLargeException($"The document makes {chunks.Count} chunks; the limit is {options.Limits.MaxChunksPerDocument} (Retrieval:Limits:MaxChunksPerDocument).");
        }

        var chunking = chunker.Options;
        var hash = Hash($"{ChunkerVersion}\n{chunking.MaxTokens}/{chunking.OverlapTokens}/{chunking.TitleTokens}\n{embeddingModel}\n{extracted.Title}\n{extracted.Text}");
        return new PreparedDocument(id, label, new Dictionary<string, string>(document.Metadata, StringComparer.Ordinal), extracted, chunks, hash);
    }

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
