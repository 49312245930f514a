#!/usr/bin/env bash
# Every figure of the speed targets in one run, each against its reference measured in the same
# run on the same machine, printed as one table:
#   - the hit path vs nginx `return 200` with the same body (req/s, p50, p99, CPU us per answer)
#     at 1 and 64 connections;
#   - what the node adds to a miss vs the simulated upstream called directly, at 1 and 64;
#   - an approval reaching the memory of 3 nodes (LISTEN/NOTIFY; starts its own PostgreSQL);
#   - a cold start with ENTRIES approved entries, and the memory per entry;
#   - intent matching per query with a 150-intent pack.
# Usage: bench/scenarios.sh BUILD_DIR [SECONDS=10] [ENTRIES=1000000] [APPROVALS=200]
# Needs wrk and nginx (scripts/deps.sh all); loads 127.0.0.1 only.
set -euo pipefail
SECS="${2:-10}"
ENTRIES="${3:-1000000}"
APPROVALS="${4:-200}"
source "$(dirname "$0")/lib.sh" "$1"
ROWS=()
row() { ROWS+=("$(printf '%s\t%s\t%s\t%s\t%s\t%s' "$@")"); } # scenario figure l0 reference ratio target
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf (b > 0 ? "%.0f%%" : "-"), 100 * a / b }'; }
meets() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == ">=" ? v >= t : v < t); print (ok ? "yes" : "NO") }'; }
say() { echo "== $*" >&2; }

# 1. The hit path.
BODY='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"How do I track my order?"}]}'
say "hit path vs nginx (${SECS}s per run)"
start_hit_node "$BODY"
post_lua "$WORK/post.lua" "$KEY" "$BODY"
start_nginx "$WORK/hit.json"
for c in 64 1; do
    wrk_run "hit-c$c" "$c" "$SECS" "$HIT_URL" "$WORK/post.lua" "$NODE_PID"
    n_rps=$R_RPS n_p50=$R_P50 n_p99=$R_P99 n_cpu=$R_CPU n_errs=$R_ERRS
    # shellcheck disable=SC2086
    wrk_run "nginx-c$c" "$c" "$SECS" "$NGINX_URL" "$WORK/post.lua" $NGINX_PIDS
    target=$([ "$c" = 64 ] && echo 70 || echo 85)
    pct=$(awk -v a="$n_rps" -v b="$R_RPS" 'BEGIN { printf "%.1f", 100 * a / b }')
    row "hit, $c conns" "req/s" "$n_rps" "$R_RPS" "$pct%" ">= $target% ($(meets "$pct" ">=" "$target"))"
    row "hit, $c conns" "p50 ms" "$n_p50" "$R_P50" "$(ratio "$n_p50" "$R_P50")" ""
    if [ "$c" = 64 ]; then
        row "hit, $c conns" "p99 ms" "$n_p99" "$R_P99" "$(ratio "$n_p99" "$R_P99")" "< 5 ($(meets "$n_p99" "<" 5))"
    else
        row "hit, $c conns" "p99 ms" "$n_p99" "$R_P99" "$(ratio "$n_p99" "$R_P99")" ""
    fi
    row "hit, $c conns" "CPU us/answer" "$n_cpu" "$R_CPU" "$(ratio "$n_cpu" "$R_CPU")" ""
    [ -n "$n_errs" ] && row "hit, $c conns" "errors" "$n_errs" "" "" ""
done
kill "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true
kill "$(cat "$WORK/nginx.pid")"

# 2. The miss path: every body new, so every request goes upstream.
say "miss path vs the simulated upstream direct"
"$SIM" --listen 127.0.0.1:0 --api-key-env SIM_KEY >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
SIM_PORT=$(port_of "$WORK/sim.log")
cat > "$WORK/pool.json" <<JSON
{"upstreams": [{"name": "sim", "kind": "openai", "base_url": "http://127.0.0.1:$SIM_PORT/v1",
                "api_key_env": "SIM_KEY", "models": ["gpt-4o-mini"]}]}
JSON
fresh_store miss
"$NODE" --listen 127.0.0.1:0 "${TRUST[@]}" --sync-interval-ms 500 --journal "$WORK/journal/miss" \
    --config "$WORK/pool.json" >"$WORK/miss-node.log" 2>&1 &
