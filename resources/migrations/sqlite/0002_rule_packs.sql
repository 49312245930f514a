-- Rule packs for the L0 intent tier, versioned per tenant. A version serves only once
-- approved (state 'active'); activating one retires the tenant's previous active pack.
CREATE TABLE rule_packs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants(id),
    name            TEXT NOT NULL,
    version         INTEGER NOT NULL,
    content         TEXT NOT NULL,
    content_sha256  TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'active', 'retired', 'rejected')),
    author          TEXT NOT NULL,
    created_ms      INTEGER NOT NULL,
    decided_ms      INTEGER,
    decided_by      TEXT,
    seq             INTEGER NOT NULL,
    UNIQUE (tenant_id, name, version)
);
CREATE INDEX rule_packs_seq ON rule_packs (seq);
