-- Ledger rollups for the savings dashboard: sums per UTC minute and per UTC hour, per tenant,
-- namespace, tier, model used, intent and shadow flag. A trigger keeps them in the same
-- transaction as the raw events (ignored duplicates do not fire it), so they never disagree.
-- Savings count only events with both amounts priced; unpriced events are counted apart.
ALTER TABLE ledger_events ADD COLUMN intent TEXT NOT NULL DEFAULT '';

CREATE TABLE ledger_rollups (
    grain             TEXT NOT NULL CHECK (grain IN ('minute', 'hour')),
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
    PRIMARY KEY (grain, bucket_ms, tenant_id, namespace, tier, model, intent, shadow)
);

INSERT INTO ledger_rollups
SELECT g.grain, (l.ts_ms / g.ms) * g.ms, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, l.shadow_hit,
       COUNT(*),
       SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros ELSE 0 END),
       SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros ELSE 0 END),
       SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros ELSE 0 END),
       SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.latency_ms)
FROM ledger_events l, (SELECT 'minute' AS grain, 60000 AS ms UNION ALL SELECT 'hour', 3600000) g
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

CREATE TRIGGER ledger_events_rollup AFTER INSERT ON ledger_events
BEGIN
    INSERT INTO ledger_rollups
    SELECT g.grain, (NEW.ts_ms / g.ms) * g.ms, NEW.tenant_id, NEW.namespace, NEW.tier, NEW.model_used, NEW.intent,
           NEW.shadow_hit, 1,
           CASE WHEN NEW.actual_micros IS NULL OR NEW.baseline_micros IS NULL THEN 1 ELSE 0 END,
           CASE WHEN NEW.actual_micros IS NOT NULL AND NEW.baseline_micros IS NOT NULL THEN NEW.actual_micros ELSE 0 END,
           CASE WHEN NEW.actual_micros IS NOT NULL AND NEW.baseline_micros IS NOT NULL THEN NEW.baseline_micros ELSE 0 END,
           CASE WHEN NEW.shadow_hit = 1 AND NEW.actual_micros IS NOT NULL THEN NEW.actual_micros ELSE 0 END,
           NEW.prompt_tokens, NEW.completion_tokens, NEW.latency_ms
    FROM (SELECT 'minute' AS grain, 60000 AS ms UNION ALL SELECT 'hour', 3600000) g
    WHERE TRUE
    ON CONFLICT (grain, bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET
        requests = requests + excluded.requests, unpriced = unpriced + excluded.unpriced,
        actual_micros = actual_micros + excluded.actual_micros,
        baseline_micros = baseline_micros + excluded.baseline_micros,
        shadow_micros = shadow_micros + excluded.shadow_micros,
        prompt_tokens = prompt_tokens + excluded.prompt_tokens,
        completion_tokens = completion_tokens + excluded.completion_tokens,
        latency_ms = latency_ms + excluded.latency_ms;
END;

-- Top entries by savings read the raw events of hits.
CREATE INDEX ledger_events_entry ON ledger_events (entry_id, ts_ms) WHERE entry_id IS NOT NULL;
