#!/usr/bin/env bash
# The OpenAI-compatible upstream provider, end to end: node A uses node B (simulated) as its
# upstream over HTTP. Also: when the upstream goes away, approved entries are still served.
source "$(dirname "$0")/lib.sh" "$1" "$2"

KEY_B=$(setup_tenant upstream-user approved)
KEY_A=$(setup_tenant app auto_low_risk)
DB_B="sqlite:$WORK/b.sqlite"
"$CTL_BIN" --db "$DB_B" migrate >/dev/null
"$CTL_BIN" --db "$DB_B" tenant add provider >/dev/null
KEY_B=$("$CTL_BIN" --db "$DB_B" key issue --tenant provider | tail -n1)
start_node b --db "$DB_B" --upstream sim || exit 1
PORT_B=$NODE_PORT
PID_B=$NODE_PID
OPENAI_API_KEY="$KEY_B" OPENAI_BASE_URL="http://127.0.0.1:$PORT_B/v1" start_node a --db "$DB" --upstream openai || exit 1
PORT_A=$NODE_PORT

BODY='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"chained question"}]}'
check "through A" 200 "$(chat "$PORT_A" "$KEY_A" "$BODY")"
check "A miss" miss "$(header x-l0-cache)"
TEXT=$(json 'j.choices[0].message.content' < "$WORK/body")
check "B answered" 200 "$(chat "$PORT_B" "$KEY_B" "$BODY")"
check "same text via A as from B" "$TEXT" "$(json 'j.choices[0].message.content' < "$WORK/body")"

STREAM='{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"chained stream"}]}'
check "stream through A" 200 "$(chat "$PORT_A" "$KEY_A" "$STREAM" -N)"
check_contains "stream through A ends" "data: [DONE]" "$(tail -c 20 "$WORK/body")"

# A's key for B is never logged.
if grep -q "$KEY_B" "$WORK/a.log" "$WORK/b.log"; then bad "upstream key in logs"; else ok "upstream key not logged"; fi

hit_ready() { chat "$PORT_A" "$KEY_A" "$BODY" >/dev/null; [ "$(header x-l0-cache)" == hit ]; }
wait_for hit_ready && ok "A serves its candidate (auto_low_risk)" || bad "A never hit"

kill "$PID_B"; wait "$PID_B" 2>/dev/null
check "cached answer with upstream down" 200 "$(chat "$PORT_A" "$KEY_A" "$BODY")"
check "cached answer is a hit" hit "$(header x-l0-cache)"
check "uncached question with upstream down" 502 "$(chat "$PORT_A" "$KEY_A" '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"new one"}]}')"
check_contains "upstream down message" "upstream" "$(json j.error.message < "$WORK/body")"
finish
