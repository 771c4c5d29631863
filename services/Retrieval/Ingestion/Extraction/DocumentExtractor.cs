using System.Text;
using Format = HybridAI.Contracts.Retrieval.V1.DocumentFormat;
using HybridAI.Retrieval.Errors;

namespace HybridAI.Retrieval.Ingestion.Extraction;

/// <summary>Chooses a document's format (given, from its content type, or from its file name) and extracts its text.</summary>
public static class DocumentExtractor
{
    public const string DocxContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>What retrieval reads, for error messages.</summary>
    public const string Supported = "plain text (.txt, text/plain), Markdown (.md, text/markdown), HTML (.html, text/html) and DOCX (.docx)";

    /// <summary>The format of a document, or <see cref="UnsupportedMediaTypeException"/>.</summary>
    public static Format Resolve(Format format, string? contentType, string? fileName, bool hasText)
    {
        if (format != Format.Unspecified)
        {
            return format;
        }

        var type = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        var byType = type switch
        {
            "text/plain" => Format.Text,
            "text/markdown" or "text/x-markdown" => Format.Markdown,
            "text/html" or "application/xhtml+xml" => Format.Html,
            DocxContentType => Format.Docx,
            _ => Format.Unspecified,
        };
        if (byType != Format.Unspecified)
        {
            return byType;
        }

        var extension = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        var byName = extension switch
        {
            ".txt" or ".text" => Format.Text,
            ".md" or ".markdown" => Format.Markdown,
            ".html" or ".htm" or ".xhtml" => Format.Html,
            ".docx" => Format.Docx,
            _ => Format.Unspecified,
        };
        if (byName != Format.Unspecified)
        {
            return byName;
        }

        // Text sent without a type or name (a JSON "text" field) is plain text; a file of unknown type is refused.
        if (hasText && type is "" or "application/octet-stream" && extension.Length == 0)
        {
            return Format.Text;
        }

        var what = extension.Length > 0 ? $"'{extension}' files" : type.Length > 0 ? $"content type '{type}'" : "a file without a type or extension";
        throw new UnsupportedMediaTypeException($"Retrieval cannot read {what}. Supported: {Supported}.");
    }

    /// <summary>Extracts the text of a document whose content is <paramref name="text"/> or <paramref name="data"/>.</summary>
    /// <exception cref="ValidationFailedException">The content is not valid for its format.</exception>
    public static ExtractedDocument Extract(Format format, string? text, ReadOnlyMemory<byte> data, string? title, string fallbackTitle, string field)
    {
        if (format == Format.Docx)
        {
            if (data.IsEmpty)
            {
                throw Invalid(field, "DOCX content must be sent as a file or as bytes, not as text.");
            }

            try
            {
                using var stream = new MemoryStream(data.ToArray(), writable: false);
                return DocxExtractor.Extract(stream, title, fallbackTitle);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or global::DocumentFormat.OpenXml.Packaging.OpenXmlPackageException or System.Xml.XmlException or IOException)
            {
                throw Invalid(field, $"is not a readable DOCX file: {e.Message}");
            }
        }

        if (text is null)
        {
            try
            {
                text = StrictUtf8.GetString(data.Span);
            }
            catch (DecoderFallbackException)
            {
                throw Invalid(field, "is not UTF-8 text.");
            }

            text = text.TrimStart('\uFEFF');
        }

        return format switch
        {
            Format.Markdown => MarkdownExtractor.Extract(text, title, fallbackTitle),
            Format.Html => HtmlExtractor.Extract(text, title, fallbackTitle),
            _ => PlainTextExtractor.Extract(text, title, fallbackTitle),
        };
    }

    private static ValidationFailedException Invalid(string field, string description) =>
        new("The document", [new Problem(field, description)]);
}
