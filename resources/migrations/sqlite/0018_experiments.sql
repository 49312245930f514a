-- A/B experiments between route strategies or cache policies (l0ctl experiment). A tenant's
-- requests are assigned to an arm by a hash of the experiment's name and the caller's end user
-- (or conversation), so names are never reused; the arm's policy overrides the tenant's for
-- that request, and each ledger event names the experiment and the arm it was served under.
CREATE TABLE experiments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
    state       TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'stopped')),
    created_ms  INTEGER NOT NULL,
    stopped_ms  INTEGER NOT NULL DEFAULT 0,
    created_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX experiments_tenant_state ON experiments (tenant_id, state);
-- One running experiment per tenant: a request is in at most one.
CREATE UNIQUE INDEX experiments_one_running ON experiments (tenant_id) WHERE state = 'running';

CREATE TABLE experiment_arms (
    experiment_id  INTEGER NOT NULL REFERENCES experiments(id),
    position       INTEGER NOT NULL,
    name           TEXT NOT NULL,
    policy         TEXT NOT NULL,
    weight         INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 99),
    PRIMARY KEY (experiment_id, name),
    UNIQUE (experiment_id, position)
);

ALTER TABLE ledger_events ADD COLUMN experiment_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ledger_events ADD COLUMN arm TEXT NOT NULL DEFAULT '';
CREATE INDEX ledger_events_experiment ON ledger_events (experiment_id, arm) WHERE experiment_id <> 0;
