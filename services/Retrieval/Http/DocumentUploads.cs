using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Errors;
using Microsoft.AspNetCore.Http.Features;
using Format = HybridAI.Contracts.Retrieval.V1.DocumentFormat;

namespace HybridAI.Retrieval.Http;

/// <summary>
/// Multipart uploads: one document per file part; the form fields <c>id</c> (one file only; otherwise each file's name
/// is its id), <c>label</c> and <c>metadata</c> (a JSON object) apply to the files. The format comes from each part's
/// content type or file name.
/// </summary>
public static class DocumentUploads
{
    public static async Task<List<Document>> ReadAsync(HttpRequest request, LimitsOptions limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);
        request.HttpContext.Features.Set(new FormFeature(request, new FormOptions
        {
            MultipartBodyLengthLimit = limits.MaxRequestBytes,
            ValueLengthLimit = 1024 * 1024,
        }));
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
                ? new PayloadTooLargeException($"The upload exceeds a limit: {e.Message}")
                : new ValidationFailedException("The upload", [new Problem("", $"is not a valid multipart form: {e.Message}")]);
        }

        var problems = new List<Problem>();
        foreach (var key in form.Keys.Where(k => k is not ("id" or "label" or "metadata")))
        {
            problems.Add(new Problem(key, "is not a field of a document upload (fields: id, label, metadata, and the files)."));
        }

        if (form.Files.Count == 0)
        {
            problems.Add(new Problem("file", "is required: send the document as a file part."));
        }

        var id = form["id"].ToString();
        if (id.Length > 0 && form.Files.Count > 1)
        {
            problems.Add(new Problem("id", "applies to a single file; with several files each file's name is its id."));
        }

        var label = HttpMapping.Label(form.TryGetValue("label", out var l) ? l.ToString() : null, "label", problems);
        var metadata = HttpMapping.ParseMetadata(form["metadata"].ToString(), "metadata", problems);
        ValidationFailedException.ThrowIfAny("The upload", problems);

        var documents = new List<Document>();
        foreach (var file in form.Files)
        {
            if (file.Length > limits.MaxDocumentBytes)
            {
                throw new PayloadTooLargeException($"File '{file.FileName}' is {file.Length} bytes; the limit is {limits.MaxDocumentBytes} (Retrieval:Limits:MaxDocumentBytes).");
            }

            var format = Ingestion.Extraction.DocumentExtractor.Resolve(Format.Unspecified, file.ContentType, file.FileName, hasText: false);
            using var content = new MemoryStream((int)file.Length);
            await file.CopyToAsync(content, cancellationToken);
            var document = new Document
            {
                Id = id.Length > 0 ? id : Path.GetFileName(file.FileName),
                Format = format,
                Data = Google.Protobuf.ByteString.CopyFrom(content.GetBuffer().AsSpan(0, (int)content.Length)),
                Label = label,
                FileName = file.FileName,
            };
            foreach (var (key, value) in metadata ?? [])
            {
                document.Metadata[key] = value;
            }

            documents.Add(document);
        }

        return documents;
    }
}
