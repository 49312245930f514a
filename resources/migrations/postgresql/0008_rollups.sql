-- Ledger rollups for the savings dashboard: sums per UTC minute and per UTC hour, per tenant,
-- namespace, tier, model used, intent and shadow flag. A statement trigger folds each insert's
-- new rows in, in the same transaction (rows skipped by ON CONFLICT are not in the transition
-- table), so rollups never disagree with the raw events. Savings count only events with both
-- amounts priced; unpriced events are counted apart.
ALTER TABLE ledger_events ADD COLUMN intent TEXT NOT NULL DEFAULT '';

CREATE TABLE ledger_rollups (
    grain             TEXT NOT NULL CHECK (grain IN ('minute', 'hour')),
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
    PRIMARY KEY (grain, bucket_ms, tenant_id, namespace, tier, model, intent, shadow)
);

-- The same fold twice: over the events already there, and (in the trigger) over new rows.
INSERT INTO ledger_rollups
        SELECT g.grain, (l.ts_ms / g.ms) * g.ms, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, l.shadow_hit,
               COUNT(*),
               SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros ELSE 0 END),
               SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros ELSE 0 END),
               SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros ELSE 0 END),
               SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.latency_ms)
        FROM ledger_events l, (VALUES ('minute', 60000::bigint), ('hour', 3600000::bigint)) AS g(grain, ms)
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        ON CONFLICT (grain, bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET
            requests = ledger_rollups.requests + excluded.requests,
            unpriced = ledger_rollups.unpriced + excluded.unpriced,
            actual_micros = ledger_rollups.actual_micros + excluded.actual_micros,
            baseline_micros = ledger_rollups.baseline_micros + excluded.baseline_micros,
            shadow_micros = ledger_rollups.shadow_micros + excluded.shadow_micros,
            prompt_tokens = ledger_rollups.prompt_tokens + excluded.prompt_tokens,
            completion_tokens = ledger_rollups.completion_tokens + excluded.completion_tokens,
            latency_ms = ledger_rollups.latency_ms + excluded.latency_ms;

-- Runs with its owner's rights: nodes insert events, never rollups.
CREATE FUNCTION ledger_events_rollup() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT AS $$
BEGIN
        INSERT INTO ledger_rollups
        SELECT g.grain, (l.ts_ms / g.ms) * g.ms, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, l.shadow_hit,
               COUNT(*),
               SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros ELSE 0 END),
               SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros ELSE 0 END),
               SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros ELSE 0 END),
               SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.latency_ms)
        FROM new_rows l, (VALUES ('minute', 60000::bigint), ('hour', 3600000::bigint)) AS g(grain, ms)
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        ON CONFLICT (grain, bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET
            requests = ledger_rollups.requests + excluded.requests,
            unpriced = ledger_rollups.unpriced + excluded.unpriced,
            actual_micros = ledger_rollups.actual_micros + excluded.actual_micros,
            baseline_micros = ledger_rollups.baseline_micros + excluded.baseline_micros,
            shadow_micros = ledger_rollups.shadow_micros + excluded.shadow_micros,
            prompt_tokens = ledger_rollups.prompt_tokens + excluded.prompt_tokens,
            completion_tokens = ledger_rollups.completion_tokens + excluded.completion_tokens,
            latency_ms = ledger_rollups.latency_ms + excluded.latency_ms;
    RETURN NULL;
END
$$;

CREATE TRIGGER ledger_events_rollup AFTER INSERT ON ledger_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_events_rollup();

CREATE INDEX ledger_events_entry ON ledger_events (entry_id, ts_ms) WHERE entry_id IS NOT NULL;

GRANT SELECT ON ledger_rollups TO l0_node, l0_manager;
GRANT ALL ON ledger_rollups TO l0_admin;

-- Managers drill from an entry's savings into its review history; they still cannot decide.
GRANT SELECT (entry_id, version, state, risk, author, decided_by, created_ms, decided_ms) ON versions TO l0_manager;
GRANT SELECT ON entry_queries TO l0_manager;
