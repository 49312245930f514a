-- Ledger rollups for the savings dashboard, kept by a trigger in the same transaction as the
-- raw events (ignored duplicates do not fire it), so they never disagree with them. One table
-- per grain keeps each compact on disk: sums per UTC minute, quarter hour and hour, per
-- tenant, namespace, tier, model used, intent and shadow flag; and hits per entry and UTC day
-- for "top entries". Savings count only events with both amounts priced; unpriced events are
-- counted apart.
ALTER TABLE ledger_events ADD COLUMN intent TEXT NOT NULL DEFAULT '';

CREATE TABLE ledger_rollup_minute (
    bucket_ms         INTEGER NOT NULL,
    tenant_id         INTEGER NOT NULL,
    namespace         TEXT NOT NULL,
    tier              TEXT NOT NULL,
    model             TEXT NOT NULL,
    intent            TEXT NOT NULL,
    shadow            INTEGER NOT NULL,
    requests          INTEGER NOT NULL,
    unpriced          INTEGER NOT NULL,
    actual_micros     INTEGER NOT NULL,
    baseline_micros   INTEGER NOT NULL,
    shadow_micros     INTEGER NOT NULL,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    latency_ms        INTEGER NOT NULL,
    PRIMARY KEY (bucket_ms, tenant_id, namespace, tier, model, intent, shadow)
);

CREATE TABLE ledger_rollup_quarter (
    bucket_ms         INTEGER NOT NULL,
    tenant_id         INTEGER NOT NULL,
    namespace         TEXT NOT NULL,
    tier              TEXT NOT NULL,
    model             TEXT NOT NULL,
    intent            TEXT NOT NULL,
    shadow            INTEGER NOT NULL,
    requests          INTEGER NOT NULL,
    unpriced          INTEGER NOT NULL,
    actual_micros     INTEGER NOT NULL,
    baseline_micros   INTEGER NOT NULL,
    shadow_micros     INTEGER NOT NULL,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    latency_ms        INTEGER NOT NULL,
    PRIMARY KEY (bucket_ms, tenant_id, namespace, tier, model, intent, shadow)
);

CREATE TABLE ledger_rollup_hour (
    bucket_ms         INTEGER NOT NULL,
    tenant_id         INTEGER NOT NULL,
    namespace         TEXT NOT NULL,
    tier              TEXT NOT NULL,
    model             TEXT NOT NULL,
    intent            TEXT NOT NULL,
    shadow            INTEGER NOT NULL,
    requests          INTEGER NOT NULL,
    unpriced          INTEGER NOT NULL,
    actual_micros     INTEGER NOT NULL,
    baseline_micros   INTEGER NOT NULL,
    shadow_micros     INTEGER NOT NULL,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    latency_ms        INTEGER NOT NULL,
    PRIMARY KEY (bucket_ms, tenant_id, namespace, tier, model, intent, shadow)
);

CREATE TABLE ledger_rollup_entry_day (
    day_ms            INTEGER NOT NULL,
    entry_id          INTEGER NOT NULL,
    tenant_id         INTEGER NOT NULL,
    namespace         TEXT NOT NULL,
    tier              TEXT NOT NULL,
    model             TEXT NOT NULL,
    intent            TEXT NOT NULL,
    hits              INTEGER NOT NULL,
    saved_micros      INTEGER NOT NULL,
    unpriced          INTEGER NOT NULL,
    PRIMARY KEY (day_ms, entry_id, tenant_id, namespace, tier, model, intent)
);

INSERT INTO ledger_rollup_minute
SELECT (l.ts_ms / 60000) * 60000, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, l.shadow_hit, COUNT(*), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros ELSE 0 END), SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.latency_ms)
FROM ledger_events l GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO ledger_rollup_quarter
SELECT (l.ts_ms / 900000) * 900000, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, l.shadow_hit, COUNT(*), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros ELSE 0 END), SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.latency_ms)
FROM ledger_events l GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO ledger_rollup_hour
SELECT (l.ts_ms / 3600000) * 3600000, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, l.shadow_hit, COUNT(*), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros ELSE 0 END), SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.latency_ms)
FROM ledger_events l GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO ledger_rollup_entry_day
SELECT (l.ts_ms / 86400000) * 86400000, l.entry_id, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, COUNT(*), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros - l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END)
FROM ledger_events l WHERE l.entry_id IS NOT NULL AND l.tier <> 'upstream' GROUP BY 1, 2, 3, 4, 5, 6, 7;

