#!/usr/bin/env bash
# The semantic index on a real node, with a remote embedder that is the simulated upstream's
# POST /v1/embeddings: an approved answer's question is embedded in the background and its
# vector kept in the store with the version; a restarted node reads it back instead of
# embedding again; a revoked entry's vector is not loaded again.
source "$(dirname "$0")/lib.sh" "$1" "$2"
start_sim sim || exit 1
KEY=$(setup_tenant acme approved)
cat > "$WORK/node.json" <<JSON
{"semantic": {"enabled": true, "embedder": "remote:sim"},
 "embedders": {"sim": {"base_url": "http://127.0.0.1:$SIM_PORT/v1", "model": "sim-embed", "dimensions": 64}}}
JSON
start_node node --config "$WORK/node.json" --db "$DB" --upstream sim || exit 1
check_contains "the semantic tier is on" "semantic tier on, embedder remote:http://127.0.0.1:$SIM_PORT/v1#sim-embed@64" \
    "$(cat "$WORK/node.log")"
SQL="$WORK/l0.sqlite"
embed_calls() { curl -s "http://127.0.0.1:$SIM_PORT/stats" | json 'String(j.models["sim-embed"] || 0)'; }
ask() { chat "$NODE_PORT" "$KEY" "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"$1\"}]}"; }

check "question: status" 200 "$(ask 'How do I reset my password?')"
check "question: a miss" miss "$(header x-l0-cache)"
check "nothing embedded before approval" 0 "$(embed_calls)"
wait_for test -n "$(first_queue_id acme)"
ID=$(first_queue_id acme)
ctl approve "$ID" >/dev/null && ok "approved $ID" || bad "approve $ID"
vectors() { sqlite3 "$SQL" "SELECT COUNT(*) FROM entry_vectors WHERE entry_id = $ID AND version = 1"; }
has_vector() { [ "$(vectors)" = 1 ]; }
wait_for has_vector && ok "the approved version's vector is stored" || bad "no vector stored"
check "its dimension" 64 "$(sqlite3 "$SQL" "SELECT dims FROM entry_vectors WHERE entry_id = $ID")"
check "one embeddings call" 1 "$(embed_calls)"
check "the question was embedded" '["How do I reset my password?"]' \
    "$(curl -s "http://127.0.0.1:$SIM_PORT/stats" | json 'j.last_request.body.input')"

# A restart reads the vector back.
kill "$NODE_PID"; wait "$NODE_PID" 2>/dev/null
start_node node2 --config "$WORK/node.json" --db "$DB" --upstream sim || exit 1
loaded() { grep -q "semantic index up to date: 1 vectors, 1 read from the store, 0 embedded" "$WORK/node2.log"; }
wait_for loaded && ok "restart: read from the store" || bad "restart: $(grep 'semantic index' "$WORK/node2.log")"
check "restart: no embeddings call" 1 "$(embed_calls)"

# Revoked: out of the index, and not loaded by the next start.
ctl revoke "$ID" --reason "wrong answer" >/dev/null && ok "revoked $ID" || bad "revoke $ID"
kill "$NODE_PID"; wait "$NODE_PID" 2>/dev/null
start_node node3 --config "$WORK/node.json" --db "$DB" --upstream sim || exit 1
check "another question: status" 200 "$(ask 'Can I pay by invoice?')"
another_id() { ctl queue list --json --tenant acme | json "String((j.find(i => i.query === 'Can I pay by invoice?') || {}).id || '')"; }
wait_for test -n "$(another_id)"
ID2=$(another_id)
ctl approve "$ID2" >/dev/null && ok "approved $ID2" || bad "approve $ID2"
only_new() { grep -q "semantic index up to date: 1 vectors, 0 read from the store, 1 embedded" "$WORK/node3.log"; }
wait_for only_new && ok "the revoked entry was not loaded, the new one embedded" \
    || bad "after revoking: $(grep 'semantic index' "$WORK/node3.log")"
check "one more embeddings call" 2 "$(embed_calls)"
METRICS=$(curl -s "http://127.0.0.1:$NODE_PORT/metrics")
check_contains "metrics: vectors" "l0_semantic_index_vectors 1" "$METRICS"
check_contains "metrics: embedded" "l0_semantic_vectors_embedded_total 1" "$METRICS"
check_contains "metrics: nothing queued" "l0_semantic_index_queued 0" "$METRICS"
if command -v promtool >/dev/null; then
    echo "$METRICS" | promtool check metrics >"$WORK/promtool.out" 2>&1 && ok "promtool accepts /metrics" \
        || bad "promtool: $(cat "$WORK/promtool.out")"
fi
finish
