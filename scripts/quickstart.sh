#!/usr/bin/env bash
# Builds l0-node and l0ctl, prepares an SQLite store in the user's data directory with a
# demo tenant, prints a fresh API key with curl and openai-SDK examples, and serves in the
# foreground. Upstream: simulated, or OpenAI (or any compatible API) when OPENAI_API_KEY
# (and optionally OPENAI_BASE_URL) is set. Ctrl-C stops it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
"$ROOT/scripts/deps.sh" node

BUILD="$ROOT/build/quickstart"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DL0_BUILD_UI=OFF \
      -DL0_BUILD_TESTS=OFF -DL0_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD" -j2 --target l0-node l0ctl

DATA="${XDG_DATA_HOME:-$HOME/.local/share}/l0cache"
mkdir -p "$DATA"
export L0_DB="sqlite:$DATA/l0.sqlite"
LISTEN="${L0_LISTEN:-127.0.0.1:8080}"
CTL="$BUILD/app/l0ctl"
"$CTL" migrate >/dev/null
"$CTL" tenant list | grep -q $'\tdemo\t' || "$CTL" tenant add demo --policy approved >/dev/null
KEY=$("$CTL" key issue --tenant demo | tail -n1)

cat <<MSG

L0 Cache node: http://$LISTEN   store: $L0_DB
Upstream: $([ -n "${OPENAI_API_KEY:-}" ] && echo "OpenAI-compatible API at ${OPENAI_BASE_URL:-https://api.openai.com/v1}" || echo "simulated (set OPENAI_API_KEY for a real one)")
Test API key (tenant "demo"): $KEY

Ask something (a miss, queued for review):
  curl -s http://$LISTEN/v1/chat/completions -H "Authorization: Bearer $KEY" \\
    -H 'Content-Type: application/json' \\
    -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"How do I reset my password?"}]}'

Approve it (the first column of the queue is ENTRY@VERSION), then ask again: a hit,
answered from the cache (response header x-l0-cache: hit), at no upstream cost:
  L0_DB=$L0_DB $CTL queue list
  L0_DB=$L0_DB $CTL approve ENTRY

With the openai SDK (npm install openai):
  node --input-type=module -e "import OpenAI from 'openai';
    const c = new OpenAI({ apiKey: '$KEY', baseURL: 'http://$LISTEN/v1' });
    const r = await c.chat.completions.create({ model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'How do I reset my password?' }] });
    console.log(r.choices[0].message.content);"

Savings so far:  L0_DB=$L0_DB $CTL ledger report
MSG

exec "$BUILD/app/l0-node" --listen "$LISTEN"
