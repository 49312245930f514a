-- Managers staff the queue: they read its health (backlog ages, leases, time to decision and
-- to serving, decisions per reviewer, rejection reasons, would-be savings), never the answers,
-- the signatures or anything they could decide with.
GRANT SELECT (claimed_by, claim_expires_ms, reason, model_used, prompt_tokens, completion_tokens) ON versions TO l0_manager;
GRANT SELECT (entry_id, version, decision, reviewer, signed_ms) ON approvals TO l0_manager;
GRANT SELECT (entry_id, version, decision, reviewer, signed_ms, withdrawn_ms) ON withdrawn_approvals TO l0_manager;
