-- Consoles look at the queue's state every second: the claims are found through this index,
-- not by reading every version.
CREATE INDEX versions_claimed ON versions (claim_expires_ms) WHERE claimed_by IS NOT NULL;
