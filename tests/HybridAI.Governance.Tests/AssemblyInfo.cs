using HybridAI.Testing.Redis;

// One real redis-server for the whole assembly; tests isolate themselves with their own key prefixes.
[assembly: AssemblyFixture(typeof(RedisServerFixture))]
