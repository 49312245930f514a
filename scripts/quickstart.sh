#!/usr/bin/env bash
# Builds l0-node and l0ctl, prepares an SQLite store in the user's data directory with a
# demo tenant, prints a fresh API key with curl and openai-SDK examples, and serves in the
# foreground. Upstream: simulated, or OpenAI (or any compatible API) when OPENAI_API_KEY
# (and optionally OPENAI_BASE_URL) is set. The demo tenant gets the starter rule pack for
# customer-support questions, so differently worded questions share one approved answer.
# Ctrl-C stops it. L0_QUICKSTART_BIN=DIR uses l0-node and l0ctl from DIR instead of building.
# The node runs pinned from the first minute: an admin key and a demo reviewer key are made in
# the data directory (encrypted; each passphrase in a file of mode 0600 beside it), the reviewer
# is registered by the admin key, and the node verifies every approval up to that admin key.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

if [ -n "${L0_QUICKSTART_BIN:-}" ]; then
    BIN="$L0_QUICKSTART_BIN"
else
    "$ROOT/scripts/deps.sh" node
    BUILD="$ROOT/build/quickstart"
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DL0_BUILD_UI=OFF \
          -DL0_BUILD_TESTS=OFF -DL0_BUILD_BENCH=OFF >/dev/null
    cmake --build "$BUILD" -j2 --target l0-node l0ctl
    BIN="$BUILD/app"
fi

DATA="${XDG_DATA_HOME:-$HOME/.local/share}/l0cache"
mkdir -p "$DATA"
export L0_DB="sqlite:$DATA/l0.sqlite"
LISTEN="${L0_LISTEN:-127.0.0.1:8080}"
CTL="$BIN/l0ctl"
"$CTL" migrate >/dev/null
"$CTL" admin init --dir "$DATA" >/dev/null
REVIEWER="$DATA/demo-reviewer.pem"
if [ ! -f "$REVIEWER" ]; then
    (umask 077; head -c 32 /dev/urandom | base64 | tr -d '\n/+=' > "$REVIEWER.passphrase")
    L0_PASSPHRASE_FILE="$REVIEWER.passphrase" "$CTL" reviewer keygen --out "$REVIEWER" >/dev/null
fi
"$CTL" reviewer list | grep -q $'^demo\t' ||
    L0_PASSPHRASE_FILE="$DATA/admin.passphrase" "$CTL" reviewer add demo --pubkey "$REVIEWER.pub" \
        --admin-key "$DATA/admin.pem" >/dev/null
"$CTL" tenant list | grep -q $'\tdemo\t' || "$CTL" tenant add demo --policy approved >/dev/null
KEY=$("$CTL" key issue --tenant demo | tail -n1)
# The starter pack (resources/packs/README.md): published for the demo tenant and approved,
# once; a pack serves only after someone approves it.
PACK="$ROOT/resources/packs/starter-support.json"
PACK_ID=$("$CTL" rules list --tenant demo | awk -F'\t' '$3 ~ /^starter-support@/ {print $1 "\t" $4}' | tail -n1)
case "$PACK_ID" in
    *$'\t'active) ;;
    *$'\t'pending) "$CTL" rules approve "${PACK_ID%%$'\t'*}" >/dev/null ;;
    *) ID=$("$CTL" rules publish "$PACK" --tenant demo | sed -n 's/.* as id \([0-9]*\).*/\1/p')
       "$CTL" rules approve "$ID" >/dev/null ;;
esac

cat <<MSG

L0 Cache node: http://$LISTEN   store: $L0_DB
Upstream: $([ -n "${OPENAI_API_KEY:-}" ] && echo "OpenAI-compatible API at ${OPENAI_BASE_URL:-https://api.openai.com/v1}" || echo "simulated (set OPENAI_API_KEY for a real one)")
Test API key (tenant "demo"): $KEY
Trust: approvals are verified up to the admin key $DATA/admin.pem.pub; the walk-through
signs them as reviewer "demo" ($REVIEWER). Passphrases: $DATA/*.passphrase (mode 0600).

Two differently worded questions, one approved answer (the intent tier, with the order
number as a template slot):

  ask() { curl -s -D - http://$LISTEN/v1/chat/completions -H "Authorization: Bearer $KEY" \\
      -H 'Content-Type: application/json' -d "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"\$1\"}]}" \\
      | grep -iE '^x-l0-(cache|tier)|content'; }
  ask "Where is my order 12345?"            # x-l0-cache: miss; the answer goes to the review queue
  L0_DB=$L0_DB $CTL queue list --json       # the candidate: "tier":"l0", "order {order_id}" in its preview
  L0_DB=$L0_DB L0_PASSPHRASE_FILE=$REVIEWER.passphrase $CTL approve ENTRY --key $REVIEWER
                                            # ENTRY: its "id" (the first column of "queue list")
  ask "can you track order 67890 for me"    # x-l0-cache: hit, x-l0-tier: l0, the answer says 67890

The same goes for "How do I reset my password?" and "how do i reset my password". A question
no rule covers falls back to the exact tier: the very same request, approved once.

With the openai SDK (npm install openai):
  node --input-type=module -e "import OpenAI from 'openai';
    const c = new OpenAI({ apiKey: '$KEY', baseURL: 'http://$LISTEN/v1' });
    const r = await c.chat.completions.create({ model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'How do I reset my password?' }] });
    console.log(r.choices[0].message.content);"

Savings so far:  L0_DB=$L0_DB $CTL ledger report
MSG

exec "$BIN/l0-node" --listen "$LISTEN" --admin-pubkey "$DATA/admin.pem.pub"
