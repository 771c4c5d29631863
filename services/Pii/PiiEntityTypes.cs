namespace HybridAI.Pii;

/// <summary>The entity types the detectors find (the <c>type</c> of a <c>PiiFinding</c> in the contracts).</summary>
public static class PiiEntityTypes
{
    public const string Email = "EMAIL";
    public const string PhoneNumber = "PHONE_NUMBER";
    public const string CreditCard = "CREDIT_CARD";
    public const string Iban = "IBAN";
    public const string UsSsn = "US_SSN";
    public const string IpAddress = "IP_ADDRESS";
    public const string Url = "URL";
    public const string DateOfBirth = "DATE_OF_BIRTH";
    public const string PostalCode = "POSTAL_CODE";
    public const string Person = "PERSON";
    public const string StreetAddress = "STREET_ADDRESS";

    public static IReadOnlyList<string> All { get; } =
        [Email, PhoneNumber, CreditCard, Iban, UsSsn, IpAddress, Url, DateOfBirth, PostalCode, Person, StreetAddress];
}
