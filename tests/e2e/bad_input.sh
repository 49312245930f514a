#!/usr/bin/env bash
# Bad input gets the right status and an error body, and the node keeps serving.
source "$(dirname "$0")/lib.sh" "$1" "$2"

KEY=$(setup_tenant acme approved)
start_node node --db "$DB" --upstream sim --max-body-bytes 65536 || exit 1
P=$NODE_PORT
GOOD='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello"}]}'

expect_error() { # NAME STATUS then the chat args
    local name="$1" want="$2"
    shift 2
    local got
    got=$(chat "$@")
    check "$name status" "$want" "$got"
    local msg
    msg=$(json 'j.error && typeof j.error.message === "string" && j.error.message.length > 0 ? "error-body" : "no error body"' < "$WORK/body" 2>/dev/null)
    check "$name error body" error-body "$msg"
}

expect_error "malformed JSON" 400 "$P" "$KEY" '{"model": "gpt-4o-mini", "messages": ['
expect_error "not an object" 400 "$P" "$KEY" '"just a string"'
expect_error "wrong model type" 400 "$P" "$KEY" '{"model":42,"messages":[{"role":"user","content":"x"}]}'
check "wrong type names the param" model "$(json j.error.param < "$WORK/body")"
expect_error "messages not array" 400 "$P" "$KEY" '{"model":"m","messages":{"role":"user"}}'
expect_error "bad role" 400 "$P" "$KEY" '{"model":"m","messages":[{"role":"robot","content":"x"}]}'
expect_error "temperature out of range" 400 "$P" "$KEY" '{"model":"m","temperature":9,"messages":[{"role":"user","content":"x"}]}'
expect_error "empty body" 400 "$P" "$KEY" ''
printf '{"model":"m","messages":[{"role":"user","content":"bad \xff\xfe bytes"}]}' > "$WORK/badutf8.json"
expect_error "invalid UTF-8" 400 "$P" "$KEY" "@$WORK/badutf8.json"
head -c 200000 /dev/zero | tr '\0' 'a' | sed 's/^/{"model":"m","messages":[{"role":"user","content":"/; s/$/"}]}/' > "$WORK/huge.json"
expect_error "body over the limit" 413 "$P" "$KEY" "@$WORK/huge.json"
expect_error "missing key" 401 "$P" "" "$GOOD"
expect_error "unknown key" 401 "$P" "l0-definitely-not-a-key" "$GOOD"
check "unknown key code" invalid_api_key "$(json j.error.code < "$WORK/body")"
check "unknown route" 404 "$(curl -s -o "$WORK/body" -w '%{http_code}' "http://127.0.0.1:$P/v1/nothing" -H "Authorization: Bearer $KEY")"
check "unknown route body" true "$(json 'String(typeof j.error.message === "string")' < "$WORK/body")"
check "wrong method" 405 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P/v1/chat/completions" -H "Authorization: Bearer $KEY")"
check "garbage on the socket" 400 "$(printf 'NOT HTTP AT ALL\r\n\r\n' | timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$P; cat >&3; head -c 12 <&3 | cut -d' ' -f2")"

# An upstream failure is reported, and never becomes a candidate.
expect_error "upstream failure" 502 "$P" "$KEY" '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"explode [sim-fail:500]"}]}'
sleep 0.5
check "failure not queued" "[]" "$(ctl queue list --json)"

check "still serving" 200 "$(chat "$P" "$KEY" "$GOOD")"
check "healthz after abuse" 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P/healthz")"
kill -0 "$NODE_PID" && ok "node alive" || bad "node died"
finish
