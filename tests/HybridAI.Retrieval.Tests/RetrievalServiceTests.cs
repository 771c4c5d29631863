using HybridAI.Retrieval.Tests.Service;
using HybridAI.Testing;

namespace HybridAI.Retrieval.Tests;

/// <summary>Health and gRPC health with the real dependencies: an embedded store folder and a reachable slm-inference.</summary>
public sealed class RetrievalServiceTests(InferenceServer inference) : ServiceConventionTests<RetrievalOptions>(inference.RetrievalSettings());
