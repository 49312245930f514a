-- Review leases and answer lifetimes.
ALTER TABLE versions ADD COLUMN claimed_by TEXT;
ALTER TABLE versions ADD COLUMN claim_expires_ms INTEGER;
ALTER TABLE versions ADD COLUMN expires_ms INTEGER;
ALTER TABLE tenants ADD COLUMN default_ttl_ms INTEGER;
