// Sustained load of distinct gpt-4o questions through the official openai SDK; once a third
// of them have been answered, the first upstream of the chain (L0_KILL_PID) is killed -9.
// Every request must still get a whole answer, but for streams already under way (see below).
// Writes a summary (answers per model, how many were sent after the kill, streams cut, the
// first upstream's call count just before it) as JSON to L0_SUMMARY, for the shell side to
// compare with the ledger and the upstreams' counts.
import OpenAI from 'openai';
import { writeFileSync } from 'node:fs';

const total = Number(process.env.L0_TOTAL ?? 400);
const concurrency = Number(process.env.L0_CONCURRENCY ?? 16);
const killPid = Number(process.env.L0_KILL_PID);
// No SDK retries: a failure must show, not be hidden by a second try.
const openai = new OpenAI({ apiKey: process.env.L0_KEY, baseURL: `${process.env.L0_URL}/v1`,
  maxRetries: 0, timeout: 20000 });

let failed = 0;
const check = (name, ok, detail = '') => {
  console.log(`${ok ? 'ok' : 'FAIL'} - ${name}${ok ? '' : ' ' + detail}`);
  if (!ok) failed++;
};

let killing = false;
let killed = false;
let done = 0;
let callsBeforeKill = -1;
const results = [];

async function ask(i) {
  // Every fourth one is streamed; the number makes each question a distinct miss.
  const stream = i % 4 === 0;
  const sentAfterKill = killed;
  const request = { model: 'gpt-4o', stream,
    messages: [{ role: 'user', content: `Failover question number ${i}: what is ${i} plus ${i}?` }] };
  const r = { i, stream, sentAfterKill, status: 0, model: '', header: '', text: '', finish: '', error: '' };
  try {
    const { data, response } = await openai.chat.completions.create(request).withResponse();
    r.status = response.status;
    r.header = response.headers.get('x-l0-model') ?? '';
    if (stream) {
      for await (const chunk of data) {
        r.text += chunk.choices[0]?.delta?.content ?? '';
        r.model ||= chunk.model ?? '';
        r.finish ||= chunk.choices[0]?.finish_reason ?? '';
      }
    } else {
      r.text = data.choices[0]?.message?.content ?? '';
      r.model = data.model ?? '';
      r.finish = data.choices[0]?.finish_reason ?? '';
    }
  } catch (e) {
    r.status = e.status ?? 0;
    r.error = String(e.message ?? e).slice(0, 300);
  }
  results.push(r);
  if (++done >= total / 3 && !killing) {
    killing = true;
    // What the first upstream had counted just before it died (it can't be asked afterwards).
    callsBeforeKill = (await (await fetch(`${process.env.L0_SIM_A_URL}/stats`)).json()).calls;
    process.kill(killPid, 'SIGKILL');
    killed = true;
  }
}

let next = 0;
const started = Date.now();
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (next < total) await ask(next++);
}));
console.log(`${total} requests at concurrency ${concurrency} in ${Date.now() - started} ms`);

// A finish reason tells a whole answer from a stream cut short. A stream A had begun to answer
// when it died cannot move to the fallback (retries stop once a byte reached the client): it
// must end in an error the SDK raises, never silently short.
const whole = (r) => r.status === 200 && r.text.length > 0 && r.finish;
const cut = results.filter((r) => !whole(r) && r.stream && !r.sentAfterKill && r.header === 'gpt-4o' && r.error);
const bad = results.filter((r) => !whole(r) && !cut.includes(r));
check(`all ${total} answered with 200 and a whole answer, but ${cut.length} streams under way at the kill`,
  bad.length === 0 && results.length === total, `${bad.length} bad, first: ${JSON.stringify(bad.slice(0, 5))}`);
check(`the ${cut.length} cut streams were in flight at the kill`, cut.length <= concurrency, JSON.stringify(cut.slice(0, 5)));
for (const r of cut) console.log(`# stream ${r.i} cut by the kill after ${r.text.length} characters: ${r.error}`);
const mismatched = results.filter((r) => r.status === 200 && r.header !== r.model);
check('x-l0-model agrees with the answer\'s model', mismatched.length === 0, JSON.stringify(mismatched.slice(0, 5)));
const after = results.filter((r) => r.sentAfterKill);
const afterWrong = after.filter((r) => r.header !== 'claude-sonnet-4-5');
check(`${after.length} sent after the kill answered by claude-sonnet-4-5`, after.length > 0 && afterWrong.length === 0,
  JSON.stringify(afterWrong.slice(0, 5)));
const before = results.filter((r) => !r.sentAfterKill);
check('before the kill gpt-4o answered', before.some((r) => r.header === 'gpt-4o'));

const byModel = {};
for (const r of results) if (whole(r)) byModel[r.header] = (byModel[r.header] ?? 0) + 1;
console.log(`answers by model: ${JSON.stringify(byModel)}`);
writeFileSync(process.env.L0_SUMMARY, JSON.stringify({ total, afterKill: after.length, byModel, cut: cut.length, callsBeforeKill }));
process.exit(failed ? 1 : 0);
