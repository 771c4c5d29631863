using HybridAI.Pii.Redaction;

namespace HybridAI.Pii.Tests;

public sealed class RedactionTests
{
    private static readonly PiiDetector Detector = new();

    [Fact]
    public void RedactsWithTypedPlaceholdersAndRestoresTheAnswer()
    {
        var text = "Card 4111 1111 1111 1111 belongs to anna@example.com";
        var map = new RedactionMap();

        var redacted = Redactor.Redact(text, Detector.Detect(text), map);

        Assert.Equal("Card <CREDIT_CARD_1> belongs to <EMAIL_1>", redacted);
        Assert.Equal("I blocked 4111 1111 1111 1111 and wrote to anna@example.com.",
            map.Restore("I blocked <CREDIT_CARD_1> and wrote to <EMAIL_1>."));
    }

    [Fact]
    public void TheSameValueGetsTheSamePlaceholderAcrossMessages()
    {
        var map = new RedactionMap();
        var first = "Mail anna@example.com";
        var second = "Again: anna@example.com and bob@example.com";

        var a = Redactor.Redact(first, Detector.Detect(first), map);
        var b = Redactor.Redact(second, Detector.Detect(second), map);

        Assert.Equal("Mail <EMAIL_1>", a);
        Assert.Equal("Again: <EMAIL_1> and <EMAIL_2>", b);
        Assert.Equal(2, map.Count);
    }

    [Fact]
    public void UnknownPlaceholdersAndAngleBracketsAreLeftAlone()
    {
        var map = new RedactionMap();
        map.PlaceholderFor(PiiEntityTypes.Person, "Ada Lovelace");

        Assert.Equal("if a < b then <PERSON_2> else Ada Lovelace", map.Restore("if a < b then <PERSON_2> else <PERSON_1>"));
    }

    [Fact]
    public void StreamingRestoreHandlesPlaceholdersSplitAcrossChunks()
    {
        var map = new RedactionMap();
        map.PlaceholderFor(PiiEntityTypes.Person, "Ada Lovelace");
        map.PlaceholderFor(PiiEntityTypes.Email, "ada@example.com");
        var restorer = new StreamingRestorer(map);

        string[] chunks = ["Dear <PER", "SON_", "1>, we wrote to <", "EMAIL_1", ">", " and a < b", "."];
        var output = string.Concat(chunks.Select(restorer.Push)) + restorer.Flush();

        Assert.Equal("Dear Ada Lovelace, we wrote to ada@example.com and a < b.", output);
    }

    [Fact]
    public void StreamingRestoreReleasesTextThatCannotBeAPlaceholderImmediately()
    {
        var restorer = new StreamingRestorer(new RedactionMap());

        Assert.Equal("Hello wor", restorer.Push("Hello wor"));
        Assert.Equal("", restorer.Push("<ABC"));
        Assert.Equal("<ABC d", restorer.Push(" d"));
        Assert.Equal("", restorer.Flush());
    }

    [Fact]
    public void DataClassFollowsTheMostSensitiveFinding()
    {
        var policy = DataClassPolicy.Default;

        Assert.Equal(HybridAI.Contracts.Common.V1.DataClass.Public, policy.Classify(Detector.Detect("What are your opening hours?")));
        Assert.Equal(HybridAI.Contracts.Common.V1.DataClass.Internal, policy.Classify(Detector.Detect("See https://intranet.example.com/wiki")));
        Assert.Equal(HybridAI.Contracts.Common.V1.DataClass.Confidential, policy.Classify(Detector.Detect("Server 10.0.0.12 is slow")));
        Assert.Equal(HybridAI.Contracts.Common.V1.DataClass.Confidential, policy.Classify(Detector.Detect("Mail anna@example.com")));
        Assert.Equal(HybridAI.Contracts.Common.V1.DataClass.Restricted,
            policy.Classify(Detector.Detect("Mail anna@example.com my card 4111 1111 1111 1111")));
    }
}
