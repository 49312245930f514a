-- Aliases: queries the semantic tier found close to an approved entry without passing its
-- threshold are proposed to reviewers ("same question as entry N?"). One proposal per tenant,
-- query key and entry (seen counts how often it came up). A confirmed proposal is an alias: the
-- query's exact key serves the entry's approved answer. A rejected one stays, so that the same
-- proposal does not come back. Decisions are signed by the reviewer (like approvals) and are in
-- the audit chain (alias.confirm, alias.reject).
CREATE TABLE alias_proposals (
    id                 BIGSERIAL PRIMARY KEY,
    tenant_id          BIGINT NOT NULL REFERENCES tenants(id),
    namespace          TEXT NOT NULL DEFAULT '',
    entry_id           BIGINT NOT NULL REFERENCES entries(id),
    version            INTEGER NOT NULL,
    query_key          TEXT NOT NULL,
    query              TEXT NOT NULL,
    request            TEXT NOT NULL,
    similarity_micros  BIGINT NOT NULL,
    seen               BIGINT NOT NULL DEFAULT 1,
    first_ms           BIGINT NOT NULL,
    last_ms            BIGINT NOT NULL,
    state              TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed', 'rejected')),
    decided_by         TEXT,
    decided_ms         BIGINT,
    reason             TEXT,
    signature          TEXT,
    seq                BIGINT NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, query_key, entry_id)
);

-- One alias per exact key: a query is the same question as one entry at most.
CREATE UNIQUE INDEX alias_proposals_one_alias ON alias_proposals (tenant_id, query_key) WHERE state = 'confirmed';
CREATE INDEX alias_proposals_state ON alias_proposals (state, last_ms);
CREATE INDEX alias_proposals_seq ON alias_proposals (seq);

-- Nodes propose and read decisions; reviewers decide (signed); admins everything.
GRANT SELECT, INSERT ON alias_proposals TO l0_node;
GRANT UPDATE (seen, last_ms, similarity_micros, version) ON alias_proposals TO l0_node;
GRANT SELECT ON alias_proposals TO l0_reviewer;
GRANT UPDATE (state, decided_by, decided_ms, reason, signature, seq) ON alias_proposals TO l0_reviewer;
GRANT ALL ON alias_proposals TO l0_admin;
GRANT USAGE, SELECT ON SEQUENCE alias_proposals_id_seq TO l0_node, l0_reviewer, l0_admin;

ALTER TABLE alias_proposals ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON alias_proposals
    USING (NOT pg_has_role('l0_reviewer', 'MEMBER')
           OR tenant_id IN (SELECT tenant_id FROM role_tenants WHERE role_name = current_user));
