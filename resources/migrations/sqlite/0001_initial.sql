-- L0 Cache schema, version 1 (SQLite dialect).
-- Times are milliseconds since the Unix epoch (UTC). Money is integer micro-dollars.

CREATE TABLE tenants (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    policy      TEXT NOT NULL DEFAULT 'approved'
                CHECK (policy IN ('shadow', 'approved', 'auto_low_risk')),
    created_ms  INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
    key_hash    BLOB NOT NULL UNIQUE,
    prefix      TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    revoked_ms  INTEGER
);

CREATE TABLE entries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
    namespace   TEXT NOT NULL DEFAULT '',
    tier        TEXT NOT NULL CHECK (tier IN ('exact', 'l0', 'semantic')),
    cache_key   TEXT NOT NULL,
    model       TEXT NOT NULL,
    request     TEXT NOT NULL,
    demand      INTEGER NOT NULL DEFAULT 1,
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL,
    UNIQUE (tenant_id, tier, cache_key)
);

CREATE TABLE versions (
    entry_id        INTEGER NOT NULL REFERENCES entries(id),
    version         INTEGER NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'needs_second', 'approved', 'rejected', 'revoked', 'expired')),
    content         TEXT NOT NULL,
    content_sha256  TEXT NOT NULL,
    risk            TEXT NOT NULL DEFAULT 'low' CHECK (risk IN ('low', 'medium', 'high')),
    author          TEXT NOT NULL,
    model_used      TEXT NOT NULL,
    prompt_tokens   INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    created_ms      INTEGER NOT NULL,
    decided_ms      INTEGER,
    decided_by      TEXT,
    reason          TEXT,
    seq             INTEGER NOT NULL,
    PRIMARY KEY (entry_id, version)
);
CREATE INDEX versions_seq ON versions (seq);
CREATE INDEX versions_state ON versions (state);

CREATE TABLE entry_queries (
    entry_id    INTEGER NOT NULL REFERENCES entries(id),
    query       TEXT NOT NULL,
    seen_ms     INTEGER NOT NULL
);
CREATE INDEX entry_queries_entry ON entry_queries (entry_id);

CREATE TABLE ledger_events (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    ts_ms             INTEGER NOT NULL,
    tenant_id         INTEGER NOT NULL,
    namespace         TEXT NOT NULL DEFAULT '',
    tier              TEXT NOT NULL CHECK (tier IN ('l0', 'exact', 'semantic', 'upstream')),
    shadow_hit        INTEGER NOT NULL DEFAULT 0,
    model_requested   TEXT NOT NULL,
    model_used        TEXT NOT NULL,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    actual_micros     INTEGER,          -- NULL: unpriced
    baseline_micros   INTEGER,          -- NULL: unpriced
    entry_id          INTEGER,
    status            INTEGER NOT NULL,
    latency_ms        INTEGER NOT NULL
);
CREATE INDEX ledger_events_ts ON ledger_events (ts_ms);
CREATE INDEX ledger_events_tenant_ts ON ledger_events (tenant_id, ts_ms);

CREATE TABLE sync_counter (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   INTEGER NOT NULL
);
INSERT INTO sync_counter (id, seq) VALUES (1, 0);
