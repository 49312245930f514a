# PostgreSQL clusters for the end-to-end tests, sourced after lib.sh: initdb + pg_ctl in a
# temporary directory (as the postgres user when run as root: both refuse root), on free ports
# on 127.0.0.1, trust authentication. Every cluster started is stopped on exit.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    bad "no PostgreSQL server under /usr/lib/postgresql (scripts/deps.sh all installs it)"; finish; exit 1
fi
PGROOT=$(mktemp -d /tmp/l0-pg.XXXXXX)
chmod 755 "$PGROOT"
PG_CLUSTERS=()
if [ "$(id -u)" = 0 ]; then
    chown postgres: "$PGROOT"
    pg_as() { runuser -u postgres -- "$@"; }
else
    pg_as() { "$@"; }
fi
pg_cleanup() {
    for d in "${PG_CLUSTERS[@]:-}"; do
        [ -n "$d" ] && pg_as "$PG_BIN/pg_ctl" -D "$d" -m immediate -w stop >/dev/null 2>&1
    done
    rm -rf "$PGROOT"
}
trap 'pg_cleanup; cleanup' EXIT

free_port() {
    node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
# pg_init NAME: a new cluster in $PGROOT/NAME
pg_init() {
    pg_as "$PG_BIN/initdb" -D "$PGROOT/$1" -A trust -U postgres -E UTF8 --no-sync >"$WORK/initdb-$1.log" 2>&1 \
        || { cat "$WORK/initdb-$1.log"; return 1; }
}
# pg_start NAME PORT [-c setting=value ...]: starts (or restarts) the cluster on PORT
pg_start() {
    local name="$1" port="$2"
    shift 2
    case " ${PG_CLUSTERS[*]:-} " in *" $PGROOT/$name "*) ;; *) PG_CLUSTERS+=("$PGROOT/$name") ;; esac
    pg_as "$PG_BIN/pg_ctl" -D "$PGROOT/$name" -l "$PGROOT/$name.log" -w -t 60 start \
        -o "-p $port -k $PGROOT -c listen_addresses=127.0.0.1,::1 -c fsync=off -c max_connections=80 $*" \
        >/dev/null 2>&1 || { cat "$PGROOT/$name.log"; return 1; }
}
pg_stop() { pg_as "$PG_BIN/pg_ctl" -D "$PGROOT/$1" -m "${2:-fast}" -w stop >/dev/null 2>&1; }
# pg_sql PORT SQL: one value from the database l0 on that port
pg_sql() { psql -X -At -h 127.0.0.1 -p "$1" -U postgres -d "${PG_DB:-l0}" -c "$2"; }