MISS_PID=$!
MISS_URL="http://127.0.0.1:$(port_of "$WORK/miss-node.log")/v1/chat/completions"
for c in 1 64; do
    unique_lua "$WORK/direct-c$c.lua" "$SIM_KEY" "direct c$c"
    wrk_run "direct-c$c" "$c" "$SECS" "http://127.0.0.1:$SIM_PORT/v1/chat/completions" "$WORK/direct-c$c.lua" "$SIM_PID"
    d_p50=$R_P50 d_p99=$R_P99 d_cpu=$R_CPU
    unique_lua "$WORK/miss-c$c.lua" "$KEY" "miss c$c"
    wrk_run "miss-c$c" "$c" "$SECS" "$MISS_URL" "$WORK/miss-c$c.lua" "$MISS_PID"
    added=$(awk -v a="$R_P50" -v b="$d_p50" 'BEGIN { printf "%.3f", a - b }')
    added99=$(awk -v a="$R_P99" -v b="$d_p99" 'BEGIN { printf "%.3f", a - b }')
    row "miss, $c conns" "p50 ms (added)" "$R_P50 (+$added)" "$d_p50" "$(ratio "$R_P50" "$d_p50")" \
        "added < 0.1 ($(meets "$added" "<" 0.1))"
    row "miss, $c conns" "p99 ms (added)" "$R_P99 (+$added99)" "$d_p99" "$(ratio "$R_P99" "$d_p99")" ""
    row "miss, $c conns" "CPU us/answer" "$R_CPU" "$d_cpu" "$(ratio "$R_CPU" "$d_cpu")" ""
    [ -n "$R_ERRS" ] && row "miss, $c conns" "errors" "$R_ERRS" "" "" ""
done
# Killed outright: a graceful stop would first write every queued candidate (measures nothing here).
kill -KILL "$MISS_PID"; wait "$MISS_PID" 2>/dev/null || true
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null || true

# 3. An approval reaching 3 nodes.
say "approval propagation to 3 nodes ($APPROVALS approvals)"
prop=$("$BUILD/bench/l0-bench-propagation" "$APPROVALS" 2>"$WORK/propagation.err" | tail -n1) \
    || { cat "$WORK/propagation.err" >&2; prop=""; }
p50=$(sed -n 's/.*p50 \([0-9.]*\) ms.*/\1/p' <<<"$prop")
p99=$(sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p' <<<"$prop")
row "approval -> 3 nodes" "p50 / p99 ms" "${p50:-failed} / ${p99:-failed}" "" "" ""

# 4. Cold start and memory per entry.
say "cold start with $ENTRIES entries"
start=$("$BUILD/bench/l0-bench-startup" "$ENTRIES" 2>"$WORK/startup.err" | tail -n1) \
    || { cat "$WORK/startup.err" >&2; start=""; }
row "cold start, $ENTRIES entries" "ms to serve" "$(sed -n 's/.* in memory: \([0-9]*\) ms.*/\1/p' <<<"$start")" "" "" ""
row "memory" "bytes per entry" "$(sed -n 's/.*= \([0-9]*\) bytes per entry, \([0-9]*\) beyond.*/\1 (\2 beyond the answer)/p' <<<"$start")" "" "" ""

# 5. Intent matching.
say "intent matching"
intent=$("$BUILD/bench/l0-bench-normalize" --benchmark_filter='^$' 2>"$WORK/intent.err" | grep 'match()') \
    || { cat "$WORK/intent.err" >&2; intent=""; }
i50=$(sed -n 's/.*p50 \([0-9]*\) ns.*/\1/p' <<<"$intent")
i99=$(sed -n 's/.*p99 \([0-9]*\) ns.*/\1/p' <<<"$intent")
row "intent, 150 intents" "p50 / p99 us" "$(awk -v a="${i50:-0}" -v b="${i99:-0}" 'BEGIN { printf "%.2f / %.2f", a / 1000, b / 1000 }')" \
    "" "" "p50 < 5 ($(meets "$(awk -v a="${i50:-1e9}" 'BEGIN { print a / 1000 }')" "<" 5))"

echo
echo "scenarios on $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'), build $BUILD ($(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo '?'))"
{
    printf 'scenario\tfigure\tl0\treference\tl0/ref\ttarget\n'
    printf '%s\n' "${ROWS[@]}"
} | awk -F'\t' '{ for (i = 1; i <= NF; ++i) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NR }
    END { for (r = 1; r <= n; ++r) { line = ""; for (i = 1; i <= 6; ++i) line = line sprintf("%-" w[i] "s  ", cell[r, i]); print line } }'
