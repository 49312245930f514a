// The official SDKs against a node whose upstreams speak the other API.
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

const baseURL = process.env.L0_URL;
const apiKey = process.env.L0_KEY;
let failed = 0;
const check = (name, ok, detail = '') => {
  console.log(`${ok ? 'ok' : 'FAIL'} - ${name}${ok ? '' : ' ' + detail}`);
  if (!ok) failed++;
};
const weather = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

const openai = new OpenAI({ apiKey, baseURL: `${baseURL}/v1`, maxRetries: 0 });
// openai SDK -> Claude (an Anthropic upstream).
const plain = await openai.chat.completions.create({ model: 'claude-sonnet-4-5',
  messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello from claude' }] });
check('openai -> anthropic: an answer', plain.choices[0].message.content.length > 0);
check('openai -> anthropic: usage', plain.usage.prompt_tokens > 0 && plain.usage.completion_tokens > 0);
const { data: s1, response: r1 } = await openai.chat.completions.create({ model: 'claude-sonnet-4-5', stream: true,
  messages: [{ role: 'user', content: 'Stream hello from claude' }] }).withResponse();
let streamed = '';
for await (const chunk of s1) streamed += chunk.choices[0]?.delta?.content ?? '';
check('openai -> anthropic: streamed', streamed.length > 0);
check('x-l0-model names the answering model', r1.headers.get('x-l0-model') === 'claude-sonnet-4-5', r1.headers.get('x-l0-model'));
const tool = await openai.chat.completions.create({ model: 'claude-sonnet-4-5', tools: [weather],
  messages: [{ role: 'user', content: 'Use get_weather for Paris' }] });
const call = tool.choices[0].message.tool_calls?.[0];
check('openai -> anthropic: a tool call', call?.function?.name === 'get_weather', JSON.stringify(tool.choices[0]));
check('openai -> anthropic: finish reason tool_calls', tool.choices[0].finish_reason === 'tool_calls');
const after = await openai.chat.completions.create({ model: 'claude-sonnet-4-5', tools: [weather], messages: [
  { role: 'user', content: 'Use get_weather for Paris' }, tool.choices[0].message,
  { role: 'tool', tool_call_id: call?.id ?? 'x', content: '{"temp": 21}' }] });
check('openai -> anthropic: the tool result goes back', after.choices[0].message.content.length > 0);

// gpt-4o's upstream is dead: the chain falls back to Claude.
const { data: fb, response: fr } = await openai.chat.completions.create({ model: 'gpt-4o',
  messages: [{ role: 'user', content: 'Who answers for gpt-4o?' }] }).withResponse();
check('fallback: answered', fb.choices[0].message.content.length > 0);
check('fallback: x-l0-model says which', fr.headers.get('x-l0-model') === 'claude-sonnet-4-5', fr.headers.get('x-l0-model'));

// @anthropic-ai/sdk -> an OpenAI-compatible upstream.
const anthropic = new Anthropic({ apiKey, baseURL, maxRetries: 0 });
const msg = await anthropic.messages.create({ model: 'gpt-4o-mini', max_tokens: 200, system: 'Be brief.',
  messages: [{ role: 'user', content: 'Say hello from gpt' }] });
check('anthropic -> openai: an answer', msg.content[0]?.type === 'text' && msg.content[0].text.length > 0);
check('anthropic -> openai: usage', msg.usage.input_tokens > 0 && msg.usage.output_tokens > 0);
const stream = anthropic.messages.stream({ model: 'gpt-4o-mini', max_tokens: 200,
  messages: [{ role: 'user', content: 'Stream hello from gpt' }] });
const final = await stream.finalMessage();
check('anthropic -> openai: streamed', final.content[0]?.text?.length > 0);
const toolMsg = await anthropic.messages.create({ model: 'gpt-4o-mini', max_tokens: 200,
  tools: [{ name: 'get_weather', description: 'Weather for a city',
    input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
  messages: [{ role: 'user', content: 'Use get_weather for Rome' }] });
const use = toolMsg.content.find((b) => b.type === 'tool_use');
check('anthropic -> openai: a tool_use block', use?.name === 'get_weather', JSON.stringify(toolMsg.content));
check('anthropic -> openai: stop_reason tool_use', toolMsg.stop_reason === 'tool_use', toolMsg.stop_reason);

// A model nobody serves: 404 model_not_found in the client's own shape.
try {
  await openai.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] });
  check('unknown model refused', false);
} catch (e) {
  check('unknown model: 404 model_not_found', e.status === 404 && e.code === 'model_not_found', `${e.status} ${e.code}`);
}
try {
  await anthropic.messages.create({ model: 'no-such-model', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
  check('unknown model refused (anthropic)', false);
} catch (e) {
  check('unknown model (anthropic shape): 404', e.status === 404 && e.error?.type === 'error', `${e.status}`);
}
process.exit(failed ? 1 : 0);
