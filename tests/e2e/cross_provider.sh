#!/usr/bin/env bash
# Any client API to any upstream, through the pool: the openai SDK served by an Anthropic
# upstream and the @anthropic-ai/sdk served by an OpenAI-compatible one (both the simulated
# upstream over HTTP), streamed and not, with tools; a dead first upstream of a chain falls
# back, and the ledger prices the model that answered.
source "$(dirname "$0")/lib.sh" "$1" "$2"
export SIM_KEY="sim-cross-secret"
start_sim sim --api-key-env SIM_KEY || exit 1

cat >"$WORK/node.json" <<JSON
{
  "upstreams": [
    {"name": "dead", "kind": "openai", "base_url": "http://127.0.0.1:1/v1", "api_key_env": "SIM_KEY", "models": ["gpt-4o"]},
    {"name": "claude", "kind": "anthropic", "base_url": "http://127.0.0.1:$SIM_PORT", "api_key_env": "SIM_KEY", "models": ["claude-sonnet-4-5"]},
    {"name": "local", "kind": "openai", "base_url": "http://127.0.0.1:$SIM_PORT/v1", "api_key_env": "SIM_KEY", "models": ["gpt-4o-mini"]}
  ],
  "fallbacks": {"gpt-4o": ["claude-sonnet-4-5", "gpt-4o-mini"]},
  "retry": {"max_attempts": 2, "base_backoff_ms": 5, "max_backoff_ms": 20}
}
JSON
KEY=$(setup_tenant acme approved)
start_node node --db "$DB" --config "$WORK/node.json" || exit 1
L0_URL="http://127.0.0.1:$NODE_PORT" L0_KEY="$KEY" node "$E2E_DIR/cross_provider.mjs" || FAILS=$((FAILS + 1))

# Each model was called upstream, through its own wire format.
STATS=$(curl -s "http://127.0.0.1:$SIM_PORT/stats")
check_contains "the Anthropic upstream was called on /v1/messages" '/v1/messages' "$STATS"
check_contains "the OpenAI-compatible upstream on /v1/chat/completions" '/v1/chat/completions' "$STATS"
# The fallback is priced as the model that answered.
wait_for sh -c "'$CTL_BIN' --db '$DB' ledger report --group-by model --json | grep -q claude-sonnet-4-5"
check_contains "the ledger records the model that answered" "claude-sonnet-4-5" \
    "$(ctl ledger report --group-by model --json)"
finish
