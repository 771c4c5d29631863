using System.Net;
using System.Net.Sockets;

namespace HybridAI.Pii.Recognizers;

/// <summary>IPv4 (each octet ≤ 255) and IPv6 addresses.</summary>
public sealed class IpAddressRecognizer : IPiiRecognizer
{
    public void Recognize(PiiScan scan, List<PiiFinding> findings)
    {
        var text = scan.Text;
        foreach (var match in Patterns.IPv4.EnumerateMatches(text))
        {
            var start = match.Index;
            var end = start + match.Length;
            if (!TextScan.HasNoAdjacentDigits(text, start, end)
                || (start > 0 && text[start - 1] == '.') || (end < text.Length - 1 && text[end] == '.' && char.IsAsciiDigit(text[end + 1])))
            {
                continue;
            }

            if (IPAddress.TryParse(text.AsSpan(start, match.Length), out var address) && address.AddressFamily == AddressFamily.InterNetwork
                && OctetsInRange(text.AsSpan(start, match.Length)))
            {
                findings.Add(new PiiFinding(PiiEntityTypes.IpAddress, start, end, 0.9));
            }
        }

        foreach (var match in Patterns.IPv6.EnumerateMatches(text))
        {
            var span = text.AsSpan(match.Index, match.Length);
            // Times (14:48:14) and ratios are not addresses: require hex letters or "::" or 8 groups.
            var colons = span.Count(':');
            if (match.Length < 3 || colons < 2 || !(span.Contains("::", StringComparison.Ordinal) || colons == 7 || HasHexLetter(span)))
            {
                continue;
            }

            if (IPAddress.TryParse(span, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6
                && TextScan.IsStandalone(text, match.Index, match.Index + match.Length))
            {
                findings.Add(new PiiFinding(PiiEntityTypes.IpAddress, match.Index, match.Index + match.Length, 0.85));
            }
        }
    }

    private static bool OctetsInRange(ReadOnlySpan<char> span)
    {
        foreach (var range in span.Split('.'))
        {
            var part = span[range];
            if (part.Length > 1 && part[0] == '0')
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasHexLetter(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c) || char.IsAsciiHexDigitUpper(c) && !char.IsAsciiDigit(c))
            {
                return true;
            }
        }

        return false;
    }
}
