#!/usr/bin/env python3
"""Precision/recall of the safety detector families on ../shared/data/safety (DEV parts), split
the way the public hold-out parts are split, so that nothing is measured on what it was tuned on.

Every set is cut into five folds by a hash of its unit, the same unit the hold-out split uses:

  set                      unit (as the hold-out)            stricter unit, also reported
  prompt injections        text                              -
  smishing vs ham          text                              -
  phishing URLs            URL                               registrable domain
  credential lines         group of files sharing a line     repository
  PII sentences            template                          -
  PII recognizer cases     text                              test function
  secret test cases        text                              plugin
  toxic tweets             tweet                             -

Learned families: for each fold, a model is trained on the other four (its own threshold folds
keep the unit together too) and the whole scanner, with that model, is measured on the fold;
the five are pooled. Rule families: the scanner is measured fold by fold. Fold 0 is the check
fold: rule changes are made looking at errors on folds 1-4 and on the hand-written sets only,
and the check fold is reported on its own. Macro recall (every unit weighs the same) is given
for PII sentences, where a template with many rows would otherwise hide one that fails.

usage: bench/safety_holdout.py BUILD_DIR [DATA_DIR] [--json FILE] [--only NAME,..]
needs python3 and l0ctl (BUILD_DIR/app/l0ctl).
"""
import collections, csv, hashlib, json, os, re, subprocess, sys, tempfile

args = [a for a in sys.argv[1:]]
json_out = None
only = None
if '--json' in args:
    i = args.index('--json'); json_out = args[i + 1]; del args[i:i + 2]
if '--only' in args:
    i = args.index('--only'); only = set(args[i + 1].split(',')); del args[i:i + 2]
here = os.path.dirname(os.path.abspath(__file__))
build = args[0] if args else os.path.join(here, '..', 'build', 'dev')
data = args[1] if len(args) > 1 else os.path.join(here, '..', '..', 'shared', 'data', 'safety')
tests = os.path.join(here, '..', 'tests', 'data')
ctl = os.path.join(build, 'app', 'l0ctl')
tmp = tempfile.mkdtemp(prefix='l0-safety-')
FOLDS = 5
TARGETS = {  # hold-out targets (precision, recall) from the review-engine issue
    'prompt injections': (0.90, 0.60), 'smishing vs ham': (0.85, 0.60), 'phishing URLs': (0.90, 0.70),
    'credential lines': (0.70, 0.60), 'toxic tweets': (0.95, 0.85), 'PII recognizer cases': (0.90, 0.85),
    'PII sentences': (0.95, 0.90), 'secret test cases': (0.90, 0.85),
}


def fold_of(unit):
    return int(hashlib.sha256(('dev-fold:' + unit).encode()).hexdigest(), 16) % FOLDS


def run(*cmd, stdin=None):
    r = subprocess.run([ctl, *cmd], input=stdin, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f'l0ctl {" ".join(cmd)} failed: {r.stderr}')
    return r.stdout


def flagged(texts, family, profile=None):
    """Whether any detector of the family fires on each text (one l0ctl run)."""
    cmd = ['safety', 'scan', '--json'] + (['--profile', profile] if profile else [])
    out = run(*cmd, stdin=''.join(json.dumps({'text': t}) + '\n' for t in texts)).splitlines()
    assert len(out) == len(texts)
    return [any(f['detector'].startswith(family) for f in json.loads(o)['findings']) for o in out]


def train(rows, kind, key, precision, name):
    path = os.path.join(tmp, name + '.train.jsonl')
    with open(path, 'w') as f:
        for r in rows:
            f.write(json.dumps({'text': r['text'], 'label': r['label'], 'group': r['unit']}) + '\n')
    model = os.path.join(tmp, name + '.model.json')
    run('safety', 'train', '--kind', kind, '--name', key, '--data', path, '--out', model, '--precision',
        str(precision), '--group-field', 'group')
    profile = os.path.join(tmp, name + '.profile.json')
    json.dump({'models': {key: model}}, open(profile, 'w'))
    return profile


class Counts:
    def __init__(self):
        self.tp = self.fp = self.fn = self.tn = 0

    def add(self, flag, positive):
        self.tp += flag and positive
        self.fp += flag and not positive
        self.fn += (not flag) and positive
        self.tn += (not flag) and not positive

    def p(self):
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    def r(self):
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def n(self):
        return self.tp + self.fp + self.fn + self.tn


results = []


