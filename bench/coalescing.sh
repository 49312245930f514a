#!/usr/bin/env bash
# Coalescing under a burst: N identical misses (default 1000) sent at once to a node whose
# upstream is the simulated one, slow to its first byte so that they all overlap. Reports how
# many calls reached the upstream (its /stats), the statuses, p50/p99 latency and the total time.
# Usage: bench/coalescing.sh BUILD_DIR [REQUESTS] [FIRST_BYTE_DELAY_MS]
set -euo pipefail
N="${2:-1000}"
DELAY="${3:-2000}"
source "$(dirname "$0")/lib.sh" "$1"
fresh_store l0

"$SIM" --listen 127.0.0.1:0 --api-key-env SIM_KEY --first-byte-delay-ms "$DELAY" >"$WORK/sim.log" 2>&1 &
SIM_PORT=$(port_of "$WORK/sim.log")
OPENAI_API_KEY="$SIM_KEY" OPENAI_BASE_URL="http://127.0.0.1:$SIM_PORT/v1" \
    "$NODE" --listen 127.0.0.1:0 --upstream openai "${TRUST[@]}" --journal "$WORK/journal/node" >"$WORK/node.log" 2>&1 &
NODE_PORT=$(port_of "$WORK/node.log")

# Plain node:http, one connection per request with no pool limit, so all N are open at once
# (curl --parallel stops at 300).
cat > "$WORK/burst.mjs" <<'JS'
import http from 'node:http';
const [port, key, n] = [process.env.PORT, process.env.KEY, Number(process.env.N)];
const body = JSON.stringify({ model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'What are your opening hours on public holidays?' }] });
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const one = () => new Promise((resolve) => {
  const t0 = performance.now();
  const req = http.request({ host: '127.0.0.1', port, path: '/v1/chat/completions', method: 'POST', agent,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` } }, (res) => {
    let text = '';
    res.on('data', (d) => (text += d)).on('end', () => {
      let content = '';
      try { content = JSON.parse(text).choices[0].message.content; } catch {}
      resolve({ ms: performance.now() - t0, status: res.statusCode, cache: res.headers['x-l0-cache'], content });
    });
  });
  req.on('error', (e) => resolve({ ms: performance.now() - t0, status: e.code, content: '' }));
  req.end(body);
});
const t0 = performance.now();
const results = await Promise.all(Array.from({ length: n }, one));
const total = performance.now() - t0;
const ms = results.map((r) => r.ms).sort((a, b) => a - b);
const pct = (p) => ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)].toFixed(1);
const count = (f) => results.reduce((m, r) => ((m[f(r)] = (m[f(r)] ?? 0) + 1), m), {});
console.log(`statuses ${JSON.stringify(count((r) => r.status))}, x-l0-cache ${JSON.stringify(count((r) => r.cache))}, ` +
  `distinct answers ${new Set(results.filter((r) => r.content).map((r) => r.content)).size}`);
console.log(`latency p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${ms[ms.length - 1].toFixed(1)} ms; all ${n} done in ${total.toFixed(0)} ms`);
JS
echo "$N identical misses at once, upstream first byte after $DELAY ms"
PORT="$NODE_PORT" KEY="$KEY" N="$N" node "$WORK/burst.mjs"
echo "upstream calls: $(curl -s "http://127.0.0.1:$SIM_PORT/stats" | sed -n 's/^{"calls":\([0-9]*\).*/\1/p')"
