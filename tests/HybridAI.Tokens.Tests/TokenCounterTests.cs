using HybridAI.Contracts.Common.V1;

namespace HybridAI.Tokens.Tests;

public sealed class TokenCounterTests
{
    private static readonly TokenCounter Tokens = new();

    [Theory]
    [InlineData(TokenCounter.O200k, "hello world", 2)]
    [InlineData(TokenCounter.Cl100k, "hello world", 2)]
    [InlineData(TokenCounter.O200k, "", 0)]
    public void CountsTextWithTheNamedEncoding(string encoding, string text, int expected) =>
        Assert.Equal(expected, Tokens.Count(encoding, text));

    [Fact]
    public void PromptCountsFrameEachMessageAsOpenAIDoes()
    {
        ChatMessage[] one = [new() { Role = "user", Content = "hello world" }];
        ChatMessage[] two = [new() { Role = "system", Content = "hello world" }, new() { Role = "user", Content = "hello world" }];

        // 3 to prime the reply, 3 per message, then the role and the content.
        Assert.Equal(3 + 3 + 1 + 2, Tokens.CountPrompt(TokenCounter.O200k, one, []));
        Assert.Equal(3 + ((3 + 1 + 2) * 2), Tokens.CountPrompt(TokenCounter.O200k, two, []));
    }

    [Fact]
    public void UpperBoundFromBytesIsNeverBelowTheExactCount()
    {
        ChatMessage[] messages = [new() { Role = "user", Content = string.Concat(Enumerable.Repeat("naïve café 東京 🚀 ", 200)) }];
        ToolDefinition[] tools = [new() { Name = "lookup", Description = "Looks things up", ParametersJsonSchema = """{"type":"object"}""" }];

        Assert.True(TokenCounter.PromptUpperBound(messages, tools) >= Tokens.CountPrompt(TokenCounter.O200k, messages, tools));
        Assert.True(TokenCounter.PromptUpperBound(messages, tools) >= Tokens.CountPrompt(TokenCounter.Cl100k, messages, tools));
    }
}