def simple(name, unit, rows, flags, macro=False):
    """Hand-written sets: one figure, and recall per kind where rows name one."""
    c = Counts()
    by_unit = collections.defaultdict(Counts)
    for r, fl in zip(rows, flags):
        c.add(fl, str(r['label']) == '1')
        by_unit[r['unit']].add(fl, str(r['label']) == '1')
    line = f'{name:24s} {"(written here)":21s} n={c.n():5d}  all P {c.p():.3f} R {c.r():.3f}'
    if macro:
        line += ' | recall by kind ' + ', '.join(f'{u} {v.r():.2f}' for u, v in sorted(by_unit.items()) if v.tp + v.fn)
    print(line, flush=True)
    results.append({'set': name, 'unit': unit, 'rows': c.n(), 'precision': c.p(), 'recall': c.r(),
                    'by_kind': {u: v.r() for u, v in by_unit.items() if v.tp + v.fn}})


def report(name, unit, rows, flags, macro=False):
    """rows: dicts with label (0/1) and unit; flags: parallel list of bools."""
    per = [Counts() for _ in range(FOLDS)]
    pooled = Counts()
    by_unit = collections.defaultdict(Counts)
    for r, fl in zip(rows, flags):
        positive = str(r['label']) == '1'
        per[fold_of(r['unit'])].add(fl, positive)
        pooled.add(fl, positive)
        by_unit[r['unit']].add(fl, positive)
    tune = Counts()
    for c in per[1:]:
        for k in ('tp', 'fp', 'fn', 'tn'):
            setattr(tune, k, getattr(tune, k) + getattr(c, k))
    target = TARGETS.get(name)
    ps = [c.p() for c in per if c.tp + c.fp]
    rs = [c.r() for c in per if c.tp + c.fn]
    line = (f'{name:24s} by {unit:18s} n={pooled.n():5d}  all P {pooled.p():.3f} R {pooled.r():.3f}'
            f' | folds 1-4 P {tune.p():.3f} R {tune.r():.3f} | check fold 0 P {per[0].p():.3f} R {per[0].r():.3f}'
            f' | fold range P {min(ps, default=0):.2f}-{max(ps, default=0):.2f} R {min(rs, default=0):.2f}-{max(rs, default=0):.2f}')
    entry = {'set': name, 'unit': unit, 'rows': pooled.n(), 'precision': pooled.p(), 'recall': pooled.r(),
             'tune_precision': tune.p(), 'tune_recall': tune.r(), 'check_precision': per[0].p(),
             'check_recall': per[0].r(), 'fold_precision': [c.p() for c in per], 'fold_recall': [c.r() for c in per]}
    if macro:
        recalls = [c.r() for c in by_unit.values() if c.tp + c.fn]
        entry['macro_recall'] = sum(recalls) / len(recalls) if recalls else 0
        entry['units_with_positives'] = len(recalls)
        entry['units_fully_found'] = sum(1 for x in recalls if x == 1.0)
        line += f' | macro R {entry["macro_recall"]:.3f} ({entry["units_fully_found"]}/{len(recalls)} units all found)'
    if target:
        entry['target'] = target
        line += f'  [target {target[0]:.2f}/{target[1]:.2f}]'
    print(line, flush=True)
    results.append(entry)


def learned(name, unit, rows, kind, key, family, precision):
    flags = [False] * len(rows)
    for k in range(FOLDS):
        train_rows = [r for r in rows if fold_of(r['unit']) != k]
        test_idx = [i for i, r in enumerate(rows) if fold_of(r['unit']) == k]
        profile = train(train_rows, kind, key, precision, f'{key}-{unit}-{k}')
        for i, fl in zip(test_idx, flagged([rows[i]['text'] for i in test_idx], family, profile)):
            flags[i] = fl
    report(name, unit, rows, flags)


def rules(name, unit, rows, family, macro=False):
    report(name, unit, rows, flagged([r['text'] for r in rows], family), macro)


def read_csv(path):
    return list(csv.DictReader(open(path, newline='', encoding='utf-8')))


def read_jsonl(path):
    return [json.loads(l) for l in open(path, encoding='utf-8') if l.strip()]


def norm(t):
    return ''.join(t.split())  # the text without white space, as the training folds merge rows


def registrable(url):
    host = re.sub(r'^[a-z][a-z0-9+.-]*://', '', url.lower()).split('/')[0].split('?')[0].split('@')[-1].split(':')[0]
    labels = [x for x in host.split('.') if x]
    if len(labels) >= 3 and '.'.join(labels[-2:]) in ('co.uk', 'com.au', 'co.jp', 'com.br', 'co.in', 'com.cn'):
        return '.'.join(labels[-3:])
    return '.'.join(labels[-2:]) if labels else url


def file_groups(rows):
    """Files that share an identical (whitespace-stripped) line form one unit, as in the hold-out split."""
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    first = {}
    for r in rows:
        f = r['repo'] + '/' + r['file']
        find(f)
        k = ''.join(r['text'].split())
        if k in first:
            parent[find(f)] = find(first[k])
        else:
            first[k] = f
    members = collections.defaultdict(list)
    for f in list(parent):
        members[find(f)].append(f)
    return {f: min(members[find(f)]) for f in parent}


