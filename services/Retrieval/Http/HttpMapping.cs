using System.Text.Json;
using Google.Protobuf;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Errors;
using HybridAI.Retrieval.Labels;
using Format = HybridAI.Contracts.Retrieval.V1.DocumentFormat;

namespace HybridAI.Retrieval.Http;

/// <summary>Converts HTTP bodies to the gRPC messages the services take, and their answers back.</summary>
public static class HttpMapping
{
    public static CreateCollectionRequest ToRequest(CreateCollectionBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var problems = new List<Problem>();
        var request = new CreateCollectionRequest
        {
            Name = body.Name ?? "",
            Kind = body.Kind?.ToLowerInvariant() switch
            {
                null or "" or "documents" => CollectionKind.Documents,
                "faq" => CollectionKind.Faq,
                _ => Invalid(problems, "kind", $"must be documents or faq, not '{body.Kind}'.", CollectionKind.Unspecified),
            },
        };
        if (body.FaqThreshold is { } threshold)
        {
            request.FaqThreshold = threshold;
        }

        ValidationFailedException.ThrowIfAny("The collection", problems);
        return request;
    }

    public static Document ToDocument(DocumentBody body, string field, List<Problem> problems)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(problems);
        var document = new Document { Id = body.Id ?? "", Label = Label(body.Label, $"{field}.label", problems) };
        var contents = new[] { (body.Text, Format.Text), (body.Html, Format.Html), (body.Markdown, Format.Markdown) }
            .Where(c => c.Item1 is not null).ToList();
        if (contents.Count != 1)
        {
            problems.Add(new Problem(field, contents.Count == 0 ? "needs one of text, html or markdown." : "must have only one of text, html or markdown."));
        }
        else
        {
            document.Text = contents[0].Item1;
            document.Format = contents[0].Item2;
        }

        AddMetadata(document.Metadata, body.Metadata);
        if (body.Title is { Length: > 0 } title)
        {
            document.Metadata["title"] = title;
        }

        return document;
    }

    public static Contracts.Retrieval.V1.Faq ToFaq(FaqBody body, string field, List<Problem> problems)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(problems);
        var faq = new Contracts.Retrieval.V1.Faq
        {
            Id = body.Id ?? "",
            Question = body.Question ?? "",
            Answer = body.Answer ?? "",
            Label = Label(body.Label, $"{field}.label", problems),
        };
        AddMetadata(faq.Metadata, body.Metadata);
        return faq;
    }

    public static SearchRequest ToRequest(string collection, SearchBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var problems = new List<Problem>();
        var request = new SearchRequest
        {
            Collection = collection,
            Query = body.Query ?? "",
            TopK = body.TopK ?? 0,
            MinScore = body.MinScore ?? 0,
            MaxLabel = body.MaxLabel is null ? DataClass.Unspecified : Label(body.MaxLabel, "max_label", problems),
            Mode = body.Mode?.ToLowerInvariant() switch
            {
                null or "" or "hybrid" => SearchMode.Hybrid,
                "vector" => SearchMode.Vector,
                "keyword" => SearchMode.Keyword,
                _ => Invalid(problems, "mode", $"must be hybrid, vector or keyword, not '{body.Mode}'.", SearchMode.Hybrid),
            },
        };
        if (body.VectorWeight is { } weight)
        {
            request.VectorWeight = weight;
        }

        if (body.TopK is 0)
        {
            problems.Add(new Problem("top_k", "must be at least 1."));
        }

        AddMetadata(request.Filter, body.Filter);
        ValidationFailedException.ThrowIfAny("The search", problems);
        return request;
    }

    public static CollectionView View(Collection c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new CollectionView(c.Name, c.Kind == CollectionKind.Faq ? "faq" : "documents", c.DocumentCount, c.ChunkCount, c.EmbeddingModel, c.Dimensions,
            c.Kind == CollectionKind.Faq ? c.FaqThreshold : null, c.CreatedAt?.ToDateTimeOffset() ?? default);
    }

    public static SearchView View(SearchResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new SearchView([.. response.Results.Select(r => new SearchResultView(r.DocumentId, r.ChunkId, r.Title, r.Text, r.Score, r.VectorScore, r.KeywordScore,
            SensitivityLabels.Name(r.Label), r.Start, r.End, r.Metadata))], response.Results.Count == 0 ? null : SensitivityLabels.Name(response.HighestLabel));
    }

    public static FaqMatchResultView View(MatchFaqResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new FaqMatchResultView(response.Match is { } m ? new FaqMatchView(m.Id, m.Question, m.Answer, m.Score, SensitivityLabels.Name(m.Label)) : null);
    }

    public static DataClass Label(string? value, string field, List<Problem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (value is null)
        {
            return DataClass.Unspecified;
        }

        return SensitivityLabels.TryParse(value, out var label)
            ? label
            : Invalid(problems, field, $"must be {SensitivityLabels.Expected}, not '{value}'.", DataClass.Unspecified);
    }

    /// <summary>A <c>metadata</c> form field: a JSON object of strings.</summary>
    public static Dictionary<string, string>? ParseMetadata(string? json, string field, List<Problem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json, HttpJson.Options);
        }
        catch (JsonException)
        {
            problems.Add(new Problem(field, "must be a JSON object of string values, such as {\"team\":\"support\"}."));
            return null;
        }
    }

    private static void AddMetadata(Google.Protobuf.Collections.MapField<string, string> target, Dictionary<string, string>? source)
    {
        foreach (var (key, value) in source ?? [])
        {
            target[key] = value ?? "";
        }
    }

    private static T Invalid<T>(List<Problem> problems, string field, string description, T fallback)
    {
        problems.Add(new Problem(field, description));
        return fallback;
    }

    public static ByteString Bytes(byte[] data) => ByteString.CopyFrom(data);
}
