// JWTs instead of API keys, made with `jose` and sent by the official SDKs as their API key.
//   node jwt.mjs setup DIR   makes the keys (JWKS, a PEM key) in DIR, and the private halves
//   node jwt.mjs test DIR    drives the node at L0_URL with tokens signed by them
//   node jwt.mjs token DIR   prints a good RS256 token (kid rsa-1)
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import * as jose from 'jose';
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

const [mode, dir] = process.argv.slice(2);
const ISSUER = 'https://idp.e2e.invalid/';
const AUDIENCE = 'l0-cache';

const writeJwks = async (file, entries) => {
  const keys = [];
  for (const { key, kid, alg } of entries) keys.push({ ...(await jose.exportJWK(key)), kid, alg, use: 'sig' });
  // Written beside and renamed over, as a deployment would rotate it.
  writeFileSync(`${file}.tmp`, JSON.stringify({ keys }, null, 2));
  renameSync(`${file}.tmp`, file);
};

if (mode === 'setup') {
  const rsa = await jose.generateKeyPair('RS256', { extractable: true });
  const ed = await jose.generateKeyPair('EdDSA', { extractable: true });
  const pemRsa = await jose.generateKeyPair('RS256', { extractable: true });
  await writeJwks(`${dir}/jwks.json`, [
    { key: rsa.publicKey, kid: 'rsa-1', alg: 'RS256' },
    { key: ed.publicKey, kid: 'ed-1', alg: 'EdDSA' },
  ]);
  writeFileSync(`${dir}/keys.pem`, await jose.exportSPKI(pemRsa.publicKey));
  const priv = {};
  for (const [name, pair] of Object.entries({ rsa, ed, pemRsa })) {
    priv[name] = await jose.exportJWK(pair.privateKey);
    priv[`${name}Public`] = await jose.exportJWK(pair.publicKey);
  }
  writeFileSync(`${dir}/private.json`, JSON.stringify(priv));
  process.exit(0);
}

const base = process.env.L0_URL;
const baseURL = `${base}/v1`;
const priv = JSON.parse(readFileSync(`${dir}/private.json`, 'utf8'));
const keyOf = (name, alg) => jose.importJWK(priv[name], alg);
const secret = new TextEncoder().encode(process.env.L0_E2E_JWT_SECRET);
const ctl = (...args) => execFileSync(process.env.L0_CTL, ['--db', process.env.L0_DB, ...args], { encoding: 'utf8' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let failed = 0;
const check = (name, ok, detail = '') => {
  console.log(`${ok ? 'ok' : 'FAIL'} - ${name}${ok ? '' : ' ' + detail}`);
  if (!ok) failed++;
};

// A token as an identity provider would issue it; `opts` changes what a test needs changed.
const sign = async ({ alg = 'RS256', kid, key, claims = {}, exp = '5m', aud = AUDIENCE, iss = ISSUER, sub = 'alice' } = {}) => {
  const header = { alg, typ: 'JWT' };
  if (kid) header.kid = kid;
  const jwt = new jose.SignJWT({ l0_tenant: 'acme', ...claims }).setProtectedHeader(header).setIssuedAt();
  if (exp !== null) jwt.setExpirationTime(exp);
  if (aud !== null) jwt.setAudience(aud);
  if (iss !== null) jwt.setIssuer(iss);
  if (sub !== null) jwt.setSubject(sub);
  return jwt.sign(key ?? (alg === 'HS256' ? secret : await keyOf(alg === 'EdDSA' ? 'ed' : 'rsa', alg)));
};

const chatParams = (prompt) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }], temperature: 0 });
const openai = (token, headers = {}) => new OpenAI({ apiKey: token, baseURL, maxRetries: 0, defaultHeaders: headers });
const askOpenAi = (token, prompt, headers) => openai(token, headers).chat.completions.create(chatParams(prompt));
const askClaude = (client, prompt) =>
  client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: prompt }] });

