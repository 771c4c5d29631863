using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Router.Pipeline;
using HybridAI.Router.Policy;
using HybridAI.Router.Privacy;
using HybridAI.Router.Signals;

namespace HybridAI.Router.Tools;

/// <summary>
/// The tenant's PII policy applied to a tool result before an external model reads it, as it applies to prompts:
/// confidential data or above is replaced by the request's typed placeholders (restored in the answer) under
/// <c>redact</c>, and withheld altogether under <c>local_only</c> and <c>block</c>. Results going only to local
/// targets are passed unchanged (the data does not leave).
/// </summary>
public sealed class ToolResultPrivacy(IPiiScanner scanner)
{
    public PrivacyOutcome Apply(RoutedRequest request, string text, IRedaction? redaction)
    {
        if (!request.Chain.HasExternal || text.Length == 0)
        {
            return new PrivacyOutcome(text, Withheld: false, []);
        }

        var findings = scanner.Detect(text);
        var dataClass = DataClass.Public;
        foreach (var f in findings)
        {
            dataClass = DataClasses.Max(dataClass, scanner.ClassOf(f.Type));
        }

        if (dataClass < DataClass.Confidential)
        {
            return new PrivacyOutcome(text, Withheld: false, []);
        }

        var types = findings.Select(f => f.Type).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (request.Tenant?.PiiMode is PiiMode.LocalOnly or PiiMode.Block || redaction is null)
        {
            return new PrivacyOutcome(
                ToolErrors.Json($"The tool's result contains {string.Join(", ", types)} data, which this tenant's policy keeps away from external models; it was withheld."),
                Withheld: true, types);
        }

        var redacted = redaction.Redact(text, findings, []);
        request.Redacted = true;
        foreach (var type in types)
        {
            request.RedactionTypes.Add(type);
        }

        return new PrivacyOutcome(redacted, Withheld: false, types);
    }
}

/// <summary>The text a model may read, whether it was withheld, and the entity types that were redacted or withheld.</summary>
public sealed record PrivacyOutcome(string Text, bool Withheld, IReadOnlyList<string> Types);

/// <summary>Tool results that tell the model what went wrong, as JSON it can read.</summary>
public static class ToolErrors
{
    /// <summary><c>{"error": message}</c>. Escaping is relaxed (quotes and apostrophes stay readable): a model reads it, no browser.</summary>
    public static string Json(string message)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(message.Length + 16);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("error", message);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
