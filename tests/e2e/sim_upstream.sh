#!/usr/bin/env bash
# The simulated upstream LLM (l0-sim-upstream): started on 127.0.0.1:0 it prints its port like
# l0-node; the official SDKs talk to it as to the real APIs; faults come from flags, JSON and
# /control/faults; /stats counts the calls a node made.
source "$(dirname "$0")/lib.sh" "$1" "$2"
sim() { # sim METHOD PATH [BODY] -> body on stdout
    curl -s -X "$1" "http://127.0.0.1:$SIM_PORT$2" -H 'Content-Type: application/json' ${3:+--data-binary "$3"}
}

# Bad settings are refused with a one-line error.
if "$SIM_BIN" --listen 0.0.0.0:0 >"$WORK/bad.log" 2>&1; then bad "non-loopback listen accepted"; else
    check_contains "non-loopback listen refused" "loopback" "$(cat "$WORK/bad.log")"; fi
if "$SIM_BIN" --faults '{"error_rat":1}' >"$WORK/bad.log" 2>&1; then bad "unknown fault accepted"; else
    check_contains "unknown fault key named" "error_rat" "$(cat "$WORK/bad.log")"; fi

export SIM_KEY="sim-e2e-secret"
echo '{"models":{"claude-flaky":{"script":["529","429"],"retry_after_s":2}}}' >"$WORK/faults.json"
start_sim sim --api-key-env SIM_KEY --faults "@$WORK/faults.json" --chunk-delay-ms 1 || exit 1
ok "started on port $SIM_PORT"

OPENAI_Q='{"model":"gpt-sim","messages":[{"role":"user","content":"hello"}]}'
check "openai needs the key" 401 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SIM_PORT/v1/chat/completions" --data-binary "$OPENAI_Q")"
check "openai answers" "chat.completion" "$(curl -s "http://127.0.0.1:$SIM_PORT/v1/chat/completions" -H "Authorization: Bearer $SIM_KEY" --data-binary "$OPENAI_Q" | json j.object)"
check "anthropic needs anthropic-version" 400 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SIM_PORT/v1/messages" -H "x-api-key: $SIM_KEY" \
    --data-binary '{"model":"c","max_tokens":5,"messages":[{"role":"user","content":"x"}]}')"

if [ -d "$E2E_DIR/node_modules/@anthropic-ai/sdk" ]; then
    L0_SIM_URL="http://127.0.0.1:$SIM_PORT" L0_SIM_KEY="$SIM_KEY" node "$E2E_DIR/sim_upstream.mjs" >"$WORK/sdk.out" 2>&1
    rc=$?
    cat "$WORK/sdk.out"
    check "official SDKs against the simulated upstream" 0 "$rc"
else
    bad "the SDK clients are not installed: run 'npm ci --prefix tests/e2e'"
fi
check "calls counted per model" 2 "$(sim GET /stats | json 'j.models["claude-flaky"]')"
check "reset" 0 "$(sim POST /stats/reset | json j.calls)"

# A node whose upstream is the simulated one: the stats say how many upstream calls it made.
KEY=$(setup_tenant app auto_low_risk)
OPENAI_API_KEY="$SIM_KEY" OPENAI_BASE_URL="http://127.0.0.1:$SIM_PORT/v1" start_node node --db "$DB" --upstream openai || exit 1
BODY='{"model":"gpt-sim","messages":[{"role":"user","content":"counted question"}]}'
check "node miss" 200 "$(chat "$NODE_PORT" "$KEY" "$BODY")"
check "node answer is the simulated one" "gpt-sim" "$(json j.model < "$WORK/body")"
check "one upstream call" 1 "$(sim GET /stats | json 'j.models["gpt-sim"]')"
hit_ready() { chat "$NODE_PORT" "$KEY" "$BODY" >/dev/null; [ "$(header x-l0-cache)" == hit ]; }
wait_for hit_ready && ok "node serves its candidate" || bad "node never hit"
CALLS=$(sim GET /stats | json 'j.models["gpt-sim"]')
check "a hit makes no upstream call" "$CALLS" "$(chat "$NODE_PORT" "$KEY" "$BODY" >/dev/null; sim GET /stats | json 'j.models["gpt-sim"]')"
check "faults at run time" 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SIM_PORT/control/faults" --data-binary '{"error_rate":1}')"
check "node passes an upstream 503 on as 502" 502 "$(chat "$NODE_PORT" "$KEY" '{"model":"gpt-sim","messages":[{"role":"user","content":"new question"}]}')"
if grep -q "$SIM_KEY" "$WORK"/*.log; then bad "upstream key in logs"; else ok "upstream key not logged"; fi

# Connect refusal: the port closes and opens again.
sim POST /control/refuse '{"ms":800}' >/dev/null
sleep 0.2
check "refused while closed" 000 "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$SIM_PORT/healthz")"
sleep 1
check "listening again" 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SIM_PORT/healthz")"

kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null
start_sim sim2 --script 503,ok --error-status 500 || exit 1
check "--script via flags" 503 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SIM_PORT/v1/chat/completions" --data-binary "$OPENAI_Q")"
check "then ok" 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SIM_PORT/v1/chat/completions" --data-binary "$OPENAI_Q")"
finish
