#!/usr/bin/env bash
# The MCP server at /mcp driven by the official MCP TypeScript SDK client (mcp.mjs): real
# traffic through the node first (misses, an approval, hits) so the tools report real numbers,
# and the CLI's own answers on the same store to compare them with.
source "$(dirname "$0")/lib.sh" "$1" "$2"

KEY=$(setup_tenant acme approved)
OTHER=$(setup_tenant beta approved)
ctl tenant add ops >/dev/null
MANAGER=$(ctl key issue --tenant ops --scope manager | tail -n1)
check_contains "manager key issued" "l0-" "$MANAGER"
check_contains "manager key is labelled" "manager API key" "$(ctl key issue --tenant ops --scope manager | head -n1)"
check "a bad scope is refused" 2 "$(ctl key issue --tenant ops --scope root >/dev/null 2>&1; echo $?)"
PACK="$E2E_DIR/../../resources/packs/starter-support.json"
PACK_ID=$(ctl rules publish "$PACK" --tenant acme | sed -n 's/.* as id \([0-9]*\).*/\1/p')
ctl rules approve "$PACK_ID" >/dev/null && ok "rule pack active" || bad "rule pack approve"

start_node node --db "$DB" --upstream sim || exit 1
URL="http://127.0.0.1:$NODE_PORT"

Q1='Where is my parcel?'
BODY1='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Where is my parcel?"}]}'
BODY2='{"model":"gpt-4o","messages":[{"role":"user","content":"Write a limerick about a lighthouse keeper."}]}'
BODY3='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"What are your opening hours on holidays?"}]}'
check "acme miss 1" 200 "$(chat "$NODE_PORT" "$KEY" "$BODY1")"
ANSWER=$(json 'j.choices[0].message.content' < "$WORK/body")
check "acme miss 2" 200 "$(chat "$NODE_PORT" "$KEY" "$BODY2")"
check "beta miss" 200 "$(chat "$NODE_PORT" "$OTHER" "$BODY3")"
queued() { ctl queue list --json --tenant acme | grep -q 'limerick'; }
wait_for queued || bad "acme candidates not queued"
ID=$(ctl queue list --json --tenant acme | json 'String(j.find(i => i.query === "Where is my parcel?").id)')
ctl approve "$ID" >/dev/null && ok "approved $ID" || bad "approve $ID"
hit_ready() { chat "$NODE_PORT" "$KEY" "$BODY1" >/dev/null; [ "$(header x-l0-cache)" == hit ]; }
wait_for hit_ready && ok "hit after approval" || bad "no hit after approval"
ENTRY=$(header x-l0-entry)
TIER=$(header x-l0-tier)
chat "$NODE_PORT" "$KEY" "$BODY1" >/dev/null
check "second hit" hit "$(header x-l0-cache)"

FROM=$(date -u +%F)
UNTIL=$(date -u -d tomorrow +%F)
# Every request is in the ledger before the numbers are compared.
logged() { [ "$(ctl ledger report --json | json 'String(j.requests)')" == "$(chat_calls "$NODE_PORT")" ]; }
wait_for logged || bad "ledger events not written"
report() { ctl ledger report --since "$FROM" --until "$UNTIL" --json "$@"; }
export L0_URL="$URL" L0_KEY="$KEY" L0_OTHER_KEY="$OTHER" L0_MANAGER_KEY="$MANAGER" L0_FROM="$FROM" L0_TO="$FROM"
export L0_ENTRY="$ENTRY" L0_TIER="$TIER" L0_ANSWER="$ANSWER" L0_QUESTION="$Q1"
export L0_REPORT_ACME_MODEL="$(report --tenant acme --group-by model)"
export L0_REPORT_ACME="$(report --tenant acme --top 3)"
export L0_REPORT_BETA_TIER="$(report --tenant beta --group-by tier)"
export L0_REPORT_ALL_TENANT="$(report --group-by tenant)"
export L0_PENDING_ACME="$(ctl queue list --json --tenant acme | json 'String(j.length)')"
export L0_PENDING_ALL="$(ctl queue list --json | json 'String(j.length)')"
export L0_EXPLAIN="$(ctl rules explain "$PACK" "I forgot my password" --json)"
check "the CLI sees acme's hits" true "$(echo "$L0_REPORT_ACME" | json 'String(j.hits >= 2 && j.saved_micros > 0)')"
node "$E2E_DIR/mcp.mjs" || FAILS=$((FAILS + 1))
# The lookups the MCP client made are not ledger events.
check "MCP lookups recorded nothing" "$L0_REPORT_ACME" "$(report --tenant acme --top 3)"
finish
