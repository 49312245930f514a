-- How long raw ledger events are kept (0: for ever). The embedded store keeps the ledger in
-- one table and deletes raw events past the retention (ledger maintenance); the rollups the
-- dashboard reads keep their sums. months_ahead is for PostgreSQL's monthly partitions.
CREATE TABLE ledger_settings (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    raw_retention_days  INTEGER NOT NULL DEFAULT 0 CHECK (raw_retention_days >= 0),
    months_ahead        INTEGER NOT NULL DEFAULT 3 CHECK (months_ahead BETWEEN 1 AND 24),
    updated_ms          INTEGER NOT NULL DEFAULT 0
);
INSERT INTO ledger_settings (id) VALUES (1);
