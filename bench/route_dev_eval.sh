#!/usr/bin/env bash
# Cross-validated routing figures on the DEV part of RouteLLM's data (GSM8K, MMLU, MT-Bench;
# gpt-4-1106-preview vs Mixtral-8x7B), with the built l0ctl. For each set: the learned router and
# the cascade, trained per set (5 folds by a hash of the prompt) and on all sets together (the
# other sets' rows added to every training), at 95% of the strong model's quality: strong share,
# quality and cost against always-strong. Then trains the router on all DEV files (what
# resources/route/default.json holds) and prints its own thresholds.
#   bench/route_dev_eval.sh [L0CTL] [DATA_DIR] [WORK_DIR]
# FOLDS (default 5), CURVE=1 also prints each curve at 10% steps of strong share.
set -euo pipefail
L0CTL=${1:-build/ci/app/l0ctl}
DATA=${2:-../shared/data/routing/routellm}
WORK=${3:-$(mktemp -d)}
FOLDS=${FOLDS:-5}
STRONG=gpt-4-1106-preview
WEAK=mistralai/Mixtral-8x7B-Instruct-v0.1
mkdir -p "$WORK"

declare -A FILES=(
    [gsm8k]="$DATA/gsm8k.jsonl"
    [mmlu]="$DATA/mmlu_1.jsonl $DATA/mmlu_2.jsonl"
    [mt_bench]="$DATA/mt_bench.jsonl"
)
with_data() { for f in $1; do printf -- '--data\n%s\n' "$f"; done; }
with_train() { for f in $1; do printf -- '--train-data\n%s\n' "$f"; done; }

summary() { # NAME < JSON
    python3 -c "
import json, sys
d = json.load(sys.stdin)
a = d['at_95']
cr = 'n/a' if a['cost_ratio'] is None else '%.3f' % a['cost_ratio']
print('%-34s prompts %5d  strong %.4f  weak %.4f  at 95%%: strong_share %.3f (%.0f%% fewer strong calls)  quality %.4f  cost_ratio %s'
      % (sys.argv[1], d['prompts'], d['strong_quality'], d['weak_quality'], a['strong_share'], 100 * (1 - a['strong_share']), a['quality'], cr))
if '${CURVE:-0}' == '1':
    pts, want = [], 1.0
    for p in d['curve']:
        if p['strong_share'] <= want + 1e-9:
            pts.append('%.2f:%.4f' % (p['strong_share'], p['quality']))
            want -= 0.1
    print('    curve (strong_share:quality):', ' '.join(pts))
" "$1"
}

run() { # NAME STRATEGY SET [TRAIN_SETS...]
    local name=$1 strategy=$2 set=$3
    shift 3
    local extra=""
    for s in "$@"; do extra="$extra ${FILES[$s]}"; done
    mapfile -t args < <(with_data "${FILES[$set]}"; with_train "$extra")
    "$L0CTL" route eval --folds "$FOLDS" "${args[@]}" --strong "$STRONG" --weak "$WEAK" --strategy "$strategy" --json \
        | summary "$name"
}

echo "cross-validated on DEV ($FOLDS folds by prompt hash)"
for set in gsm8k mmlu mt_bench; do
    others=()
    for s in gsm8k mmlu mt_bench; do [ "$s" != "$set" ] && others+=("$s"); done
    run "$set learned (per set)" learned "$set"
    run "$set learned (all sets)" learned "$set" "${others[@]}"
    if [ "$set" != mmlu ]; then # MMLU rows have no answer text: no cascade
        run "$set cascade (per set)" cascade "$set"
        run "$set cascade (all sets)" cascade "$set" "${others[@]}"
    fi
done

echo "router trained on every DEV file -> $WORK/router.json"
mapfile -t all < <(with_data "${FILES[gsm8k]} ${FILES[mmlu]} ${FILES[mt_bench]}")
"$L0CTL" route train "${all[@]}" --strong "$STRONG" --weak "$WEAK" --name routellm-dev --out "$WORK/router.json"
