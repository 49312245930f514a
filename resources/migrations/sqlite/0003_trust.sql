-- Signed approvals and the audit chain.
CREATE TABLE reviewers (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    name              TEXT NOT NULL UNIQUE,
    public_key        TEXT NOT NULL,
    fingerprint       TEXT NOT NULL UNIQUE,
    admin_fingerprint TEXT NOT NULL,
    admin_signature   TEXT NOT NULL,
    created_ms        INTEGER NOT NULL
);

CREATE TABLE approvals (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id        INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    decision        TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
    reviewer        TEXT NOT NULL,
    content_sha256  TEXT NOT NULL,
    signed_ms       INTEGER NOT NULL,
    signature       TEXT NOT NULL,
    reason          TEXT,
    UNIQUE (entry_id, version, reviewer)
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    ts_ms       INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    details     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
