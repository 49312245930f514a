-- Exactly-once replay of a node's local journal: each candidate and ledger event carries the
-- unique id it was journalled under.
ALTER TABLE ledger_events ADD COLUMN event_uid TEXT;
CREATE UNIQUE INDEX ledger_events_uid ON ledger_events (event_uid);
CREATE TABLE journal_applied (
    uid         TEXT PRIMARY KEY,
    applied_ms  BIGINT NOT NULL
);
