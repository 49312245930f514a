#!/usr/bin/env bash
# The clients people use, unchanged, against the node: LangChain.js (ChatOpenAI, ChatAnthropic)
# and the Vercel AI SDK (@ai-sdk/openai's chat models, @ai-sdk/anthropic), plain and streamed;
# each repeat is a hit, seen in the response headers or in the upstream's call count.
source "$(dirname "$0")/lib.sh" "$1" "$2"
KEY=$(setup_tenant apps auto_low_risk)
start_node node --db "$DB" --upstream sim || exit 1
L0_URL="http://127.0.0.1:$NODE_PORT" L0_KEY="$KEY" node "$E2E_DIR/clients.mjs" || FAILS=$((FAILS + 1))
finish
