#!/usr/bin/env bash
# Connection poolers: a node behind PgBouncer in transaction mode refuses to start, saying why
# (a notification sent while its connection is idle never reaches it; its prepared statements
# would be lost too); behind PgBouncer in session mode it starts, serves, and hears approvals.
source "$(dirname "$0")/lib.sh" "$1" "$2"
source "$(dirname "$0")/pglib.sh"

PGBOUNCER=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
[ -x "$PGBOUNCER" ] || { bad "no pgbouncer (scripts/deps.sh all installs it)"; finish; exit 1; }

pg_init main || { finish; exit 1; }
PORT=$(free_port)
pg_start main "$PORT" || { bad "server did not start"; finish; exit 1; }
pg_as "$PG_BIN/createdb" -h "$PGROOT" -p "$PORT" -U postgres l0 || { bad "createdb"; finish; exit 1; }
DB="postgresql://postgres@127.0.0.1:$PORT/l0?connect_timeout=5"
ctl migrate > "$WORK/migrate.log" 2>&1 && ok "migrated directly" || { cat "$WORK/migrate.log"; bad "migrate"; }
KEY=$(setup_tenant pooled approved)

# pgbouncer refuses root, like initdb: it runs as postgres from a directory of its own.
BOUNCERS=()
start_bouncer() { # start_bouncer MODE PORT
    local dir="$PGROOT/bouncer-$1"
    mkdir -p "$dir"
    printf '"postgres" ""\n' > "$dir/users"
    cat > "$dir/pgbouncer.ini" <<INI
[databases]
l0 = host=127.0.0.1 port=$PORT dbname=l0 user=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $2
unix_socket_dir =
auth_type = trust
auth_file = $dir/users
pool_mode = $1
max_client_conn = 50
default_pool_size = 10
logfile = $dir/log
pidfile = $dir/pid
INI
    [ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
    pg_as "$PGBOUNCER" -d "$dir/pgbouncer.ini" >/dev/null 2>&1 || { cat "$dir/log"; return 1; }
    BOUNCERS+=("$dir/pid")
    wait_for psql -X -At -h 127.0.0.1 -p "$2" -U postgres -d l0 -c "select 1"
}
stop_bouncers() {
    for p in "${BOUNCERS[@]:-}"; do [ -s "$p" ] && kill "$(cat "$p")" 2>/dev/null; done
}
trap 'stop_bouncers; pg_cleanup; cleanup' EXIT

TX_PORT=$(free_port)
start_bouncer transaction "$TX_PORT" && ok "pgbouncer in transaction mode on $TX_PORT" || bad "transaction pooler"
SESSION_PORT=$(free_port)
start_bouncer session "$SESSION_PORT" && ok "pgbouncer in session mode on $SESSION_PORT" || bad "session pooler"

# Transaction pooling: the node stops at start with the reason and the remedy.
"$NODE_BIN" --listen 127.0.0.1:0 --trust-database --upstream sim \
    --db "postgresql://postgres@127.0.0.1:$TX_PORT/l0?connect_timeout=5" >"$WORK/tx.log" 2>&1 &
TX_PID=$!
PIDS+=("$TX_PID")
for _ in $(seq 1 150); do kill -0 "$TX_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$TX_PID" 2>/dev/null; then
    bad "the node behind a transaction pooler is still running"
else
    wait "$TX_PID"
    RC=$?
    [ "$RC" -ne 0 ] && ok "refused to start behind a transaction pooler (exit $RC)" || bad "exit 0"
fi
LOG=$(cat "$WORK/tx.log")
check_contains "says what is wrong" "not a session of its own" "$LOG"
check_contains "says what to do" "pool_mode = session" "$LOG"
! grep -q "listening on" "$WORK/tx.log" && ok "never listened" || bad "listened"

# Session pooling: a node starts and works, approvals heard through the pooler.
# Polling once a minute: the approval can only arrive in time as a notification.
start_node session --db "postgresql://postgres@127.0.0.1:$SESSION_PORT/l0?connect_timeout=5" --upstream sim \
    --sync-interval-ms 60000 \
    || { finish; exit 1; }
ok "node started behind a session pooler"
BODY='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Does the pooler keep my session?"}]}'
miss_then_hit pooled "$KEY" "$BODY" "through the pooler"
EVENTS=$(pg_sql "$PORT" "select count(*) from ledger_events")
[ "${EVENTS:-0}" -ge 2 ] && ok "ledger events written through the pooler ($EVENTS)" || bad "ledger: '$EVENTS'"
finish
