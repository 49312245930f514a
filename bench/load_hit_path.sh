#!/usr/bin/env bash
# Loads the node's cache-hit path with wrk on 127.0.0.1 and, in the same run, nginx answering
# `return 200` with the very same body, as the reference.
# Usage: bench/load_hit_path.sh BUILD_DIR [CONNECTIONS] [SECONDS]
set -euo pipefail
CONNS="${2:-64}"
SECS="${3:-10}"
source "$(dirname "$0")/lib.sh" "$1"
fresh_store l0
BODY='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"How do I track my order?"}]}'

"$NODE" --listen 127.0.0.1:0 --upstream sim "${TRUST[@]}" --sync-interval-ms 100 >"$WORK/node.log" 2>&1 &
PORT=$(port_of "$WORK/node.log")
URL="http://127.0.0.1:$PORT/v1/chat/completions"
curl -s "$URL" -H "Authorization: Bearer $KEY" -d "$BODY" >/dev/null
sleep 0.3
"$CTL" approve 1 >/dev/null
for _ in $(seq 50); do
    curl -s -D "$WORK/h" -o "$WORK/hit.json" "$URL" -H "Authorization: Bearer $KEY" -d "$BODY"
    grep -qi '^x-l0-cache: hit' "$WORK/h" && break
    sleep 0.1
done
grep -qi '^x-l0-cache: hit' "$WORK/h" || { echo "no cache hit to load"; exit 1; }

cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
LUA

NGINX_PORT=$((PORT + 1))
cat > "$WORK/nginx.conf" <<NGX
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    default_type application/json;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / { return 200 '$(cat "$WORK/hit.json")'; }
    }
}
NGX
nginx -p "$WORK" -c "$WORK/nginx.conf" -g 'daemon off;' &
sleep 0.5

run() { # NAME URL
    wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s "$WORK/post.lua" "$2" > "$WORK/$1.txt"
    local rps p50 p99
    rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/$1.txt")
    p50=$(awk '$1=="50%" {print $2}' "$WORK/$1.txt")
    p99=$(awk '$1=="99%" {print $2}' "$WORK/$1.txt")
    printf '%-8s req/s %10s   p50 %8s   p99 %8s\n' "$1" "$rps" "$p50" "$p99"
    echo "$rps" > "$WORK/$1.rps"
}
echo "hit path vs nginx, $CONNS connections, ${SECS}s, body $(wc -c < "$WORK/hit.json") bytes"
run l0-node "$URL"
run nginx "http://127.0.0.1:$NGINX_PORT/"
awk -v a="$(cat "$WORK/l0-node.rps")" -v b="$(cat "$WORK/nginx.rps")" 'BEGIN { printf "l0-node / nginx = %.0f%%\n", 100*a/b }'
grep -i "non-2xx\|errors" "$WORK/l0-node.txt" || true
