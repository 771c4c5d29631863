using HybridAI.Retrieval.Storage.Keyword;

namespace HybridAI.Retrieval.Tests.Storage;

public sealed class KeywordAnalyzerTests
{
    /// <summary>The S-stemmer conflates plural and singular the same way in documents and queries (boxes → boxe, analysis → analysi).</summary>
    [Fact]
    public void LowerCasesFoldsAccentsDropsStopWordsAndReducesPlurals()
    {
        Assert.Equal(["refund", "policy", "cafe", "user", "boxe", "dont", "analysi"],
            KeywordAnalyzer.QueryTerms("The Refunds and POLICIES of the Café: the user's boxes, don't analysis!"));
    }

    [Fact]
    public void CountsTermFrequenciesAndLength()
    {
        var (frequencies, length) = KeywordAnalyzer.Analyze("Invoice, invoices and the invoice total");
        Assert.Equal(3, frequencies["invoice"]);
        Assert.Equal(1, frequencies["total"]);
        Assert.Equal(4, length);
    }

    [Fact]
    public void TermIdsAreStable() => Assert.Equal(KeywordAnalyzer.TermId("refund"), KeywordAnalyzer.TermId("refund"));
}
