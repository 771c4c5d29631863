namespace HybridAI.Governance.Quality;

/// <summary>
/// The quality table, in governance's database beside the ledger (so reads join observations to receipts). One row per
/// (tenant, request id) holds whatever is known of that response's quality: the user's rating and the shadow verdict.
/// It is not part of the hash chain: a rating is an opinion that may be replaced, not an audited fact.
/// </summary>
internal static class QualitySchema
{
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS quality (
            tenant_id          TEXT NOT NULL,
            request_id         TEXT NOT NULL,
            rating             INTEGER,
            comment            TEXT,
            rated_at           INTEGER,
            shadow_parity      REAL,
            shadow_exact       INTEGER,
            judge              TEXT,
            shadow_model       TEXT,
            shadow_cost_micros INTEGER,
            judge_cost_micros  INTEGER,
            verdict            TEXT,
            judged_at          INTEGER,
            PRIMARY KEY (tenant_id, request_id)
        ) STRICT;
        """;
}
