#!/usr/bin/env bash
# The official openai npm client against the node: non-stream and stream, miss then hit.
source "$(dirname "$0")/lib.sh" "$1" "$2"

if [ ! -d "$E2E_DIR/node_modules/openai" ]; then
    bad "the SDK clients are not installed: run 'npm ci --prefix tests/e2e' (scripts/test.sh does)"
    finish
    exit 1
fi
KEY=$(setup_tenant sdk approved)
start_node node --db "$DB" --upstream sim --sim-chunk-delay-ms 2 || exit 1
L0_BASE_URL="http://127.0.0.1:$NODE_PORT/v1" L0_KEY="$KEY" L0_CTL="$CTL_BIN" L0_DB="$DB" \
    node "$E2E_DIR/sdk_clients.mjs"
