-- The response a candidate version was first sent as (the id on the ledger event of the miss
-- that filed it). An experiment report joins a reviewer's verdict on the version to the arm that
-- served the answer: approved counts as good, rejected or revoked as bad. Empty for versions
-- filed otherwise (edits, requeues, imports) and for versions older than this migration.
ALTER TABLE versions ADD COLUMN response_id TEXT NOT NULL DEFAULT '';
CREATE INDEX versions_response ON versions (response_id) WHERE response_id <> '';
