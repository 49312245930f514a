#!/usr/bin/env bash
# Identical misses in flight share one upstream call: 100 concurrent identical requests make
# exactly one simulated upstream call and get 100 identical answers; streamed answers fan out
# chunk by chunk; a client that leaves does not cancel the others; one candidate is filed.
source "$(dirname "$0")/lib.sh" "$@"
KEY=$(setup_tenant acme approved)
start_node node --db "$DB" --upstream sim --sim-latency-ms 8000 --sim-chunk-delay-ms 20 || exit 1
URL="http://127.0.0.1:$NODE_PORT"
sim_calls() { curl -s "$URL/metrics" | awk '$1=="l0_simulated_upstream_calls_total" {print $2}'; }
BODY='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"What are your opening hours?"}]}'

mkdir -p "$WORK/plain"
seq 1 100 | xargs -P 100 -I{} curl -s -o "$WORK/plain/{}.json" -w '%{http_code}\n' "$URL/v1/chat/completions" \
    -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' --data-binary "$BODY" > "$WORK/plain.codes"
check "100 answers, all 200" 100 "$(grep -c '^200$' "$WORK/plain.codes")"
check "one upstream call for 100 identical misses" 1 "$(sim_calls)"
for f in "$WORK"/plain/*.json; do json 'j.choices[0].message.content' < "$f"; echo; done | sort -u > "$WORK/plain.distinct"
check "100 identical answers" 1 "$(wc -l < "$WORK/plain.distinct")"

# Streamed: one leaves early; the rest get every chunk of the one call.
SBODY='{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Tell me about your return policy in detail"}]}'
mkdir -p "$WORK/stream"
curl -s -N --max-time 9 -o /dev/null "$URL/v1/chat/completions" -H "Authorization: Bearer $KEY" \
    -H 'Content-Type: application/json' --data-binary "$SBODY" &
LEAVER=$!
seq 1 20 | xargs -P 20 -I{} curl -s -N -o "$WORK/stream/{}.sse" "$URL/v1/chat/completions" \
    -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' --data-binary "$SBODY"
wait "$LEAVER"
check "one more upstream call for 21 streamed misses" 2 "$(sim_calls)"
complete=0
for f in "$WORK"/stream/*.sse; do grep -q '^data: \[DONE\]' "$f" && complete=$((complete + 1)); done
check "every waiting stream completes" 20 "$complete"
texts() { # the content an SSE file carries
    sed -n 's/^data: //p' "$1" | grep -v '^\[DONE\]' | json_lines
}
json_lines() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let t="";for(const l of s.split("\n")){if(!l)continue;const j=JSON.parse(l);for(const c of j.choices||[])t+=(c.delta&&c.delta.content)||""}process.stdout.write(t)})'; }
for f in "$WORK"/stream/*.sse; do texts "$f"; echo; done | sort -u > "$WORK/stream.distinct"
check "20 identical streamed answers" 1 "$(wc -l < "$WORK/stream.distinct")"
check_contains "the streamed answer is whole" "return policy" "$(cat "$WORK/stream.distinct")"

# One candidate per shared call, and one ledger event per client request.
wait_for sh -c "[ \"\$('$CTL_BIN' --db '$DB' queue list --json | node -e 'let s=\"\";process.stdin.on(\"data\",d=>s+=d).on(\"end\",()=>console.log(JSON.parse(s).length))')\" = 2 ]"
check "one candidate for each shared call" 2 "$(ctl queue list --json | json 'String(j.length)')"
wait_for sh -c "'$CTL_BIN' --db '$DB' ledger report --json | grep -q '\"requests\":121'"
check "a ledger event per client request" 121 "$(ctl ledger report --json | json 'String(j.requests ?? j.totals.requests)')"
finish
