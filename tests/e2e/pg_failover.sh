#!/usr/bin/env bash
# Three nodes on one PostgreSQL with a streaming replica. The nodes name both servers in a
# multi-host URL with target_session_attrs=read-write; the console-style reads go to the replica
# (target_session_attrs=prefer-standby). The primary is killed under traffic, the replica is
# promoted, and every node serves throughout, reconnects to the new primary, hears approvals
# again, and writes every ledger event and candidate exactly once.
source "$(dirname "$0")/lib.sh" "$1" "$2"
source "$(dirname "$0")/pglib.sh"
ok() { PASSES=$((PASSES + 1)); echo "ok - $1 [${SECONDS} s]"; }

P1=$(free_port)
P2=$(free_port)
pg_init primary || { finish; exit 1; }
pg_start primary "$P1" -c wal_level=replica -c max_wal_senders=5 || { bad "primary did not start"; finish; exit 1; }
pg_as "$PG_BIN/createdb" -h "$PGROOT" -p "$P1" -U postgres l0 || { bad "createdb"; finish; exit 1; }
DB="postgresql://postgres@127.0.0.1:$P1/l0?connect_timeout=5"
ctl migrate >/dev/null 2>&1 && ok "migrated the primary" || bad "migrate"
KEY=$(setup_tenant fo approved)

pg_as "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$P1" -U postgres -D "$PGROOT/replica" -R -X stream -c fast \
    >"$WORK/basebackup.log" 2>&1 || { cat "$WORK/basebackup.log"; bad "pg_basebackup"; finish; exit 1; }
pg_start replica "$P2" || { bad "replica did not start"; finish; exit 1; }
check "replica is in recovery" t "$(pg_sql "$P2" 'select pg_is_in_recovery()')"
check "replica streams from the primary" 1 "$(pg_sql "$P1" 'select count(*) from pg_stat_replication')"

NODES_DB="postgresql://postgres@127.0.0.1:$P1,127.0.0.1:$P2/l0?target_session_attrs=read-write&connect_timeout=2"
READ_DB="postgresql://postgres@127.0.0.1:$P2,127.0.0.1:$P1/l0?target_session_attrs=prefer-standby&connect_timeout=2"
PORTS=()
for n in 1 2 3; do
    start_node "node$n" --db "$NODES_DB" --upstream sim --journal "$WORK/journal$n" || { finish; exit 1; }
    PORTS+=("$NODE_PORT")
done
ok "three nodes on the multi-host URL"

SENT=0   # answers with status 200: each is one ledger event
declare -A MISSED # distinct questions sent upstream: each is one candidate
ERRORS=0
ask() { # ask NODE_INDEX QUESTION -> status; counts what the store must end up holding
    local port="${PORTS[$1]}" status
    status=$(chat "$port" "$KEY" "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"$2\"}]}")
    if [ "$status" == 200 ]; then
        SENT=$((SENT + 1))
        [ "$(header x-l0-cache)" == miss ] && MISSED["$2"]=1
    else
        ERRORS=$((ERRORS + 1))
        echo "  $2 on node $1: $status $(head -c 200 "$WORK/body")"
    fi
}
hit_everywhere() { # hit_everywhere QUESTION: every node answers it from the cache
    local i
    for i in 0 1 2; do
        ask "$i" "$1"
        [ "$(header x-l0-cache)" == hit ] || return 1
    done
}
for i in 0 1 2; do
    for q in 1 2 3; do ask "$i" "Before failover, node $i, question $q"; done
done
wait_for test -n "$(first_queue_id fo)"
FIRST=$(first_queue_id fo)
ctl approve "$FIRST" >/dev/null && ok "approved $FIRST on the primary" || bad "approve"
# entry_id of a question (its first recorded query)
entry_of() { pg_sql "$1" "select entry_id from entry_queries where query = '$2' order by id limit 1"; }
APPROVED_Q=$(pg_sql "$P1" "select query from entry_queries where entry_id = ${FIRST%@*} order by id limit 1")
for _ in $(seq 1 50); do hit_everywhere "$APPROVED_Q" && break; sleep 0.1; done
hit_everywhere "$APPROVED_Q" && ok "all three nodes hit before failover" || bad "not every node hits"

# Console-style reads from the replica see the nodes' writes.
wait_for sh -c "[ \"\$(psql -X -At -h 127.0.0.1 -p $P2 -U postgres -d l0 -c 'select count(*) from entries')\" -ge 9 ]" \
    && ok "replica has the candidates" || bad "replica is behind"
check_contains "reads through prefer-standby" "Before failover" "$("$CTL_BIN" --db "$READ_DB" queue list --json 2>&1)"

# The primary dies (kill -9 of the postmaster and its children would do the same).
pg_stop primary immediate
ok "primary stopped (immediate) at $(date +%T.%N | cut -c1-12)"
OUTAGE_START=$SENT
for i in 0 1 2; do
    ask "$i" "$APPROVED_Q"
    check "node $i serves the hit with the primary gone" hit "$(header x-l0-cache)"
    ask "$i" "During the outage, node $i"
done
check "every answer during the outage" 6 "$((SENT - OUTAGE_START))"

echo "  outage answered by $(date +%T.%N | cut -c1-12)"
pg_as "$PG_BIN/pg_ctl" -D "$PGROOT/replica" -w promote >/dev/null 2>&1 && ok "replica promoted" || bad "promote"
check "new primary accepts writes" f "$(pg_sql "$P2" 'select pg_is_in_recovery()')"
ready_all() {
    local p
    for p in "${PORTS[@]}"; do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/readyz")" == 200 ] || return 1
    done
}
T0=$(date +%s%N)
for _ in $(seq 1 300); do ready_all && break; sleep 0.1; done
ready_all && ok "every node ready on the new primary after $(( ($(date +%s%N) - T0) / 1000000 )) ms" \
    || bad "not every node reconnected"
for i in 0 1 2; do
    for q in 1 2; do ask "$i" "After failover, node $i, question $q"; done
done

# A decision made on the new primary reaches every node (LISTEN again on the new server).
DB="postgresql://postgres@127.0.0.1:$P2/l0?connect_timeout=5"
NEW_ID=$(entry_of "$P2" 'During the outage, node 1')
[ -n "$NEW_ID" ] && ok "candidate from the outage written to the new primary" || bad "outage candidate missing"
ctl approve "$NEW_ID" >/dev/null && ok "approved $NEW_ID on the new primary" || bad "approve on the new primary"
for _ in $(seq 1 50); do hit_everywhere "During the outage, node 1" && break; sleep 0.1; done
hit_everywhere "During the outage, node 1" && ok "all three nodes hit an approval made after failover" \
    || bad "an approval after failover did not reach every node"

check "no errors served" 0 "$ERRORS"
LEDGER=0
for _ in $(seq 1 200); do
    LEDGER=$(pg_sql "$P2" "select count(*) from ledger_events")
    [ "$LEDGER" -ge "$SENT" ] && break
    sleep 0.1
done
sleep 1 # anything replayed twice would show up now
LEDGER=$(pg_sql "$P2" "select count(*) from ledger_events")
check "ledger events: one per answer, none lost, none twice" "$SENT" "$LEDGER"
check "candidates: one per distinct question" "${#MISSED[@]}" "$(pg_sql "$P2" "select count(*) from entries")"
check "no event id twice" 0 "$(pg_sql "$P2" "select count(*) - count(distinct event_uid) from ledger_events")"
echo "  $SENT answers, ${#MISSED[@]} candidates, ledger $LEDGER"
finish
