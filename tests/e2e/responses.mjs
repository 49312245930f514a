// The Responses API with real clients: the openai SDK's responses methods and the Vercel AI
// SDK's default OpenAI provider, which calls POST /v1/responses.
import OpenAI from 'openai';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText, tool, jsonSchema } from 'ai';

const baseURL = `${process.env.L0_URL}/v1`;
const apiKey = process.env.L0_KEY;
let failed = 0;
const check = (name, ok, detail = '') => {
  console.log(`${ok ? 'ok' : 'FAIL'} - ${name}${ok ? '' : ' ' + detail}`);
  if (!ok) failed++;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const lastUpstream = async () => (await (await fetch(`${process.env.L0_SIM}/stats`)).json()).last_request;
const openai = new OpenAI({ apiKey, baseURL, maxRetries: 0 });

// Plain: a miss, then (the tenant serves low-risk candidates) a hit with the same text.
const q = 'How do I reset my password on the Responses API?';
const { data: first, response: firstHttp } = await openai.responses.create({ model: 'gpt-4o-mini', input: q }).withResponse();
check('responses.create answers', first.object === 'response' && first.status === 'completed' && first.output_text.length > 0,
  JSON.stringify(first).slice(0, 300));
check('usage in Responses terms', first.usage.input_tokens > 0 && first.usage.output_tokens > 0);
check('a miss first', firstHttp.headers.get('x-l0-cache') === 'miss', firstHttp.headers.get('x-l0-cache'));
let hitHttp, hit;
for (let i = 0; i < 50; i++) {
  await sleep(100);
  ({ data: hit, response: hitHttp } = await openai.responses.create({ model: 'gpt-4o-mini', input: q }).withResponse());
  if (hitHttp.headers.get('x-l0-cache') === 'hit') break;
}
check('the second identical request is a hit', hitHttp.headers.get('x-l0-cache') === 'hit');
check('the hit has the same text', hit.output_text === first.output_text);
check('a hit is a new response', hit.id !== first.id && hit.id.startsWith('resp_'));
const entry = hitHttp.headers.get('x-l0-entry');

// The same question through chat completions is a hit on the same entry.
const { response: chatHttp, data: chat } = await openai.chat.completions.create({ model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: q }] }).withResponse();
check('chat completions hits the same entry', chatHttp.headers.get('x-l0-cache') === 'hit'
  && chatHttp.headers.get('x-l0-entry') === entry, `${chatHttp.headers.get('x-l0-cache')} ${chatHttp.headers.get('x-l0-entry')} vs ${entry}`);
check('with the same text', chat.choices[0].message.content === first.output_text);

// Streamed, live and replayed from the cache.
for (const label of ['live', 'replayed']) {
  const stream = openai.responses.stream({ model: 'gpt-4o-mini', input: 'Stream me an answer about refunds' });
  const types = new Set();
  let deltas = '';
  for await (const event of stream) {
    types.add(event.type);
    if (event.type === 'response.output_text.delta') deltas += event.delta;
  }
  const final = await stream.finalResponse();
  const finalText = final.output.filter((o) => o.type === 'message')
    .flatMap((o) => o.content).filter((c) => c.type === 'output_text').map((c) => c.text).join('');
  check(`responses.stream (${label}): typed events from created to completed`,
    ['response.created', 'response.output_item.added', 'response.output_text.delta', 'response.output_text.done',
      'response.output_item.done', 'response.completed'].every((t) => types.has(t)), [...types].join(','));
  check(`responses.stream (${label}): the deltas make the final text`, deltas.length > 0 && deltas === finalText,
    JSON.stringify({ deltas: deltas.slice(0, 80), final: finalText.slice(0, 80) }));
  await sleep(400);
}

// Two turns through previous_response_id: the upstream sees the whole conversation.
const turn1 = await openai.responses.create({ model: 'gpt-4o-mini', instructions: 'Be brief.',
  input: 'My name is Ada and I ordered a lamp.' });
