namespace HybridAI.Testing.Mcp;

/// <summary>
/// The stdio MCP server program built from tests/HybridAI.Testing.StdioMcp (a stock-level look-up, tool
/// <c>get_stock_level</c>). A test project that uses it references that project (ReferenceOutputAssembly false) so
/// it is built first; this finds its native launcher next to the other test outputs.
/// </summary>
public static class StdioMcpProgram
{
    public const string Tool = "get_stock_level";

    /// <summary>The absolute path of the program (what an operator's allow-list would name).</summary>
    public static string Path
    {
        get
        {
            // …/tests/<Project>/bin/<Configuration>/<framework>/ → …/tests/HybridAI.Testing.StdioMcp/bin/<Configuration>/<framework>/
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
            var framework = output.Name;
            var configuration = output.Parent!.Name;
            var tests = output.Parent.Parent!.Parent!.Parent!.FullName;
            var path = System.IO.Path.Combine(tests, "HybridAI.Testing.StdioMcp", "bin", configuration, framework, "hybridai-stdio-mcp");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The stdio MCP test program is not built at {path}.", path);
        }
    }
}
