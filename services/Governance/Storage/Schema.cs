namespace HybridAI.Governance.Storage;

/// <summary>The governance schema. Times are Unix milliseconds (UTC); hashes are raw SHA-256 bytes.</summary>
internal static class Schema
{
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS tenants (
            id          TEXT PRIMARY KEY,
            name        TEXT NOT NULL,
            created_at  INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE IF NOT EXISTS api_keys (
            key_id      TEXT PRIMARY KEY,
            tenant_id   TEXT NOT NULL REFERENCES tenants(id),
            name        TEXT NOT NULL,
            lookup      TEXT NOT NULL UNIQUE,
            salt        BLOB NOT NULL,
            hash        BLOB NOT NULL,
            created_at  INTEGER NOT NULL,
            revoked_at  INTEGER,
            expires_at  INTEGER,
            replaced_by TEXT
        ) STRICT;
        CREATE INDEX IF NOT EXISTS api_keys_tenant ON api_keys(tenant_id);

        CREATE TABLE IF NOT EXISTS policies (
            tenant_id   TEXT NOT NULL REFERENCES tenants(id),
            version     INTEGER NOT NULL,
            body        BLOB NOT NULL,
            updated_at  INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, version)
        ) STRICT;

        -- Tenants' MCP tool servers (the ToolServer message, with the tools listed at registration).
        CREATE TABLE IF NOT EXISTS tool_servers (
            tenant_id   TEXT NOT NULL REFERENCES tenants(id),
            name        TEXT NOT NULL,
            body        BLOB NOT NULL,
            updated_at  INTEGER NOT NULL,
            PRIMARY KEY (tenant_id, name)
        ) STRICT;

        -- The audit ledger: one hash chain over routing receipts (kind 1) and policy changes (kind 2).
        -- body holds the canonical bytes that were hashed; the columns after hash are copies of facts in body
        -- that reports aggregate in SQL, and verification checks they still match the body.
        CREATE TABLE IF NOT EXISTS ledger (
            sequence          INTEGER PRIMARY KEY,
            kind              INTEGER NOT NULL,
            tenant_id         TEXT NOT NULL,
            request_id        TEXT NOT NULL,
            time_ms           INTEGER NOT NULL,
            body              BLOB NOT NULL,
            previous_hash     BLOB NOT NULL,
            hash              BLOB NOT NULL,
            route             INTEGER NOT NULL DEFAULT 0,
            model             TEXT NOT NULL DEFAULT '',
            prompt_tokens     INTEGER NOT NULL DEFAULT 0,
            completion_tokens INTEGER NOT NULL DEFAULT 0,
            cost_micros       INTEGER NOT NULL DEFAULT 0,
            baseline_micros   INTEGER NOT NULL DEFAULT 0,
            latency_ms        INTEGER NOT NULL DEFAULT 0,
            cascaded          INTEGER NOT NULL DEFAULT 0,
            cache_hit         INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE UNIQUE INDEX IF NOT EXISTS ledger_request ON ledger(tenant_id, kind, request_id);
        CREATE INDEX IF NOT EXISTS ledger_tenant_time ON ledger(tenant_id, time_ms);
        -- The console and its gauges read every tenant's receipts in a time window; the index covers every column
        -- they aggregate, so those reads never touch the table's pages (which hold the receipt bodies).
        CREATE INDEX IF NOT EXISTS ledger_console ON ledger(kind, time_ms, route, tenant_id, model, cost_micros, baseline_micros, latency_ms);

        -- Threshold calibration proposals (docs/quality.md); body is the CalibrationProposal proto, state a copy of its state.
        CREATE TABLE IF NOT EXISTS calibration_proposals (
            id          TEXT PRIMARY KEY,
            tenant_id   TEXT NOT NULL REFERENCES tenants(id),
            created_at  INTEGER NOT NULL,
            state       INTEGER NOT NULL,
            body        BLOB NOT NULL
        ) STRICT;
        CREATE INDEX IF NOT EXISTS calibration_proposals_tenant ON calibration_proposals(tenant_id, created_at);
        """;
}
