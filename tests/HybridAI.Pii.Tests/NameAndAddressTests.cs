namespace HybridAI.Pii.Tests;

/// <summary>The rules for person names and street addresses, each on text of its own (never the evaluation set's).</summary>
public sealed class NameAndAddressTests
{
    private static readonly PiiDetector Precise = new(PiiProfile.Precise);
    private static readonly PiiDetector Recall = new(PiiProfile.Recall);

    [Theory]
    [InlineData("Hello, my name is Zyxar Qualm and I need a refund", "Zyxar Qualm")]
    [InlineData("please call me zyxar", "zyxar")]
    [InlineData("Can you check whether Zyxar Qualm paid the invoice?", "Zyxar Qualm")]
    [InlineData("The form says Zyxar said the parcel never came", "Zyxar")]
    [InlineData("Quorlith, can I please get my statement?", "Quorlith")]
    [InlineData("I want to remove my kid Zyxa from the account", "Zyxa")]
    [InlineData("i already sent quorlith the invoice", "quorlith")]
    [InlineData("please give zyxa her refund today", "zyxa")]
    [InlineData("Yesterday I handed Quorlith the keys", "Quorlith")]
    [InlineData("Please ask German Kowalczyk to call back", "German Kowalczyk")]
    public void FindsNamesInNoListFromContextAndShape(string text, string expected) => AssertFinds(Precise, text, PiiEntityTypes.Person, expected);

    [Theory]
    [InlineData("Follow up with Ingrid Kowalczyk next week.", "Ingrid Kowalczyk")]
    [InlineData("The report was signed by Sophie Durand MD yesterday", "Sophie Durand MD")]
    [InlineData("Our new tenant is Anna van Dijk from Utrecht", "Anna van Dijk")]
    [InlineData("Is Oksana's address still current?", "Oksana")]
    [InlineData("Mr. Washington called about the loan", "Washington")]
    [InlineData("transfer it to ingrid kowalczyk", "ingrid kowalczyk")]
    public void FindsNamesFromTheGivenNameAndSurnameLists(string text, string expected) => AssertFinds(Precise, text, PiiEntityTypes.Person, expected);

    [Theory]
    [InlineData("The meeting is on Monday in Paris with the Sales team")]
    [InlineData("Case 3988520336. Draft a short note for the release")]
    [InlineData("I'm so happy you're here, and I'd like more")]
    [InlineData("Python is great for scripting and SQL for queries")]
    [InlineData("Will the transfer arrive before May?")]
    [InlineData("I gave everyone the keys and sent them a message")]
    [InlineData("Translate this sentence into German, then into French and Georgian.")]
    [InlineData("show me the money, tell him the code, pay online the fee")]
    public void OrdinaryCapitalisedWordsAreNotNames(string text) => AssertNone(Precise, text, PiiEntityTypes.Person);

    [Theory]
    [InlineData("Case 3988520336. Draft a short note for the release")]
    [InlineData("I'm so happy you're here, and I'd like more")]
    [InlineData("Please send the SSN and the PDF by Friday")]
    public void CommonWordsSurnamesContractionsAndAcronymsAreNotEvenSuspected(string text) => AssertNone(Recall, text, PiiEntityTypes.Person);

    [Fact]
    public void AnUnknownCapitalisedWordWithoutContextIsOnlySuspected()
    {
        const string text = "we met Zyxar near the station";

        AssertNone(Precise, text, PiiEntityTypes.Person);
        var suspected = Assert.Single(Recall.Detect(text));
        Assert.Equal("Zyxar", text[suspected.Start..suspected.End]);
        Assert.False(PiiScores.IsConfident(suspected.Score));
    }

    [Theory]
    [InlineData("Ship it to 221B Baker Street, London", "221B Baker Street, London")]
    [InlineData("The restaurant is at 19 1755 Nelson Road", "19 1755 Nelson Road")]
    [InlineData("Lieferadresse: Müllerweg 12, 80331 München", "Müllerweg 12, 80331 München")]
    [InlineData("She lives at 14 Kalevankatu 3, Helsinki", "14 Kalevankatu 3, Helsinki")]
    [InlineData("He moved to 7 Zelena 12, Brno last year", "7 Zelena 12, Brno")]
    [InlineData("Envoyez-le au 16 rue des Lilas, Paris", "16 rue des Lilas, Paris")]
    [InlineData("Please note my unit: Apt. 4B", "Apt. 4B")]
    public void FindsStreetAddressesInUsAndNonUsFormats(string text, string expected) => AssertFinds(Precise, text, PiiEntityTypes.StreetAddress, expected);

    [Fact]
    public void AnAddressBlockOverSeveralLinesIsOneAddress()
    {
        const string text = "Olena Petrenko\n12 Sadova 4\n Apt. 7\n Lviv\n Ukraine 79000\nPhone: +380 44 123 4567";
        var findings = Precise.Detect(text);

        Assert.Contains(findings, f => f.Type == PiiEntityTypes.Person && text[f.Start..f.End] == "Olena Petrenko");
        Assert.Contains(findings, f => f.Type == PiiEntityTypes.StreetAddress && text[f.Start..f.End] == "12 Sadova 4\n Apt. 7\n Lviv\n Ukraine 79000");
    }

    [Theory]
    [InlineData("Chapter 3 Section 5 explains the fee")]
    [InlineData("We run Ubuntu 22 on the servers")]
    [InlineData("Windows 10 is installed on 40 machines")]
    [InlineData("I bought 3 apples 5 days ago")]
    public void NumberedThingsAreNotStreetAddresses(string text) => AssertNone(Recall, text, PiiEntityTypes.StreetAddress);

    [Fact]
    public void AStreetNameWithoutANumberIsOnlySuspectedWithoutContext()
    {
        const string text = "We stopped by Qualmer Street for coffee";

        AssertNone(Precise, text, PiiEntityTypes.StreetAddress);
        Assert.Contains(Recall.Detect(text), f => f.Type == PiiEntityTypes.StreetAddress && text[f.Start..f.End] == "Qualmer Street");
    }

    private static void AssertFinds(PiiDetector detector, string text, string type, string expected)
    {
        var findings = detector.Detect(text);
        Assert.True(findings.Any(f => f.Type == type && text[f.Start..f.End] == expected),
            $"Expected {type} '{expected}'; found: {string.Join(", ", findings.Select(f => $"{f.Type} '{text[f.Start..f.End]}' {f.Score}"))}");
    }

    private static void AssertNone(PiiDetector detector, string text, string type)
    {
        var findings = detector.Detect(text).Where(f => f.Type == type).ToList();
        Assert.True(findings.Count == 0, $"Expected no {type}; found: {string.Join(", ", findings.Select(f => $"'{text[f.Start..f.End]}' {f.Score}"))}");
    }
}
