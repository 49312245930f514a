-- The raw ledger partitioned by UTC month (declarative range partitioning on ts_ms), so old
-- months can be dropped whole while the rollups the dashboard reads stay, and a month's
-- partition and its indexes stay small enough to cache. Partitions are created ahead of time
-- (ledger_maintain, run by every node each hour and by `l0ctl ledger maintain`) and, for an
-- event of a month that has none (a journal replayed late, a clock far off), on demand before
-- the insert (ledger_ensure_partitions). A partition's key must be in every unique index, so the
-- primary key is (id, ts_ms) and a journal replay's duplicate is caught on (event_uid, ts_ms): a
-- replayed event keeps the timestamp it was journalled with.

-- How long raw events are kept (0: for ever) and how many months ahead partitions are made.
CREATE TABLE ledger_settings (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    raw_retention_days  INTEGER NOT NULL DEFAULT 0 CHECK (raw_retention_days >= 0),
    months_ahead        INTEGER NOT NULL DEFAULT 3 CHECK (months_ahead BETWEEN 1 AND 24),
    updated_ms          BIGINT NOT NULL DEFAULT 0
);
INSERT INTO ledger_settings (id) VALUES (1);

-- The partitions made here, with their ranges (listing them needs no parsing of bounds).
CREATE TABLE ledger_partitions (
    name        TEXT PRIMARY KEY,
    from_ms     BIGINT NOT NULL UNIQUE,
    to_ms       BIGINT NOT NULL,
    created_ms  BIGINT NOT NULL
);

