-- Least privilege. Group roles (NOLOGIN) for nodes, reviewers, managers and admins; grant one
-- to each login: GRANT l0_reviewer TO alice. Reviewers see only the tenants in role_tenants
-- for their login (row-level security); the others are not filtered.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'l0_node') THEN CREATE ROLE l0_node NOLOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'l0_reviewer') THEN CREATE ROLE l0_reviewer NOLOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'l0_manager') THEN CREATE ROLE l0_manager NOLOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'l0_admin') THEN CREATE ROLE l0_admin NOLOGIN; END IF;
END
$$;

CREATE TABLE role_tenants (
    role_name   TEXT NOT NULL,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id),
    PRIMARY KEY (role_name, tenant_id)
);

GRANT USAGE ON SCHEMA public TO l0_node, l0_reviewer, l0_manager, l0_admin;
GRANT SELECT ON role_tenants TO l0_node, l0_reviewer, l0_manager;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO l0_node, l0_reviewer, l0_admin;

-- Nodes: read what they serve; file candidates, queries and ledger events; never decide.
GRANT SELECT ON schema_migrations, tenants, api_keys, entries, versions, entry_queries, rule_packs, reviewers, approvals, audit_log, journal_applied TO l0_node;
GRANT INSERT ON entries, versions, entry_queries, ledger_events, journal_applied, audit_log TO l0_node;
GRANT UPDATE (demand, updated_ms) ON entries TO l0_node;

-- Reviewers: read the queue of their tenants; decide, sign, claim; never rewrite content or the ledger.
GRANT SELECT ON schema_migrations, tenants, entries, versions, entry_queries, rule_packs, reviewers, approvals, audit_log TO l0_reviewer;
GRANT UPDATE (state, decided_ms, decided_by, reason, seq, claimed_by, claim_expires_ms, expires_ms) ON versions TO l0_reviewer;
GRANT INSERT ON approvals, audit_log TO l0_reviewer;
GRANT UPDATE (state, decided_ms, decided_by, seq) ON rule_packs TO l0_reviewer;

-- Managers: the ledger and what it refers to.
GRANT SELECT ON schema_migrations, tenants, entries, ledger_events TO l0_manager;

-- Admins: everything.
GRANT ALL ON ALL TABLES IN SCHEMA public TO l0_admin;
GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO l0_admin;

ALTER TABLE entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE entry_queries ENABLE ROW LEVEL SECURITY;
ALTER TABLE approvals ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON entries
    USING (NOT pg_has_role('l0_reviewer', 'MEMBER')
           OR tenant_id IN (SELECT tenant_id FROM role_tenants WHERE role_name = current_user));
CREATE POLICY tenant_scope ON versions
    USING (NOT pg_has_role('l0_reviewer', 'MEMBER') OR EXISTS (SELECT 1 FROM entries e WHERE e.id = versions.entry_id));
CREATE POLICY tenant_scope ON entry_queries
    USING (NOT pg_has_role('l0_reviewer', 'MEMBER') OR EXISTS (SELECT 1 FROM entries e WHERE e.id = entry_queries.entry_id));
CREATE POLICY tenant_scope ON approvals
    USING (NOT pg_has_role('l0_reviewer', 'MEMBER') OR EXISTS (SELECT 1 FROM entries e WHERE e.id = approvals.entry_id));
