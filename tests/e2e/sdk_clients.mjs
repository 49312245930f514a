// Drives l0-node with the official openai package, as an application would.
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { execFileSync } from 'node:child_process';

const baseURL = process.env.L0_BASE_URL;
const ctl = (...args) => execFileSync(process.env.L0_CTL, ['--db', process.env.L0_DB, ...args], { encoding: 'utf8' });
const client = new OpenAI({ apiKey: process.env.L0_KEY, baseURL, maxRetries: 0 });
let passed = 0, failed = 0;
const check = (name, cond, detail = '') => {
  if (cond) { passed++; console.log(`ok - ${name}`); } else { failed++; console.log(`FAIL - ${name} ${detail}`); }
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const upstreamCalls = async () => {
  const text = await (await fetch(baseURL.replace('/v1', '/metrics'))).text();
  return Number(/^l0_simulated_upstream_calls_total (\d+)$/m.exec(text)[1]);
};
const waitQueued = async (needle) => {
  for (let i = 0; i < 100; i++) {
    const item = JSON.parse(ctl('queue', 'list', '--json')).find((q) => q.query.includes(needle));
    if (item) return item;
    await sleep(100);
  }
  throw new Error(`no candidate for ${needle}`);
};

const params = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You answer billing questions.' },
    { role: 'user', content: 'How do I download last month\'s invoice?' },
  ],
  temperature: 0,
};

// 1. Non-stream miss, then approve, then an identical request is a hit with no upstream call.
const { data: first, response: r1 } = await client.chat.completions.create(params).withResponse();
check('miss answered', first.choices[0].message.content.length > 0);
check('miss header', r1.headers.get('x-l0-cache') === 'miss');
check('usage reported', first.usage.prompt_tokens > 0 && first.usage.completion_tokens > 0);
const item = await waitQueued("last month's invoice");
ctl('approve', `${item.id}@${item.version}`);
let hit = null, hitResponse = null;
for (let i = 0; i < 100 && (!hitResponse || hitResponse.headers.get('x-l0-cache') !== 'hit'); i++) {
  await sleep(100);
  ({ data: hit, response: hitResponse } = await client.chat.completions.create(params).withResponse());
}
check('hit after approval', hitResponse.headers.get('x-l0-cache') === 'hit');
const before = await upstreamCalls();
const { data: again, response: r3 } = await client.chat.completions.create(params).withResponse();
check('second identical request is a hit', r3.headers.get('x-l0-cache') === 'hit');
check('hit made no upstream call', (await upstreamCalls()) === before, `calls ${before} -> ${await upstreamCalls()}`);
check('hit body equals the miss body', JSON.stringify(again.choices[0].message) === JSON.stringify(first.choices[0].message)
  && again.choices[0].finish_reason === first.choices[0].finish_reason && again.model === first.model);

// 2. The same request streamed replays the cached answer through the SDK's SSE parser.
const stream = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
let streamed = '', usage = null, finish = null;
for await (const chunk of stream) {
  for (const c of chunk.choices) { streamed += c.delta?.content ?? ''; finish = c.finish_reason ?? finish; }
  if (chunk.usage) usage = chunk.usage;
}
check('cached stream text equals the answer', streamed === first.choices[0].message.content);
check('cached stream finish and usage', finish === 'stop' && usage && usage.completion_tokens > 0);
check('cached stream made no upstream call', (await upstreamCalls()) === before);

// 3. A streamed miss, approved, replays identically as a stream.
const sparams = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Stream me a haiku about caches' }], stream: true };
let missText = '';
for await (const chunk of await client.chat.completions.create(sparams)) missText += chunk.choices[0]?.delta?.content ?? '';
check('stream miss text', missText.startsWith('Simulated answer'));
const sitem = await waitQueued('haiku about caches');
ctl('approve', String(sitem.id));
let replayText = '', isHit = false;
for (let i = 0; i < 100 && !isHit; i++) {
  await sleep(100);
  const { data: s, response } = await client.chat.completions.create(sparams).withResponse();
  isHit = response.headers.get('x-l0-cache') === 'hit';
  replayText = '';
  for await (const chunk of s) replayText += chunk.choices[0]?.delta?.content ?? '';
}
check('stream hit after approval', isHit);
check('stream hit text equals the streamed miss', replayText === missText);

// 4. Errors come back as the SDK's typed errors.
try {
  await new OpenAI({ apiKey: 'l0-wrong', baseURL, maxRetries: 0 }).chat.completions.create(params);
  check('wrong key rejected', false);
} catch (e) {
  check('wrong key rejected', e instanceof OpenAI.AuthenticationError && e.status === 401, String(e));
}
try {
  await client.chat.completions.create({ model: 'gpt-4o-mini', messages: 'nope' });
  check('bad request rejected', false);
} catch (e) {
  check('bad request rejected', e instanceof OpenAI.BadRequestError && e.status === 400, String(e));
}
const models = await client.models.list();
check('models listed', models.data.length > 0);

// 5. The official Anthropic client against /v1/messages: miss, approval, hit, streamed replay.
const anthropic = new Anthropic({ apiKey: process.env.L0_KEY, baseURL: baseURL.replace(/\/v1$/, ''), maxRetries: 0 });
const aparams = { model: 'claude-3-5-haiku-latest', max_tokens: 256, system: 'You are terse.',
  messages: [{ role: 'user', content: 'What are your opening hours?' }] };
const { data: amiss, response: ar1 } = await anthropic.messages.create(aparams).withResponse();
check('anthropic miss', ar1.headers.get('x-l0-cache') === 'miss' && amiss.type === 'message' && amiss.content[0].type === 'text');
check('anthropic usage', amiss.usage.input_tokens > 0 && amiss.usage.output_tokens > 0 && amiss.stop_reason === 'end_turn');
const aitem = await waitQueued('opening hours');
ctl('approve', String(aitem.id));
let ahit = null, ahitResponse = null;
for (let i = 0; i < 100 && (!ahitResponse || ahitResponse.headers.get('x-l0-cache') !== 'hit'); i++) {
  await sleep(100);
  ({ data: ahit, response: ahitResponse } = await anthropic.messages.create(aparams).withResponse());
}
check('anthropic hit after approval', ahitResponse.headers.get('x-l0-cache') === 'hit');
check('anthropic hit equals miss', ahit.content[0].text === amiss.content[0].text && ahit.model === amiss.model);
const astream = anthropic.messages.stream(aparams);
let atext = '';
astream.on('text', (t) => { atext += t; });
const afinal = await astream.finalMessage();
check('anthropic streamed replay', atext === amiss.content[0].text && afinal.stop_reason === 'end_turn');
try {
  await new Anthropic({ apiKey: 'l0-wrong', baseURL: baseURL.replace(/\/v1$/, ''), maxRetries: 0 }).messages.create(aparams);
  check('anthropic wrong key rejected', false);
} catch (e) {
  check('anthropic wrong key rejected', e instanceof Anthropic.AuthenticationError, String(e));
}
try {
  await anthropic.messages.create({ model: 'x', messages: [{ role: 'user', content: 'hi' }] });
  check('anthropic missing max_tokens rejected', false);
} catch (e) {
  check('anthropic missing max_tokens rejected', e instanceof Anthropic.BadRequestError && /max_tokens/.test(e.message), String(e));
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
