#!/usr/bin/env python3
"""DEV sets for the intent tier's out-of-scope and calibration checks.

Writes replay CSVs (header text,label; empty label = out of scope) into OUT_DIR, each a
train/eval pair where nothing measured was trained on:

  clinc_a_train.csv   clinc150 train + oos_train            (the shipped eval/clinc150_train.csv)
  clinc_a_mixNN_sS    clinc150 val + oos_val,  NN% out of scope, draw S
  clinc_b_train.csv   clinc150 train only (no out-of-scope rows at all)
  clinc_b_mixNN_sS    clinc150 val + oos_val + oos_train, NN% out of scope, draw S
  clinc_d_train_X     clinc150 train without domain X's intents (and no out-of-scope rows)
  clinc_d_mixNN_X     clinc150 val of the other domains + val of domain X as out of scope
  bank_train.csv      four fifths of banking77 train (by a hash of the text)
  bank_mixNN_sS       the other fifth + out of scope taken from clinc150 (oos_val, oos_train
                      and val queries of domains unrelated to banking)

Mixes with a share of 3, 20 and 50%. Deterministic (seeded). Usage:
  bench/intent_dev_sets.py [--shared ../shared/data] [--out /tmp/l0dev] [--draws 3]
"""
import argparse
import csv
import hashlib
import json
import os
import random

SHARES = (3, 20, 50)


def write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["text", "label"])
        for text, label in rows:
            w.writerow([text, label])


def mix(inscope, oos, share, rng):
    """As many rows as the smaller side allows, with `share` percent out of scope."""
    p = share / 100.0
    n_in = len(inscope)
    n_oos = round(n_in * p / (1 - p))
    if n_oos > len(oos):
        n_oos = len(oos)
        n_in = round(n_oos * (1 - p) / p)
    rows = rng.sample(inscope, n_in) + rng.sample(oos, n_oos)
    rng.shuffle(rows)
    return rows


def fifth(text):
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 5


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--shared", default=os.path.join(here, "..", "..", "shared", "data"))
    ap.add_argument("--out", default="/tmp/l0dev")
    ap.add_argument("--draws", type=int, default=3)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    d = json.load(open(os.path.join(a.shared, "clinc150", "data_full_dev.json")))
    domains = json.load(open(os.path.join(a.shared, "clinc150", "domains.json")))
    train = [(t, l) for t, l in d["train"]]
    val = [(t, l) for t, l in d["val"]]
    oos_train = [(t, "") for t, _ in d["oos_train"]]
    oos_val = [(t, "") for t, _ in d["oos_val"]]

    write(os.path.join(a.out, "clinc_a_train.csv"), train + oos_train)
    write(os.path.join(a.out, "clinc_b_train.csv"), train)
    write(os.path.join(a.out, "clinc_a_full.csv"), val + oos_val)
    write(os.path.join(a.out, "clinc_b_full.csv"), val + oos_val + oos_train)
    for share in SHARES:
        for s in range(a.draws):
            rng = random.Random(1000 * share + s)
            write(os.path.join(a.out, f"clinc_a_mix{share:02d}_s{s}.csv"), mix(val, oos_val, share, rng))
            write(os.path.join(a.out, f"clinc_b_mix{share:02d}_s{s}.csv"), mix(val, oos_val + oos_train, share, rng))

    # Leave one domain out: its queries are out of scope for a pack that never saw them.
    for held in ("travel", "kitchen_and_dining", "utility"):
        out_intents = set(domains[held])
        write(os.path.join(a.out, f"clinc_d_train_{held}.csv"), [r for r in train if r[1] not in out_intents])
        ins = [r for r in val if r[1] not in out_intents]
        oos = [(t, "") for t, l in val if l in out_intents]
        for share in SHARES:
            rng = random.Random(7 * share + len(held))
            write(os.path.join(a.out, f"clinc_d_mix{share:02d}_{held}.csv"), mix(ins, oos, share, rng))

    bank = list(csv.reader(open(os.path.join(a.shared, "eval", "banking77_train.csv"), encoding="utf-8")))[1:]
    bank_train = [(t, l) for t, l in bank if fifth(t) != 0]
    bank_test = [(t, l) for t, l in bank if fifth(t) == 0]
    write(os.path.join(a.out, "bank_train.csv"), bank_train)
    unrelated = {i for dom in ("travel", "kitchen_and_dining", "home", "auto_and_commute", "utility", "small_talk")
                 for i in domains[dom]}
    bank_oos = oos_val + oos_train + [(t, "") for t, l in val if l in unrelated]
    write(os.path.join(a.out, "bank_full.csv"), bank_test + bank_oos)
    for share in SHARES:
        for s in range(a.draws):
            rng = random.Random(5000 + 1000 * share + s)
            write(os.path.join(a.out, f"bank_mix{share:02d}_s{s}.csv"), mix(bank_test, bank_oos, share, rng))
    print(f"wrote DEV sets to {a.out}: clinc val {len(val)}, oos {len(oos_val)}+{len(oos_train)}, "
          f"banking train {len(bank_train)} / test {len(bank_test)} / oos {len(bank_oos)}")


if __name__ == "__main__":
    main()