def want(name):
    return only is None or name in only


D = data
if want('injection'):
    rows = [{'text': r['text'], 'label': r['label'], 'unit': norm(r['text'])}
            for r in read_csv(f'{D}/injection_deepset/prompt_injections.csv')]
    learned('prompt injections', 'text', rows, 'text', 'injection', 'injection.', 0.93)
if want('smishing'):
    rows = [{'text': r['text'], 'label': '1' if r['label'] == 'smishing' else '0', 'unit': norm(r['text'])}
            for r in read_csv(f'{D}/phishing_sms_mishra/sms.csv') if r['label'] in ('ham', 'smishing')]
    learned('smishing vs ham', 'text', rows, 'text', 'smishing', 'phishing.', 0.93)
if want('urls'):
    src = read_csv(f'{D}/phishing_urls_hannousse/urls.csv')
    rows = [{'text': r['url'], 'label': '1' if r['status'] == 'phishing' else '0', 'unit': r['url']} for r in src]
    learned('phishing URLs', 'URL', rows, 'url', 'phishing_url', 'phishing.', 0.97)
    rows = [dict(r, unit=registrable(r['text'])) for r in rows]
    learned('phishing URLs', 'domain', rows, 'url', 'phishing_url', 'phishing.', 0.97)
if want('credentials'):
    src = read_jsonl(f'{D}/secrets_creddata/creddata_lines.jsonl')
    groups = file_groups(src)
    rows = [{'text': j['text'], 'label': j['label'], 'unit': groups[j['repo'] + '/' + j['file']]} for j in src]
    learned('credential lines', 'file group', rows, 'line', 'credential_line', 'secret.', 0.85)
    rows = [dict(r, unit=j['repo']) for r, j in zip(rows, src)]
    learned('credential lines', 'repository', rows, 'line', 'credential_line', 'secret.', 0.85)
if want('toxicity'):
    rows = [{'text': r['tweet'], 'label': '1' if r['class'] in ('0', '1') else '0', 'unit': r['tweet']}
            for r in read_csv(f'{D}/toxicity_davidson/labeled_data.csv')]
    rules('toxic tweets', 'tweet', rows, 'toxicity.')
if want('pii'):
    src = read_jsonl(f'{D}/pii_presidio_cases/recognizer_cases.jsonl')
    rows = [{'text': j['text'], 'label': j['label'], 'unit': j['text']} for j in src]
    rules('PII recognizer cases', 'text', rows, 'pii.')
    rows = [dict(r, unit=j['source'] + ':' + j['test']) for r, j in zip(rows, src)]
    rules('PII recognizer cases', 'test function', rows, 'pii.', macro=True)
    ours = {'EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD', 'IBAN_CODE', 'US_SSN', 'IP_ADDRESS'}
    rows = [{'text': j['full_text'], 'label': '1' if any(s['entity_type'] in ours for s in j['spans']) else '0',
             'unit': 'template:' + str(j['template_id'])}
            for j in read_jsonl(f'{D}/pii_presidio_synth/synth_dataset_v2.jsonl')]
    rules('PII sentences', 'template', rows, 'pii.', macro=True)
if want('secrets'):
    src = read_jsonl(f'{D}/secrets_detectsecrets_cases/plugin_cases.jsonl')
    rows = [{'text': j['text'], 'label': j['label'], 'unit': j['text']} for j in src]
    rules('secret test cases', 'text', rows, 'secret.')
    rows = [dict(r, unit=j['plugin']) for r, j in zip(rows, src)]
    rules('secret test cases', 'plugin', rows, 'secret.', macro=True)
if want('handwritten'):
    # Written by this project (no public labelled set covers them): see tests/data/README.md.
    for name, file, family, kind in (('PII free text (ours)', 'pii_free_text.jsonl', 'pii.', 'kind'),
                                     ('PII check set (ours)', 'pii_free_text_check.jsonl', 'pii.', None),
                                     ('credential lines (ours)', 'credential_lines.jsonl', 'secret.', None),
                                     ('credential check (ours)', 'credential_lines_check.jsonl', 'secret.', None),
                                     ('time-sensitive (ours)', 'time_sensitive.jsonl', 'time.', None)):
        path = os.path.join(tests, file)
        if os.path.exists(path):
            src = read_jsonl(path)
            rows = [{'text': j['text'], 'label': j['label'], 'unit': j.get(kind, 'all') if kind else j['text']}
                    for j in src]
            simple(name, kind or 'row', rows, flagged([r['text'] for r in rows], family), macro=bool(kind))

if json_out:
    json.dump(results, open(json_out, 'w'), indent=1)