// Every refused token: a 401 in each client's own error shape, saying what was wrong.
const refused = async (name, token, why) => {
  try {
    await askOpenAi(token, `refused ${name}`);
    check(`${name}: openai refused`, false, 'answered');
  } catch (e) {
    check(`${name}: openai.AuthenticationError`, e instanceof OpenAI.AuthenticationError && e.status === 401,
      `${e?.constructor?.name} ${e?.status}`);
    check(`${name}: openai error says '${why}'`, String(e.error?.message ?? '').includes(why), e.error?.message);
    check(`${name}: the message does not echo the token`, !String(e.error?.message).includes(token.split('.')[1]));
  }
  try {
    await askClaude(new Anthropic({ apiKey: token, baseURL: base, maxRetries: 0 }), `refused ${name}`);
    check(`${name}: anthropic refused`, false, 'answered');
  } catch (e) {
    check(`${name}: Anthropic.AuthenticationError`, e instanceof Anthropic.AuthenticationError && e.status === 401,
      `${e?.constructor?.name} ${e?.status}`);
    check(`${name}: anthropic error shape`, e.error?.type === 'error' && e.error?.error?.type === 'authentication_error'
      && String(e.error?.error?.message).includes(why), JSON.stringify(e.error));
  }
};

if (mode === 'token') {
  process.stdout.write(await sign({ kid: 'rsa-1', sub: 'flagged' }));
  process.exit(0);
}

// 1. Good tokens, each algorithm and key source, through both SDKs and both Anthropic headers.
const rsToken = await sign({ kid: 'rsa-1' });
const r1 = await askOpenAi(rsToken, 'JWT asks: what are your opening hours?');
check('RS256 (JWKS kid) through openai', r1.choices[0].message.content.length > 0);
const edToken = await sign({ alg: 'EdDSA', kid: 'ed-1', sub: 'bob' });
const r2 = await askOpenAi(edToken, 'JWT asks: where is my parcel?');
check('EdDSA (JWKS kid) through openai', r2.choices[0].message.content.length > 0);
const pemToken = await sign({ key: await keyOf('pemRsa', 'RS256'), sub: 'carol' });
const r3 = await askOpenAi(pemToken, 'JWT asks: how do I change my address?');
check('RS256 (PEM keys_file, no kid) through openai', r3.choices[0].message.content.length > 0);
const hsToken = await sign({ alg: 'HS256', sub: 'dave' });
const r4 = await askOpenAi(hsToken, 'JWT asks: can I pay by invoice?');
check('HS256 (secret from the environment) through openai', r4.choices[0].message.content.length > 0);
const c1 = await askClaude(new Anthropic({ apiKey: edToken, baseURL: base, maxRetries: 0 }), 'JWT asks Claude, x-api-key');
check('EdDSA through @anthropic-ai/sdk apiKey (x-api-key)', c1.content[0].text.length > 0);
const c2 = await askClaude(new Anthropic({ authToken: rsToken, apiKey: null, baseURL: base, maxRetries: 0 }),
  'JWT asks Claude, bearer');
check('RS256 through @anthropic-ai/sdk authToken (Authorization: Bearer)', c2.content[0].text.length > 0);
const viaKey = await askOpenAi(process.env.L0_KEY, 'API key asks: is the key path still there?');
check('API keys still work beside JWTs', viaKey.choices[0].message.content.length > 0);

// 2. Tokens that must not pass.
const now = Math.floor(Date.now() / 1000);
await refused('expired', await sign({ kid: 'rsa-1', exp: now - 3600 }), 'expired');
await refused('wrong audience', await sign({ kid: 'rsa-1', aud: 'another-service' }), 'wrong audience');
await refused('wrong issuer', await sign({ kid: 'rsa-1', iss: 'https://evil.invalid/' }), 'wrong issuer');
const stranger = await jose.generateKeyPair('RS256');
await refused('wrong signature', await sign({ kid: 'rsa-1', key: stranger.privateKey }), 'bad signature');
const goodParts = rsToken.split('.');
const forged = jose.base64url.encode(JSON.stringify({ l0_tenant: 'beta', sub: 'mallory', aud: AUDIENCE, iss: ISSUER, exp: now + 300 }));
await refused('tampered payload', `${goodParts[0]}.${forged}.${goodParts[2]}`, 'bad signature');
const unsecured = new jose.UnsecuredJWT({ l0_tenant: 'acme', sub: 'mallory' }).setIssuer(ISSUER).setAudience(AUDIENCE)
  .setExpirationTime('5m').encode();
