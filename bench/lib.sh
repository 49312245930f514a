# Shared by the load benchmarks. Usage: source bench/lib.sh BUILD_DIR
# Sets NODE, CTL, SIM, WORK (removed at exit, with every background job), TRUST, SIM_KEY.
BUILD="${1:?build dir}"
NODE="$BUILD/app/l0-node"
CTL="$BUILD/app/l0ctl"
SIM="$BUILD/app/sim/l0-sim-upstream"
# Benchmarks pin no admin key: the node serves approvals on the database's word (builds from
# before pinning became the default have no such flag).
TRUST=()
"$NODE" --help 2>&1 | grep -q -- --trust-database && TRUST=(--trust-database)
WORK="$(mktemp -d /tmp/l0-bench.XXXXXX)"
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
export SIM_KEY="bench-sim-key"

fresh_store() { # NAME -> L0_DB, KEY: a new store with one tenant, "bench"
    export L0_DB="sqlite:$WORK/$1.sqlite"
    "$CTL" migrate >/dev/null 2>&1
    "$CTL" tenant add bench >/dev/null
    KEY=$("$CTL" key issue --tenant bench | tail -n1)
}

port_of() { # LOG -> the port a freshly started server printed
    for _ in $(seq 100); do
        sed -n 's|.*listening on https\?://127.0.0.1:\([0-9]*\).*|\1|p' "$1" | head -n1 | grep . && return 0
        sleep 0.1
    done
    echo "no server in $1" >&2; cat "$1" >&2; return 1
}

ms() { # a wrk latency (850.00us, 1.20ms, 2.00s) -> milliseconds
    awk -v v="$1" 'BEGIN { u = v; sub(/[0-9.]+/, "", u); x = v + 0;
        if (u == "us") x /= 1000; else if (u == "s") x *= 1000; else if (u == "m") x *= 60000; printf "%.3f", x }'
}

cpu_ticks() { # PID... -> user + system clock ticks of them all
    local sum=0 p
    for p in "$@"; do sum=$((sum + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
    echo "$sum"
}

post_lua() { # FILE KEY BODY: a wrk script posting the same body every time
    cat > "$1" <<LUA
wrk.method = "POST"
wrk.body = '$3'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $2"
LUA
}

unique_lua() { # FILE KEY TAG: a wrk script whose every body is new (thread and counter in it),
    # so nothing can be answered from the cache or shared with another request in flight
    cat > "$1" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $2"
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
local n = 0
function request()
    n = n + 1
    return wrk.format(nil, nil, nil, string.format(
        '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"$3 question %d-%d"}]}', tid, n))
end
LUA
}

# One wrk run: NAME CONNS SECONDS URL LUA PID... (the processes whose CPU time is charged to the
# answers). Sets R_REQS R_RPS R_P50 R_P99 (ms) R_CPU (us per answer) R_ERRS; keeps wrk's output
# in $WORK/NAME.txt.
wrk_run() {
    local name="$1" conns="$2" secs="$3" url="$4" script="$5" t0 t1
    shift 5
    t0=$(cpu_ticks "$@")
    wrk -t"$([ "$conns" -gt 1 ] && echo 2 || echo 1)" -c"$conns" -d"${secs}s" --latency -s "$script" "$url" \
        > "$WORK/$name.txt"
    t1=$(cpu_ticks "$@")
    R_REQS=$(awk '/requests in/ {print $1}' "$WORK/$name.txt")
    R_RPS=$(awk '/Requests\/sec/ {print $2}' "$WORK/$name.txt")
    R_P50=$(ms "$(awk '$1=="50%" {print $2}' "$WORK/$name.txt")")
    R_P99=$(ms "$(awk '$1=="99%" {print $2}' "$WORK/$name.txt")")
    R_ERRS=$(awk '/Non-2xx|Socket errors/ {$1=$1; printf "%s; ", $0}' "$WORK/$name.txt")
    R_CPU=$(awk -v a="$t0" -v b="$t1" -v r="$R_REQS" -v t="$(getconf CLK_TCK)" \
        'BEGIN { printf "%.1f", (r > 0 ? (b - a) / t * 1e6 / r : 0) }')
}

# A node on a fresh store serving one approved answer: BODY -> NODE_PID, HIT_URL, KEY and
# $WORK/hit.json (the answer as served).
start_hit_node() {
    fresh_store hit
    "$NODE" --listen 127.0.0.1:0 --upstream sim "${TRUST[@]}" --sync-interval-ms 100 >"$WORK/hit-node.log" 2>&1 &
    NODE_PID=$!
    HIT_URL="http://127.0.0.1:$(port_of "$WORK/hit-node.log")/v1/chat/completions"
    curl -s "$HIT_URL" -H "Authorization: Bearer $KEY" -d "$1" >/dev/null
    sleep 0.3
    "$CTL" approve 1 >/dev/null
    for _ in $(seq 50); do
        curl -s -D "$WORK/h" -o "$WORK/hit.json" "$HIT_URL" -H "Authorization: Bearer $KEY" -d "$1"
        grep -qi '^x-l0-cache: hit' "$WORK/h" && return 0
        sleep 0.1
    done
    echo "no cache hit to load" >&2
    return 1
}

# nginx answering `return 200` with FILE's bytes, two workers: -> NGINX_URL, NGINX_PIDS (master
# and workers, for cpu_ticks).
start_nginx() {
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    cat > "$WORK/nginx.conf" <<NGX
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    default_type application/json;
    server {
        listen 127.0.0.1:$port;
        location / { return 200 '$(cat "$1")'; }
    }
}
NGX
    nginx -p "$WORK" -c "$WORK/nginx.conf" -g 'daemon off;' &
    NGINX_URL="http://127.0.0.1:$port/"
    for _ in $(seq 50); do
        curl -s -o /dev/null "$NGINX_URL" && break
        sleep 0.1
    done
    local master
    master=$(cat "$WORK/nginx.pid")
    NGINX_PIDS="$master $(pgrep -P "$master" | tr '\n' ' ')"
}
