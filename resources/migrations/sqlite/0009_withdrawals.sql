-- Undo: a reviewer may withdraw their own decision shortly after making it. The decision moves
-- here with the signed withdrawal, so the approvals table holds only decisions in force and
-- nothing signed is ever lost.
CREATE TABLE withdrawn_approvals (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id            INTEGER NOT NULL,
    version             INTEGER NOT NULL,
    decision            TEXT NOT NULL,
    reviewer            TEXT NOT NULL,
    content_sha256      TEXT NOT NULL,
    signed_ms           INTEGER NOT NULL,
    signature           TEXT NOT NULL,
    reason              TEXT,
    withdrawn_ms        INTEGER NOT NULL,
    withdraw_signature  TEXT NOT NULL
);
CREATE INDEX withdrawn_approvals_entry ON withdrawn_approvals (entry_id, version);
