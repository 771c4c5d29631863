namespace HybridAI.Cli.Data;

/// <summary>Bad training or evaluation data; the message names the file and line.</summary>
public sealed class DataFormatException(string file, int line, string message)
    : Exception($"{file}:{line}: {message}")
{
    public string File { get; } = file;

    public int Line { get; } = line;
}
