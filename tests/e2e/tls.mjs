// The official openai client against the node over HTTPS: a cached answer and a streamed miss.
import OpenAI from 'openai';

const client = new OpenAI({ apiKey: process.env.L0_KEY, baseURL: process.env.L0_BASE_URL, maxRetries: 0 });
let failed = 0;
const check = (name, cond, detail = '') => {
  console.log(`${cond ? 'ok' : 'FAIL'} - sdk: ${name} ${cond ? '' : detail}`);
  if (!cond) failed++;
};

const { data: hit, response } = await client.chat.completions
  .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Is my connection encrypted?' }] })
  .withResponse();
check('cached answer over https', response.headers.get('x-l0-cache') === 'hit', response.headers.get('x-l0-cache'));
check('answer has text', hit.choices[0].message.content.length > 0);

const stream = await client.chat.completions.create({
  model: 'gpt-4o-mini',
  stream: true,
  messages: [{ role: 'user', content: 'Stream me something over TLS' }],
});
let text = '';
let finish = null;
for await (const chunk of stream) {
  for (const c of chunk.choices) {
    text += c.delta?.content ?? '';
    if (c.finish_reason) finish = c.finish_reason;
  }
}
check('streamed miss over https', text.length > 0 && finish === 'stop', `${text.length} chars, finish ${finish}`);

const models = await client.models.list();
check('models over https', models.data.length > 0);
process.exit(failed ? 1 : 0);
