#!/usr/bin/env bash
# JWTs as API keys (docs/jwt.md): keys and tokens made with `jose`, sent by the official openai
# and @anthropic-ai/sdk clients. Good tokens (RS256 and EdDSA from a JWKS, RS256 from a PEM
# file, HS256 with a secret from the environment) are answered; expired, wrong-audience,
# wrong-signature, alg none and key-confusion tokens get 401 in each client's error shape; a
# namespace claim pins the namespace; a rewritten JWKS is picked up without a restart; the user
# claim is on the ledger events.
source "$(dirname "$0")/lib.sh" "$1" "$2"

if [ ! -d "$E2E_DIR/node_modules/jose" ] || [ ! -d "$E2E_DIR/node_modules/openai" ]; then
    bad "the e2e clients are not installed: run 'npm ci --prefix tests/e2e' (scripts/test.sh does)"
    finish
    exit 1
fi
KEYS="$WORK/keys"
mkdir -p "$KEYS"
node "$E2E_DIR/jwt.mjs" setup "$KEYS" || { bad "making keys"; finish; exit 1; }
# The HS256 secret lives in the environment only, made for this run.
L0_E2E_JWT_SECRET=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
export L0_E2E_JWT_SECRET

KEY=$(setup_tenant acme approved)
ctl tenant add beta --policy approved >/dev/null
cat >"$WORK/node.json" <<JSON
{
  "jwt": {
    "issuer": "https://idp.e2e.invalid/",
    "audience": "l0-cache",
    "keys_file": "$KEYS/keys.pem",
    "jwks_file": "$KEYS/jwks.json",
    "hs256_secret_env": "L0_E2E_JWT_SECRET",
    "algorithms": ["RS256", "EdDSA", "HS256"],
    "clock_skew_s": 30,
    "reload_check_ms": 100
  }
}
JSON

# A config naming an unset secret variable is refused at start, naming the variable.
if env -u L0_E2E_JWT_SECRET "$NODE_BIN" --config "$WORK/node.json" --db "$DB" --listen 127.0.0.1:0 \
    --trust-database >"$WORK/refused.log" 2>&1; then
    bad "a node without its HS256 secret must not start"
else
    check_contains "missing secret variable is named" "L0_E2E_JWT_SECRET" "$(cat "$WORK/refused.log")"
fi

start_node node --db "$DB" --upstream sim --config "$WORK/node.json" || exit 1
L0_URL="http://127.0.0.1:$NODE_PORT" L0_KEY="$KEY" L0_CTL="$CTL_BIN" L0_DB="$DB" \
    node "$E2E_DIR/jwt.mjs" test "$KEYS" || FAILS=$((FAILS + 1))

# The same through command-line flags only.
start_node flags --db "$DB" --upstream sim --jwt-jwks "$KEYS/jwks.json" --jwt-issuer "https://idp.e2e.invalid/" \
    --jwt-audience l0-cache || exit 1
TOKEN=$(node "$E2E_DIR/jwt.mjs" token "$KEYS")
check "flags: a good token is answered" 200 "$(chat "$NODE_PORT" "$TOKEN" '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"flags?"}]}')"
check "flags: a tampered token is refused" 401 "$(chat "$NODE_PORT" "${TOKEN%?????}AAAAA" '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"flags?"}]}')"
check "flags: WWW-Authenticate" 'Bearer error="invalid_token"' "$(header www-authenticate)"
if "$NODE_BIN" --db "$DB" --listen 127.0.0.1:0 --trust-database --jwt-audience l0-cache >/dev/null 2>&1; then
    bad "--jwt-audience without a key source must be refused"
else
    ok "--jwt-audience without a key source is refused"
fi

# The secret is never logged.
if grep -qF "$L0_E2E_JWT_SECRET" "$WORK/node.log"; then bad "the HS256 secret is in the log"; else ok "secret not logged"; fi

# The user claim is recorded on the ledger events (written asynchronously).
users() {
    if ctl ledger report --group-by user --json >"$WORK/users.json" 2>/dev/null; then
        json 'j.map(r => r.user ?? r.key ?? "").sort().join(",")' <"$WORK/users.json"
    elif command -v sqlite3 >/dev/null; then
        sqlite3 "${DB#sqlite:}" "SELECT DISTINCT end_user FROM ledger_events ORDER BY end_user" | paste -sd, -
    fi
}
has_users() { case ",$(users)," in *,alice,*bob,*carol,*dave,*) return 0 ;; *) return 1 ;; esac; }
if ! ctl ledger report --group-by user --json >/dev/null 2>&1 && ! command -v sqlite3 >/dev/null; then
    echo "skip - ledger users: neither 'l0ctl ledger report --group-by user' nor sqlite3 is available"
elif wait_for has_users; then
    ok "the user claim is on the ledger events"
else
    bad "the user claim is on the ledger events (users: '$(users)')"
fi
finish
