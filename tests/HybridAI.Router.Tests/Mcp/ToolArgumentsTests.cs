using System.Text.Json;
using HybridAI.Router.Mcp;

namespace HybridAI.Router.Tests.Mcp;

public sealed class ToolArgumentsTests
{
    private static ToolArguments Read(string json, params string[] known) =>
        new(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json), known);

    [Fact]
    public void ReadsValidArgumentsOfEveryKind()
    {
        var arguments = Read("""{"query":"refunds","top_k":3,"min_score":0.25,"mode":"keyword","redact":true}""", "query", "top_k", "min_score", "mode", "redact");

        Assert.Equal("refunds", arguments.Text("query", required: true, 100));
        Assert.Equal(3, arguments.WholeNumber("top_k", required: false, 1, 50));
        Assert.Equal(0.25, arguments.Number("min_score", required: false, 0, 1));
        Assert.Equal("keyword", arguments.Choice("mode", required: false, "hybrid", "keyword"));
        Assert.True(arguments.Flag("redact"));
        arguments.ThrowIfInvalid();
    }

    [Fact]
    public void AbsentOptionalArgumentsAndNullsReadAsNull()
    {
        var arguments = Read("""{"top_k":null}""", "query", "top_k");

        Assert.Null(arguments.Text("query", required: false, 100));
        Assert.Null(arguments.WholeNumber("top_k", required: false, 1, 50));
        arguments.ThrowIfInvalid();
    }

    [Fact]
    public void EveryProblemIsNamedInOneMessage()
    {
        var arguments = Read("""{"query":"   ","top_k":2.5,"min_score":-1,"mode":3,"redact":"yes","extra":1}""", "query", "top_k", "min_score", "mode", "redact", "head");

        arguments.Text("query", required: true, 100);
        arguments.WholeNumber("top_k", required: false, 1, 50);
        arguments.Number("min_score", required: false, 0, 1);
        arguments.Choice("mode", required: false, "hybrid", "keyword");
        arguments.Flag("redact");
        arguments.Text("head", required: true, 100);
        var error = Assert.Throws<ToolArgumentException>(arguments.ThrowIfInvalid);

        Assert.Equal(
        [
            "extra: is not an argument of this tool (it takes query, top_k, min_score, mode, redact, head).",
            "query: must not be empty.",
            "top_k: must be an integer from 1 to 50, not 2.5.",
            "min_score: must be a number from 0 to 1, not -1.",
            "mode: must be one of hybrid, keyword, not 3.",
            "redact: must be true or false, not 'yes'.",
            "head: is required.",
        ], error.Problems);
        Assert.StartsWith("Invalid arguments: extra:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooLongTextAndInvalidUnicodeAreRefused()
    {
        var arguments = Read("""{"query":"abcdef","text":"bad \uD800 surrogate"}""", "query", "text");

        arguments.Text("query", required: true, 5);
        arguments.Text("text", required: true, 100);
        var error = Assert.Throws<ToolArgumentException>(arguments.ThrowIfInvalid);

        Assert.Equal(["query: has 6 characters; at most 5.", "text: contains invalid Unicode text (an unpaired UTF-16 surrogate)."], error.Problems);
    }
}
