-- Route policies per tenant (l0ctl tenant set-route): for a requested model or the alias
-- l0/auto, the candidate models from cheap to dear, the strategy (fixed, learned, cascade), the
-- quality target and the router model file, as a JSON array; empty: the tenant is never routed.
-- Each ledger event names the strategy that chose its model (empty: not routed), so routing
-- savings are reported apart from cache savings and from fallbacks.
ALTER TABLE tenants ADD COLUMN route_policies TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger_events ADD COLUMN route TEXT NOT NULL DEFAULT '';
