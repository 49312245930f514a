-- L0 Cache schema, version 1 (PostgreSQL dialect; the same tables as the SQLite one).
-- Times are milliseconds since the Unix epoch (UTC). Money is integer micro-dollars.

CREATE SEQUENCE sync_seq;

CREATE TABLE tenants (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    policy      TEXT NOT NULL DEFAULT 'approved'
                CHECK (policy IN ('shadow', 'approved', 'auto_low_risk')),
    created_ms  BIGINT NOT NULL
);

CREATE TABLE api_keys (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id),
    key_hash    BYTEA NOT NULL UNIQUE,
    prefix      TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    revoked_ms  BIGINT
);

CREATE TABLE entries (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id),
    namespace   TEXT NOT NULL DEFAULT '',
    tier        TEXT NOT NULL CHECK (tier IN ('exact', 'l0', 'semantic')),
    cache_key   TEXT NOT NULL,
    model       TEXT NOT NULL,
    request     TEXT NOT NULL,
    demand      BIGINT NOT NULL DEFAULT 1,
    created_ms  BIGINT NOT NULL,
    updated_ms  BIGINT NOT NULL,
    UNIQUE (tenant_id, tier, cache_key)
);

CREATE TABLE versions (
    entry_id        BIGINT NOT NULL REFERENCES entries(id),
    version         INTEGER NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'needs_second', 'approved', 'rejected', 'revoked', 'expired')),
    content         TEXT NOT NULL,
    content_sha256  TEXT NOT NULL,
    risk            TEXT NOT NULL DEFAULT 'low' CHECK (risk IN ('low', 'medium', 'high')),
    author          TEXT NOT NULL,
    model_used      TEXT NOT NULL,
    prompt_tokens   BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    created_ms      BIGINT NOT NULL,
    decided_ms      BIGINT,
    decided_by      TEXT,
    reason          TEXT,
    seq             BIGINT NOT NULL,
    PRIMARY KEY (entry_id, version)
);
CREATE INDEX versions_seq ON versions (seq);
CREATE INDEX versions_state ON versions (state);

CREATE TABLE entry_queries (
    id          BIGSERIAL PRIMARY KEY,
    entry_id    BIGINT NOT NULL REFERENCES entries(id),
    query       TEXT NOT NULL,
    seen_ms     BIGINT NOT NULL
);
CREATE INDEX entry_queries_entry ON entry_queries (entry_id);

CREATE TABLE ledger_events (
    id                BIGSERIAL PRIMARY KEY,
    ts_ms             BIGINT NOT NULL,
    tenant_id         BIGINT NOT NULL,
    namespace         TEXT NOT NULL DEFAULT '',
    tier              TEXT NOT NULL CHECK (tier IN ('l0', 'exact', 'semantic', 'upstream')),
    shadow_hit        INTEGER NOT NULL DEFAULT 0,
    model_requested   TEXT NOT NULL,
    model_used        TEXT NOT NULL,
    prompt_tokens     BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    actual_micros     BIGINT,          -- NULL: unpriced
    baseline_micros   BIGINT,          -- NULL: unpriced
    entry_id          BIGINT,
    status            INTEGER NOT NULL,
    latency_ms        BIGINT NOT NULL
);
CREATE INDEX ledger_events_ts ON ledger_events (ts_ms);
CREATE INDEX ledger_events_tenant_ts ON ledger_events (tenant_id, ts_ms);
