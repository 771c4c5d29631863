namespace HybridAI.Pii.Tests;

public sealed class RecognizerTests
{
    private static readonly PiiDetector Detector = new();

    [Theory]
    [InlineData("write to anna.k@example.co.uk today", "anna.k@example.co.uk")]
    [InlineData("lee+news@corp.io", "lee+news@corp.io")]
    public void FindsEmailAddresses(string text, string expected) => AssertFinds(text, PiiEntityTypes.Email, expected);

    [Theory]
    [InlineData("card 4111 1111 1111 1111 please", "4111 1111 1111 1111")]
    [InlineData("card 5213591727586604.", "5213591727586604")]
    [InlineData("amex 3782-822463-10005", "3782-822463-10005")]
    public void FindsCardNumbersThatPassLuhn(string text, string expected) => AssertFinds(text, PiiEntityTypes.CreditCard, expected);

    [Theory]
    [InlineData("order 4111 1111 1111 1112 shipped")]
    [InlineData("tracking 1234567890123456")]
    [InlineData("4111 1111-1111 1111")]
    public void IgnoresDigitRunsThatAreNotCards(string text) => AssertNone(text, PiiEntityTypes.CreditCard);

    [Theory]
    [InlineData("pay to DE89 3704 0044 0532 0130 00 today", "DE89 3704 0044 0532 0130 00")]
    [InlineData("IBAN GB82WEST12345698765432.", "GB82WEST12345698765432")]
    [InlineData("nl91abna0417164300", "nl91abna0417164300")]
    public void FindsIbansWithValidCheckDigits(string text, string expected) => AssertFinds(text, PiiEntityTypes.Iban, expected);

    [Theory]
    [InlineData("pay to DE88 3704 0044 0532 0130 00")]
    [InlineData("code DE89370400440532013000123")]
    public void RejectsIbansWithWrongChecksumOrLength(string text) => AssertNone(text, PiiEntityTypes.Iban);

    [Theory]
    [InlineData("His social security number is 531-21-7351", "531-21-7351")]
    [InlineData("SSN: 531217351", "531217351")]
    public void FindsSocialSecurityNumbers(string text, string expected) => AssertFinds(text, PiiEntityTypes.UsSsn, expected);

    [Theory]
    [InlineData("ref 000-12-3456")]
    [InlineData("ref 666-12-3456")]
    [InlineData("My driver's license number is 481195160")]
    public void IgnoresNumbersOutsideIssuedSsnRangesOrWithoutContext(string text) => AssertNone(text, PiiEntityTypes.UsSsn);

    [Theory]
    [InlineData("blocked from 58.74.121.78 again", "58.74.121.78")]
    [InlineData("host 2001:db8::8a2e:370:7334 down", "2001:db8::8a2e:370:7334")]
    public void FindsIpAddresses(string text, string expected) => AssertFinds(text, PiiEntityTypes.IpAddress, expected);

    [Theory]
    [InlineData("at 1998-06-28 14:48:14 it failed")]
    [InlineData("address 256.1.1.1 is invalid")]
    public void IgnoresTimesAndInvalidAddresses(string text) => AssertNone(text, PiiEntityTypes.IpAddress);

    [Theory]
    [InlineData("call me at (96) 627-277 please", "(96) 627-277")]
    [InlineData("Can someone call me on (07) 5331 0577?", "(07) 5331 0577")]
    [InlineData("Fax: 001-420-335-7509x38548", "001-420-335-7509x38548")]
    [InlineData("reach me on +44 20 7946 0958", "+44 20 7946 0958")]
    [InlineData("Desk: 986.291.2294x751", "986.291.2294x751")]
    [InlineData("69 987 88 37 office", "69 987 88 37")]
    public void FindsPhoneNumbersInInternationalFormats(string text, string expected) => AssertFinds(text, PiiEntityTypes.PhoneNumber, expected);

    [Theory]
    [InlineData("When: 1998-06-28 14:48:14")]
    [InlineData("She was born on 12/27/1986.")]
    [InlineData("Version 10.2.3 released in 2024")]
    public void DatesAndVersionsAreNotPhoneNumbers(string text) => AssertNone(text, PiiEntityTypes.PhoneNumber);

    [Theory]
    [InlineData("She was born on 12/27/1986.", "12/27/1986")]
    [InlineData("DOB: March 3, 1975", "March 3, 1975")]
    public void FindsDatesOfBirthWithContext(string text, string expected) => AssertFinds(text, PiiEntityTypes.DateOfBirth, expected);

    [Fact]
    public void DatesWithoutBirthContextAreNotDatesOfBirth() => AssertNone("The meeting is on 12/27/1986.", PiiEntityTypes.DateOfBirth);

    [Theory]
    [InlineData("Springfield, IL 62704", "62704")]
    [InlineData("London SW1A 1AA", "SW1A 1AA")]
    [InlineData("my zip code is 90210", "90210")]
    public void FindsPostalCodes(string text, string expected) => AssertFinds(text, PiiEntityTypes.PostalCode, expected);

    [Fact]
    public void FiveDigitNumbersWithoutContextAreNotPostalCodes() => AssertNone("We sold 12345 units", PiiEntityTypes.PostalCode);

    [Theory]
    [InlineData("I'd like to join accounts with ms. Wijtze", "Wijtze")]
    [InlineData("My name is tracy sukhorukova and I need help", "tracy sukhorukova")]
    [InlineData("Kind regards, Amelia Okonkwo", "Amelia Okonkwo")]
    [InlineData("Please ask Maria Fernandez to call back", "Maria Fernandez")]
    [InlineData("Dr. Hiroshi Tanaka signed the form", "Hiroshi Tanaka")]
    public void FindsPersonNames(string text, string expected) => AssertFinds(text, PiiEntityTypes.Person, expected);

    [Theory]
    [InlineData("I will call you in May about the invoice")]
    [InlineData("Mark the ticket as done")]
    [InlineData("Please transfer the money today")]
    public void CommonWordsThatAreAlsoNamesAreNotPersons(string text) => AssertNone(text, PiiEntityTypes.Person);

    [Theory]
    [InlineData("billing address: 8 wressle road suite 771, polapit", "8 wressle road suite 771, polapit")]
    [InlineData("We are at 1600 Pennsylvania Avenue NW.", "1600 Pennsylvania Avenue NW")]
    [InlineData("Lieferung an Hauptstraße 5, Berlin", "Hauptstraße 5, Berlin")]
    [InlineData("Spedire a Via Roma 10, Milano", "Via Roma 10, Milano")]
    public void FindsStreetAddresses(string text, string expected) => AssertFinds(text, PiiEntityTypes.StreetAddress, expected);

    [Fact]
    public void OverlappingCandidatesKeepTheStrongerFinding()
    {
        var text = "contact anna@shop.example.com or 4111 1111 1111 1111";
        var findings = Detector.Detect(text);

        Assert.Equal([PiiEntityTypes.Email, PiiEntityTypes.CreditCard], findings.Select(f => f.Type));
        Assert.True(findings[0].End <= findings[1].Start);
    }

    [Fact]
    public void EmptyTextHasNoFindings() => Assert.Empty(Detector.Detect(""));

    private static void AssertFinds(string text, string type, string expected)
    {
        var findings = Detector.Detect(text);
        Assert.Contains(findings, f => f.Type == type && text[f.Start..f.End] == expected);
    }

    private static void AssertNone(string text, string type) =>
        Assert.DoesNotContain(Detector.Detect(text), f => f.Type == type);
}
