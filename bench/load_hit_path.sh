#!/usr/bin/env bash
# Loads the node's cache-hit path with wrk on 127.0.0.1 and, in the same run, nginx answering
# `return 200` with the very same body, as the reference.
# Usage: bench/load_hit_path.sh BUILD_DIR [CONNECTIONS] [SECONDS]
set -euo pipefail
CONNS="${2:-64}"
SECS="${3:-10}"
source "$(dirname "$0")/lib.sh" "$1"
BODY='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"How do I track my order?"}]}'
start_hit_node "$BODY"
post_lua "$WORK/post.lua" "$KEY" "$BODY"
start_nginx "$WORK/hit.json"

run() { # NAME CONNS SECONDS URL LUA PID...
    wrk_run "$@"
    printf '%-8s req/s %10s   p50 %8s ms   p99 %8s ms   cpu %6s us/answer %s\n' "$1" "$R_RPS" "$R_P50" "$R_P99" \
        "$R_CPU" "$R_ERRS"
    echo "$R_RPS" > "$WORK/$1.rps"
}
echo "hit path vs nginx, $CONNS connections, ${SECS}s, body $(wc -c < "$WORK/hit.json") bytes"
# shellcheck disable=SC2086
run l0-node "$CONNS" "$SECS" "$HIT_URL" "$WORK/post.lua" "$NODE_PID"
# shellcheck disable=SC2086
run nginx "$CONNS" "$SECS" "$NGINX_URL" "$WORK/post.lua" $NGINX_PIDS
awk -v a="$(cat "$WORK/l0-node.rps")" -v b="$(cat "$WORK/nginx.rps")" 'BEGIN { printf "l0-node / nginx = %.0f%%\n", 100*a/b }'
