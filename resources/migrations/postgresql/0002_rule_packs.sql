-- Rule packs for the L0 intent tier, versioned per tenant (see the SQLite migration 0002).
CREATE TABLE rule_packs (
    id              BIGSERIAL PRIMARY KEY,
    tenant_id       BIGINT NOT NULL REFERENCES tenants(id),
    name            TEXT NOT NULL,
    version         INTEGER NOT NULL,
    content         TEXT NOT NULL,
    content_sha256  TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'active', 'retired', 'rejected')),
    author          TEXT NOT NULL,
    created_ms      BIGINT NOT NULL,
    decided_ms      BIGINT,
    decided_by      TEXT,
    seq             BIGINT NOT NULL,
    UNIQUE (tenant_id, name, version)
);
CREATE INDEX rule_packs_seq ON rule_packs (seq);
