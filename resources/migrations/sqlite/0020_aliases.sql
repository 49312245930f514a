-- Aliases: queries the semantic tier found close to an approved entry without passing its
-- threshold are proposed to reviewers ("same question as entry N?"). One proposal per tenant,
-- query key and entry (seen counts how often it came up). A confirmed proposal is an alias: the
-- query's exact key serves the entry's approved answer. A rejected one stays, so that the same
-- proposal does not come back. Decisions are signed by the reviewer (like approvals) and are in
-- the audit chain (alias.confirm, alias.reject).
CREATE TABLE alias_proposals (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id          INTEGER NOT NULL REFERENCES tenants(id),
    namespace          TEXT NOT NULL DEFAULT '',
    entry_id           INTEGER NOT NULL REFERENCES entries(id),
    version            INTEGER NOT NULL,
    query_key          TEXT NOT NULL,
    query              TEXT NOT NULL,
    request            TEXT NOT NULL,
    similarity_micros  INTEGER NOT NULL,
    seen               INTEGER NOT NULL DEFAULT 1,
    first_ms           INTEGER NOT NULL,
    last_ms            INTEGER NOT NULL,
    state              TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed', 'rejected')),
    decided_by         TEXT,
    decided_ms         INTEGER,
    reason             TEXT,
    signature          TEXT,
    seq                INTEGER NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, query_key, entry_id)
);

-- One alias per exact key: a query is the same question as one entry at most.
CREATE UNIQUE INDEX alias_proposals_one_alias ON alias_proposals (tenant_id, query_key) WHERE state = 'confirmed';
CREATE INDEX alias_proposals_state ON alias_proposals (state, last_ms);
CREATE INDEX alias_proposals_seq ON alias_proposals (seq);
