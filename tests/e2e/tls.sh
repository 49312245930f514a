#!/usr/bin/env bash
# HTTPS on the node: certificate and key from files (config "tls"), curl and the official openai
# client over TLS, plain HTTP and untrusted clients refused, SIGHUP reloads (a bad pair is
# refused and the old one kept), start-up errors that name the fault, an encrypted key.
source "$(dirname "$0")/lib.sh" "$1" "$2"

if ! command -v openssl >/dev/null; then
    bad "openssl is not installed (scripts/deps.sh installs it)"; finish; exit 1
fi
PKI="$WORK/pki"
mkdir -p "$PKI"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$PKI/ca.key" -out "$PKI/ca.pem" \
    -days 2 -subj "/CN=L0 test CA" 2>/dev/null || { bad "cannot make a CA"; finish; exit 1; }
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$PKI/ext"
# leaf NAME CN KEYSPEC...: NAME.pem and NAME.key signed by the test CA
leaf() {
    local name="$1" cn="$2"
    shift 2
    openssl req -newkey "$@" -nodes -keyout "$PKI/$name.key" -out "$PKI/$name.csr" -subj "/CN=$cn" 2>/dev/null \
        && openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" -CAcreateserial \
            -out "$PKI/$name.pem" -days 1 -extfile "$PKI/ext" 2>/dev/null
}
leaf one node-one rsa:2048 && leaf two node-rotated ec -pkeyopt ec_paramgen_curve:P-256 \
    || { bad "cannot make the node certificates"; finish; exit 1; }
cp "$PKI/one.pem" "$WORK/node.pem"
cp "$PKI/one.key" "$WORK/node.key"
cat > "$WORK/node.json" <<JSON
{"tls": {"cert_file": "$WORK/node.pem", "key_file": "$WORK/node.key"}, "limits": {"idle_timeout_ms": 1500}}
JSON

KEY=$(setup_tenant tls approved)
start_node node --config "$WORK/node.json" --db "$DB" --upstream sim || { finish; exit 1; }
check_contains "announces https" "listening on https://127.0.0.1:$NODE_PORT" "$(cat "$WORK/node.log")"
URL="https://127.0.0.1:$NODE_PORT"

# schat BODY [curl args]: a chat request over HTTPS, trusting the test CA
schat() {
    local body="$1"
    shift
    curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' --cacert "$PKI/ca.pem" "$URL/v1/chat/completions" \
        -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' --data-binary "$body" "$@"
}
subject() { # the CN the listener presents now
    curl -s -v -o /dev/null --cacert "$PKI/ca.pem" "$URL/healthz" 2>&1 | sed -n 's/^\*  subject: CN=//p' | tr -d '\r'
}

check "healthz over https" 200 "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$PKI/ca.pem" "$URL/healthz")"
check "certificate presented" node-one "$(subject)"
ALPN=$(curl -s -v -o /dev/null --http2 --cacert "$PKI/ca.pem" "https://localhost:$NODE_PORT/healthz" 2>&1)
check_contains "h2 offered, http/1.1 chosen" "server accepted http/1.1" "$ALPN"

BODY='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Is my connection encrypted?"}]}'
check "miss over https" 200 "$(schat "$BODY")"
check "miss header" miss "$(header x-l0-cache)"
wait_for test -n "$(first_queue_id tls)"
ctl approve "$(first_queue_id tls)" >/dev/null && ok "approved" || bad "approve"
hit_ready() { schat "$BODY" >/dev/null; [ "$(header x-l0-cache)" == hit ]; }
wait_for hit_ready && ok "hit over https" || bad "no hit over https"

# Clients that do not trust the certificate are refused, plain HTTP is told to use https; the node goes on.
# A connection that opens and sends nothing is held only until the idle deadline (1.5 s here).
timeout 6 bash -c "exec 3<>/dev/tcp/127.0.0.1/$NODE_PORT; cat <&3 >/dev/null"
check "silent connection closed at the idle deadline" 0 "$?"
curl -s -o /dev/null "$URL/healthz"
check "untrusted certificate refused by curl" 60 "$?"
check "plain HTTP on the TLS port: 400" 400 \
    "$(curl -s -m 5 -o "$WORK/plain" -w '%{http_code}' "http://127.0.0.1:$NODE_PORT/healthz")"
check_contains "plain HTTP is told to use https" '"code":"https_required"' "$(cat "$WORK/plain")"
json 'j.error.message' < "$WORK/plain" > /dev/null && ok "that answer is valid JSON" || bad "that answer is not JSON"
printf 'not tls at all\r\n\r\n' | timeout 5 bash -c "cat > /dev/tcp/127.0.0.1/$NODE_PORT" 2>/dev/null
check "still serving after bad handshakes" 200 "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$PKI/ca.pem" "$URL/healthz")"

