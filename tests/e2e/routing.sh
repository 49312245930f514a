#!/usr/bin/env bash
# Route policies end to end: `l0ctl tenant set-route` gives tenant acme a learned policy for
# the alias l0/auto and a cascade for gpt-4o (candidates gpt-4o-mini, gpt-4o); the official
# openai SDK and curl then see x-l0-route and x-l0-model on every routed answer, the simulated
# upstream's per-model call counts match what the answers say (a rejected cascade answer is one
# more gpt-4o-mini call), the ledger names requested and used models and the route, prices both
# calls of a cascade, and `l0ctl ledger report` shows routing savings apart from cache savings. A
# tenant without policies is never routed.
# Run: ctest -R e2e_routing --output-on-failure (in the build directory).
source "$(dirname "$0")/lib.sh" "$1" "$2"

export SIM_KEY="sim-routing"
start_sim sim --api-key-env SIM_KEY || exit 1
cat >"$WORK/node.json" <<JSON
{
  "upstreams": [
    {"name": "sim", "kind": "openai", "base_url": "http://127.0.0.1:$SIM_PORT/v1", "api_key_env": "SIM_KEY",
     "models": ["gpt-4o-mini", "gpt-4o"], "timeout_ms": 5000}
  ]
}
JSON
KEY=$(setup_tenant acme approved)
PLAIN_KEY=$(setup_tenant plain approved)

# The CLI: refused forms, then the two policies.
if ctl tenant set-route acme --model gpt-4o --strategy learned --candidates gpt-4o >/dev/null 2>&1; then
    bad "learned with one candidate accepted"; else ok "learned with one candidate refused"; fi
if ctl tenant set-route acme --model gpt-4o --strategy cheapest >/dev/null 2>&1; then
    bad "unknown strategy accepted"; else ok "unknown strategy refused"; fi
if ctl tenant set-route acme --model gpt-4o --strategy learned --candidates gpt-4o-mini,gpt-4o --router "$WORK/none.json" >/dev/null 2>&1; then
    bad "missing router file accepted"; else ok "missing router file refused"; fi
# A router of the tenant's own, trained on MT-Bench's outcomes (l0ctl route train), for the
# cascade; the alias uses the built-in router when this build has one.
DATA="$E2E_DIR/../../../shared/data/routing/routellm/mt_bench.jsonl"
ctl route train --data "$DATA" --strong gpt-4-1106-preview --weak mistralai/Mixtral-8x7B-Instruct-v0.1 \
    --out "$WORK/router.json" >/dev/null && ok "router trained" || bad "router training"
if ! OUT=$(ctl tenant set-route acme --model l0/auto --strategy learned --candidates gpt-4o-mini,gpt-4o --quality 0.95 2>&1); then
    echo "no built-in router ($OUT): the alias uses the trained one too"
    OUT=$(ctl tenant set-route acme --model l0/auto --strategy learned --candidates gpt-4o-mini,gpt-4o --quality 0.95 --router "$WORK/router.json")
fi
check_contains "set-route learned" "learned" "$OUT"
ctl tenant set-route acme --model gpt-4o --strategy cascade --candidates gpt-4o-mini,gpt-4o --router "$WORK/router.json" >/dev/null \
    || bad "set-route cascade"
ROUTES=$(ctl tenant routes acme --json)
check "two policies" "2" "$(json 'String(j.routes.length)' <<<"$ROUTES")"
check "alias policy" "learned gpt-4o-mini,gpt-4o 0.95" "$(json '((p) => `${p.strategy} ${p.candidates.join(",")} ${p.quality_target}`)(j.routes.find((r) => r.model === "l0/auto"))' <<<"$ROUTES")"
check_contains "plain is not routed" "not routed" "$(ctl tenant routes plain)"
ctl tenant set-route plain --model gpt-4o --strategy fixed >/dev/null && ctl tenant clear-route plain >/dev/null \
    && check_contains "cleared" "not routed" "$(ctl tenant routes plain)" || bad "set and clear a route"

start_node node --db "$DB" --config "$WORK/node.json" --journal "$WORK/journal/node" || exit 1

L0_URL="http://127.0.0.1:$NODE_PORT" L0_KEY="$KEY" L0_PLAIN_KEY="$PLAIN_KEY" L0_SUMMARY="$WORK/summary.json" \
    node "$E2E_DIR/routing.mjs" || FAILS=$((FAILS + 1))
[ -s "$WORK/summary.json" ] || { bad "no summary from the SDK"; finish; exit; }
S=$(cat "$WORK/summary.json")
echo "answers by route and model: $S"