const turn2 = await openai.responses.create({ model: 'gpt-4o-mini', instructions: 'Be brief.',
  input: 'What did I order?', previous_response_id: turn1.id });
const seen = (await lastUpstream()).body.messages;
check('turn two answers', turn2.output_text.length > 0 && turn2.previous_response_id === turn1.id);
check('the upstream got both turns, instructions once', seen.length === 4 && seen[0].role === 'system'
  && seen[1].content === 'My name is Ada and I ordered a lamp.' && seen[2].role === 'assistant'
  && seen[2].content === turn1.output_text && seen[3].content === 'What did I order?', JSON.stringify(seen).slice(0, 400));
const again = await openai.responses.retrieve(turn1.id);
check('retrieve returns the stored response', again.id === turn1.id && again.output_text === turn1.output_text);
const other = new OpenAI({ apiKey: process.env.L0_OTHER_KEY, baseURL, maxRetries: 0 });
try {
  await other.responses.retrieve(turn1.id);
  check("another tenant's id is a 404", false);
} catch (e) {
  check("another tenant's id is a 404", e.status === 404, `${e.status}`);
}
try {
  await other.responses.create({ model: 'gpt-4o-mini', input: 'and now?', previous_response_id: turn1.id });
  check("another tenant cannot continue it", false);
} catch (e) {
  check("another tenant cannot continue it", e.status === 400 && e.param === 'previous_response_id', `${e.status} ${e.param}`);
}
const othersOwn = await other.responses.create({ model: 'gpt-4o-mini', input: 'Keep nothing of mine' });
try {
  await other.responses.retrieve(othersOwn.id);
  check("a tenant that keeps no responses has none stored", false);
} catch (e) {
  check("a tenant that keeps no responses has none stored", e.status === 404);
}
const deleted = await openai.responses.delete(turn1.id).catch((e) => e);
try {
  await openai.responses.retrieve(turn1.id);
  check('delete removes it', false);
} catch (e) {
  check('delete removes it', e.status === 404, `${e.status} ${JSON.stringify(deleted)}`);
}
const unstored = await openai.responses.create({ model: 'gpt-4o-mini', input: 'Do not keep this', store: false });
try {
  await openai.responses.retrieve(unstored.id);
  check('store: false keeps nothing', false);
} catch (e) {
  check('store: false keeps nothing', e.status === 404);
}

