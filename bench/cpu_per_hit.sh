#!/usr/bin/env bash
# CPU time of the node per cache hit under wrk (node threads from /proc): robust to a busy
# machine where req/s is not. Usage: bench/cpu_per_hit.sh BUILD_DIR [PORT]
set -euo pipefail
BUILD="${1:?build dir}"; PORT="${2:-18700}"
W=$(mktemp -d); export L0_DB="sqlite:$W/l0.sqlite"
CTL="$BUILD/app/l0ctl"; NODE="$BUILD/app/l0-node"
$CTL migrate >/dev/null 2>&1; $CTL tenant add bench >/dev/null; KEY=$($CTL key issue --tenant bench | tail -n1)
TRUST=(); $NODE --help 2>&1 | grep -q -- --trust-database && TRUST=(--trust-database)
$NODE --listen 127.0.0.1:$PORT --upstream sim "${TRUST[@]}" --sync-interval-ms 100 > $W/node.log 2>&1 & NPID=$!
sleep 1
BODY='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"How do I track my order?"}]}'
URL=http://127.0.0.1:$PORT/v1/chat/completions
curl -s $URL -H "Authorization: Bearer $KEY" -d "$BODY" >/dev/null; sleep 0.5; $CTL approve 1 >/dev/null; sleep 0.5
curl -s -D - -o /dev/null $URL -H "Authorization: Bearer $KEY" -d "$BODY" | grep -i x-l0-cache
cat > $W/post.lua <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
LUA
for t in /proc/$NPID/task/*; do echo "$(basename $t) $(awk '{print $14+$15}' $t/stat) $(cat $t/comm)"; done > $W/before
t0=$(awk '{print $14+$15}' /proc/$NPID/stat)
wrk -t2 -c64 -d6s -s $W/post.lua $URL > $W/wrk.txt
t1=$(awk '{print $14+$15}' /proc/$NPID/stat)
for t in /proc/$NPID/task/*; do echo "$(basename $t) $(awk '{print $14+$15}' $t/stat) $(cat $t/comm)"; done > $W/after
join $W/before $W/after | awk -v r=$(awk '/requests in/ {print $1}' $W/wrk.txt) -v tck=$(getconf CLK_TCK) '{d=$4-$2; if (d>0) printf "  thread %s %s: %.1f us/hit\n", $1, $3, d/tck*1e6/r}' 
reqs=$(awk '/requests in/ {print $1}' $W/wrk.txt)
tck=$(getconf CLK_TCK)
echo "$BUILD: $reqs requests, $(awk -v a=$t0 -v b=$t1 -v r=$reqs -v t=$tck 'BEGIN{printf "%.1f", (b-a)/t*1e6/r}') CPU-us per hit, $(awk '/Requests\/sec/ {print $2}' $W/wrk.txt) req/s"
kill $NPID; wait 2>/dev/null; rm -rf $W
