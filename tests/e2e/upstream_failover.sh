#!/usr/bin/env bash
# Killing the first upstream of a chain mid-load loses no request: 400 distinct gpt-4o
# questions (some streamed) at concurrency 16 go to simulated upstream A (OpenAI wire); after a
# third of them A is killed -9 and every client still gets a whole answer, from the fallback
# claude-sonnet-4-5 on simulated upstream B (Anthropic wire), but for streams A had begun to
# answer: those end in an error (retries stop once a byte reached the client). The upstreams'
# call counts and the ledger (one event per request, under the model that answered) agree
# with the clients.
# Run: ctest -R e2e_upstream_failover --output-on-failure (in the build directory).
source "$(dirname "$0")/lib.sh" "$1" "$2"
TOTAL=400
CONCURRENCY=16

export SIM_KEY_A="sim-failover-a" SIM_KEY_B="sim-failover-b"
# A first byte late enough that requests overlap and some are in flight when A dies.
start_sim sim-a --threads 4 --api-key-env SIM_KEY_A --first-byte-delay-ms 20 --chunk-delay-ms 1 || exit 1
PORT_A=$SIM_PORT PID_A=$SIM_PID
disown "$PID_A" # its kill -9 is the point, not news
start_sim sim-b --threads 4 --api-key-env SIM_KEY_B --first-byte-delay-ms 20 --chunk-delay-ms 1 || exit 1
PORT_B=$SIM_PORT

cat >"$WORK/node.json" <<JSON
{
  "upstreams": [
    {"name": "a", "kind": "openai", "base_url": "http://127.0.0.1:$PORT_A/v1", "api_key_env": "SIM_KEY_A",
     "models": ["gpt-4o"], "timeout_ms": 5000},
    {"name": "b", "kind": "anthropic", "base_url": "http://127.0.0.1:$PORT_B", "api_key_env": "SIM_KEY_B",
     "models": ["claude-sonnet-4-5"], "timeout_ms": 5000}
  ],
  "fallbacks": {"gpt-4o": ["claude-sonnet-4-5"]},
  "retry": {"max_attempts": 2, "base_backoff_ms": 5, "max_backoff_ms": 20, "deadline_ms": 10000}
}
JSON
KEY=$(setup_tenant acme approved)
start_node node --db "$DB" --config "$WORK/node.json" --journal "$WORK/journal/node" || exit 1

L0_URL="http://127.0.0.1:$NODE_PORT" L0_KEY="$KEY" L0_TOTAL=$TOTAL L0_CONCURRENCY=$CONCURRENCY \
    L0_KILL_PID=$PID_A L0_SIM_A_URL="http://127.0.0.1:$PORT_A" L0_SUMMARY="$WORK/summary.json" \
    node "$E2E_DIR/upstream_failover.mjs" || FAILS=$((FAILS + 1))
wait_for sh -c "! kill -0 $PID_A" && ok "upstream A was killed" || bad "upstream A still alive"
[ -s "$WORK/summary.json" ] || { bad "no summary from the load"; finish; exit; }
S=$(cat "$WORK/summary.json")
GPT=$(json 'String(j.byModel["gpt-4o"] ?? 0)' <<<"$S")
CLAUDE=$(json 'String(j.byModel["claude-sonnet-4-5"] ?? 0)' <<<"$S")
AFTER=$(json 'String(j.afterKill)' <<<"$S")
CUT=$(json 'String(j.cut)' <<<"$S")
A_CALLS=$(json 'String(j.callsBeforeKill)' <<<"$S")
echo "answers: gpt-4o $GPT, claude-sonnet-4-5 $CLAUDE ($AFTER sent after the kill), $CUT streams cut; A had $A_CALLS calls before it"

# B answered each fallback with one call. A's count was read just before the kill: what was
# in flight (at most one per client) may have arrived on either side of the reading.
B_STATS=$(curl -s "http://127.0.0.1:$PORT_B/stats")
check "B made one call per claude answer" "$CLAUDE" "$(json 'String(j.models["claude-sonnet-4-5"] ?? 0)' <<<"$B_STATS")"
check_contains "B was called on the Anthropic wire" '/v1/messages' "$B_STATS"
[ $((GPT + CUT)) -le $((A_CALLS + CONCURRENCY)) ] && [ "$A_CALLS" -le $((GPT + CUT + CONCURRENCY)) ] \
    && ok "A's calls account for its answers" || bad "A made $A_CALLS calls for $GPT answers and $CUT cut streams"

# The ledger: one event per request, a 200 for every whole answer, under the model that answered
# (a cut stream is gpt-4o's).
ledger_total() { ctl ledger report --json | json 'String(j.requests)'; }
wait_for sh -c "[ \"\$('$CTL_BIN' --db '$DB' ledger report --json | grep -o '\"requests\":[0-9]*' | head -n1)\" = '\"requests\":$TOTAL' ]"
check "a ledger event per request" "$TOTAL" "$(ledger_total)"
BY_MODEL=$(ctl ledger report --json --group-by model)
ledger_model() { json "String(j.rows.find((r) => r.group === '$1')?.requests ?? 0)" <<<"$BY_MODEL"; }
check "ledger: gpt-4o answers and cut streams" "$((GPT + CUT))" "$(ledger_model gpt-4o)"
check "ledger: claude-sonnet-4-5 answers" "$CLAUDE" "$(ledger_model claude-sonnet-4-5)"
[ "$CLAUDE" -ge "$AFTER" ] && ok "claude answered at least all sent after the kill" || bad "claude $CLAUDE < $AFTER sent after the kill"
if command -v sqlite3 >/dev/null; then
    echo "ledger by status and model: $(sqlite3 "$WORK/l0.sqlite" 'SELECT status, model_used, count(*) FROM ledger_events GROUP BY 1, 2' | tr '\n' ' ')"
    check "ledger: a 200 for every whole answer" "$((TOTAL - CUT))" "$(sqlite3 "$WORK/l0.sqlite" 'SELECT count(*) FROM ledger_events WHERE status = 200')"
    check "ledger: every event asked for gpt-4o" "$TOTAL" "$(sqlite3 "$WORK/l0.sqlite" "SELECT count(*) FROM ledger_events WHERE model_requested = 'gpt-4o'")"
fi
if grep -q -e "$SIM_KEY_A" -e "$SIM_KEY_B" "$WORK"/*.log; then bad "upstream key in logs"; else ok "upstream keys not logged"; fi
finish
