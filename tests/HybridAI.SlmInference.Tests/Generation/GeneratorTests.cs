using HybridAI.SlmInference.Core.Generation;
using HybridAI.Testing.Models;

namespace HybridAI.SlmInference.Tests.Generation;

public sealed class GeneratorTests(GeneratorFixture fixture) : IClassFixture<GeneratorFixture>
{
    private static readonly int[] Prompt = [104, 101, 108, 108, 111, 32, 119]; // "hello w" as single bytes

    [Fact]
    public void KvCacheDecodingYieldsExactlyTheTokensOfFullRecomputation()
    {
        var (_, model) = fixture.Load();
        using (model)
        {
            foreach (var seed in new ulong[] { 1, 2, 3 })
            {
                var request = new GenerationRequest { PromptIds = Prompt, MaxTokens = 24, Temperature = 0.8, TopP = 0.95, Seed = seed };
                var cached = Tokens(Run(model, request));
                var recomputed = Tokens(Run(model, request with { UseKvCache = false }));
                Assert.Equal(recomputed, cached);
            }

            var greedy = new GenerationRequest { PromptIds = Prompt, MaxTokens = 24 };
            Assert.Equal(Tokens(Run(model, greedy with { UseKvCache = false })), Tokens(Run(model, greedy)));
        }
    }

    [Fact]
    public void GreedyTokensAndLogProbabilitiesMatchTheReferenceComputation()
    {
        var (decoder, model) = fixture.Load();
        using (model)
        {
            var sequence = Prompt.ToList();
            var events = Run(model, new GenerationRequest { PromptIds = Prompt, MaxTokens = 12 }).ToList();
            foreach (var token in events.OfType<GeneratedToken>())
            {
                var logits = decoder.Logits(sequence);
                var best = Array.IndexOf(logits, logits.Max());
                Assert.Equal(best, token.TokenId);
                Assert.Equal(LogSoftmax(logits, best), token.LogProbability, 3);
                sequence.Add(token.TokenId);
            }

            var done = Assert.IsType<GenerationFinished>(events[^1]);
            Assert.Equal(Prompt.Length, done.PromptTokens);
            Assert.Equal(events.OfType<GeneratedToken>().Average(t => (double)t.LogProbability), done.MeanLogProbability, 5);
        }
    }

    [Fact]
    public void StopsAtEndOfSequenceWithoutStreamingIt()
    {
        // After a 7-token prompt the script forces "hello" then <|im_end|>.
        var (_, model) = fixture.Load(new TinyDecoderOptions { Script = Scripted(Prompt.Length, 259, TinyDecoder.ImEnd, 100) });
        using (model)
        {
            var events = Run(model, new GenerationRequest { PromptIds = Prompt, MaxTokens = 10 }).ToList();
            var tokens = events.OfType<GeneratedToken>().ToList();
            Assert.Equal([259], tokens.Select(t => t.TokenId));
            Assert.Equal("hello", tokens[0].Text);
            var done = Assert.IsType<GenerationFinished>(events[^1]);
            Assert.Equal(FinishReasons.EndOfSequence, done.FinishReason);
            Assert.Equal(2, done.CompletionTokens);
        }
    }

    [Fact]
    public void StopsAtMaxTokensWithLengthReason()
    {
        var (_, model) = fixture.Load();
        using (model)
        {
            var events = Run(model, new GenerationRequest { PromptIds = Prompt, MaxTokens = 5 }).ToList();
            Assert.Equal(5, events.OfType<GeneratedToken>().Count(t => t.TokenId < TinyDecoder.EndOfText) + events.OfType<GeneratedToken>().Count(t => t.TokenId > TinyDecoder.EndOfText && t.TokenId != TinyDecoder.ImEnd));
            Assert.Equal(FinishReasons.Length, Assert.IsType<GenerationFinished>(events[^1]).FinishReason);
        }
    }

    [Fact]
    public void StopSequenceEndsGenerationAndIsNotReturned()
    {
        // Script: "hello", " world", "!" then more; stop at " wor" cuts inside " world".
        var (_, model) = fixture.Load(new TinyDecoderOptions { Script = Scripted(Prompt.Length, 259, 264, 33, 33, 33) });
        using (model)
        {
            var events = Run(model, new GenerationRequest { PromptIds = Prompt, MaxTokens = 10, Stop = [" wor"] }).ToList();
            var text = string.Concat(events.OfType<GeneratedToken>().Select(t => t.Text));
            Assert.Equal("hello", text);
            var done = Assert.IsType<GenerationFinished>(events[^1]);
            Assert.Equal(FinishReasons.Stop, done.FinishReason);
            Assert.Equal(2, done.CompletionTokens);
        }
    }

    [Fact]
    public void StopSequenceInsideOneTokenKeepsTheTextBeforeIt()
    {
        var (_, model) = fixture.Load(new TinyDecoderOptions { Script = Scripted(Prompt.Length, 259, 264, 33) });
        using (model)
        {
            var events = Run(model, new GenerationRequest { PromptIds = Prompt, MaxTokens = 10, Stop = ["rld!"] }).ToList();
            var tokens = events.OfType<GeneratedToken>().ToList();
            Assert.Equal("hello wo", string.Concat(tokens.Select(t => t.Text)));
            Assert.Equal([259, 264], tokens.Select(t => t.TokenId));
        }
    }

