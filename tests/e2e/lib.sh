# Shared helpers for the end-to-end tests. Usage: source lib.sh NODE_BIN CTL_BIN
set -u
NODE_BIN="$1"
CTL_BIN="$2"
E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d /tmp/l0-e2e.XXXXXX)"
DB="sqlite:$WORK/l0.sqlite"
FAILS=0
PASSES=0
PIDS=()

cleanup() {
    for pid in "${PIDS[@]:-}"; do
        [ -n "$pid" ] && kill "$pid" 2>/dev/null
    done
    wait 2>/dev/null
    # A failed run shows what the processes it started said, before their logs go.
    if [ "$FAILS" -gt 0 ]; then
        for log in "$WORK"/*.log; do
            [ -f "$log" ] && { echo "--- last lines of $(basename "$log")"; tail -n 15 "$log"; }
        done
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

ok() { PASSES=$((PASSES + 1)); echo "ok - $1"; }
bad() { FAILS=$((FAILS + 1)); echo "FAIL - $1"; }
check() { # check NAME EXPECTED ACTUAL
    if [ "$2" == "$3" ]; then ok "$1"; else bad "$1 (expected '$2', got '$3')"; fi
}
check_contains() { # check_contains NAME NEEDLE HAYSTACK
    case "$3" in *"$2"*) ok "$1" ;; *) bad "$1 (no '$2' in '${3:0:300}')" ;; esac
}
finish() {
    echo "$PASSES passed, $FAILS failed"
    [ "$FAILS" -eq 0 ]
}

ctl() { "$CTL_BIN" --db "$DB" "$@"; }

# setup_tenant NAME POLICY -> prints the key
setup_tenant() {
    ctl tenant add "$1" --policy "$2" >/dev/null || return 1
    ctl key issue --tenant "$1" | tail -n1
}

# await_port WHAT PID LOG SED_EXPR -> prints the port the process announced in its log, or
# fails with the log when it exits or does not announce one within 10 s
await_port() {
    local what="$1" pid="$2" log="$3" expr="$4" port
    for _ in $(seq 1 100); do
        port=$(sed -n "$expr" "$log" | head -n1)
        [ -n "$port" ] && { echo "$port"; return 0; }
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "$what exited early:" >&2; cat "$log" >&2; return 1
        fi
        sleep 0.1
    done
    echo "$what did not start:" >&2; cat "$log" >&2; return 1
}

# start_node LOGNAME ARGS... -> sets NODE_PORT, NODE_PID
start_node() {
    local log="$WORK/$1.log"
    shift
    # Scripts that pin no admin key run on the database's word.
    local trust=(--trust-database)
    case " $* " in *" --admin-pubkey "*) trust=() ;; esac
    "$NODE_BIN" --listen 127.0.0.1:0 --sync-interval-ms 100 "${trust[@]}" "$@" >"$log" 2>&1 &
    NODE_PID=$!
    PIDS+=("$NODE_PID")
    NODE_PORT=$(await_port node "$NODE_PID" "$log" 's|.*listening on https\?://127.0.0.1:\([0-9]*\).*|\1|p')
}

# The simulated upstream (the one fake: the LLM and its embeddings).
SIM_BIN="${L0_SIM_BINARY:-$(dirname "$NODE_BIN")/sim/l0-sim-upstream}"
# start_sim LOGNAME ARGS... -> sets SIM_PORT, SIM_PID (it prints its port like l0-node)
start_sim() {
    local log="$WORK/$1.log"
    shift
    "$SIM_BIN" --listen 127.0.0.1:0 "$@" >"$log" 2>&1 &
    SIM_PID=$!
    PIDS+=("$SIM_PID")
    SIM_PORT=$(await_port "simulated upstream" "$SIM_PID" "$log" \
        's|^l0-sim-upstream listening on http://127.0.0.1:\([0-9]*\)$|\1|p')
}

# json EXPR < input: evaluates a JavaScript expression over the parsed input as `j`
json() {
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);const v=('"$1"');process.stdout.write(typeof v==="string"?v:JSON.stringify(v))})'
}

# chat PORT KEY BODY [extra curl args] -> writes $WORK/headers and $WORK/body, prints status
chat() {
    local port="$1" key="$2" body="$3"
    shift 3
    echo "$port" >> "$WORK/chat-calls"
    curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "http://127.0.0.1:$port/v1/chat/completions" \
        -H "Authorization: Bearer $key" -H 'Content-Type: application/json' --data-binary "$body" "$@"
}
chat_calls() { grep -c "^$1\$" "$WORK/chat-calls" 2>/dev/null || echo 0; }
header() { grep -i "^$1:" "$WORK/headers" | head -n1 | cut -d' ' -f2- | tr -d '\r'; }

# first_queue_id TENANT -> id of the first waiting candidate of that tenant
first_queue_id() {
    ctl queue list --json --tenant "$1" | json 'j.length ? String(j[0].id) : ""'
}

# miss_then_hit TENANT KEY BODY WHERE: on the node at $NODE_PORT, a miss files a candidate, an
# approval (by l0ctl) is heard, and the same request is then a hit; WHERE names the setting.
hit_now() { chat "$NODE_PORT" "$1" "$2" >/dev/null; [ "$(header x-l0-cache)" == hit ]; }
miss_then_hit() {
    local tenant="$1" key="$2" body="$3" where="$4"
    check "miss $where" 200 "$(chat "$NODE_PORT" "$key" "$body")"
    wait_for test -n "$(first_queue_id "$tenant")" && ok "candidate written $where" || bad "no candidate $where"
    ctl approve "$(first_queue_id "$tenant")" >/dev/null && ok "approved" || bad "approve"
    wait_for hit_now "$key" "$body" && ok "hit after the approval, heard $where" || bad "no hit $where"
}

# wait_for CMD... : retries a command for up to 10 s
wait_for() {
    for _ in $(seq 1 100); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

ctl migrate >/dev/null || { echo "migrate failed"; exit 1; }