ALTER TABLE ledger_events RENAME TO ledger_events_unpartitioned;
ALTER SEQUENCE ledger_events_id_seq OWNED BY NONE;
CREATE TABLE ledger_events (LIKE ledger_events_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    PARTITION BY RANGE (ts_ms);
ALTER SEQUENCE ledger_events_id_seq OWNED BY ledger_events.id;

-- Makes the UTC month partitions covering [from_ms, to_ms] (at most 25 months a call) that do
-- not exist yet; returns the names made. Concurrent callers (many nodes) serialise on an advisory
-- lock and look again. A partition is made apart and then attached, which locks the ledger only
-- against other schema changes (SHARE UPDATE EXCLUSIVE), never against the nodes' inserts. The
-- table itself is the truth; ledger_partitions follows it (a month dropped by hand is made again).
CREATE FUNCTION ledger_ensure_partitions(from_ms BIGINT, to_ms BIGINT) RETURNS SETOF TEXT
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    m TIMESTAMP := date_trunc('month', to_timestamp(from_ms / 1000.0) AT TIME ZONE 'UTC');
    stop_m TIMESTAMP := date_trunc('month', to_timestamp(to_ms / 1000.0) AT TIME ZONE 'UTC');
    lo BIGINT;
    hi BIGINT;
    part TEXT;
    locked BOOLEAN := false;
BEGIN
    IF to_ms < from_ms OR stop_m > m + INTERVAL '24 months' THEN
        RAISE EXCEPTION 'ledger partitions: bad range % .. % (at most 25 months at once)', from_ms, to_ms;
    END IF;
    WHILE m <= stop_m LOOP
        part := 'ledger_events_' || to_char(m, 'YYYY_MM');
        -- pg_class read by a query, not through the relation cache: after the lock it must see
        -- what the caller before committed.
        IF NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.relname = part AND c.relnamespace = current_schema()::regnamespace) THEN
            IF NOT locked THEN
                PERFORM pg_advisory_xact_lock(7243702);
                locked := true;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.relname = part AND c.relnamespace = current_schema()::regnamespace) THEN
                lo := (extract(epoch FROM m) * 1000)::BIGINT;
                hi := (extract(epoch FROM m + INTERVAL '1 month') * 1000)::BIGINT;
                EXECUTE format('CREATE TABLE %I (LIKE ledger_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
                EXECUTE format('ALTER TABLE ledger_events ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', part, lo, hi);
                DELETE FROM ledger_partitions lp WHERE lp.name = part OR lp.from_ms = lo;
                INSERT INTO ledger_partitions (name, from_ms, to_ms, created_ms)
                VALUES (part, lo, hi, (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT);
                RETURN NEXT part;
            END IF;
        END IF;
        m := m + INTERVAL '1 month';
    END LOOP;
END
$$;

-- Creates this month's partition and the settings' months ahead, and drops the partitions
-- wholly older than the raw retention (the rollups keep their sums). One row per action. The
-- retention counts from the earlier of the caller's time and the server's, so a node whose clock
-- runs ahead cannot drop months early; only real partitions of the ledger are dropped, and a drop
-- that would wait on a busy ledger for more than 2 s gives up until the next run.
CREATE FUNCTION ledger_maintain(now_ms BIGINT) RETURNS TABLE (action TEXT, partition_name TEXT)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    s ledger_settings%ROWTYPE;
    p RECORD;
    server_ms BIGINT := (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT;
BEGIN
    SELECT * INTO s FROM ledger_settings WHERE id = 1;
    FOR p IN SELECT * FROM ledger_ensure_partitions(now_ms, (extract(epoch FROM
            (to_timestamp(now_ms / 1000.0) AT TIME ZONE 'UTC') + make_interval(months => s.months_ahead)) * 1000)::BIGINT) AS n
    LOOP
        action := 'created';
        partition_name := p.n;
        RETURN NEXT;
    END LOOP;
    IF s.raw_retention_days > 0 THEN
        FOR p IN SELECT lp.name FROM ledger_partitions lp
                 JOIN pg_inherits i ON i.inhrelid = to_regclass(lp.name) AND i.inhparent = 'ledger_events'::regclass
                 WHERE lp.to_ms <= LEAST(now_ms, server_ms) - s.raw_retention_days::BIGINT * 86400000
                 ORDER BY lp.from_ms
        LOOP
            PERFORM pg_advisory_xact_lock(7243702);
            PERFORM set_config('lock_timeout', '2s', true);
            BEGIN
                EXECUTE format('DROP TABLE %I', p.name);
                DELETE FROM ledger_partitions WHERE name = p.name;
                action := 'dropped';
            EXCEPTION WHEN lock_not_available THEN
                action := 'busy';
            END;
            partition_name := p.name;
            RETURN NEXT;
        END LOOP;
    END IF;
END
$$;

-- SECURITY DEFINER functions name tables unqualified: they look in this schema and never first in
-- the caller's temporary tables (pg_temp last), so a caller cannot hand them a table of its own.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION ledger_ensure_partitions(BIGINT, BIGINT) SET search_path = %I, pg_temp', current_schema());
    EXECUTE format('ALTER FUNCTION ledger_maintain(BIGINT) SET search_path = %I, pg_temp', current_schema());
END
$$;

-- The months the events already stored fall in (those only: one stray timestamp makes one
-- month, not every month up to it), and the months ahead; then the events moved.
SELECT ledger_ensure_partitions(m.ms, m.ms) FROM (SELECT DISTINCT (extract(epoch FROM date_trunc('month',
    to_timestamp(ts_ms / 1000.0) AT TIME ZONE 'UTC')) * 1000)::BIGINT AS ms FROM ledger_events_unpartitioned) m;
SELECT * FROM ledger_maintain((extract(epoch FROM now()) * 1000)::BIGINT);
INSERT INTO ledger_events SELECT * FROM ledger_events_unpartitioned;
DROP TABLE ledger_events_unpartitioned;
ANALYZE ledger_events;

ALTER TABLE ledger_events ADD PRIMARY KEY (id, ts_ms);
CREATE UNIQUE INDEX ledger_events_uid ON ledger_events (event_uid, ts_ms);
CREATE INDEX ledger_events_ts ON ledger_events (ts_ms);
CREATE INDEX ledger_events_tenant_ts ON ledger_events (tenant_id, ts_ms);
CREATE INDEX ledger_events_entry ON ledger_events (entry_id, ts_ms) WHERE entry_id IS NOT NULL;
CREATE INDEX ledger_events_experiment ON ledger_events (experiment_id, arm) WHERE experiment_id <> 0;
CREATE INDEX ledger_events_response ON ledger_events (tenant_id, response_id) WHERE response_id <> '';

-- The rollup function again, its upserts now in key order: statements of many nodes that fold
-- into the same rollup rows (the same minutes, tenants and models) lock them in one order and
-- wait for each other instead of deadlocking.
CREATE OR REPLACE FUNCTION ledger_events_rollup() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT AS $$
BEGIN
INSERT INTO ledger_rollup_minute
SELECT (l.ts_ms / 60000) * 60000, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, l.shadow_hit, COUNT(*), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros ELSE 0 END), SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.latency_ms), SUM(l.fee_micros)
FROM new_rows l GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET requests = ledger_rollup_minute.requests + excluded.requests, unpriced = ledger_rollup_minute.unpriced + excluded.unpriced, actual_micros = ledger_rollup_minute.actual_micros + excluded.actual_micros, baseline_micros = ledger_rollup_minute.baseline_micros + excluded.baseline_micros, shadow_micros = ledger_rollup_minute.shadow_micros + excluded.shadow_micros, prompt_tokens = ledger_rollup_minute.prompt_tokens + excluded.prompt_tokens, completion_tokens = ledger_rollup_minute.completion_tokens + excluded.completion_tokens, latency_ms = ledger_rollup_minute.latency_ms + excluded.latency_ms, fee_micros = ledger_rollup_minute.fee_micros + excluded.fee_micros;
INSERT INTO ledger_rollup_quarter
SELECT (l.ts_ms / 900000) * 900000, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, l.shadow_hit, COUNT(*), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros ELSE 0 END), SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.latency_ms), SUM(l.fee_micros)
FROM new_rows l GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET requests = ledger_rollup_quarter.requests + excluded.requests, unpriced = ledger_rollup_quarter.unpriced + excluded.unpriced, actual_micros = ledger_rollup_quarter.actual_micros + excluded.actual_micros, baseline_micros = ledger_rollup_quarter.baseline_micros + excluded.baseline_micros, shadow_micros = ledger_rollup_quarter.shadow_micros + excluded.shadow_micros, prompt_tokens = ledger_rollup_quarter.prompt_tokens + excluded.prompt_tokens, completion_tokens = ledger_rollup_quarter.completion_tokens + excluded.completion_tokens, latency_ms = ledger_rollup_quarter.latency_ms + excluded.latency_ms, fee_micros = ledger_rollup_quarter.fee_micros + excluded.fee_micros;
INSERT INTO ledger_rollup_hour
SELECT (l.ts_ms / 3600000) * 3600000, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, l.shadow_hit, COUNT(*), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros ELSE 0 END), SUM(CASE WHEN l.shadow_hit = 1 AND l.actual_micros IS NOT NULL THEN l.actual_micros ELSE 0 END), SUM(l.prompt_tokens), SUM(l.completion_tokens), SUM(l.latency_ms), SUM(l.fee_micros)
FROM new_rows l GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (bucket_ms, tenant_id, namespace, tier, model, intent, shadow) DO UPDATE SET requests = ledger_rollup_hour.requests + excluded.requests, unpriced = ledger_rollup_hour.unpriced + excluded.unpriced, actual_micros = ledger_rollup_hour.actual_micros + excluded.actual_micros, baseline_micros = ledger_rollup_hour.baseline_micros + excluded.baseline_micros, shadow_micros = ledger_rollup_hour.shadow_micros + excluded.shadow_micros, prompt_tokens = ledger_rollup_hour.prompt_tokens + excluded.prompt_tokens, completion_tokens = ledger_rollup_hour.completion_tokens + excluded.completion_tokens, latency_ms = ledger_rollup_hour.latency_ms + excluded.latency_ms, fee_micros = ledger_rollup_hour.fee_micros + excluded.fee_micros;
INSERT INTO ledger_rollup_entry_day
SELECT (l.ts_ms / 86400000) * 86400000, l.entry_id, l.tenant_id, l.namespace, l.tier, l.model_used, l.intent, COUNT(*), SUM(CASE WHEN l.actual_micros IS NOT NULL AND l.baseline_micros IS NOT NULL THEN l.baseline_micros - l.actual_micros ELSE 0 END), SUM(CASE WHEN l.actual_micros IS NULL OR l.baseline_micros IS NULL THEN 1 ELSE 0 END)
FROM new_rows l WHERE l.entry_id IS NOT NULL AND l.tier <> 'upstream' GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (day_ms, entry_id, tenant_id, namespace, tier, model, intent) DO UPDATE SET hits = ledger_rollup_entry_day.hits + excluded.hits, saved_micros = ledger_rollup_entry_day.saved_micros + excluded.saved_micros, unpriced = ledger_rollup_entry_day.unpriced + excluded.unpriced;
    RETURN NULL;
END
$$;

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION ledger_events_rollup() SET search_path = %I, pg_temp', current_schema());
END
$$;

-- After the move, so the moved events are not counted twice.
CREATE TRIGGER ledger_events_rollup AFTER INSERT ON ledger_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_events_rollup();

GRANT INSERT ON ledger_events TO l0_node;
GRANT SELECT ON ledger_events TO l0_manager;
GRANT ALL ON ledger_events, ledger_settings TO l0_admin;
GRANT SELECT ON ledger_settings, ledger_partitions TO l0_node, l0_manager, l0_admin;
REVOKE ALL ON FUNCTION ledger_ensure_partitions(BIGINT, BIGINT), ledger_maintain(BIGINT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger_ensure_partitions(BIGINT, BIGINT), ledger_maintain(BIGINT) TO l0_node, l0_admin;