    [Fact]
    public void SamplingWithTheSameSeedRepeatsAndAnotherSeedDiffers()
    {
        var (_, model) = fixture.Load(new TinyDecoderOptions { WeightScale = 0.05f });
        using (model)
        {
            var request = new GenerationRequest { PromptIds = Prompt, MaxTokens = 20, Temperature = 1.5, Seed = 42 };
            var first = Tokens(Run(model, request));
            Assert.Equal(first, Tokens(Run(model, request)));
            Assert.NotEqual(first, Tokens(Run(model, request with { Seed = 43 })));
        }
    }

    [Fact]
    public void TopPSamplesOnlyFromTheNucleus()
    {
        var (decoder, model) = fixture.Load();
        using (model)
        {
            for (ulong seed = 0; seed < 10; seed++)
            {
                var sequence = Prompt.ToList();
                foreach (var token in Run(model, new GenerationRequest { PromptIds = Prompt, MaxTokens = 6, Temperature = 1, TopP = 0.5, Seed = seed }).OfType<GeneratedToken>())
                {
                    Assert.Contains(token.TokenId, Nucleus(decoder.Logits(sequence), 0.5));
                    sequence.Add(token.TokenId);
                }
            }
        }
    }

    [Fact]
    public void StreamsTokensInOrderWithTextThatConcatenatesToTheDecodedOutput()
    {
        // "é" is two bytes (0xC3 0xA9): the first token adds no text, the second adds "é".
        var (_, model) = fixture.Load(new TinyDecoderOptions { Script = Scripted(Prompt.Length, 0xC3, 0xA9, 259) });
        using (model)
        {
            var tokens = Run(model, new GenerationRequest { PromptIds = Prompt, MaxTokens = 3 }).OfType<GeneratedToken>().ToList();
            Assert.Equal(["", "é", "hello"], tokens.Select(t => t.Text));
            Assert.Equal(TinyDecoder.Decode(tokens.Select(t => t.TokenId)), string.Concat(tokens.Select(t => t.Text)));
        }
    }

    [Fact]
    public void Float16CacheModelsGenerateTheSameScriptedTokens()
    {
        var script = Scripted(Prompt.Length, 259, 264, 33, TinyDecoder.ImEnd);
        var (_, model) = fixture.Load(new TinyDecoderOptions { Script = script, Float16Cache = true });
        using (model)
        {
            Assert.Equal([259, 264, 33], Tokens(Run(model, new GenerationRequest { PromptIds = Prompt, MaxTokens = 10 })));
        }
    }

    [Fact]
    public void ContextWindowEndsGenerationWithLengthReason()
    {
        var (_, model) = fixture.Load(new TinyDecoderOptions { ContextWindow = 10 });
        using (model)
        {
            var events = Run(model, new GenerationRequest { PromptIds = Prompt, MaxTokens = 50 }).ToList();
            var done = Assert.IsType<GenerationFinished>(events[^1]);
            Assert.Equal(FinishReasons.Length, done.FinishReason);
            Assert.Equal(3, done.CompletionTokens);
            Assert.Throws<ArgumentException>(() => Run(model, new GenerationRequest { PromptIds = new int[10], MaxTokens = 1 }).ToList());
        }
    }

    [Fact]
    public void ChatMessagesRenderThroughTheTemplateIntoSpecialTokens()
    {
        var (_, model) = fixture.Load();
        using (model)
        {
            var ids = model.EncodeChat([new Core.Templates.ChatTurn("user", "hello")]);
            Assert.Equal(TinyDecoder.ImStart, ids[0]);
            Assert.Equal("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nhello<|im_end|>\n<|im_start|>assistant\n", TinyDecoder.Decode(ids));
            Assert.Contains(259, ids);
        }
    }

    /// <summary>Script entries: after a prompt of <paramref name="promptLength"/> tokens, generated token j is tokens[j].</summary>
    private static Dictionary<int, int> Scripted(int promptLength, params int[] tokens) =>
        tokens.Select((token, j) => (Position: promptLength - 1 + j, token)).ToDictionary(x => x.Position, x => x.token);

    private static IEnumerable<GenerationEvent> Run(GeneratorModel model, GenerationRequest request) =>
        model.Generate(request, TestContext.Current.CancellationToken);

    private static List<int> Tokens(IEnumerable<GenerationEvent> events) => events.OfType<GeneratedToken>().Select(t => t.TokenId).ToList();

    private static double LogSoftmax(double[] logits, int index)
    {
        var max = logits.Max();
        return logits[index] - max - Math.Log(logits.Sum(z => Math.Exp(z - max)));
    }

    private static HashSet<int> Nucleus(double[] logits, double topP)
    {
        var max = logits.Max();
        var probabilities = logits.Select(z => Math.Exp(z - max)).ToArray();
        var total = probabilities.Sum();
        var nucleus = new HashSet<int>();
        var cumulative = 0d;
        foreach (var i in Enumerable.Range(0, logits.Length).OrderByDescending(i => probabilities[i]))
        {
            nucleus.Add(i);
            cumulative += probabilities[i] / total;
            if (cumulative >= topP - 1e-6)
            {
                break;
            }
        }

        return nucleus;
    }
}
