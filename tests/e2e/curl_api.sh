#!/usr/bin/env bash
# The node's OpenAI API driven with curl: miss, approval, hit, SSE replay, shutdown.
source "$(dirname "$0")/lib.sh" "$1" "$2"

KEY=$(setup_tenant acme approved)
start_node node --db "$DB" --upstream sim || exit 1
BODY='{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a support bot."},{"role":"user","content":"Where is my parcel?"}]}'

check "miss status" 200 "$(chat "$NODE_PORT" "$KEY" "$BODY")"
check "miss header" miss "$(header x-l0-cache)"
MISS_TEXT=$(json 'j.choices[0].message.content' < "$WORK/body")
check_contains "miss has text" "Simulated answer" "$MISS_TEXT"

wait_for test -n "$(first_queue_id acme)"
ID=$(first_queue_id acme)
check_contains "candidate queued" "Where is my parcel?" "$(ctl queue list --json)"
ctl approve "$ID" >/dev/null && ok "approved $ID" || bad "approve $ID"

hit_ready() { chat "$NODE_PORT" "$KEY" "$BODY" >/dev/null; [ "$(header x-l0-cache)" == hit ]; }
wait_for hit_ready && ok "hit after approval" || bad "no hit after approval"
check "hit entry header" "$ID@1" "$(header x-l0-entry)"
check "hit tier header" exact "$(header x-l0-tier)"
check "hit text equals miss text" "$MISS_TEXT" "$(json 'j.choices[0].message.content' < "$WORK/body")"

# The same request streamed is replayed from the cache as valid SSE.
STREAM=$(echo "$BODY" | sed 's/}$/,"stream":true,"stream_options":{"include_usage":true}}/')
check "stream status" 200 "$(chat "$NODE_PORT" "$KEY" "$STREAM" -N)"
check "stream header" hit "$(header x-l0-cache)"
check_contains "stream content type" "text/event-stream" "$(header content-type)"
SSE_CHECK=$(node -e '
const fs=require("fs"); const raw=fs.readFileSync(process.argv[1],"utf8");
const events=raw.split("\n\n").filter(e=>e.length);
let text="", done=false, usage=null, finish=null;
for (const e of events) {
  if (!e.startsWith("data: ")) { console.log("bad event: "+e); process.exit(0); }
  const p=e.slice(6);
  if (p==="[DONE]") { done=true; continue; }
  if (done) { console.log("data after DONE"); process.exit(0); }
  const j=JSON.parse(p);
  if (j.object!=="chat.completion.chunk") { console.log("bad object"); process.exit(0); }
  if (j.usage) usage=j.usage;
  for (const c of j.choices) { if (c.delta.content) text+=c.delta.content; if (c.finish_reason) finish=c.finish_reason; }
}
console.log(done && usage && finish==="stop" ? text : "incomplete stream");
' "$WORK/body")
check "replayed stream text" "$MISS_TEXT" "$SSE_CHECK"

# A streamed miss is also valid and becomes a candidate only after it completes.
STREAM2='{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"A different question"}]}'
check "stream miss status" 200 "$(chat "$NODE_PORT" "$KEY" "$STREAM2" -N)"
check "stream miss header" miss "$(header x-l0-cache)"
check_contains "stream miss ends with DONE" "data: [DONE]" "$(tail -c 20 "$WORK/body")"
wait_for sh -c "\"$CTL_BIN\" --db \"$DB\" queue list --json | grep -q 'A different question'" && ok "stream miss queued" || bad "stream miss not queued"

METRICS=$(curl -s "http://127.0.0.1:$NODE_PORT/metrics")
HITS=$(echo "$METRICS" | sed -n 's/^l0_cache_requests_total{outcome="hit"} //p')
CALLS=$(chat_calls "$NODE_PORT")
[ "${HITS:-0}" -ge 2 ] && ok "at least two hits served" || bad "hits served: ${HITS:-none}"
check_contains "metrics hits" 'l0_cache_hits_total{tier="exact"} ' "$METRICS"
check_contains "metrics saved" 'l0_cache_saved_dollars_total' "$METRICS"
check "healthz" 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NODE_PORT/healthz")"
check "readyz" 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NODE_PORT/readyz")"
check "models" list "$(curl -s "http://127.0.0.1:$NODE_PORT/v1/models" -H "Authorization: Bearer $KEY" | json j.object)"

# SIGTERM drains and exits 0; the ledger has every request.
kill -TERM "$NODE_PID"
wait "$NODE_PID"
check "exit code after SIGTERM" 0 "$?"
REPORT=$(ctl ledger report --json)
check "ledger has every request" "$CALLS" "$(echo "$REPORT" | json 'String(j.requests)')"
check "ledger hits equal served hits" "$HITS" "$(echo "$REPORT" | json 'String(j.hits)')"
check "ledger saved > 0" true "$(echo "$REPORT" | json 'String(j.saved_micros > 0 && j.saved_micros === j.baseline_micros - j.actual_micros)')"
finish
