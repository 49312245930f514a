#!/usr/bin/env bash
# The cache API for other gateways, as docs/cache-api-gateway.mjs uses it in front of its own
# OpenAI call (the simulated upstream over HTTP): a miss, filed for review, approved, then a
# hit; feedback on the served answer; and the tenant's per-hit fee in the ledger report.
source "$(dirname "$0")/lib.sh" "$1" "$2"
export SIM_KEY="sim-gateway-secret"
start_sim sim --api-key-env SIM_KEY || exit 1

KEY=$(setup_tenant acme approved)
OTHER=$(setup_tenant globex approved)
check_contains "set a per-hit fee" '$0.000100 per cache hit' "$(ctl tenant set-fee acme --fee 0.0001)"
check "fee in tenant list" 100 "$(ctl tenant list --json | json 'String(j.find(t => t.name === "acme").hit_fee_micros)')"
check "a fee over a dollar is refused" 1 "$(ctl tenant set-fee acme --fee 2 >/dev/null 2>&1; echo $?)"
start_node node --db "$DB" --upstream sim || exit 1
URL="http://127.0.0.1:$NODE_PORT"

# The documented script as a user runs it, beside the SDK the tests pin.
cp "$E2E_DIR/../../docs/cache-api-gateway.mjs" "$WORK/gateway.mjs"
ln -s "$E2E_DIR/node_modules" "$WORK/node_modules"
gateway() {
    L0_URL="$URL" L0_KEY="$KEY" OPENAI_BASE_URL="http://127.0.0.1:$SIM_PORT/v1" OPENAI_API_KEY="$SIM_KEY" \
        node "$WORK/gateway.mjs" "Where is my order?"
}
FIRST=$(gateway)
check_contains "first call goes upstream" "upstream: " "$FIRST"
check_contains "its answer is filed for review" "filed for review: 202" "$FIRST"
check "one upstream call" 1 "$(curl -s "http://127.0.0.1:$SIM_PORT/stats" | json 'String(j.calls)')"

wait_for test -n "$(first_queue_id acme)"
ID=$(first_queue_id acme)
ctl approve "$ID" >/dev/null && ok "approved $ID" || bad "approve $ID"
hit_ready() { gateway | grep -q "cache hit"; }
wait_for hit_ready && ok "repeat is a cache hit" || bad "no hit after approval"
SECOND=$(gateway)
check_contains "the hit names its entry" "entry $ID@1" "$SECOND"
check "no further upstream call" 1 "$(curl -s "http://127.0.0.1:$SIM_PORT/stats" | json 'String(j.calls)')"

# Feedback on the served answer.
feedback() { # feedback KEY BODY -> status; body in $WORK/fb
    curl -s -o "$WORK/fb" -w '%{http_code}' "$URL/v1/cache/feedback" -H "Authorization: Bearer $1" \
        -H 'Content-Type: application/json' --data-binary "$2"
}
check "feedback accepted" 202 "$(feedback "$KEY" "{\"entry\":\"$ID@1\",\"rating\":\"down\",\"reason\":\"the order shipped yesterday\"}")"
check "feedback names the entry" "$ID@1" "$(json j.entry < "$WORK/fb")"
check "a thumbs-up by number" 202 "$(feedback "$KEY" "{\"entry\":$ID,\"rating\":1}")"
check "unknown entry" 404 "$(feedback "$KEY" '{"entry":"999999@1","rating":"up"}')"
check "unknown entry code" entry_not_found "$(json j.error.code < "$WORK/fb")"
check "another tenant's entry" 404 "$(feedback "$OTHER" "{\"entry\":\"$ID@1\",\"rating\":\"down\"}")"
check "a version not served" 404 "$(feedback "$KEY" "{\"entry\":\"$ID@7\",\"rating\":\"down\"}")"
check "bad rating" 400 "$(feedback "$KEY" "{\"entry\":\"$ID@1\",\"rating\":\"meh\"}")"
check "bad rating names the field" rating "$(json j.error.param < "$WORK/fb")"
check "bad entry" 400 "$(feedback "$KEY" '{"entry":"abc","rating":"up"}')"
check "malformed JSON" 400 "$(feedback "$KEY" '{"entry":')"
check "no key" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/v1/cache/feedback" -d '{}')"
check "GET is not allowed" 405 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/v1/cache/feedback" -H "Authorization: Bearer $KEY")"
# A score for a response by its id (POST /v1/feedback), here a miss's.
RID=$(curl -s "$URL/v1/chat/completions" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Is a score kept?"}]}' | json j.id)
score() { curl -s -o "$WORK/sc" -w '%{http_code}' "$URL/v1/feedback" -H "Authorization: Bearer $1" --data-binary "$2"; }
check "a response is scored" 202 "$(score "$KEY" "{\"id\":\"$RID\",\"score\":0.75}")"
check "another tenant's response" 404 "$(score "$OTHER" "{\"id\":\"$RID\",\"score\":1}")"
check "a score above 1" 400 "$(score "$KEY" "{\"id\":\"$RID\",\"score\":2}")"
fb_stored() { ctl feedback --tenant acme --json | json 'String(j.length === 1 && j[0].down === 1 && j[0].up === 1)' | grep -q true; }
wait_for fb_stored && ok "feedback stored" || bad "feedback not stored: $(ctl feedback --json)"
check "the reason is kept" "the order shipped yesterday" "$(ctl feedback --tenant acme --json | json 'j[0].last_reason')"
check_contains "feedback listed for reviewers" "down 1" "$(ctl feedback --entry "$ID")"

# The fee: the cache hits (at least one; hit_ready may have made more) each carry $0.0001,
# apart from model costs; the report shows fees, net savings and the operator's revenue.
kill -TERM "$NODE_PID"
wait "$NODE_PID"
REPORT=$(ctl ledger report --json --tenant acme)
HITS=$(echo "$REPORT" | json 'String(j.hits)')
[ "${HITS:-0}" -ge 1 ] && ok "hits in the ledger: $HITS" || bad "no hits in the ledger"
check "fee per hit" "$((HITS * 100))" "$(echo "$REPORT" | json 'String(j.fee_micros)')"
check "fee revenue" "$((HITS * 100))" "$(echo "$REPORT" | json 'String(j.fee_revenue_micros)')"
check "net savings after fees" true "$(echo "$REPORT" | json 'String(j.net_saved_micros === j.saved_micros - j.fee_micros)')"
check "the upstream call costs nothing in fees" 0 "$(ctl ledger report --json --tenant globex | json 'String(j.fee_micros)')"
check_contains "text report shows fees" "hit fees" "$(ctl ledger report --tenant acme)"
check_contains "text report shows net savings" "net saved" "$(ctl ledger report --tenant acme)"
check_contains "CSV has the fee columns" "fee_micros,net_saved_micros" "$(ctl ledger report --csv --tenant acme)"
finish
