-- What a tenant may ask of the upstreams, set by admins and enforced by every node: requests
-- and tokens per minute (NULL: no limit), whether the monthly budget stops upstream calls once
-- spent, and how long past its end an approved answer may still be served when every upstream
-- fails (0: never). And how many upstream calls each ledger event took.
ALTER TABLE tenants ADD COLUMN rpm_limit INTEGER;
ALTER TABLE tenants ADD COLUMN tpm_limit INTEGER;
ALTER TABLE tenants ADD COLUMN budget_hard INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenants ADD COLUMN stale_grace_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ledger_events ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
