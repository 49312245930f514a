// L0 Cache in front of an OpenAI call, for a gateway that keeps its own upstream: look the
// request up in the approved cache first; on a miss, call the provider yourself and hand the
// answer to L0 so that reviewers can approve it for next time.
//
//   L0_URL=http://127.0.0.1:8080 L0_KEY=l0_... OPENAI_API_KEY=sk-... node docs/cache-api-gateway.mjs "Where is my order?"
import OpenAI from 'openai';

const l0 = async (path, body) => {
  const r = await fetch(`${process.env.L0_URL}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${process.env.L0_KEY}` },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
};

const request = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: process.argv[2] ?? 'Hello' }] };

const cached = await l0('/v1/cache/lookup', request);
if (cached.status === 200) {
  // An approved answer: a whole chat.completion, as the provider would have sent it.
  console.log(`cache hit (${cached.body.tier}, entry ${cached.body.entry}):`, cached.body.response.choices[0].message.content);
} else {
  const openai = new OpenAI();
  const completion = await openai.chat.completions.create(request);
  console.log('upstream:', completion.choices[0].message.content);
  // Filed as a candidate (202): served only once a reviewer approves it.
  const filed = await l0('/v1/cache/store', { request, response: completion });
  console.log('filed for review:', filed.status, filed.body);
}
