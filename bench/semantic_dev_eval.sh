#!/usr/bin/env bash
# Semantic tier figures on the DEV data with the built l0ctl: hit rate, recall and false-hit
# rate of exact alone, of exact + semantic with learned thresholds, and the curve over fixed
# thresholds; then the chain on banking77 and clinc150 against the intent tier alone.
# Every set is split by label group (bench/semantic_split.py): figures are reported on both
# parts, so a setting tuned on one part is checked on rows of groups it never saw.
# Usage: [CURVE=1] [L0CTL=path] bench/semantic_dev_eval.sh [BUILD_DIR] [TARGET_FALSE_HIT_RATE]
# CURVE=1 adds the fixed-threshold curve (0.60-0.98; one full replay per point, slow).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build/ci}"
target="${2:-0.01}"
ctl="${L0CTL:-$build/app/l0ctl}"
[ -x "$ctl" ] || ctl="$(find "$build" -name l0ctl -type f -perm -u+x | head -1)"
data="${L0_EVAL_DATA:-$here/../../shared/data/eval}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

summary() { # label json
    python3 - "$1" "$2" <<'PY'
import json, sys
r = json.loads(sys.argv[2])
sem = r.get("by_tier", {}).get("semantic", {"hits": 0, "false_hits": 0})
print(f"{sys.argv[1]:<34} queries {r['queries']:>6}  hits {r['hits']:>6}  hit_rate {r['hit_rate']:.4f}  "
      f"false_hit_rate {r['false_hit_rate']:.4f}  findable {r['findable']:>6}  recall {r['recall']:.4f}  "
      f"semantic hits {sem['hits']} (false {sem['false_hits']})")
if "curve" in r:
    for p in r["curve"]:
        print(f"    threshold {p['threshold']:.2f}: hit_rate {p['hit_rate']:.4f}  false_hit_rate "
              f"{p['false_hit_rate']:.4f}  recall {p['recall']:.4f}")
PY
}

python3 "$here/semantic_split.py" "$data/qqp_dev.csv" "$work/qqp_a.csv" "$work/qqp_b.csv" 50
for part in a b; do
    f="$work/qqp_$part.csv"
    summary "qqp part $part exact" "$("$ctl" eval --tier exact --data "$f" --json)"
    summary "qqp part $part semantic (target $target)" \
        "$("$ctl" eval --tier semantic --target-false-hit-rate "$target" --data "$f" --json ${CURVE:+--curve})"
done

# banking77: the intent pack induced on one part of each intent's rows... the groups are the
# intents themselves, so split rows by text instead: induce on A, replay B.
python3 - "$data/banking77_train.csv" "$work/b77_train.csv" "$work/b77_test.csv" <<'PY'
import csv, hashlib, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
with open(sys.argv[2], 'w', newline='') as fa, open(sys.argv[3], 'w', newline='') as fb:
    wa, wb = csv.writer(fa), csv.writer(fb)
    wa.writerow(['text', 'label']); wb.writerow(['text', 'label'])
    for r in rows:
        h = int(hashlib.sha256(r['text'].encode()).hexdigest()[:8], 16) % 100
        (wa if h < 50 else wb).writerow([r['text'], r['label']])
PY
"$ctl" rules induce --data "$work/b77_train.csv" --out "$work/b77.pack" >/dev/null
summary "banking77 l0" "$("$ctl" eval --tier l0 --rules "$work/b77.pack" --data "$work/b77_test.csv" --json)"
summary "banking77 chain (target $target)" \
    "$("$ctl" eval --tier chain --rules "$work/b77.pack" --target-false-hit-rate "$target" --data "$work/b77_test.csv" --json)"

"$ctl" rules induce --data "$data/clinc150_train.csv" --out "$work/clinc.pack" >/dev/null
summary "clinc150 val l0" "$("$ctl" eval --tier l0 --rules "$work/clinc.pack" --data "$data/clinc150_val.csv" --json)"
summary "clinc150 val chain (target $target)" \
    "$("$ctl" eval --tier chain --rules "$work/clinc.pack" --target-false-hit-rate "$target" --data "$data/clinc150_val.csv" --json)"
