using HybridAI.Cli.Data;

namespace HybridAI.Cli.Tests;

public sealed class DataReaderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("hybridai-cli-data-");

    [Fact]
    public void CsvWithQuotedMultilineFieldsIsReadWithTheLineEachRecordStartsOn()
    {
        var path = Write("a.csv", "text,label\n\"hello, \"\"world\"\"\",greeting\n\"two\nlines\",faq\nplain,faq\n");

        var rows = Datasets.LoadLabelled(path);

        Assert.Equal(["hello, \"world\"", "two\nlines", "plain"], rows.Select(r => r.Text));
        Assert.Equal([2, 3, 5], rows.Select(r => r.Line));
    }

    [Fact]
    public void JsonLinesAreRead()
    {
        var path = Write("a.jsonl", "{\"text\":\"hi\",\"label\":\"greeting\"}\n\n{\"text\":\"refund?\",\"label\":\"faq\"}\n");
        Assert.Equal(["greeting", "faq"], Datasets.LoadLabelled(path).Select(r => r.Label));
    }

    [Theory]
    [InlineData("a.csv", "words,label\nhi,greeting\n", "a.csv:2: expected columns text,label; found words,label")]
    [InlineData("b.csv", "text,label\nhi,greeting\nbye,\n", "b.csv:3: empty label")]
    [InlineData("c.csv", "text,label\nhi,greeting\nhello,greeting\n", "found 1 class; training needs at least two")]
    [InlineData("d.csv", "text,label\nhi,greeting,extra\n", "d.csv:2: expected 2 fields (text,label), found 3")]
    [InlineData("e.jsonl", "{\"text\":\"hi\",\"label\":\"a\"}\n{not json}\n", "e.jsonl:2: invalid JSON")]
    [InlineData("f.txt", "hi\n", "unsupported file type '.txt'")]
    public void BadTrainingDataNamesTheFileAndLine(string name, string content, string expected)
    {
        var path = Write(name, content);
        var error = Assert.ThrowsAny<Exception>(() => Datasets.LoadLabelled(path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RoutingLabelsNeedPromptAndBothOutcomes()
    {
        var good = Write("r.jsonl", "{\"prompt\":\"2+2?\",\"weak_correct\":true,\"strong_correct\":true,\"subject\":\"math\"}\n");
        var bad = Write("s.jsonl", "{\"prompt\":\"2+2?\",\"weak_correct\":true}\n");

        Assert.Single(Datasets.LoadRouting(good));
        Assert.Contains("s.jsonl:1: expected prompt, weak_correct, strong_correct", Assert.Throws<DataFormatException>(() => Datasets.LoadRouting(bad)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PromptsCanBeFilteredByAColumn()
    {
        var path = Write("x.csv", "id,prompt,label\n1,How do I kill a process?,safe\n2,Something bad,unsafe\n");
        Assert.Equal(["How do I kill a process?"], Datasets.LoadPrompts(path, "label=safe"));
        Assert.Contains("no column 'kind'", Assert.Throws<DataFormatException>(() => Datasets.LoadPrompts(path, "kind=safe")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MtBenchRowsGiveTheirFirstTurnAsThePrompt()
    {
        var path = Write("q.jsonl", "{\"question_id\":1,\"category\":\"writing\",\"turns\":[\"Write a haiku.\",\"Now make it rhyme.\"]}\n");
        var bad = Write("b.jsonl", "{\"question_id\":2,\"turns\":[]}\n");

        Assert.Equal(["Write a haiku."], Datasets.LoadPrompts(path));
        Assert.Contains("expected a prompt, text or turns column", Assert.Throws<DataFormatException>(() => Datasets.LoadPrompts(bad)).Message, StringComparison.Ordinal);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