# curl: the headers on a plain routed answer.
STATUS=$(chat "$NODE_PORT" "$KEY" '{"model":"l0/auto","messages":[{"role":"user","content":"What is 2 + 2? (curl)"}]}')
check "curl: 200" 200 "$STATUS"
check "curl: x-l0-route" "learned" "$(header x-l0-route)"
USED=$(header x-l0-model)
check "curl: model field is x-l0-model" "$USED" "$(json j.model <"$WORK/body")"
case "$USED" in gpt-4o-mini | gpt-4o) ok "curl: a candidate answered" ;; *) bad "curl: answered by '$USED'" ;; esac
STATUS=$(chat "$NODE_PORT" "$PLAIN_KEY" '{"model":"gpt-4o","messages":[{"role":"user","content":"What is 2 + 2? (curl)"}]}')
check "curl unrouted: 200" 200 "$STATUS"
check "curl unrouted: no x-l0-route" "" "$(header x-l0-route)"

# The upstream's calls: one per answer under the model that gave it, plus one gpt-4o-mini call
# for each cascade answer gpt-4o gave (its cheap answer was asked first and rejected).
STATS=$(curl -s "http://127.0.0.1:$SIM_PORT/stats")
LEARNED_MINI=$(json 'String((j.byRoute.learned ?? {})["gpt-4o-mini"] ?? 0)' <<<"$S")
LEARNED_4O=$(json 'String((j.byRoute.learned ?? {})["gpt-4o"] ?? 0)' <<<"$S")
CASCADE_MINI=$(json 'String((j.byRoute.cascade ?? {})["gpt-4o-mini"] ?? 0)' <<<"$S")
CASCADE_4O=$(json 'String((j.byRoute.cascade ?? {})["gpt-4o"] ?? 0)' <<<"$S")
PLAIN_4O=1
[ "$USED" = gpt-4o ] && C4O=1 || C4O=0
[ "$USED" = gpt-4o-mini ] && CMINI=1 || CMINI=0
check "upstream gpt-4o calls" "$((LEARNED_4O + CASCADE_4O + PLAIN_4O + C4O + 1))" "$(json 'String(j.models["gpt-4o"] ?? 0)' <<<"$STATS")"
check "upstream gpt-4o-mini calls" "$((LEARNED_MINI + CASCADE_MINI + CASCADE_4O + CMINI))" "$(json 'String(j.models["gpt-4o-mini"] ?? 0)' <<<"$STATS")"

# The ledger.
TOTAL=$((LEARNED_MINI + LEARNED_4O + CASCADE_MINI + CASCADE_4O + PLAIN_4O + 3))
wait_for sh -c "[ \"\$('$CTL_BIN' --db '$DB' ledger report --json | grep -o '\"requests\":[0-9]*' | head -n1)\" = '\"requests\":$TOTAL' ]" \
    || bad "the ledger did not reach $TOTAL requests"
if command -v sqlite3 >/dev/null; then
    q() { sqlite3 "$WORK/l0.sqlite" "$1"; }
    check "ledger: l0/auto events are learned (8 SDK, 1 curl)" "9" "$(q "SELECT count(*) FROM ledger_events WHERE model_requested = 'l0/auto' AND route = 'learned' AND status = 200")"
    check "ledger: cascade events" "$((CASCADE_MINI + CASCADE_4O))" "$(q "SELECT count(*) FROM ledger_events WHERE model_requested = 'gpt-4o' AND route = 'cascade'")"
    check "ledger: unrouted events have no route" "2" "$(q "SELECT count(*) FROM ledger_events e JOIN tenants t ON t.id = e.tenant_id WHERE t.name = 'plain' AND e.route = '' AND e.model_used = 'gpt-4o'")"
    check "ledger: a learned gpt-4o answer costs its baseline" "0" "$(q "SELECT count(*) FROM ledger_events WHERE route = 'learned' AND model_used = 'gpt-4o' AND actual_micros <> baseline_micros")"
    check "ledger: a cascade answered by gpt-4o paid more than gpt-4o alone" "$CASCADE_4O" "$(q "SELECT count(*) FROM ledger_events WHERE route = 'cascade' AND model_used = 'gpt-4o' AND actual_micros > baseline_micros")"
    check "ledger: a routed mini answer cost less than its baseline" "$((LEARNED_MINI + CASCADE_MINI + CMINI))" "$(q "SELECT count(*) FROM ledger_events WHERE route <> '' AND model_used = 'gpt-4o-mini' AND actual_micros < baseline_micros")"
fi
REPORT=$(ctl ledger report --json)
echo "ledger report: $REPORT"
check_contains "report: routing savings" '"routing_savings_micros"' "$REPORT"
check_contains "report: routed requests" '"routed_requests"' "$REPORT"
check_contains "report (text): routing savings" "routing" "$(ctl ledger report)"
if grep -q -e "$SIM_KEY" "$WORK"/*.log; then bad "upstream key in logs"; else ok "upstream key not logged"; fi
finish
