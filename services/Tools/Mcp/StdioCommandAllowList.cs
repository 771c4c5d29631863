namespace HybridAI.Tools.Mcp;

/// <summary>
/// The operator's list of programs a stdio tool server may run. Tenants name a command; only an exact entry of this
/// list is ever started (no shell, no PATH tricks: entries should be absolute paths). Arguments are free, so never list
/// an interpreter (python, node, bash): its arguments are arbitrary code.
/// </summary>
public sealed class StdioCommandAllowList(IEnumerable<string> commands)
{
    private readonly HashSet<string> _commands = new(commands.Where(c => !string.IsNullOrWhiteSpace(c)), StringComparer.Ordinal);

    public static StdioCommandAllowList Empty { get; } = new([]);

    public IReadOnlyCollection<string> Commands => _commands;

    public bool Allows(string command) => command.Length > 0 && _commands.Contains(command);
}
