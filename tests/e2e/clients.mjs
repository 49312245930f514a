// LangChain.js and the Vercel AI SDK against the node, as applications use them.
import { ChatOpenAI } from '@langchain/openai';
import { ChatAnthropic } from '@langchain/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createAnthropic } from '@ai-sdk/anthropic';
import { generateText, streamText } from 'ai';

const base = process.env.L0_URL;
const apiKey = process.env.L0_KEY;
let failed = 0;
const check = (name, ok, detail = '') => {
  console.log(`${ok ? 'ok' : 'FAIL'} - ${name}${ok ? '' : ' ' + detail}`);
  if (!ok) failed++;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const upstreamCalls = async () => {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^l0_simulated_upstream_calls_total (\d+)$/m.exec(text)[1]);
};
// Repeats a call until the node serves it without the upstream (the candidate is filed
// asynchronously); true when it did.
const servedFromCache = async (call) => {
  for (let i = 0; i < 50; i++) {
    const before = await upstreamCalls();
    const out = await call();
    if ((await upstreamCalls()) === before) return out;
    await sleep(100);
  }
  return undefined;
};

// LangChain.js, OpenAI.
const lcOpenAi = new ChatOpenAI({ model: 'gpt-4o-mini', apiKey, configuration: { baseURL: `${base}/v1` }, maxRetries: 0 });
const a1 = await lcOpenAi.invoke('LangChain asks: how do I reset my password?');
check('LangChain ChatOpenAI invoke', typeof a1.content === 'string' && a1.content.length > 0);
let lcStreamed = '';
for await (const chunk of await lcOpenAi.stream('LangChain streams: where is my parcel?')) lcStreamed += chunk.content;
check('LangChain ChatOpenAI stream', lcStreamed.length > 0);
const a2 = await servedFromCache(() => lcOpenAi.invoke('LangChain asks: how do I reset my password?'));
check('LangChain ChatOpenAI repeat is a hit, same text', a2?.content === a1.content);

// LangChain.js, Anthropic.
const lcClaude = new ChatAnthropic({ model: 'claude-sonnet-4-5', apiKey, anthropicApiUrl: base, maxRetries: 0 });
const c1 = await lcClaude.invoke('LangChain asks Claude: can I change my order?');
check('LangChain ChatAnthropic invoke', typeof c1.content === 'string' && c1.content.length > 0, JSON.stringify(c1.content));
let lcClaudeStreamed = '';
for await (const chunk of await lcClaude.stream('LangChain streams Claude: what are your hours?'))
  lcClaudeStreamed += typeof chunk.content === 'string' ? chunk.content : '';
check('LangChain ChatAnthropic stream', lcClaudeStreamed.length > 0);
const c2 = await servedFromCache(() => lcClaude.invoke('LangChain asks Claude: can I change my order?'));
check('LangChain ChatAnthropic repeat is a hit, same text', c2?.content === c1.content);

// The Vercel AI SDK: OpenAI chat models and the Anthropic provider; hits in the headers.
const aiOpenAi = createOpenAI({ apiKey, baseURL: `${base}/v1` });
const aiClaude = createAnthropic({ apiKey, baseURL: `${base}/v1` });
for (const [label, model] of [['@ai-sdk/openai chat', aiOpenAi.chat('gpt-4o-mini')], ['@ai-sdk/anthropic', aiClaude('claude-sonnet-4-5')]]) {
  const prompt = `The AI SDK (${label}) asks about refunds`;
  const g1 = await generateText({ model, prompt });
  check(`${label} generateText`, g1.text.length > 0 && g1.response.headers?.['x-l0-cache'] === 'miss');
  const s = streamText({ model, prompt: `${prompt}, streamed` });
  let text = '';
  for await (const part of s.textStream) text += part;
  check(`${label} streamText`, text.length > 0 && text === (await s.text));
  let g2;
  for (let i = 0; i < 50; i++) {
    g2 = await generateText({ model, prompt });
    if (g2.response.headers?.['x-l0-cache'] === 'hit') break;
    await sleep(100);
  }
  check(`${label} repeat is a hit`, g2.response.headers?.['x-l0-cache'] === 'hit' && g2.text === g1.text);
}

process.exit(failed ? 1 : 0);
