using HybridAI.Contracts.Common.V1;
using HybridAI.Pii;
using HybridAI.Pii.Redaction;
using HybridAI.Router.Signals;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Privacy;

/// <summary>
/// The router's PII scanner: the shipped recognizers of <c>HybridAI.Pii</c>, in process, one instance for all requests,
/// keeping the findings of <c>Router:Signals:PiiProfile</c> (suspected ones too, by default).
/// </summary>
internal sealed class PiiScanner(IOptions<RouterOptions> options) : IPiiScanner
{
    private readonly PiiDetector _detector = new(options.Value.Signals.PiiProfile == PiiProfile.Recall
        ? Math.Min(PiiScores.Suspected, options.Value.Signals.PiiMinimumScore)
        : options.Value.Signals.PiiMinimumScore);
    private readonly DataClassPolicy _classes = DataClassPolicy.Default;

    public IReadOnlyList<TextFinding> Detect(string text)
    {
        var findings = _detector.Detect(text);
        if (findings.Count == 0)
        {
            return [];
        }

        var result = new TextFinding[findings.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var f = findings[i];
            result[i] = new TextFinding(f.Type, f.Start, f.End, f.Score);
        }

        return result;
    }

    public DataClass ClassOf(string entityType) => _classes.ClassOf(entityType);

    public bool IsConfident(TextFinding finding) => finding.Score >= options.Value.Signals.PiiMinimumScore;
}

/// <summary>Typed-placeholder redaction (<c>&lt;PERSON_1&gt;</c>) backed by one <see cref="RedactionMap"/> per request.</summary>
internal sealed class PlaceholderRedactionFactory : IRedactionFactory
{
    public IRedaction Begin() => new PlaceholderRedaction();

    private sealed class PlaceholderRedaction : IRedaction
    {
        private readonly RedactionMap _map = new();

        public string Redact(string text, IReadOnlyList<TextFinding> findings, List<string> placeholders)
        {
            if (findings.Count == 0)
            {
                return text;
            }

            var converted = new HybridAI.Pii.PiiFinding[findings.Count];
            for (var i = 0; i < converted.Length; i++)
            {
                var f = findings[i];
                converted[i] = new HybridAI.Pii.PiiFinding(f.Type, f.Start, f.End, f.Score);
                placeholders.Add(_map.PlaceholderFor(f.Type, text[f.Start..f.End]));
            }

            return Redactor.Redact(text, converted, _map);
        }

        public string Restore(string text) => _map.Count == 0 ? text : _map.Restore(text);

        public IStreamRestorer StreamRestorer() => new Restorer(new StreamingRestorer(_map));

        private sealed class Restorer(StreamingRestorer inner) : IStreamRestorer
        {
            public string Push(string chunk) => inner.Push(chunk);

            public string Flush() => inner.Flush();
        }
    }
}

internal static class PrivacyRegistration
{
    public static IServiceCollection AddRouterPrivacy(this IServiceCollection services)
    {
        services.AddSingleton<IPiiScanner, PiiScanner>();
        services.AddSingleton<IRedactionFactory, PlaceholderRedactionFactory>();
        return services;
    }
}
