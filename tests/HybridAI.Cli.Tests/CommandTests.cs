using System.Text.Json;
using HybridAI.SlmInference.Core.Heads;
using HybridAI.SlmInference.Core.Models;
using HybridAI.SlmInference.Core.Runtime;
using HybridAI.Testing;

namespace HybridAI.Cli.Tests;

/// <summary>The tool end to end, in-process with the real encoder. Console output is captured, so these run alone.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class CommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("hybridai-cli-");

    private string Cache => Path.Combine(_dir.FullName, "cache");

    [Fact]
    public async Task TrainIntentWritesAHeadThatTheModelRegistryLoadsAndThatEvalScores()
    {
        var data = Path.Combine(_dir.FullName, "intents.csv");
        await File.WriteAllLinesAsync(data,
        [
            "text,label",
            "what are your opening hours?,faq", "how do I reset my password?,faq", "where is my invoice?,faq", "do you ship abroad?,faq",
            "what is the return policy?,faq", "how do I change my address?,faq",
            "translate this into German,translation", "how do you say thank you in French,translation", "translate to Spanish please,translation",
            "put this paragraph into Italian,translation", "what is this in English,translation", "translate the menu to Japanese,translation",
            "hi there,greeting", "hello!,greeting", "good morning,greeting", "hey how are you,greeting", "thanks bye,greeting", "hi again,greeting",
        ], TestContext.Current.CancellationToken);
        var head = Path.Combine(_dir.FullName, "intent.head.json");

        var (trainCode, trainOut) = await RunAsync("train", "intent", "--data", data, "--out", head, "--cache-dir", Cache, "--seed", "7");
        var (evalCode, evalOut) = await RunAsync("eval", "intent", "--head", head, "--data", data, "--cache-dir", Cache);

        Assert.True(trainCode == 0, trainOut);
        Assert.Contains("wrote", trainOut, StringComparison.Ordinal);
        Assert.Equal(0, evalCode);
        using var json = JsonDocument.Parse(evalOut.Trim().Split('\n')[^1]);
        Assert.True(json.RootElement.GetProperty("accuracy").GetDouble() > 0.9);
        Assert.Equal(18, json.RootElement.GetProperty("n").GetInt32());

        var file = HeadFile.Read(head);
        Assert.Equal(HeadPooling.MeanMax, file.Pooling);
        Assert.Equal(["faq", "greeting", "translation"], file.Labels);
        using var registry = ModelRegistry.Load(new OnnxSessionFactory(new SessionSettings { Device = HybridAI.SlmInference.Core.Runtime.InferenceDevice.Cpu }),
            Path.Combine(Cache, "models"), [new ModelSpec("intent", ModelKind.Head, head)]);
        Assert.True(registry.Heads.ContainsKey("intent"));
    }

    [Fact]
    public async Task TrainNeedsLlmWithTheGainTargetWritesAGainHeadThatTheRegistryLoadsAndEvalScores()
    {
        // 12 subjects of 8 prompts: hard calculus (half; only the large model is right), trivia (both right), riddles with
        // a trap (only the small model is right), so the gain must rank calculus first and riddles last.
        string[] kinds = ["Compute the definite integral of x^{0} sin(x) from 0 to pi, then differentiate the result.", "Name the capital city of country number {0} on the list.", "A riddle: what has {0} legs in the morning? Answer with one word."];
        var lines = new List<string>();
        for (var subject = 0; subject < 12; subject++)
        {
            for (var i = 0; i < 8; i++)
            {
                var kind = Math.Max(0, ((subject + i) % 4) - 1);
                var prompt = string.Format(System.Globalization.CultureInfo.InvariantCulture, kinds[kind], (subject * 8) + i + 2);
                lines.Add(JsonSerializer.Serialize(new { prompt, subject = $"s{subject}", weak_correct = kind != 0, strong_correct = kind != 2 }));
            }
        }

        var data = Path.Combine(_dir.FullName, "routing.jsonl");
        await File.WriteAllLinesAsync(data, lines, TestContext.Current.CancellationToken);
        var head = Path.Combine(_dir.FullName, "needs-llm.head.json");

        var (trainCode, trainOut) = await RunAsync("train", "needs-llm", "--target", "gain", "--pooling", "Mean", "--data", data, "--out", head, "--cache-dir", Cache);
        var (evalCode, evalOut) = await RunAsync("eval", "needs-llm", "--head", head, "--data", data, "--cache-dir", Cache);

        Assert.True(trainCode == 0, trainOut);
        Assert.Contains("by group APGR", trainOut, StringComparison.Ordinal);
        Assert.True(evalCode == 0, evalOut);
        using var json = JsonDocument.Parse(evalOut.Trim().Split('\n')[^1]);
        Assert.True(json.RootElement.GetProperty("apgr").GetDouble() > 0.9, evalOut);
        var file = HeadFile.Read(head);
        Assert.Equal(HeadKind.Gain, file.Kind);
        Assert.Equal(HeadPooling.Mean, file.Pooling);
        Assert.Equal("gain", file.Training!.Value.GetProperty("target").GetString());
        using var registry = ModelRegistry.Load(new OnnxSessionFactory(new SessionSettings { Device = HybridAI.SlmInference.Core.Runtime.InferenceDevice.Cpu }),
            Path.Combine(Cache, "models"), [new ModelSpec("needs-llm", ModelKind.Head, head)]);
        Assert.True(registry.Heads.ContainsKey("needs-llm"));
    }

    [Fact]
    public async Task AHeadTrainedOnAnotherEncoderIsRefused()
    {
        var head = Path.Combine(_dir.FullName, "other.head.json");
        new HeadFile
        {
            Name = "intent",
            Kind = HeadKind.Softmax,
            Labels = ["a", "b"],
            Encoder = new HeadEncoder("some-other-encoder", new string('a', 64)),
            EmbeddingDimensions = 384,
            Weights = [new float[384], new float[384]],
            Bias = [0, 0],
        }.Write(head);
        var data = Path.Combine(_dir.FullName, "d.csv");
        await File.WriteAllLinesAsync(data, ["text,label", "x,a", "y,b"], TestContext.Current.CancellationToken);

        var (code, output) = await RunAsync("eval", "intent", "--head", head, "--data", data, "--cache-dir", Cache);

        Assert.NotEqual(0, code);
        Assert.Contains("was trained on encoder some-other-encoder", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadDataEndsWithOneLineNamingFileAndLineNotAStackTrace()
    {
        var data = Path.Combine(_dir.FullName, "bad.csv");
        await File.WriteAllLinesAsync(data, ["text,label", "hello,greeting", "bye,,oops"], TestContext.Current.CancellationToken);

        var (code, output) = await RunAsync("train", "intent", "--data", data, "--out", Path.Combine(_dir.FullName, "x.head.json"), "--cache-dir", Cache);

        Assert.Equal(1, code);
        Assert.Equal($"error: {data}:3: expected 2 fields (text,label), found 3", output.Trim());
    }

    [Fact]
    public async Task EvalPiiPrintsPerTypeScoresAndEndsWithJson()
    {
        var (code, output) = await RunAsync("eval", "pii", "--data", SharedDatasets.File("pii/presidio_generated_small.json"));

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        Assert.Equal(100, json.RootElement.GetProperty("n").GetInt32());
        Assert.True(json.RootElement.GetProperty("CREDIT_CARD").GetProperty("f2").GetDouble() >= 0.95);
    }

    [Fact]
    public async Task EvalPiiWithTheRecallProfileFindsMoreNamesAndListsErrors()
    {
        var (code, output) = await RunAsync("eval", "pii", "--data", SharedDatasets.File("pii/presidio_generated_small.json"), "--profile", "recall", "--errors");

        Assert.Equal(0, code);
        // The price of recall is listed as spurious names; what it still misses are street lines.
        Assert.Contains("spurious PERSON", output, StringComparison.Ordinal);
        Assert.Contains("missed   STREET_ADDRESS", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        Assert.True(json.RootElement.GetProperty("PERSON").GetProperty("recall").GetDouble() >= 0.95);
    }

    [Fact]
    public async Task EvalPiiOnBenignTextsReportsWhatEachProfileWouldRedact()
    {
        var benign = Path.Combine(_dir.FullName, "benign.csv");
        await File.WriteAllLinesAsync(benign, ["text", "How do I reset my card PIN?", "We met Zyxar at the branch", "Is the transfer fee waived?"], TestContext.Current.CancellationToken);

        var (code, output) = await RunAsync("eval", "pii", "--benign", benign);

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var figures = json.RootElement.GetProperty("benign");
        Assert.Equal(3, figures.GetProperty("n").GetInt32());
        Assert.Equal(0, figures.GetProperty("precise_texts_flagged").GetDouble());
        Assert.Equal(0.3333, figures.GetProperty("recall_texts_flagged").GetDouble());
    }

    private static Task<(int Code, string Output)> RunAsync(params string[] args) => CliConsole.RunAsync(args);

    public void Dispose() => _dir.Delete(recursive: true);
}

