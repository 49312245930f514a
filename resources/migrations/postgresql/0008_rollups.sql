-- Ledger rollups for the savings dashboard, kept by a statement trigger in the same transaction
-- as the raw events (rows skipped by ON CONFLICT are not in its transition table), so they never disagree with them. One table
-- per grain keeps each compact on disk: sums per UTC minute, quarter hour and hour, per
-- tenant, namespace, tier, model used, intent and shadow flag; and hits per entry and UTC day
-- for "top entries". Savings count only events with both amounts priced; unpriced events are
-- counted apart.
ALTER TABLE ledger_events ADD COLUMN intent TEXT NOT NULL DEFAULT '';

CREATE TABLE ledger_rollup_minute (
    bucket_ms         BIGINT NOT NULL,
    tenant_id         BIGINT NOT NULL,
    namespace         TEXT NOT NULL,
    tier              TEXT NOT NULL,
    model             TEXT NOT NULL,
    intent            TEXT NOT NULL,
    shadow            INTEGER NOT NULL,
    requests          BIGINT NOT NULL,
    unpriced          BIGINT NOT NULL,
    actual_micros     BIGINT NOT NULL,
    baseline_micros   BIGINT NOT NULL,
    shadow_micros     BIGINT NOT NULL,
    prompt_tokens     BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    latency_ms        BIGINT NOT NULL,
    PRIMARY KEY (bucket_ms, tenant_id, namespace, tier, model, intent, shadow)
);

CREATE TABLE ledger_rollup_quarter (
    bucket_ms         BIGINT NOT NULL,
    tenant_id         BIGINT NOT NULL,
    namespace         TEXT NOT NULL,
    tier              TEXT NOT NULL,
    model             TEXT NOT NULL,
    intent            TEXT NOT NULL,
    shadow            INTEGER NOT NULL,
    requests          BIGINT NOT NULL,
    unpriced          BIGINT NOT NULL,
    actual_micros     BIGINT NOT NULL,
    baseline_micros   BIGINT NOT NULL,
    shadow_micros     BIGINT NOT NULL,
    prompt_tokens     BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    latency_ms        BIGINT NOT NULL,
    PRIMARY KEY (bucket_ms, tenant_id, namespace, tier, model, intent, shadow)
);

CREATE TABLE ledger_rollup_hour (
    bucket_ms         BIGINT NOT NULL,
    tenant_id         BIGINT NOT NULL,
    namespace         TEXT NOT NULL,
    tier              TEXT NOT NULL,
    model             TEXT NOT NULL,
    intent            TEXT NOT NULL,
    shadow            INTEGER NOT NULL,
    requests          BIGINT NOT NULL,
    unpriced          BIGINT NOT NULL,
    actual_micros     BIGINT NOT NULL,
    baseline_micros   BIGINT NOT NULL,
    shadow_micros     BIGINT NOT NULL,
    prompt_tokens     BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    latency_ms        BIGINT NOT NULL,
    PRIMARY KEY (bucket_ms, tenant_id, namespace, tier, model, intent, shadow)
);

CREATE TABLE ledger_rollup_entry_day (
    day_ms            BIGINT NOT NULL,
    entry_id          BIGINT NOT NULL,
    tenant_id         BIGINT NOT NULL,
    namespace         TEXT NOT NULL,
    tier              TEXT NOT NULL,
    model             TEXT NOT NULL,
    intent            TEXT NOT NULL,
    hits              BIGINT NOT NULL,
    saved_micros      BIGINT NOT NULL,
    unpriced          BIGINT NOT NULL,
    PRIMARY KEY (day_ms, entry_id, tenant_id, namespace, tier, model, intent)
);

