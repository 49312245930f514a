#!/usr/bin/env bash
# The long form of the suite's fuzz runs: every target (or those named) for SECONDS each, JOBS
# at a time, each growing its own corpus under WORK (kept between runs, so a second run starts
# where the first stopped). Prints one line per target: executions, speed, corpus, peak memory
# and whether it crashed; the inputs that failed are in WORK/NAME/artifacts.
#   bench/fuzz_long.sh BUILD_DIR [SECONDS=3600] [JOBS=2] [WORK=BUILD_DIR/fuzz-long] [TARGET...]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD=${1:?usage: fuzz_long.sh BUILD_DIR [SECONDS] [JOBS] [WORK] [TARGET...]}
SECS=${2:-3600}
JOBS=${3:-2}
WORK=${4:-$BUILD/fuzz-long}
shift $(( $# < 4 ? $# : 4 ))
case "$JOBS" in ''|*[!0-9]*) echo "JOBS must be a number, not '$JOBS'" >&2; exit 2 ;; esac
if [ $# -gt 0 ]; then
    TARGETS=("$@")
else
    # The list CMake builds, read by CMake.
    SCRIPT=$(mktemp --suffix=.cmake)
    printf 'include(${F})\nmessage("${L0_FUZZ_TARGETS}")\n' > "$SCRIPT"
    LIST=$(cmake -DF="$ROOT/tests/fuzz/targets.cmake" -P "$SCRIPT" 2>&1)
    rm -f "$SCRIPT"
    IFS=';' read -r -a TARGETS <<< "$LIST"
fi
for t in "${TARGETS[@]}"; do
    [ -x "$BUILD/fuzz/fuzz_$t" ] || { echo "no $BUILD/fuzz/fuzz_$t: build the tree first" >&2; exit 1; }
done
mkdir -p "$WORK"
run_one() {
    local t=$1
    "$ROOT/tests/fuzz/run_fuzz.sh" "$BUILD/fuzz/fuzz_$t" "$ROOT/tests/fuzz/corpus/$t" "$SECS" "$WORK/$t" \
        > "$WORK/$t.summary" 2>&1 || true
}
running=0
for t in "${TARGETS[@]}"; do
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait
printf '%-20s %8s %12s %9s %8s %8s %s\n' target seconds executions exec/s corpus rss_mb result
for t in "${TARGETS[@]}"; do
    log="$WORK/$t/log"
    if [ ! -f "$log" ]; then
        printf '%-20s %8s %s\n' "$t" "$SECS" "FAILED (no log: see $WORK/$t.summary)"
        continue
    fi
    stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
    execs=$(stat number_of_executed_units)
    rate=$(stat average_exec_per_sec)
    rss=$(stat peak_rss_mb)
    corpus=$(find "$WORK/$t/corpus" -type f | wc -l)
    if grep -q '^OK:' "$WORK/$t.summary"; then result=ok; else result="FAILED (see $WORK/$t/log)"; fi
    printf '%-20s %8s %12s %9s %8s %8s %s\n' "$t" "$SECS" "${execs:-?}" "${rate:-?}" "$corpus" "${rss:-?}" "$result"
done
