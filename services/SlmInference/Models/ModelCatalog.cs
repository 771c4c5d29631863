using HybridAI.Contracts.Inference.V1;
using HybridAI.SlmInference.Core.Models;

namespace HybridAI.SlmInference.Models;

/// <summary>ListModels: what is loaded, on which provider, with which file hash.</summary>
internal static class ModelCatalog
{
    public static ListModelsResponse Describe(ModelRegistry registry)
    {
        var response = new ListModelsResponse();
        foreach (var encoder in registry.Encoders.Values.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            response.Models.Add(new ModelInfo
            {
                Name = encoder.Name,
                Kind = Contracts.Inference.V1.ModelKind.Encoder,
                Dimensions = encoder.Dimensions,
                ExecutionProvider = encoder.ExecutionProvider,
                Sha256 = encoder.Sha256,
                MaxSequenceLength = encoder.MaxSequenceLength,
                VocabSize = encoder.Tokenizer.VocabularySize,
            });
        }

        foreach (var head in registry.Heads.Values.OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            var encoder = registry.Encoders[head.EncoderName];
            var info = new ModelInfo
            {
                Name = head.Name,
                Kind = Contracts.Inference.V1.ModelKind.Head,
                Dimensions = encoder.Dimensions,
                ExecutionProvider = encoder.ExecutionProvider,
                Sha256 = head.Sha256,
                MaxSequenceLength = encoder.MaxSequenceLength,
                Encoder = encoder.Name,
            };
            info.Labels.AddRange(head.Labels);
            response.Models.Add(info);
        }

        foreach (var generator in registry.Generators.Values.OrderBy(g => g.Name, StringComparer.Ordinal))
        {
            response.Models.Add(new ModelInfo
            {
                Name = generator.Name,
                Kind = Contracts.Inference.V1.ModelKind.Generator,
                ExecutionProvider = generator.ExecutionProvider,
                Sha256 = generator.Sha256,
                MaxSequenceLength = generator.ContextWindow,
                VocabSize = generator.VocabularySize,
            });
        }

        return response;
    }
}
