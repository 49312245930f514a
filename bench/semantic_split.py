#!/usr/bin/env python3
"""Splits a labelled replay CSV (text,label) into two parts by label group, keeping row order:
a row goes to part A when int(sha256(label or text)[:8], 16) % 100 < PERCENT, else to part B.
Rows of one label group always land in the same part, so a part's duplicates are its own.
Usage: semantic_split.py IN.csv OUT_A.csv OUT_B.csv [PERCENT=50]"""
import csv
import hashlib
import sys


def main():
    src, out_a, out_b = sys.argv[1:4]
    percent = int(sys.argv[4]) if len(sys.argv) > 4 else 50
    with open(src, newline='', encoding='utf-8') as f, \
            open(out_a, 'w', newline='', encoding='utf-8') as fa, \
            open(out_b, 'w', newline='', encoding='utf-8') as fb:
        reader = csv.DictReader(f)
        wa, wb = csv.writer(fa), csv.writer(fb)
        wa.writerow(['text', 'label'])
        wb.writerow(['text', 'label'])
        for row in reader:
            group = row['label'] or row['text']
            h = int(hashlib.sha256(group.encode('utf-8')).hexdigest()[:8], 16) % 100
            (wa if h < percent else wb).writerow([row['text'], row['label']])


if __name__ == '__main__':
    main()
