-- Signed approvals and the audit chain.
CREATE TABLE reviewers (
    id                BIGSERIAL PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE,
    public_key        TEXT NOT NULL,
    fingerprint       TEXT NOT NULL UNIQUE,
    admin_fingerprint TEXT NOT NULL,
    admin_signature   TEXT NOT NULL,
    created_ms        BIGINT NOT NULL
);

CREATE TABLE approvals (
    id              BIGSERIAL PRIMARY KEY,
    entry_id        BIGINT NOT NULL,
    version         INTEGER NOT NULL,
    decision        TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
    reviewer        TEXT NOT NULL,
    content_sha256  TEXT NOT NULL,
    signed_ms       BIGINT NOT NULL,
    signature       TEXT NOT NULL,
    reason          TEXT,
    UNIQUE (entry_id, version, reviewer)
);

CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    ts_ms       BIGINT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    details     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
