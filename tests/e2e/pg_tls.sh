#!/usr/bin/env bash
# The store over TLS: a PostgreSQL server that only accepts TLS, with a certificate for
# "localhost" made by a test CA; nodes and l0ctl connect with sslmode=verify-full and
# sslrootcert. A wrong CA, a host name the certificate does not name and a plain connection are
# refused with libpq's reason.
source "$(dirname "$0")/lib.sh" "$1" "$2"
source "$(dirname "$0")/pglib.sh"

PKI="$PGROOT/pki"
mkdir -p "$PKI"
printf 'subjectAltName=DNS:localhost\n' > "$PKI/ext"
for ca in ca other; do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$PKI/$ca.key" \
        -out "$PKI/$ca.pem" -days 2 -subj "/CN=L0 test $ca" 2>/dev/null || { bad "cannot make $ca"; finish; exit 1; }
done
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$PKI/server.key" -out "$PKI/server.csr" \
    -subj "/CN=localhost" 2>/dev/null \
    && openssl x509 -req -in "$PKI/server.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" -CAcreateserial \
        -out "$PKI/server.pem" -days 1 -extfile "$PKI/ext" 2>/dev/null || { bad "cannot make the server certificate"; finish; exit 1; }
chmod 600 "$PKI/server.key"
[ "$(id -u)" = 0 ] && chown -R postgres: "$PKI"
chmod 644 "$PKI/ca.pem" "$PKI/other.pem"

pg_init main || { finish; exit 1; }
# TLS only: plain TCP connections have no pg_hba line.
cat > "$WORK/hba" <<HBA
local all all trust
hostssl all all 127.0.0.1/32 trust
hostssl all all ::1/128 trust
HBA
cat "$WORK/hba" | pg_as tee "$PGROOT/main/pg_hba.conf" >/dev/null
PORT=$(free_port)
pg_start main "$PORT" -c ssl=on -c ssl_cert_file="$PKI/server.pem" -c ssl_key_file="$PKI/server.key" \
    || { bad "server did not start with TLS"; finish; exit 1; }
pg_as "$PG_BIN/createdb" -h "$PGROOT" -p "$PORT" -U postgres l0 || { bad "createdb"; finish; exit 1; }
ok "PostgreSQL with TLS only on port $PORT"

# CI runs as root: libpq would look for ~/.postgresql; name the CA explicitly.
VERIFY="postgresql://postgres@localhost:$PORT/l0?sslmode=verify-full&sslrootcert=$PKI/ca.pem&connect_timeout=5"
DB="$VERIFY"
ctl migrate > "$WORK/migrate.log" 2>&1 && ok "migrate over verify-full" || { cat "$WORK/migrate.log"; bad "migrate"; }
KEY=$(setup_tenant pgtls approved)
[ -n "$KEY" ] && ok "tenant and key over verify-full" || bad "no key"

refused() { # refused NAME URL NEEDLE
    local out
    out=$("$CTL_BIN" --db "$2" tenant list 2>&1)
    local rc=$?
    [ "$rc" -ne 0 ] && ok "$1: refused" || bad "$1: connected"
    check_contains "$1: says why" "$3" "$out"
}
refused "another CA" "postgresql://postgres@localhost:$PORT/l0?sslmode=verify-full&sslrootcert=$PKI/other.pem&connect_timeout=5" \
    "certificate verify failed"
refused "host not in the certificate" "postgresql://postgres@127.0.0.1:$PORT/l0?sslmode=verify-full&sslrootcert=$PKI/ca.pem&connect_timeout=5" \
    "does not match host name"
refused "plain connection" "postgresql://postgres@localhost:$PORT/l0?sslmode=disable&connect_timeout=5" "no encryption"

start_node node --db "$VERIFY" --upstream sim || { finish; exit 1; }
BODY='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Is the database link encrypted?"}]}'
miss_then_hit pgtls "$KEY" "$BODY" "over TLS"
check "readyz" 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NODE_PORT/readyz")"
SSL=$(pg_sql "$PORT" "select count(*) filter (where ssl), count(*) filter (where not ssl) from pg_stat_ssl s join pg_stat_activity a using (pid) where a.datname = 'l0' and a.pid <> pg_backend_pid()" 2>&1)
# (the query's own connection is left out: it is psql's, not a node's)
check_contains "every node connection is encrypted" "|0" "$SSL"
! grep -qi "password\|sslkey" "$WORK/node.log" && ok "no secrets in the log" || bad "secrets in the log"
finish
