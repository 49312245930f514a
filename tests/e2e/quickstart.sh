#!/usr/bin/env bash
# The quick start as a new user meets it: scripts/quickstart.sh prepares the demo tenant with
# the starter pack and serves; the walk-through it prints then works as printed: two
# differently worded questions served by one approved answer, the order number filled in.
source "$(dirname "$0")/lib.sh" "$@"
ROOT="$(cd "$E2E_DIR/../.." && pwd)"

PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
XDG_DATA_HOME="$WORK/home" L0_LISTEN="127.0.0.1:$PORT" L0_QUICKSTART_BIN="$(dirname "$NODE_BIN")" \
    "$ROOT/scripts/quickstart.sh" >"$WORK/quickstart.log" 2>&1 &
PIDS+=("$!")
wait_for grep -q "listening on http://127.0.0.1:$PORT" "$WORK/quickstart.log" || { cat "$WORK/quickstart.log"; exit 1; }
OUT="$(cat "$WORK/quickstart.log")"
check_contains "walk-through: first question" 'ask "Where is my order 12345?"' "$OUT"
check_contains "walk-through: second question" 'ask "can you track order 67890 for me"' "$OUT"
check_contains "walk-through: the hit it promises" 'x-l0-tier: l0' "$OUT"
check_contains "pack active for demo" 'tenant "demo" now uses rule pack "starter-support@' "$OUT"

KEY=$(sed -n 's/.*Test API key (tenant "demo"): //p' "$WORK/quickstart.log")
DATA="$WORK/home/l0cache"
check_contains "walk-through: approvals are signed" 'approve ENTRY --key' "$OUT"
check_contains "the node pins the admin key" "admin key $DATA/admin.pem.pub" "$OUT"
case "$OUT" in *UNVERIFIED*) bad "the node verifies approvals" ;; *) ok "the node verifies approvals" ;; esac
check "passphrase files are the owner's only" "600 600" \
    "$(stat -c %a "$DATA/admin.passphrase") $(stat -c %a "$DATA/demo-reviewer.pem.passphrase")"
for f in "$DATA"/*.passphrase; do
    case "$OUT" in *"$(cat "$f")"*) bad "no passphrase in the output" ;; *) ok "no passphrase in the output" ;; esac
done
DB=$(sed -n 's/.*store: \(sqlite:[^ ]*\).*/\1/p' "$WORK/quickstart.log" | head -n1)
ask() { chat "$PORT" "$KEY" "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"$1\"}]}"; }
content() { json 'j.choices[0].message.content' < "$WORK/body"; }
# approve_waiting QUERY: approves the candidate filed for QUERY, as the walk-through says.
approve_waiting() {
    local q="$1" id=""
    for _ in $(seq 1 100); do
        id=$(ctl queue list --json --tenant demo | json "String((j.find(i => i.query === '$q') || {}).id || '')")
        [ -n "$id" ] && break
        sleep 0.1
    done
    [ -n "$id" ] || { bad "candidate for '$q' filed"; return 1; }
    ctl queue list --json --tenant demo | json "(j.find(i => i.query === '$q')).tier" > "$WORK/tier"
    L0_PASSPHRASE_FILE="$DATA/demo-reviewer.pem.passphrase" ctl approve "$id" --key "$DATA/demo-reviewer.pem" >/dev/null
}
# ask_until_hit QUESTION: the approval reaches the node within a few sync intervals.
ask_until_hit() {
    for _ in $(seq 1 50); do
        ask "$1" >/dev/null
        [ "$(header x-l0-cache)" = hit ] && return 0
        sleep 0.1
    done
    return 1
}

check "first question: status" 200 "$(ask 'Where is my order 12345?')"
check "first question: a miss" miss "$(header x-l0-cache)"
approve_waiting 'Where is my order 12345?'
check "the candidate is filed for the intent" l0 "$(cat "$WORK/tier")"
ask_until_hit 'can you track order 67890 for me' && ok "second wording: a hit" || bad "second wording: a hit"
check "second wording: from the intent tier" l0 "$(header x-l0-tier)"
check_contains "the slot is filled with this order" 67890 "$(content)"
case "$(content)" in *12345*) bad "the first order number does not leak" ;; *) ok "the first order number does not leak" ;; esac

check "password: status" 200 "$(ask 'How do I reset my password?')"
approve_waiting 'How do I reset my password?'
ask_until_hit 'how do i reset my password' && ok "password, reworded: a hit" || bad "password, reworded: a hit"
check "password, reworded: from the intent tier" l0 "$(header x-l0-tier)"

# Someone asking NOT to cancel is never served the cancellation answer.
ask 'please cancel order 44444' >/dev/null
approve_waiting 'please cancel order 44444'
ask_until_hit 'cancel my order 55555' && ok "cancel, reworded: a hit" || bad "cancel, reworded: a hit"
# The starter pack has no "keep my order" intent, so the intent tier abstains: no answer
# approved for another intent (cancelling, tracking) is served.
for q in "I don't want to cancel my order 33333" 'please do not cancel order 33333' 'never cancel my order 33333'; do
    ask "$q" >/dev/null
    check "negated, not served from the cache: $q" miss "$(header x-l0-cache)"
done
curl -s "http://127.0.0.1:$PORT/metrics" > "$WORK/metrics"
check_contains "metrics: verified" 'l0_trust_database_unverified 0' "$(cat "$WORK/metrics")"
check_contains "metrics: nothing refused" 'l0_trust_refused{kind="version"} 0' "$(cat "$WORK/metrics")"
check "the audit chain holds" 0 "$(ctl audit verify >/dev/null; echo $?)"
finish
