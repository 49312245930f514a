#!/usr/bin/env bash
# What the node adds to a miss: wrk on 127.0.0.1 posts chat requests, each with a body of its
# own so that every one goes upstream, at 1 and at N connections, to the simulated upstream
# directly, then through a node whose single `upstream` is the simulator, then through a node
# whose `upstreams` pool holds it, through a pool of the in-process simulated provider (the node's
# own miss path, no network hop), and (COMPARE_QNAM=1, the default) through the HTTP pool with plain
# HTTP sent by QNetworkAccessManager instead of the node's own client. Prints req/s, p50 and p99
# of each, the CPU time per answer of the process answering (the simulator for direct runs, the
# node otherwise: robust where req/s and latency suffer from a busy machine), and what the node
# adds to p50 and p99 over the direct runs of the same invocation.
# Usage: bench/pool_latency.sh BUILD_DIR [CONNECTIONS] [SECONDS]
set -euo pipefail
CONNS="${2:-64}"
SECS="${3:-10}"
source "$(dirname "$0")/lib.sh" "$1"

"$SIM" --listen 127.0.0.1:0 --api-key-env SIM_KEY >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
SIM_PORT=$(port_of "$WORK/sim.log")
sim_calls() { curl -s "http://127.0.0.1:$SIM_PORT/stats" | sed -n 's/^{"calls":\([0-9]*\).*/\1/p'; }

declare -A P50 P99
run() { # NAME CONNS URL KEY PID (whose CPU time per answer is reported: the node, or the simulator)
    local name="$1-c$2" before after
    unique_lua "$WORK/$name.lua" "$4" "$name pool"
    before=$(sim_calls)
    wrk_run "$name" "$2" "$SECS" "$3" "$WORK/$name.lua" "$5"
    sleep 0.2
    after=$(sim_calls)
    P50[$name]=$R_P50
    P99[$name]=$R_P99
    printf '%-16s %5s conns  req/s %9s   p50 %8s ms   p99 %8s ms   cpu %5s us/answer   upstream calls %6s for %6s answers %s\n' \
        "$1" "$2" "$R_RPS" "$R_P50" "$R_P99" "$R_CPU" "$((after - before))" "$R_REQS" "$R_ERRS"
}
start_node() { # LOG ARGS... -> NODE_URL
    "$NODE" --listen 127.0.0.1:0 "${TRUST[@]}" --sync-interval-ms 500 --journal "$WORK/journal/$1" "${@:2}" >"$WORK/$1.log" 2>&1 &
    NODE_PID=$!
    NODE_URL="http://127.0.0.1:$(port_of "$WORK/$1.log")/v1/chat/completions"
}

# Killed outright: a graceful stop first writes every queued record to the store, which after
# tens of thousands of misses takes minutes and measures nothing here (the store is a temp file).
stop_node() { kill -KILL "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true; }

echo "misses, ${SECS}s per run, $(nproc) cores shared by wrk, node and simulator"
SIM_URL="http://127.0.0.1:$SIM_PORT/v1/chat/completions"
for c in 1 "$CONNS"; do run direct "$c" "$SIM_URL" "$SIM_KEY" "$SIM_PID"; done

fresh_store single
OPENAI_API_KEY="$SIM_KEY" OPENAI_BASE_URL="http://127.0.0.1:$SIM_PORT/v1" start_node single --upstream openai
for c in 1 "$CONNS"; do run node-upstream "$c" "$NODE_URL" "$KEY" "$NODE_PID"; done
stop_node

cat > "$WORK/pool.json" <<JSON
{"upstreams": [{"name": "sim", "kind": "openai", "base_url": "http://127.0.0.1:$SIM_PORT/v1",
                "api_key_env": "SIM_KEY", "models": ["gpt-4o-mini"]}]}
JSON
fresh_store pool
start_node pool --config "$WORK/pool.json"
for c in 1 "$CONNS"; do run node-upstreams "$c" "$NODE_URL" "$KEY" "$NODE_PID"; done
stop_node

# The node's own miss path without any network hop: a pool whose upstream is the in-process
# simulated provider. node-upstreams minus this is what reaching the upstream over HTTP costs.
cat > "$WORK/inproc.json" <<JSON
{"upstreams": [{"name": "sim", "kind": "sim", "models": ["gpt-4o-mini"]}]}
JSON
fresh_store inproc
start_node inproc --config "$WORK/inproc.json"
for c in 1 "$CONNS"; do run node-inproc "$c" "$NODE_URL" "$KEY" "$NODE_PID"; done
stop_node

# The same pool with plain HTTP sent through QNetworkAccessManager, as before the node had its
# own client: the difference between the two is what the client saves (same build, same run).
if [ "${COMPARE_QNAM:-1}" = 1 ]; then
    fresh_store qnam
    L0_UPSTREAM_TRANSPORT=qnam start_node qnam --config "$WORK/pool.json"
    for c in 1 "$CONNS"; do run node-qnam "$c" "$NODE_URL" "$KEY" "$NODE_PID"; done
    stop_node
    NAMES="node-upstream node-upstreams node-inproc node-qnam"
else
    NAMES="node-upstream node-upstreams node-inproc"
fi

for c in 1 "$CONNS"; do
    for n in $NAMES; do
        awk -v n="$n" -v c="$c" -v a="${P50[$n-c$c]}" -v d="${P50[direct-c$c]}" -v a99="${P99[$n-c$c]}" \
            -v d99="${P99[direct-c$c]}" \
            'BEGIN { printf "added %-15s %3s conns: p50 %7.3f ms (%.2fx direct)   p99 %7.3f ms\n", n, c, a - d,
                     (d > 0 ? a / d : 0), a99 - d99 }'
    done
done