// A function-tool round trip.
const tools = [{ type: 'function', name: 'get_weather', description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
const asked = await openai.responses.create({ model: 'gpt-4o-mini', tools, input: 'Use get_weather for Paris' });
const call = asked.output.find((o) => o.type === 'function_call');
check('a function call comes back', call?.name === 'get_weather' && call.call_id && JSON.parse(call.arguments),
  JSON.stringify(asked.output));
const answered = await openai.responses.create({ model: 'gpt-4o-mini', tools, previous_response_id: asked.id,
  input: [{ type: 'function_call_output', call_id: call?.call_id ?? 'x', output: '{"temp": 21}' }] });
const toolTurn = (await lastUpstream()).body.messages;
check('the tool result goes back as a tool message', toolTurn.at(-1).role === 'tool'
  && toolTurn.at(-1).tool_call_id === call?.call_id && toolTurn.at(-2).tool_calls?.[0]?.function?.name === 'get_weather',
  JSON.stringify(toolTurn).slice(0, 400));
check('and is answered', answered.output_text.length > 0);
// Streamed tool calls arrive as function_call items.
const toolStream = openai.responses.stream({ model: 'gpt-4o-mini', tools, input: 'Stream: use get_weather for Oslo' });
const argDeltas = [];
for await (const event of toolStream) if (event.type === 'response.function_call_arguments.delta') argDeltas.push(event.delta);
const toolFinal = await toolStream.finalResponse();
check('streamed function call', toolFinal.output.some((o) => o.type === 'function_call' && o.name === 'get_weather')
  && argDeltas.join('').length > 0, JSON.stringify(toolFinal.output));

// JSON-schema output reaches the upstream as chat completions' response_format.
const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };
const structured = await openai.responses.create({ model: 'gpt-4o-mini', input: 'Answer in JSON please',
  text: { format: { type: 'json_schema', name: 'reply', schema, strict: true } } });
const format = (await lastUpstream()).body.response_format;
check('JSON schema output is asked for', structured.status === 'completed' && format?.type === 'json_schema'
  && format.json_schema.name === 'reply' && format.json_schema.strict === true, JSON.stringify(format));
check('the response echoes its text format', structured.text.format.type === 'json_schema');

// An Anthropic upstream serves Responses clients through the pool's translation.
const claude = await openai.responses.create({ model: 'claude-sonnet-4-5', instructions: 'Be brief.', input: 'Hello Claude' });
const viaMessages = await lastUpstream();
check('Claude answers a Responses request', claude.output_text.length > 0 && claude.model === 'claude-sonnet-4-5'
  && viaMessages.path === '/v1/messages' && viaMessages.body.system !== undefined, JSON.stringify(viaMessages).slice(0, 300));
const claudeStream = openai.responses.stream({ model: 'claude-sonnet-4-5', tools, input: 'Use get_weather for Lima' });
for await (const _ of claudeStream);
const claudeFinal = await claudeStream.finalResponse();
check('Claude streams a function call as Responses events',
  claudeFinal.output.some((o) => o.type === 'function_call' && o.name === 'get_weather'), JSON.stringify(claudeFinal.output));

// Bad input: a clear 4xx naming the field, never a 5xx.
const expectError = async (name, body, status, param) => {
  try {
    await openai.responses.create(body);
    check(name, false, 'accepted');
  } catch (e) {
    check(name, e.status === status && (param === undefined || e.param === param), `${e.status} ${e.param} ${e.message}`);
  }
};
await expectError('an unknown previous_response_id', { model: 'gpt-4o-mini', input: 'x', previous_response_id: 'resp_nope' },
  400, 'previous_response_id');
await expectError('a wrong item type', { model: 'gpt-4o-mini', input: [{ type: 'computer_call', id: 'c' }] }, 400, 'input[0].type');
await expectError('a hosted tool the node does not run', { model: 'gpt-4o-mini', input: 'x', tools: [{ type: 'web_search' }] },
  400, 'tools[0].type');
await expectError('an oversized input', { model: 'gpt-4o-mini', input: 'x'.repeat(300000) }, 413);

// The Vercel AI SDK's default OpenAI provider uses the Responses API.
const provider = createOpenAI({ apiKey, baseURL });
const gen = await generateText({ model: provider('gpt-4o-mini'), prompt: 'Hello from the AI SDK' });
check('AI SDK generateText', gen.text.length > 0 && gen.response.headers?.['x-l0-cache'] !== undefined,
  JSON.stringify(gen.response.headers));
const streamed = streamText({ model: provider('gpt-4o-mini'), prompt: 'Stream hello from the AI SDK' });
let aiText = '';
for await (const part of streamed.textStream) aiText += part;
check('AI SDK streamText', aiText.length > 0 && aiText === (await streamed.text));
let gen2;
for (let i = 0; i < 50; i++) { // the answer serves once the node has filed it
  gen2 = await generateText({ model: provider('gpt-4o-mini'), prompt: 'Hello from the AI SDK' });
  if (gen2.response.headers?.['x-l0-cache'] === 'hit') break;
  await sleep(100);
}
check('AI SDK repeat is a hit', gen2.response.headers?.['x-l0-cache'] === 'hit' && gen2.text === gen.text,
  JSON.stringify(gen2.response.headers?.['x-l0-cache']));
const withTool = await generateText({ model: provider('gpt-4o-mini'), prompt: 'Use get_weather for Rome',
  tools: { get_weather: tool({ description: 'Weather for a city',
    inputSchema: jsonSchema({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
    execute: async () => ({ temp: 19 }) }) } });
check('AI SDK tool call through Responses', withTool.toolCalls.some((c) => c.toolName === 'get_weather'),
  JSON.stringify(withTool.toolCalls));

process.exit(failed ? 1 : 0);
