#!/usr/bin/env bash
# Builds everything and runs the whole test suite (unit, end-to-end; PostgreSQL and UI tests
# where present). Installs missing Debian packages when run as root.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
"$ROOT/scripts/deps.sh" all

BUILD="$ROOT/build/ci"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j2
# The real SDK clients for the end-to-end tests, at the versions in the lock file.
npm ci --prefix "$ROOT/tests/e2e" --no-audit --no-fund --loglevel=error
cd "$BUILD"
ctest --output-on-failure -j2 "$@"
