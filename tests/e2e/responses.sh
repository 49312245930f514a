#!/usr/bin/env bash
# OpenAI's Responses API with the clients that call it first: the official openai SDK
# (responses.create, responses.stream, retrieve, delete) and the Vercel AI SDK's default OpenAI
# provider (generateText, streamText), against a node whose upstream is the simulated one over
# HTTP (so the test can read what reached it): a hit on repeat, the same entry as chat
# completions, a two-turn conversation through previous_response_id, a function-tool round
# trip, JSON-schema output, and bad input.
source "$(dirname "$0")/lib.sh" "$1" "$2"
export SIM_KEY="sim-responses-secret"
start_sim sim --api-key-env SIM_KEY || exit 1

cat >"$WORK/node.json" <<JSON
{
  "upstreams": [
    {"name": "sim", "kind": "openai", "base_url": "http://127.0.0.1:$SIM_PORT/v1", "api_key_env": "SIM_KEY",
     "models": ["gpt-4o-mini", "gpt-4o"]},
    {"name": "claude", "kind": "anthropic", "base_url": "http://127.0.0.1:$SIM_PORT", "api_key_env": "SIM_KEY",
     "models": ["claude-sonnet-4-5"]}
  ],
  "limits": {"max_body_bytes": 262144}
}
JSON
KEY=$(setup_tenant acme auto_low_risk)
OTHER=$(setup_tenant other auto_low_risk)
ctl tenant set-retention other --responses 0 >/dev/null || bad "set-retention"  # keeps none of its responses
start_node node --db "$DB" --config "$WORK/node.json" || exit 1
L0_URL="http://127.0.0.1:$NODE_PORT" L0_KEY="$KEY" L0_OTHER_KEY="$OTHER" L0_SIM="http://127.0.0.1:$SIM_PORT" \
    node "$E2E_DIR/responses.mjs" || FAILS=$((FAILS + 1))

# One ledger event per request, whichever API asked.
wait_for sh -c "'$CTL_BIN' --db '$DB' ledger report --json | grep -q '\"requests\"'"
check_contains "the ledger has the Responses requests" '"requests"' "$(ctl ledger report --json)"
finish
