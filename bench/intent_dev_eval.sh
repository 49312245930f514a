#!/usr/bin/env bash
# Hit and false-hit rate of induced packs on the DEV sets of bench/intent_dev_sets.py, at each
# out-of-scope share (3, 20, 50%). Induces one pack per training set with `l0ctl rules induce`
# at its default target, then replays each mix with `l0ctl eval --tier l0` warmed with the
# training set. Prints one line per set and a pooled line per share (all draws together).
#   bench/intent_dev_eval.sh [L0CTL] [DEV_DIR] [WORK_DIR]
# INDUCE_ARGS passes options to `rules induce` (e.g. INDUCE_ARGS="--out-of-scope-share 0.5").
set -euo pipefail
L0CTL=${1:-build/ci/app/l0ctl}
DEV=${2:-/tmp/l0dev}
WORK=${3:-$(mktemp -d)}
mkdir -p "$WORK"
[ -f "$DEV/clinc_a_train.csv" ] || python3 "$(dirname "$0")/intent_dev_sets.py" --out "$DEV" >/dev/null

induce() { # TRAIN PACK
    # shellcheck disable=SC2086
    "$L0CTL" rules induce --data "$1" --out "$2" ${INDUCE_ARGS:-} | sed "s|^|  $(basename "$1"): |"
}
evaluate() { # PACK TRAIN DATA
    "$L0CTL" eval --tier l0 --rules "$1" --warm "$2" --data "$3" --json
}
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d['$1'])"; }

report() { # NAME PACK TRAIN FILES...
    local name=$1 pack=$2 train=$3
    shift 3
    local q=0 h=0 f=0
    for data in "$@"; do
        local j
        j=$(evaluate "$pack" "$train" "$data")
        q=$((q + $(echo "$j" | field queries)))
        h=$((h + $(echo "$j" | field hits)))
        f=$((f + $(echo "$j" | field false_hits)))
    done
    python3 -c "q,h,f=$q,$h,$f; print(f'$name'.ljust(34), f'queries {q:6d}  hits {h:6d}  hit_rate {h/q:.3f}  false_hits {f:4d}  false_hit_rate {(f/h if h else 0)*100:5.2f}%')"
}

for set in clinc_a clinc_b bank; do
    induce "$DEV/${set}_train.csv" "$WORK/$set.json"
    report "$set full" "$WORK/$set.json" "$DEV/${set}_train.csv" "$DEV/${set}_full.csv"
    for share in 03 20 50; do
        report "$set oos ${share}% (all draws)" "$WORK/$set.json" "$DEV/${set}_train.csv" "$DEV/${set}_mix${share}"_s*.csv
    done
done
for held in travel kitchen_and_dining utility; do
    induce "$DEV/clinc_d_train_$held.csv" "$WORK/d_$held.json"
    for share in 03 20 50; do
        report "clinc_d -$held oos ${share}%" "$WORK/d_$held.json" "$DEV/clinc_d_train_$held.csv" \
            "$DEV/clinc_d_mix${share}_$held.csv"
    done
done