await refused('alg none', unsecured, "alg 'none'");
// Key confusion: HS256 with the RSA public key (as PEM, as the JWKS serves it) for the secret.
const rsaPem = await jose.exportSPKI(await jose.importJWK(priv.rsaPublic, 'RS256'));
await refused('key confusion (HS256 signed with the RSA public key PEM)',
  await sign({ alg: 'HS256', kid: 'rsa-1', key: new TextEncoder().encode(rsaPem) }), 'bad signature');
await refused('unknown kid', await sign({ alg: 'EdDSA', kid: 'ed-404' }), 'unknown kid');
await refused('unknown tenant', await sign({ kid: 'rsa-1', claims: { l0_tenant: 'nobody' } }), 'unknown tenant');
await refused('no exp', await sign({ kid: 'rsa-1', exp: null }), 'no exp');

// The 401 tells a bearer-token client what kind of failure it was.
const raw = await fetch(`${baseURL}/chat/completions`, {
  method: 'POST', headers: { authorization: `Bearer ${unsecured}`, 'content-type': 'application/json' },
  body: JSON.stringify(chatParams('raw')),
});
check('WWW-Authenticate: Bearer error="invalid_token"', raw.status === 401
  && raw.headers.get('www-authenticate') === 'Bearer error="invalid_token"', `${raw.status} ${raw.headers.get('www-authenticate')}`);

// 3. A namespace claim pins the namespace: the candidate is filed there, and naming another is refused.
const pinned = await sign({ kid: 'rsa-1', sub: 'erin', claims: { l0_namespace: 'pinned-ns' } });
const prompt = 'JWT with a namespace asks: do you ship abroad?';
await askOpenAi(pinned, prompt);
let item;
for (let i = 0; i < 100 && !item; i++) {
  item = JSON.parse(ctl('queue', 'list', '--json')).find((q) => String(q.query).includes('do you ship abroad'));
  if (!item) await sleep(100);
}
check('namespace claim: the candidate is in the pinned namespace', item?.namespace === 'pinned-ns', JSON.stringify(item));
try {
  await askOpenAi(pinned, prompt, { 'x-l0-namespace': 'elsewhere' });
  check('namespace claim: another x-l0-namespace is refused', false, 'answered');
} catch (e) {
  check('namespace claim: another x-l0-namespace is refused', e instanceof OpenAI.PermissionDeniedError,
    `${e?.constructor?.name} ${e?.status}`);
}

// 4. Rotation: a new key in the JWKS file is picked up without a restart; the removed one stops working.
const ed2 = await jose.generateKeyPair('EdDSA', { extractable: true });
const rotated = await sign({ alg: 'EdDSA', kid: 'ed-2', key: ed2.privateKey, sub: 'frank' });
await refused('before rotation, the new kid', rotated, 'unknown kid');
await writeJwks(`${dir}/jwks.json`, [
  { key: await jose.importJWK(priv.rsaPublic, 'RS256'), kid: 'rsa-1', alg: 'RS256' },
  { key: ed2.publicKey, kid: 'ed-2', alg: 'EdDSA' },
]);
let rotatedOk = false;
for (let i = 0; i < 50 && !rotatedOk; i++) {
  try {
    await askOpenAi(rotated, 'JWT after rotation asks: what is new?');
    rotatedOk = true;
  } catch {
    await sleep(100);
  }
}
check('JWKS rewritten with a new key: accepted without a restart', rotatedOk);
await refused('after rotation, the removed kid', await sign({ alg: 'EdDSA', kid: 'ed-1' }), 'unknown kid');

console.log(failed ? `jwt.mjs: ${failed} failed` : 'jwt.mjs: all passed');
process.exit(failed ? 1 : 0);
