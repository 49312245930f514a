-- Review leases and answer lifetimes.
ALTER TABLE versions ADD COLUMN claimed_by TEXT;
ALTER TABLE versions ADD COLUMN claim_expires_ms BIGINT;
ALTER TABLE versions ADD COLUMN expires_ms BIGINT;
ALTER TABLE tenants ADD COLUMN default_ttl_ms BIGINT;
