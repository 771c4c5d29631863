namespace HybridAI.Pii;

/// <summary>
/// A span of sensitive data. Offsets are UTF-16 indices into the scanned text (<c>[Start, End)</c>); the value
/// itself is never stored here, so findings can be logged and audited without the data they point at.
/// </summary>
public readonly record struct PiiFinding(string Type, int Start, int End, double Score)
{
    public int Length => End - Start;

    public bool Overlaps(PiiFinding other) => Start < other.End && other.Start < End;
}
