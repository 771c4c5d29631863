using HybridAI.Benchmarks.Harness;

// dotnet run -c Release --project tests/HybridAI.Benchmarks -- <suite> [--quick] [--no-write]
return await BenchmarkRunner.RunAsync(args);
