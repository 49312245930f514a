-- Client feedback on a response (POST /v1/feedback {"id", "score"}). Every ledger event names
-- the id of the response the client was sent (chatcmpl-..., msg_..., resp_...), hits and misses
-- alike; a score in [0, 1] is kept per tenant, response id and end user, a later score
-- replacing the earlier. Experiment reports read the arm from the response's ledger event.
ALTER TABLE ledger_events ADD COLUMN response_id TEXT NOT NULL DEFAULT '';
CREATE INDEX ledger_events_response ON ledger_events (tenant_id, response_id) WHERE response_id <> '';

CREATE TABLE response_feedback (
    tenant_id      INTEGER NOT NULL REFERENCES tenants(id),
    response_id    TEXT NOT NULL,
    end_user       TEXT NOT NULL DEFAULT '',
    score_micros   INTEGER NOT NULL CHECK (score_micros BETWEEN 0 AND 1000000),
    created_ms     INTEGER NOT NULL,
    feedback_uid   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, response_id, end_user)
);
