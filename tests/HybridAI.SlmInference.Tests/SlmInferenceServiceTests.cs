using HybridAI.SlmInference.Tests.Service;
using HybridAI.Testing;

namespace HybridAI.SlmInference.Tests;

public sealed class SlmInferenceServiceTests() : ServiceConventionTests<InferenceOptions>(InferenceHost.Settings());