CREATE TRIGGER ledger_events_rollup AFTER INSERT ON ledger_events
BEGIN
    INSERT INTO ledger_rollup_minute VALUES ((NEW.ts_ms / 60000) * 60000, NEW.tenant_id, NEW.namespace, NEW.tier, NEW.model_used, NEW.intent, NEW.shadow_hit, 1, CASE WHEN NEW.actual_micros IS NULL OR NEW.baseline_micros IS NULL THEN 1 ELSE 0 END, CASE WHEN NEW.actual_micros IS NOT NULL AND NEW.baseline_micros IS NOT NULL THEN NEW.actual_micros ELSE 0 END, CASE WHEN NEW.actual_micros IS NOT NULL AND NEW.baseline_micros IS NOT NULL THEN NEW.baseline_micros ELSE 0 END, CASE WHEN NEW.shadow_hit = 1 AND NEW.actual_micros IS NOT NULL THEN NEW.actual_micros ELSE 0 END, NEW.prompt_tokens, NEW.completion_tokens, NEW.latency_ms)
    ON CONFLICT (bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET requests = ledger_rollup_minute.requests + excluded.requests, unpriced = ledger_rollup_minute.unpriced + excluded.unpriced, actual_micros = ledger_rollup_minute.actual_micros + excluded.actual_micros, baseline_micros = ledger_rollup_minute.baseline_micros + excluded.baseline_micros, shadow_micros = ledger_rollup_minute.shadow_micros + excluded.shadow_micros, prompt_tokens = ledger_rollup_minute.prompt_tokens + excluded.prompt_tokens, completion_tokens = ledger_rollup_minute.completion_tokens + excluded.completion_tokens, latency_ms = ledger_rollup_minute.latency_ms + excluded.latency_ms;
    INSERT INTO ledger_rollup_quarter VALUES ((NEW.ts_ms / 900000) * 900000, NEW.tenant_id, NEW.namespace, NEW.tier, NEW.model_used, NEW.intent, NEW.shadow_hit, 1, CASE WHEN NEW.actual_micros IS NULL OR NEW.baseline_micros IS NULL THEN 1 ELSE 0 END, CASE WHEN NEW.actual_micros IS NOT NULL AND NEW.baseline_micros IS NOT NULL THEN NEW.actual_micros ELSE 0 END, CASE WHEN NEW.actual_micros IS NOT NULL AND NEW.baseline_micros IS NOT NULL THEN NEW.baseline_micros ELSE 0 END, CASE WHEN NEW.shadow_hit = 1 AND NEW.actual_micros IS NOT NULL THEN NEW.actual_micros ELSE 0 END, NEW.prompt_tokens, NEW.completion_tokens, NEW.latency_ms)
    ON CONFLICT (bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET requests = ledger_rollup_quarter.requests + excluded.requests, unpriced = ledger_rollup_quarter.unpriced + excluded.unpriced, actual_micros = ledger_rollup_quarter.actual_micros + excluded.actual_micros, baseline_micros = ledger_rollup_quarter.baseline_micros + excluded.baseline_micros, shadow_micros = ledger_rollup_quarter.shadow_micros + excluded.shadow_micros, prompt_tokens = ledger_rollup_quarter.prompt_tokens + excluded.prompt_tokens, completion_tokens = ledger_rollup_quarter.completion_tokens + excluded.completion_tokens, latency_ms = ledger_rollup_quarter.latency_ms + excluded.latency_ms;
    INSERT INTO ledger_rollup_hour VALUES ((NEW.ts_ms / 3600000) * 3600000, NEW.tenant_id, NEW.namespace, NEW.tier, NEW.model_used, NEW.intent, NEW.shadow_hit, 1, CASE WHEN NEW.actual_micros IS NULL OR NEW.baseline_micros IS NULL THEN 1 ELSE 0 END, CASE WHEN NEW.actual_micros IS NOT NULL AND NEW.baseline_micros IS NOT NULL THEN NEW.actual_micros ELSE 0 END, CASE WHEN NEW.actual_micros IS NOT NULL AND NEW.baseline_micros IS NOT NULL THEN NEW.baseline_micros ELSE 0 END, CASE WHEN NEW.shadow_hit = 1 AND NEW.actual_micros IS NOT NULL THEN NEW.actual_micros ELSE 0 END, NEW.prompt_tokens, NEW.completion_tokens, NEW.latency_ms)
    ON CONFLICT (bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET requests = ledger_rollup_hour.requests + excluded.requests, unpriced = ledger_rollup_hour.unpriced + excluded.unpriced, actual_micros = ledger_rollup_hour.actual_micros + excluded.actual_micros, baseline_micros = ledger_rollup_hour.baseline_micros + excluded.baseline_micros, shadow_micros = ledger_rollup_hour.shadow_micros + excluded.shadow_micros, prompt_tokens = ledger_rollup_hour.prompt_tokens + excluded.prompt_tokens, completion_tokens = ledger_rollup_hour.completion_tokens + excluded.completion_tokens, latency_ms = ledger_rollup_hour.latency_ms + excluded.latency_ms;
    INSERT INTO ledger_rollup_entry_day SELECT (NEW.ts_ms / 86400000) * 86400000, NEW.entry_id, NEW.tenant_id, NEW.namespace, NEW.tier, NEW.model_used, NEW.intent, 1, CASE WHEN NEW.actual_micros IS NOT NULL AND NEW.baseline_micros IS NOT NULL THEN NEW.baseline_micros - NEW.actual_micros ELSE 0 END, CASE WHEN NEW.actual_micros IS NULL OR NEW.baseline_micros IS NULL THEN 1 ELSE 0 END
    WHERE NEW.entry_id IS NOT NULL AND NEW.tier <> 'upstream'
    ON CONFLICT (day_ms, entry_id, tenant_id, namespace, tier, model, intent) DO UPDATE SET hits = ledger_rollup_entry_day.hits + excluded.hits, saved_micros = ledger_rollup_entry_day.saved_micros + excluded.saved_micros, unpriced = ledger_rollup_entry_day.unpriced + excluded.unpriced;
END;

-- Raw hits of one entry (its intent, its history).
CREATE INDEX ledger_events_entry ON ledger_events (entry_id, ts_ms) WHERE entry_id IS NOT NULL;
