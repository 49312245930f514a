#!/usr/bin/env bash
# /metrics by the book: after misses on two models, an approval and hits, and upstream failures
# that open a circuit, the node's exposition passes `promtool check metrics` (parser and lint)
# and holds the per-tier and per-model latency histograms and the breaker gauges.
# Run: ctest -R e2e_metrics_promtool --output-on-failure (in the build directory).
source "$(dirname "$0")/lib.sh" "$1" "$2"

PROMTOOL="${PROMTOOL:-$(command -v promtool || true)}"
if [ -z "$PROMTOOL" ]; then
    echo "promtool not found (Debian: apt-get install prometheus; scripts/deps.sh all)"
    exit 77
fi

# Two answers, then the upstream fails every call.
export SIM_KEY="sim-metrics-key"
start_sim sim --api-key-env SIM_KEY --script ok,ok,503,503,503,503,503,503,503,503,503,503 \
    --error-rate 1 || exit 1
cat >"$WORK/node.json" <<JSON
{
  "upstreams": [
    {"name": "sim", "kind": "openai", "base_url": "http://127.0.0.1:$SIM_PORT/v1", "api_key_env": "SIM_KEY",
     "models": ["gpt-4o-mini", "gpt-4o"], "timeout_ms": 5000}
  ],
  "retry": {"max_attempts": 1, "base_backoff_ms": 0, "max_backoff_ms": 0},
  "breaker": {"min_calls": 2, "failure_percent": 50, "open_ms": 60000}
}
JSON
KEY=$(setup_tenant acme approved)
start_node node --db "$DB" --config "$WORK/node.json" --journal "$WORK/journal/node" || exit 1

ask() { # ask MODEL QUESTION -> status
    chat "$NODE_PORT" "$KEY" "{\"model\":\"$1\",\"messages\":[{\"role\":\"user\",\"content\":\"$2\"}]}"
}
check "miss on gpt-4o-mini" 200 "$(ask gpt-4o-mini 'What are your opening hours?')"
check "miss on gpt-4o" 200 "$(ask gpt-4o 'How do I reset my password?')"
wait_for test -n "$(first_queue_id acme)"
ID=$(first_queue_id acme)
ctl approve "$ID" >/dev/null && ok "approved $ID" || bad "approve $ID"
hit_ready() {
    for m in gpt-4o-mini gpt-4o; do
        for q in 'What are your opening hours?' 'How do I reset my password?'; do
            ask "$m" "$q" >/dev/null
            [ "$(header x-l0-cache)" == hit ] && return 0
        done
    done
    return 1
}
wait_for hit_ready && ok "a hit after approval" || bad "no hit after approval"
for i in 1 2 3 4; do ask gpt-4o "Question $i that the upstream fails" >/dev/null; done
check "upstream failure reaches the client as 5xx" 5 "$(head -c1 <<<"$(ask gpt-4o 'One more failing question')")"

curl -s "http://127.0.0.1:$NODE_PORT/metrics" >"$WORK/metrics"
LINT=$("$PROMTOOL" check metrics <"$WORK/metrics" 2>&1)
check "promtool check metrics exit code" 0 "$?"
check "promtool check metrics says nothing" "" "$LINT"
M=$(cat "$WORK/metrics")
check_contains "per-tier histogram: exact" 'l0_request_duration_seconds_bucket{tier="exact",le="+Inf"} ' "$M"
value() { awk -v n="$1" '$1 == n { print $2 }' <<<"$M"; }
at_least() { # at_least NAME SERIES MIN
    local v
    v=$(value "$2")
    [ -n "$v" ] && [ "${v%%.*}" -ge "$3" ] && ok "$1 ($v)" || bad "$1 ($2 is '${v:-missing}', want >= $3)"
}
at_least "per-tier histogram: upstream" 'l0_request_duration_seconds_count{tier="upstream"}' 2
at_least "per-model histogram: gpt-4o-mini" 'l0_upstream_request_duration_seconds_count{model="gpt-4o-mini"}' 1
at_least "per-model histogram: gpt-4o" 'l0_upstream_request_duration_seconds_count{model="gpt-4o"}' 1
at_least "upstream errors counted" l0_upstream_errors_total 1
check_contains "breaker open for gpt-4o" 'l0_upstream_breaker_state{upstream="sim",model="gpt-4o",state="open"} 1' "$M"
at_least "breakers open gauge" l0_upstream_breakers_open 1
check_contains "nothing in flight once answered" 'l0_upstream_requests_in_flight 0' "$M"
check_contains "savings in dollars" 'l0_cache_saved_dollars_total ' "$M"
check_contains "hits by tier" 'l0_cache_hits_total{tier="exact"} ' "$M"

# The example Grafana dashboard asks only for metrics the node exports.
TYPES=$(sed -n 's/^# TYPE \([a-z0-9_]*\) .*/\1/p' "$WORK/metrics")
DASHBOARD="$E2E_DIR/../../packaging/grafana-dashboard.json"
UNKNOWN=""
for name in $(grep -o 'l0_[a-z0-9_]*' "$DASHBOARD" | sed 's/_\(bucket\|sum\|count\)$//' | sort -u); do
    grep -qx "$name" <<<"$TYPES" || UNKNOWN="$UNKNOWN $name"
done
check "dashboard metrics are all exported" "" "$UNKNOWN"
finish
