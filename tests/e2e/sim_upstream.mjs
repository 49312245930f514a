// The official openai and @anthropic-ai/sdk packages against l0-sim-upstream directly: the fake
// must look like the real APIs to them (plain, streamed, tools, errors).
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

const base = process.env.L0_SIM_URL;
const apiKey = process.env.L0_SIM_KEY;
let passed = 0, failed = 0;
const check = (name, cond, detail = '') => {
  if (cond) { passed++; console.log(`ok - ${name}`); } else { failed++; console.log(`FAIL - ${name} ${detail}`); }
};
const weather = {
  name: 'get_weather', description: 'Weather now',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

const openai = new OpenAI({ apiKey, baseURL: `${base}/v1`, maxRetries: 0 });
const o = await openai.chat.completions.create({ model: 'gpt-sim', messages: [{ role: 'user', content: 'hi there' }] });
check('openai plain', o.choices[0].message.content.startsWith('Simulated answer') && o.usage.prompt_tokens > 0);
let text = '', usage = null;
for await (const chunk of await openai.chat.completions.create({
  model: 'gpt-sim', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi there' }],
})) {
  text += chunk.choices[0]?.delta?.content ?? '';
  if (chunk.usage) usage = chunk.usage;
}
check('openai stream', text === o.choices[0].message.content && usage && usage.completion_tokens > 0);
const ot = await openai.chat.completions.create({
  model: 'gpt-sim', messages: [{ role: 'user', content: 'please use get_weather' }],
  tools: [{ type: 'function', function: { name: weather.name, description: weather.description, parameters: weather.input_schema } }],
});
check('openai tool call', ot.choices[0].finish_reason === 'tool_calls'
  && JSON.parse(ot.choices[0].message.tool_calls[0].function.arguments).city === 'sim');

const anthropic = new Anthropic({ apiKey, baseURL: base, maxRetries: 0 });
const a = await anthropic.messages.create({ model: 'claude-sim', max_tokens: 200, messages: [{ role: 'user', content: 'hi there' }] });
check('anthropic plain', a.type === 'message' && a.content[0].text.startsWith('Simulated answer') && a.stop_reason === 'end_turn'
  && a.usage.input_tokens > 0 && a.usage.output_tokens > 0);
const final = await anthropic.messages.stream({ model: 'claude-sim', max_tokens: 200, messages: [{ role: 'user', content: 'hi there' }] }).finalMessage();
check('anthropic stream', final.content[0].text === a.content[0].text && final.usage.output_tokens > 0);
const at = await anthropic.messages.stream({
  model: 'claude-sim', max_tokens: 200, tools: [weather], messages: [{ role: 'user', content: 'please use get_weather' }],
}).finalMessage();
const use = at.content.find((b) => b.type === 'tool_use');
check('anthropic streamed tool_use', at.stop_reason === 'tool_use' && use && use.name === 'get_weather' && use.input.city === 'sim',
  JSON.stringify(at.content));
const after = await anthropic.messages.create({
  model: 'claude-sim', max_tokens: 200, tools: [weather],
  messages: [{ role: 'user', content: 'please use get_weather' }, { role: 'assistant', content: at.content },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '18C' }] }],
});
check('anthropic answers after a tool result', after.stop_reason === 'end_turn' && after.content[0].type === 'text');
const stopped = await anthropic.messages.create({ model: 'claude-sim', max_tokens: 200, stop_sequences: ['answer'], messages: [{ role: 'user', content: 'hi' }] });
check('anthropic stop sequence', stopped.stop_reason === 'stop_sequence' && stopped.stop_sequence === 'answer');

// claude-flaky: 529 first, then 429 with retry-after 2.
try {
  await anthropic.messages.create({ model: 'claude-flaky', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
  check('overloaded', false);
} catch (e) {
  check('overloaded', e.status === 529 && e.error?.error?.type === 'overloaded_error', `${e.status} ${JSON.stringify(e.error)}`);
}
try {
  await anthropic.messages.create({ model: 'claude-flaky', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
  check('rate limited', false);
} catch (e) {
  check('rate limited with retry-after', e.status === 429 && e.headers?.get?.('retry-after') === '2', `${e.status}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
