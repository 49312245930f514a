-- Undo: a reviewer may withdraw their own decision shortly after making it. The decision moves
-- here with the signed withdrawal, so the approvals table holds only decisions in force and
-- nothing signed is ever lost.
CREATE TABLE withdrawn_approvals (
    id                  BIGSERIAL PRIMARY KEY,
    entry_id            BIGINT NOT NULL,
    version             INTEGER NOT NULL,
    decision            TEXT NOT NULL,
    reviewer            TEXT NOT NULL,
    content_sha256      TEXT NOT NULL,
    signed_ms           BIGINT NOT NULL,
    signature           TEXT NOT NULL,
    reason              TEXT,
    withdrawn_ms        BIGINT NOT NULL,
    withdraw_signature  TEXT NOT NULL
);
CREATE INDEX withdrawn_approvals_entry ON withdrawn_approvals (entry_id, version);

GRANT SELECT, INSERT ON withdrawn_approvals TO l0_reviewer;
GRANT USAGE, SELECT ON SEQUENCE withdrawn_approvals_id_seq TO l0_reviewer;
GRANT SELECT ON withdrawn_approvals TO l0_node;
GRANT ALL ON withdrawn_approvals TO l0_admin;
GRANT ALL ON SEQUENCE withdrawn_approvals_id_seq TO l0_admin;
-- Withdrawing moves the row (the engine checks it is the key owner's own decision).
GRANT DELETE ON approvals TO l0_reviewer;
ALTER TABLE withdrawn_approvals ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON withdrawn_approvals
    USING (NOT pg_has_role('l0_reviewer', 'MEMBER')
           OR EXISTS (SELECT 1 FROM entries e WHERE e.id = withdrawn_approvals.entry_id));
