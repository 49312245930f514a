#!/usr/bin/env bash
# Runs one fuzz target for a bounded time over its seed corpus:
#   tests/fuzz/run_fuzz.sh BINARY SEED_DIR SECONDS [WORK_DIR]
# New inputs go to WORK_DIR (a temporary directory by default), never into the seeds. A crash,
# a leak, a sanitizer report or a broken property fails the run; the input that did it is
# kept in WORK_DIR and printed, to be fixed and then added to the seeds.
set -euo pipefail
BIN=${1:?usage: run_fuzz.sh BINARY SEED_DIR SECONDS [WORK_DIR]}
SEEDS=${2:?seed directory}
SECONDS_=${3:?seconds}
WORK=${4:-}
if [ -z "$WORK" ]; then
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/l0-fuzz.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK/corpus" "$WORK/artifacts"
if [ ! -x "$BIN" ]; then
    echo "FAIL: $BIN is not built (the main build makes it; configure with -DL0_BUILD_FUZZERS=ON)"
    exit 1
fi
# Ours first; options from the environment are added after them, so they can refine but a
# stray global setting does not silently replace them all.
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:allocator_may_return_null=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
set +e
"$BIN" -max_total_time="$SECONDS_" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$WORK/artifacts/" "$WORK/corpus" "$SEEDS" > "$WORK/log" 2>&1
rc=$?
set -e
grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|stat::new_units_added)|^#[0-9]+ +DONE" "$WORK/log" || true
if [ $rc -ne 0 ]; then
    tail -n 60 "$WORK/log"
    for a in "$WORK"/artifacts/*; do
        [ -e "$a" ] || continue
        echo "input that failed: $a"
        # The trap would remove it: keep a copy where ctest's output says.
        cp "$a" "${TMPDIR:-/tmp}/" && echo "kept as ${TMPDIR:-/tmp}/$(basename "$a")"
    done
    echo "FAIL: $(basename "$BIN") exited $rc"
    exit 1
fi
echo "OK: $(basename "$BIN"), ${SECONDS_} s"