# The official openai client over HTTPS (Node.js trusts the test CA through NODE_EXTRA_CA_CERTS).
if [ -d "$E2E_DIR/node_modules/openai" ]; then
    NODE_EXTRA_CA_CERTS="$PKI/ca.pem" L0_BASE_URL="$URL/v1" L0_KEY="$KEY" node "$E2E_DIR/tls.mjs" > "$WORK/sdk.out" 2>&1
    RC=$?
    cat "$WORK/sdk.out"
    check "openai client over https" 0 "$RC"
else
    bad "the SDK clients are not installed: run 'npm ci --prefix tests/e2e'"
fi

# SIGHUP with a key that is not the certificate's: refused, the old pair still served.
cp "$PKI/two.key" "$WORK/node.key"
kill -HUP "$NODE_PID"
wait_for grep -q "TLS reload refused" "$WORK/node.log" && ok "mismatched pair refused on reload" || bad "no refusal logged"
check_contains "refusal names the fault" "is not the key of the certificate" "$(cat "$WORK/node.log")"
check "old certificate kept" node-one "$(subject)"
# The matching certificate arrives: the next SIGHUP loads the pair.
cp "$PKI/two.pem" "$WORK/node.pem"
kill -HUP "$NODE_PID"
wait_for grep -q "TLS certificate and key reloaded" "$WORK/node.log" && ok "reloaded on SIGHUP" || bad "no reload"
check "new certificate presented" node-rotated "$(subject)"
METRICS=$(curl -s --cacert "$PKI/ca.pem" "$URL/metrics")
check_contains "reloads counted" 'l0_tls_reloads_total{result="loaded"} 1' "$METRICS"
check_contains "refusals counted" 'l0_tls_reloads_total{result="refused"} 1' "$METRICS"
check_contains "expiry exported" 'l0_tls_certificate_expiry_timestamp_seconds 1' "$METRICS"
check "hits survive the reload" 200 "$(schat "$BODY")"
check "still a hit" hit "$(header x-l0-cache)"
kill -0 "$NODE_PID" 2>/dev/null && ok "node alive after both reloads" || bad "node died"

# Start-up errors name the file and the fault, and the node does not start.
startup_error() { # startup_error NAME NEEDLE ARGS...
    local name="$1" needle="$2"
    shift 2
    "$NODE_BIN" --listen 127.0.0.1:0 --db "$DB" --upstream sim --trust-database "$@" > "$WORK/err.log" 2>&1
    local rc=$?
    [ "$rc" -ne 0 ] && ok "$name: exits $rc" || bad "$name: started"
    check_contains "$name: says why" "$needle" "$(cat "$WORK/err.log")"
}
startup_error "key missing" "TLS needs both" --tls-cert "$PKI/one.pem"
startup_error "key unreadable" "cannot read key file $WORK/nope.key" --tls-cert "$PKI/one.pem" --tls-key "$WORK/nope.key"
startup_error "not a certificate" "holds no PEM certificate" --tls-cert "$PKI/one.key" --tls-key "$PKI/one.key"
startup_error "pair mismatch" "is not the key of the certificate" --tls-cert "$PKI/one.pem" --tls-key "$PKI/two.key"

# An encrypted key: the passphrase comes from the variable tls.key_passphrase_env names.
L0_TEST_TLS_PASS=correct-horse openssl pkey -in "$PKI/one.key" -aes256 -passout env:L0_TEST_TLS_PASS \
    -out "$PKI/enc.key" 2>/dev/null
cat > "$WORK/enc.json" <<JSON
{"tls": {"cert_file": "$PKI/one.pem", "key_file": "$PKI/enc.key", "key_passphrase_env": "L0_TEST_TLS_PASS"}}
JSON
startup_error "passphrase variable unset" "names L0_TEST_TLS_PASS, which is not set" --config "$WORK/enc.json"
L0_TEST_TLS_PASS=wrong startup_error "wrong passphrase" "with the passphrase given" --config "$WORK/enc.json"
L0_TEST_TLS_PASS=correct-horse start_node enc --config "$WORK/enc.json" --db "$DB" --upstream sim \
    && check "encrypted key serves" 200 "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$PKI/ca.pem" \
        "https://127.0.0.1:$NODE_PORT/healthz")"
if grep -q correct-horse "$WORK"/*.log; then bad "the passphrase reached a log"; else ok "passphrase kept out of the logs"; fi
finish