-- The same folds over the events already there, and (in the trigger) over new rows.
INSERT INTO ledger_rollup_minute
SELECT (l.ts_ms / 60000) * 60000, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, l.shadow_hit, COUNT(*), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros ELSE 0 END), SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.latency_ms)
FROM ledger_events l GROUP BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET requests = ledger_rollup_minute.requests + excluded.requests, unpriced = ledger_rollup_minute.unpriced + excluded.unpriced, actual_micros = ledger_rollup_minute.actual_micros + excluded.actual_micros, baseline_micros = ledger_rollup_minute.baseline_micros + excluded.baseline_micros, shadow_micros = ledger_rollup_minute.shadow_micros + excluded.shadow_micros, prompt_tokens = ledger_rollup_minute.prompt_tokens + excluded.prompt_tokens, completion_tokens = ledger_rollup_minute.completion_tokens + excluded.completion_tokens, latency_ms = ledger_rollup_minute.latency_ms + excluded.latency_ms;
INSERT INTO ledger_rollup_quarter
SELECT (l.ts_ms / 900000) * 900000, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, l.shadow_hit, COUNT(*), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros ELSE 0 END), SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.latency_ms)
FROM ledger_events l GROUP BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET requests = ledger_rollup_quarter.requests + excluded.requests, unpriced = ledger_rollup_quarter.unpriced + excluded.unpriced, actual_micros = ledger_rollup_quarter.actual_micros + excluded.actual_micros, baseline_micros = ledger_rollup_quarter.baseline_micros + excluded.baseline_micros, shadow_micros = ledger_rollup_quarter.shadow_micros + excluded.shadow_micros, prompt_tokens = ledger_rollup_quarter.prompt_tokens + excluded.prompt_tokens, completion_tokens = ledger_rollup_quarter.completion_tokens + excluded.completion_tokens, latency_ms = ledger_rollup_quarter.latency_ms + excluded.latency_ms;
INSERT INTO ledger_rollup_hour
SELECT (l.ts_ms / 3600000) * 3600000, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, l.shadow_hit, COUNT(*), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros ELSE 0 END), SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.latency_ms)
FROM ledger_events l GROUP BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET requests = ledger_rollup_hour.requests + excluded.requests, unpriced = ledger_rollup_hour.unpriced + excluded.unpriced, actual_micros = ledger_rollup_hour.actual_micros + excluded.actual_micros, baseline_micros = ledger_rollup_hour.baseline_micros + excluded.baseline_micros, shadow_micros = ledger_rollup_hour.shadow_micros + excluded.shadow_micros, prompt_tokens = ledger_rollup_hour.prompt_tokens + excluded.prompt_tokens, completion_tokens = ledger_rollup_hour.completion_tokens + excluded.completion_tokens, latency_ms = ledger_rollup_hour.latency_ms + excluded.latency_ms;
INSERT INTO ledger_rollup_entry_day
SELECT (l.ts_ms / 86400000) * 86400000, l.entry_id, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, COUNT(*), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros - l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END)
FROM ledger_events l WHERE l.entry_id IS NOT NULL AND l.tier <> 'upstream' GROUP BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (day_ms, entry_id, tenant_id, namespace, tier, model, intent) DO UPDATE SET hits = ledger_rollup_entry_day.hits + excluded.hits, saved_micros = ledger_rollup_entry_day.saved_micros + excluded.saved_micros, unpriced = ledger_rollup_entry_day.unpriced + excluded.unpriced;
-- Runs with its owner's rights: nodes insert events, never rollups.
CREATE FUNCTION ledger_events_rollup() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT AS $$
BEGIN
INSERT INTO ledger_rollup_minute
SELECT (l.ts_ms / 60000) * 60000, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, l.shadow_hit, COUNT(*), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros ELSE 0 END), SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.latency_ms)
FROM new_rows l GROUP BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET requests = ledger_rollup_minute.requests + excluded.requests, unpriced = ledger_rollup_minute.unpriced + excluded.unpriced, actual_micros = ledger_rollup_minute.actual_micros + excluded.actual_micros, baseline_micros = ledger_rollup_minute.baseline_micros + excluded.baseline_micros, shadow_micros = ledger_rollup_minute.shadow_micros + excluded.shadow_micros, prompt_tokens = ledger_rollup_minute.prompt_tokens + excluded.prompt_tokens, completion_tokens = ledger_rollup_minute.completion_tokens + excluded.completion_tokens, latency_ms = ledger_rollup_minute.latency_ms + excluded.latency_ms;
INSERT INTO ledger_rollup_quarter
SELECT (l.ts_ms / 900000) * 900000, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, l.shadow_hit, COUNT(*), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros ELSE 0 END), SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.latency_ms)
FROM new_rows l GROUP BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET requests = ledger_rollup_quarter.requests + excluded.requests, unpriced = ledger_rollup_quarter.unpriced + excluded.unpriced, actual_micros = ledger_rollup_quarter.actual_micros + excluded.actual_micros, baseline_micros = ledger_rollup_quarter.baseline_micros + excluded.baseline_micros, shadow_micros = ledger_rollup_quarter.shadow_micros + excluded.shadow_micros, prompt_tokens = ledger_rollup_quarter.prompt_tokens + excluded.prompt_tokens, completion_tokens = ledger_rollup_quarter.completion_tokens + excluded.completion_tokens, latency_ms = ledger_rollup_quarter.latency_ms + excluded.latency_ms;
INSERT INTO ledger_rollup_hour
SELECT (l.ts_ms / 3600000) * 3600000, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, l.shadow_hit, COUNT(*), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros ELSE 0 END), SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.latency_ms)
FROM new_rows l GROUP BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET requests = ledger_rollup_hour.requests + excluded.requests, unpriced = ledger_rollup_hour.unpriced + excluded.unpriced, actual_micros = ledger_rollup_hour.actual_micros + excluded.actual_micros, baseline_micros = ledger_rollup_hour.baseline_micros + excluded.baseline_micros, shadow_micros = ledger_rollup_hour.shadow_micros + excluded.shadow_micros, prompt_tokens = ledger_rollup_hour.prompt_tokens + excluded.prompt_tokens, completion_tokens = ledger_rollup_hour.completion_tokens + excluded.completion_tokens, latency_ms = ledger_rollup_hour.latency_ms + excluded.latency_ms;
INSERT INTO ledger_rollup_entry_day
SELECT (l.ts_ms / 86400000) * 86400000, l.entry_id, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, COUNT(*), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros - l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END)
FROM new_rows l WHERE l.entry_id IS NOT NULL AND l.tier <> 'upstream' GROUP BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (day_ms, entry_id, tenant_id, namespace, tier, model, intent) DO UPDATE SET hits = ledger_rollup_entry_day.hits + excluded.hits, saved_micros = ledger_rollup_entry_day.saved_micros + excluded.saved_micros, unpriced = ledger_rollup_entry_day.unpriced + excluded.unpriced;
    RETURN NULL;
END
$$;

CREATE TRIGGER ledger_events_rollup AFTER INSERT ON ledger_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_events_rollup();

CREATE INDEX ledger_events_entry ON ledger_events (entry_id, ts_ms) WHERE entry_id IS NOT NULL;

GRANT SELECT ON ledger_rollup_minute, ledger_rollup_quarter, ledger_rollup_hour, ledger_rollup_entry_day TO l0_node, l0_manager;
GRANT ALL ON ledger_rollup_minute, ledger_rollup_quarter, ledger_rollup_hour, ledger_rollup_entry_day TO l0_admin;

-- Managers drill from an entry's savings into its review history; they still cannot decide.
GRANT SELECT (entry_id, version, state, risk, author, decided_by, created_ms, decided_ms) ON versions TO l0_manager;
GRANT SELECT ON entry_queries TO l0_manager;
