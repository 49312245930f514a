#!/usr/bin/env bash
# Rebuilds resources/packs/starter-support.json from its questions with the project's own
# induction. Usage: scripts/build-starter-pack.sh [BUILD_DIR]   (default: build/ci)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build/ci}"
"$BUILD/app/l0ctl" rules induce --data "$ROOT/resources/packs/starter-support.csv" \
    --out "$ROOT/resources/packs/starter-support.json" --name starter-support
