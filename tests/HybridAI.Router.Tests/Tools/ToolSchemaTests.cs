using System.Text.Json;
using HybridAI.Tools.Schemas;

namespace HybridAI.Router.Tests.Tools;

/// <summary>The JSON Schema checks behind registration (governance) and argument validation (the router's tool loop).</summary>
public sealed class ToolSchemaTests
{
    private const string OrderSchema = """
        {"type":"object","properties":{"order_id":{"type":"string","pattern":"^A-[0-9]+$"},"rush":{"type":"boolean"}},"required":["order_id"],"additionalProperties":false}
        """;

    [Theory]
    [InlineData("", "has no input schema.")]
    [InlineData("{\"type\":", "not valid JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("{\"type\":\"string\"}", "type is not \"object\"")]
    [InlineData("{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"strnig\"}}}", "invalid input schema: /properties/q")]
    [InlineData("{\"type\":\"object\",\"required\":\"q\"}", "invalid input schema: /required")]
    [InlineData("{\"type\":\"object\",\"properties\":{\"q\":{\"$ref\":\"#/$defs/missing\"}}}", "'#/$defs/missing' points at nothing")]
    [InlineData("{\"type\":\"object\",\"properties\":{\"q\":{\"$ref\":\"https://schemas.example/q.json\"}}}", "is not local")]
    public void RefusesASchemaThatCannotValidateArguments(string schema, string expected)
    {
        Assert.Null(ToolSchema.TryCompile(schema, out var problems));

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void RefusesAnOversizedSchema()
    {
        var schema = "{\"type\":\"object\",\"description\":\"" + new string('x', ToolSchema.MaxSchemaChars) + "\"}";

        Assert.Null(ToolSchema.TryCompile(schema, out var problems));

        Assert.Contains("at most 65536", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void ValidatesArgumentsAndNamesWhereTheyAreWrong()
    {
        var schema = ToolSchema.TryCompile(OrderSchema, out var compileProblems);
        Assert.NotNull(schema);
        Assert.Empty(compileProblems);

        Assert.Empty(schema.Validate(Json("""{"order_id":"A-17","rush":true}""")));
        Assert.Contains(schema.Validate(Json("""{"order_id":"17"}""")), p => p.StartsWith("/order_id:", StringComparison.Ordinal));
        Assert.Contains(schema.Validate(Json("""{"rush":"yes"}""")), p => p.StartsWith("/rush:", StringComparison.Ordinal));
        Assert.NotEmpty(schema.Validate(Json("""{"order_id":"A-1","drop_table":true}""")));
    }

    [Fact]
    public void FollowsLocalReferences()
    {
        var schema = ToolSchema.TryCompile("""{"type":"object","$defs":{"id":{"type":"string","minLength":2}},"properties":{"order_id":{"$ref":"#/$defs/id"}}}""", out var problems);

        Assert.NotNull(schema);
        Assert.Empty(problems);
        Assert.Empty(schema.Validate(Json("""{"order_id":"A-1"}""")));
        Assert.NotEmpty(schema.Validate(Json("""{"order_id":"A"}""")));
    }

    [Fact]
    public void CompilesTwoSchemasWithTheSameIdIndependently()
    {
        const string First = """{"$id":"https://tools.example/order","type":"object","properties":{"a":{"type":"string"}}}""";
        const string Second = """{"$id":"https://tools.example/order","type":"object","properties":{"a":{"type":"integer"}}}""";

        var first = ToolSchema.TryCompile(First, out _);
        var second = ToolSchema.TryCompile(Second, out _);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Empty(first.Validate(Json("""{"a":"x"}""")));
        Assert.NotEmpty(second.Validate(Json("""{"a":"x"}""")));
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
