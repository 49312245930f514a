-- Per-hit fees and end users. An operator may charge a tenant a fee for every answer served
-- from the cache (integer micro-dollars, 0: none); each hit's ledger event records the fee it
-- was charged, apart from model costs, and the rollups sum it so reports show fees, savings net
-- of fees and the operator's fee revenue. A ledger event also names the end user a token
-- identified (empty for API keys).
ALTER TABLE tenants ADD COLUMN hit_fee_micros BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ledger_events ADD COLUMN fee_micros BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ledger_events ADD COLUMN end_user TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger_rollup_minute ADD COLUMN fee_micros BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ledger_rollup_quarter ADD COLUMN fee_micros BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ledger_rollup_hour ADD COLUMN fee_micros BIGINT NOT NULL DEFAULT 0;

-- The rollup function again, now summing fees too (the trigger keeps calling it).
CREATE OR REPLACE FUNCTION ledger_events_rollup() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT AS $$
BEGIN
INSERT INTO ledger_rollup_minute
SELECT (l.ts_ms / 60000) * 60000, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, l.shadow_hit, COUNT(*), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros ELSE 0 END), SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.latency_ms), SUM(l.fee_micros)
FROM new_rows l GROUP BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET requests = ledger_rollup_minute.requests + excluded.requests, unpriced = ledger_rollup_minute.unpriced + excluded.unpriced, actual_micros = ledger_rollup_minute.actual_micros + excluded.actual_micros, baseline_micros = ledger_rollup_minute.baseline_micros + excluded.baseline_micros, shadow_micros = ledger_rollup_minute.shadow_micros + excluded.shadow_micros, prompt_tokens = ledger_rollup_minute.prompt_tokens + excluded.prompt_tokens, completion_tokens = ledger_rollup_minute.completion_tokens + excluded.completion_tokens, latency_ms = ledger_rollup_minute.latency_ms + excluded.latency_ms, fee_micros = ledger_rollup_minute.fee_micros + excluded.fee_micros;
INSERT INTO ledger_rollup_quarter
SELECT (l.ts_ms / 900000) * 900000, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, l.shadow_hit, COUNT(*), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros ELSE 0 END), SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.latency_ms), SUM(l.fee_micros)
FROM new_rows l GROUP BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET requests = ledger_rollup_quarter.requests + excluded.requests, unpriced = ledger_rollup_quarter.unpriced + excluded.unpriced, actual_micros = ledger_rollup_quarter.actual_micros + excluded.actual_micros, baseline_micros = ledger_rollup_quarter.baseline_micros + excluded.baseline_micros, shadow_micros = ledger_rollup_quarter.shadow_micros + excluded.shadow_micros, prompt_tokens = ledger_rollup_quarter.prompt_tokens + excluded.prompt_tokens, completion_tokens = ledger_rollup_quarter.completion_tokens + excluded.completion_tokens, latency_ms = ledger_rollup_quarter.latency_ms + excluded.latency_ms, fee_micros = ledger_rollup_quarter.fee_micros + excluded.fee_micros;
INSERT INTO ledger_rollup_hour
SELECT (l.ts_ms / 3600000) * 3600000, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, l.shadow_hit, COUNT(*), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros ELSE 0 END), SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.latency_ms), SUM(l.fee_micros)
FROM new_rows l GROUP BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET requests = ledger_rollup_hour.requests + excluded.requests, unpriced = ledger_rollup_hour.unpriced + excluded.unpriced, actual_micros = ledger_rollup_hour.actual_micros + excluded.actual_micros, baseline_micros = ledger_rollup_hour.baseline_micros + excluded.baseline_micros, shadow_micros = ledger_rollup_hour.shadow_micros + excluded.shadow_micros, prompt_tokens = ledger_rollup_hour.prompt_tokens + excluded.prompt_tokens, completion_tokens = ledger_rollup_hour.completion_tokens + excluded.completion_tokens, latency_ms = ledger_rollup_hour.latency_ms + excluded.latency_ms, fee_micros = ledger_rollup_hour.fee_micros + excluded.fee_micros;
INSERT INTO ledger_rollup_entry_day
SELECT (l.ts_ms / 86400000) * 86400000, l.entry_id, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, COUNT(*), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros - l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END)
FROM new_rows l WHERE l.entry_id IS NOT NULL AND l.tier <> 'upstream' GROUP BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (day_ms, entry_id, tenant_id, namespace, tier, model, intent) DO UPDATE SET hits = ledger_rollup_entry_day.hits + excluded.hits, saved_micros = ledger_rollup_entry_day.saved_micros + excluded.saved_micros, unpriced = ledger_rollup_entry_day.unpriced + excluded.unpriced;
    RETURN NULL;
END
$$;

-- What clients said of answers they were served (POST /v1/cache/feedback): +1 or -1, with an
-- optional reason, per entry version, tenant and end user. Journalled by the node like ledger
-- events, so feedback_uid makes a replay idempotent.
CREATE TABLE cache_feedback (
    id            BIGSERIAL PRIMARY KEY,
    feedback_uid  TEXT NOT NULL UNIQUE,
    tenant_id     BIGINT NOT NULL REFERENCES tenants(id),
    entry_id      BIGINT NOT NULL REFERENCES entries(id),
    version       INTEGER NOT NULL,
    rating        INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    reason        TEXT NOT NULL DEFAULT '',
    end_user      TEXT NOT NULL DEFAULT '',
    created_ms    BIGINT NOT NULL
);
CREATE INDEX cache_feedback_entry ON cache_feedback (entry_id, version);
GRANT INSERT ON cache_feedback TO l0_node;
GRANT USAGE, SELECT ON SEQUENCE cache_feedback_id_seq TO l0_node;
GRANT SELECT ON cache_feedback TO l0_reviewer, l0_manager;
GRANT ALL ON cache_feedback TO l0_admin;
GRANT ALL ON SEQUENCE cache_feedback_id_seq TO l0_admin;
