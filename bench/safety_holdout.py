#!/usr/bin/env python3
"""Honest precision/recall of the safety detector families on ../shared/data/safety.

Learned detectors are trained on 4/5 of each DEV set and measured, through the whole scanner,
on the other 1/5 (split by hash of the same unit the public hold-out uses: row, template or
file group). Rule-only families are measured on the whole DEV set. Needs python3 and l0ctl.

usage: bench/safety_holdout.py BUILD_DIR [DATA_DIR]
"""
import csv, hashlib, json, os, subprocess, sys, tempfile

build = sys.argv[1] if len(sys.argv) > 1 else 'build/dev'
data = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'data', 'safety')
ctl = os.path.join(build, 'app', 'l0ctl')
tmp = tempfile.mkdtemp(prefix='l0-safety-')

def bucket(key):
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % 5

def write_jsonl(path, rows):
    with open(path, 'w') as f:
        for text, label, group in rows:
            f.write(json.dumps({'text': text, 'label': label, 'group': group}) + '\n')

def run(*args):
    r = subprocess.run([ctl, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f'l0ctl {" ".join(args)} failed: {r.stderr}')
    return r.stdout

def evaluate(name, path, family, profile=None):
    args = ['safety', 'eval', '--family', family, '--data', path, '--json']
    if profile:
        args += ['--profile', profile]
    r = json.loads(run(*args))
    print(f'{name:34s} n={r["rows"]:5d} precision {r["precision"]:.3f} recall {r["recall"]:.3f}')
    return r

def learned(name, rows, kind, model_key, family, precision, group_by_field=False):
    train = [r for r in rows if bucket(r[2]) != 0]
    test = [r for r in rows if bucket(r[2]) == 0]
    tr, te = os.path.join(tmp, name + '.train.jsonl'), os.path.join(tmp, name + '.test.jsonl')
    write_jsonl(tr, train)
    write_jsonl(te, test)
    model = os.path.join(tmp, name + '.model.json')
    args = ['safety', 'train', '--kind', kind, '--name', model_key, '--data', tr, '--out', model,
            '--precision', str(precision)]
    if group_by_field:
        args += ['--group-field', 'group']
    print('  ' + run(*args).strip())
    profile = os.path.join(tmp, name + '.profile.json')
    json.dump({'models': {model_key: model}}, open(profile, 'w'))
    return evaluate(name + ' (held-out fifth)', te, family, profile)

def read_csv(path):
    return list(csv.DictReader(open(path, newline='', encoding='utf-8')))

def read_jsonl(path):
    return [json.loads(l) for l in open(path, encoding='utf-8') if l.strip()]

D = data
rows = [(r['text'], r['label'], r['text']) for r in read_csv(f'{D}/injection_deepset/prompt_injections.csv')]
learned('prompt injections', rows, 'text', 'injection', 'injection.', 0.93)
rows = [(r['text'], '1' if r['label'] == 'smishing' else '0', r['text'])
        for r in read_csv(f'{D}/phishing_sms_mishra/sms.csv') if r['label'] in ('ham', 'smishing')]
learned('smishing sms (vs ham)', rows, 'text', 'smishing', 'phishing.', 0.93)
rows = [(r['url'], '1' if r['status'] == 'phishing' else '0', r['url'])
        for r in read_csv(f'{D}/phishing_urls_hannousse/urls.csv')]
learned('phishing urls', rows, 'url', 'phishing_url', 'phishing.', 0.97)
rows = [(j['text'], str(j['label']), j['repo'] + '/' + j['file'])
        for j in read_jsonl(f'{D}/secrets_creddata/creddata_lines.jsonl')]
learned('credential lines', rows, 'line', 'credential_line', 'secret.', 0.9, group_by_field=True)

evaluate('toxic tweets (whole DEV)', f'{D}/toxicity_davidson/labeled_data.csv', 'toxicity.') if False else None
tox = os.path.join(tmp, 'tox.jsonl')
write_jsonl(tox, [(r['tweet'], '1' if r['class'] in ('0', '1') else '0', '')
                  for r in read_csv(f'{D}/toxicity_davidson/labeled_data.csv')])
evaluate('toxic tweets (whole DEV)', tox, 'toxicity.')
evaluate('pii recognizer cases (whole DEV)', f'{D}/pii_presidio_cases/recognizer_cases.jsonl', 'pii.')
ours = {'EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD', 'IBAN_CODE', 'US_SSN', 'IP_ADDRESS'}
pii = os.path.join(tmp, 'pii.jsonl')
write_jsonl(pii, [(j['full_text'], '1' if any(s['entity_type'] in ours for s in j['spans']) else '0', '')
                  for j in read_jsonl(f'{D}/pii_presidio_synth/synth_dataset_v2.jsonl')])
evaluate('pii sentences, our types (whole DEV)', pii, 'pii.')
evaluate('secret test cases (whole DEV)', f'{D}/secrets_detectsecrets_cases/plugin_cases.jsonl', 'secret.')
