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
