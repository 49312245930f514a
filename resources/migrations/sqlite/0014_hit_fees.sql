-- Per-hit fees and end users. An operator may charge a tenant a fee for every answer served
-- from the cache (integer micro-dollars, 0: none); each hit's ledger event records the fee it
-- was charged, apart from model costs, and the rollups sum it so reports show fees, savings net
-- of fees and the operator's fee revenue. A ledger event also names the end user a token
-- identified (empty for API keys).
ALTER TABLE tenants ADD COLUMN hit_fee_micros INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ledger_events ADD COLUMN fee_micros INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ledger_events ADD COLUMN end_user TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger_rollup_minute ADD COLUMN fee_micros INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ledger_rollup_quarter ADD COLUMN fee_micros INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ledger_rollup_hour ADD COLUMN fee_micros INTEGER NOT NULL DEFAULT 0;

-- The rollup trigger again, now summing fees too.
DROP TRIGGER ledger_events_rollup;
CREATE TRIGGER ledger_events_rollup AFTER INSERT ON ledger_events
BEGIN
    INSERT INTO ledger_rollup_minute VALUES ((NEW.ts_ms / 60000) * 60000, NEW.tenant_id, NEW.namespace, NEW.tier, NEW.model_used, NEW.intent, NEW.shadow_hit, 1, CASE WHEN NEW.actual_micros IS NULL OR NEW.baseline_micros IS NULL THEN 1 ELSE 0 END, CASE WHEN NEW.actual_micros IS NOT NULL AND NEW.baseline_micros IS NOT NULL THEN NEW.actual_micros ELSE 0 END, CASE WHEN NEW.actual_micros IS NOT NULL AND NEW.baseline_micros IS NOT NULL THEN NEW.baseline_micros ELSE 0 END, CASE WHEN NEW.shadow_hit = 1 AND NEW.actual_micros IS NOT NULL THEN NEW.actual_micros ELSE 0 END, NEW.prompt_tokens, NEW.completion_tokens, NEW.latency_ms, NEW.fee_micros)
    ON CONFLICT (bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET requests = ledger_rollup_minute.requests + excluded.requests, unpriced = ledger_rollup_minute.unpriced + excluded.unpriced, actual_micros = ledger_rollup_minute.actual_micros + excluded.actual_micros, baseline_micros = ledger_rollup_minute.baseline_micros + excluded.baseline_micros, shadow_micros = ledger_rollup_minute.shadow_micros + excluded.shadow_micros, prompt_tokens = ledger_rollup_minute.prompt_tokens + excluded.prompt_tokens, completion_tokens = ledger_rollup_minute.completion_tokens + excluded.completion_tokens, latency_ms = ledger_rollup_minute.latency_ms + excluded.latency_ms, fee_micros = ledger_rollup_minute.fee_micros + excluded.fee_micros;
    INSERT INTO ledger_rollup_quarter VALUES ((NEW.ts_ms / 900000) * 900000, NEW.tenant_id, NEW.namespace, NEW.tier, NEW.model_used, NEW.intent, NEW.shadow_hit, 1, CASE WHEN NEW.actual_micros IS NULL OR NEW.baseline_micros IS NULL THEN 1 ELSE 0 END, CASE WHEN NEW.actual_micros IS NOT NULL AND NEW.baseline_micros IS NOT NULL THEN NEW.actual_micros ELSE 0 END, CASE WHEN NEW.actual_micros IS NOT NULL AND NEW.baseline_micros IS NOT NULL THEN NEW.baseline_micros ELSE 0 END, CASE WHEN NEW.shadow_hit = 1 AND NEW.actual_micros IS NOT NULL THEN NEW.actual_micros ELSE 0 END, NEW.prompt_tokens, NEW.completion_tokens, NEW.latency_ms, NEW.fee_micros)
    ON CONFLICT (bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET requests = ledger_rollup_quarter.requests + excluded.requests, unpriced = ledger_rollup_quarter.unpriced + excluded.unpriced, actual_micros = ledger_rollup_quarter.actual_micros + excluded.actual_micros, baseline_micros = ledger_rollup_quarter.baseline_micros + excluded.baseline_micros, shadow_micros = ledger_rollup_quarter.shadow_micros + excluded.shadow_micros, prompt_tokens = ledger_rollup_quarter.prompt_tokens + excluded.prompt_tokens, completion_tokens = ledger_rollup_quarter.completion_tokens + excluded.completion_tokens, latency_ms = ledger_rollup_quarter.latency_ms + excluded.latency_ms, fee_micros = ledger_rollup_quarter.fee_micros + excluded.fee_micros;
    INSERT INTO ledger_rollup_hour VALUES ((NEW.ts_ms / 3600000) * 3600000, NEW.tenant_id, NEW.namespace, NEW.tier, NEW.model_used, NEW.intent, NEW.shadow_hit, 1, CASE WHEN NEW.actual_micros IS NULL OR NEW.baseline_micros IS NULL THEN 1 ELSE 0 END, CASE WHEN NEW.actual_micros IS NOT NULL AND NEW.baseline_micros IS NOT NULL THEN NEW.actual_micros ELSE 0 END, CASE WHEN NEW.actual_micros IS NOT NULL AND NEW.baseline_micros IS NOT NULL THEN NEW.baseline_micros ELSE 0 END, CASE WHEN NEW.shadow_hit = 1 AND NEW.actual_micros IS NOT NULL THEN NEW.actual_micros ELSE 0 END, NEW.prompt_tokens, NEW.completion_tokens, NEW.latency_ms, NEW.fee_micros)
    ON CONFLICT (bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET requests = ledger_rollup_hour.requests + excluded.requests, unpriced = ledger_rollup_hour.unpriced + excluded.unpriced, actual_micros = ledger_rollup_hour.actual_micros + excluded.actual_micros, baseline_micros = ledger_rollup_hour.baseline_micros + excluded.baseline_micros, shadow_micros = ledger_rollup_hour.shadow_micros + excluded.shadow_micros, prompt_tokens = ledger_rollup_hour.prompt_tokens + excluded.prompt_tokens, completion_tokens = ledger_rollup_hour.completion_tokens + excluded.completion_tokens, latency_ms = ledger_rollup_hour.latency_ms + excluded.latency_ms, fee_micros = ledger_rollup_hour.fee_micros + excluded.fee_micros;
    INSERT INTO ledger_rollup_entry_day SELECT (NEW.ts_ms / 86400000) * 86400000, NEW.entry_id, NEW.tenant_id, NEW.namespace, NEW.tier, NEW.model_used, NEW.intent, 1, CASE WHEN NEW.actual_micros IS NOT NULL AND NEW.baseline_micros IS NOT NULL THEN NEW.baseline_micros - NEW.actual_micros ELSE 0 END, CASE WHEN NEW.actual_micros IS NULL OR NEW.baseline_micros IS NULL THEN 1 ELSE 0 END
    WHERE NEW.entry_id IS NOT NULL AND NEW.tier <> 'upstream'
    ON CONFLICT (day_ms, entry_id, tenant_id, namespace, tier, model, intent) DO UPDATE SET hits = ledger_rollup_entry_day.hits + excluded.hits, saved_micros = ledger_rollup_entry_day.saved_micros + excluded.saved_micros, unpriced = ledger_rollup_entry_day.unpriced + excluded.unpriced;
END;

-- What clients said of answers they were served (POST /v1/cache/feedback): +1 or -1, with an
-- optional reason, per entry version, tenant and end user. Journalled by the node like ledger
-- events, so feedback_uid makes a replay idempotent.
CREATE TABLE cache_feedback (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    feedback_uid  TEXT NOT NULL UNIQUE,
    tenant_id     INTEGER NOT NULL REFERENCES tenants(id),
    entry_id      INTEGER NOT NULL REFERENCES entries(id),
    version       INTEGER NOT NULL,
    rating        INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    reason        TEXT NOT NULL DEFAULT '',
    end_user      TEXT NOT NULL DEFAULT '',
    created_ms    INTEGER NOT NULL
);
CREATE INDEX cache_feedback_entry ON cache_feedback (entry_id, version);
