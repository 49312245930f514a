// The MCP server at /mcp with the official MCP TypeScript SDK client over the streamable HTTP
// transport: the handshake, every tool and resource on real data, who may read what, and the
// errors; then the transport's rules (sessions, methods, origins, versions) with plain fetch.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import assert from 'node:assert/strict';

const env = process.env;
const url = new URL(`${env.L0_URL}/mcp`);
let failed = 0;
const check = (name, ok, detail = '') => {
  console.log(`${ok ? 'ok' : 'FAIL'} - ${name}${ok ? '' : ' ' + detail}`);
  if (!ok) failed++;
};
const equal = (name, actual, expected) => {
  try {
    assert.deepStrictEqual(actual, expected);
    check(name, true);
  } catch (e) {
    check(name, false, `\n  got      ${JSON.stringify(actual)}\n  expected ${JSON.stringify(expected)}`);
  }
};
const rejects = async (name, promise, code) => {
  try {
    await promise;
    check(name, false, '(no error)');
  } catch (e) {
    check(name, e instanceof McpError && e.code === code, `(${e?.constructor?.name} ${e?.code}: ${e?.message})`);
    return e;
  }
};
const connect = async (key) => {
  const client = new Client({ name: 'l0-e2e', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
  });
  await client.connect(transport);
  return { client, transport };
};
// The CLI's report minus what only the tool adds.
const withoutTenant = (o) => {
  const { tenant, ...rest } = o;
  return rest;
};
const range = { from: env.L0_FROM, to: env.L0_TO };

// --- a tenant key ---------------------------------------------------------------------------
const { client, transport } = await connect(env.L0_KEY);
check('initialize: server is l0-node', client.getServerVersion()?.name === 'l0-node');
check('initialize: a session id', typeof transport.sessionId === 'string' && transport.sessionId.length >= 16);
check('initialize: newest version negotiated', transport.protocolVersion === '2025-11-25', transport.protocolVersion);
check('capabilities: tools and resources', !!client.getServerCapabilities()?.tools && !!client.getServerCapabilities()?.resources);
await client.ping();
check('ping', true);

const { tools } = await client.listTools();
equal('listTools names', tools.map((t) => t.name).sort(), ['explain_normalization', 'lookup_answer', 'queue_stats', 'savings_report']);
check('every tool has an object inputSchema', tools.every((t) => t.inputSchema?.type === 'object' && t.description));

// savings_report: the same numbers as `l0ctl ledger report --json`.
const call = (name, args, c = client) => c.callTool({ name, arguments: args });
let r = await call('savings_report', { ...range, group_by: 'model' });
check('savings_report ok', r.isError === false, JSON.stringify(r.content));
equal('savings_report by model equals the CLI', withoutTenant(r.structuredContent), JSON.parse(env.L0_REPORT_ACME_MODEL));
check('savings_report names its tenant', r.structuredContent.tenant === 'acme');
check('savings_report has rows per model', r.structuredContent.rows.length >= 2);
check('savings_report text shows dollars', /saved \$\d+\.\d{6}/.test(r.content[0].text), r.content[0].text);
check('savings_report saved something', r.structuredContent.saved_micros > 0 && r.structuredContent.hits >= 2);
r = await call('savings_report', { ...range, tenant: 'acme', top: 3 });
equal('savings_report totals and top entries equal the CLI', withoutTenant(r.structuredContent), JSON.parse(env.L0_REPORT_ACME));
check('savings_report lists the entry that saved', r.structuredContent.top_entries?.length >= 1 && `${r.structuredContent.top_entries[0].entry}@1` === env.L0_ENTRY, JSON.stringify(r.structuredContent.top_entries));

// queue_stats: acme's backlog as the queue lists it.
r = await call('queue_stats', {});
check('queue_stats ok', r.isError === false, JSON.stringify(r.content));
const qs = r.structuredContent;
check('queue_stats awaiting equals the queue list', qs.awaiting_review === Number(env.L0_PENDING_ACME), JSON.stringify(qs));
check('queue_stats counts the approval', qs.by_state.approved === 1, JSON.stringify(qs.by_state));
check('queue_stats by risk adds up', Object.values(qs.awaiting_by_risk).reduce((a, b) => a + b, 0) === qs.awaiting_review);
check('queue_stats oldest age', qs.awaiting_review === 0 ? qs.oldest_awaiting_age_s === null : qs.oldest_awaiting_age_s >= 0);

// lookup_answer: the approved answer the chat API serves, without serving it.
r = await call('lookup_answer', { question: env.L0_QUESTION, model: 'gpt-4o-mini' });
check('lookup_answer found', r.isError === false && r.structuredContent.found === true, JSON.stringify(r.structuredContent));
check('lookup_answer entry@version is the served one', r.structuredContent.entry === env.L0_ENTRY, r.structuredContent.entry);
check('lookup_answer tier is the served one', r.structuredContent.tier === env.L0_TIER, r.structuredContent.tier);
check('lookup_answer answer text', r.structuredContent.answer === env.L0_ANSWER);
check('lookup_answer state approved', r.structuredContent.state === 'approved');
r = await call('lookup_answer', {
  messages: [{ role: 'user', content: 'Something nobody asked before: the airspeed of a laden swallow?' }],
  model: 'gpt-4o-mini',
});
check('lookup_answer miss', r.structuredContent.found === false && r.structuredContent.outcome === 'miss');
check('lookup_answer miss shows the exact key', /^[0-9a-f]{64}$/.test(r.structuredContent.keys.exact ?? ''), JSON.stringify(r.structuredContent.keys));
r = await call('lookup_answer', { question: env.L0_QUESTION, model: 'gpt-4o-mini', namespace: 'elsewhere' });
check('lookup_answer in another namespace misses', r.structuredContent.found === false && r.structuredContent.namespace === 'elsewhere');

// explain_normalization: what `l0ctl rules explain --json` shows, from the tenant's active pack.
r = await call('explain_normalization', { text: 'I forgot my password' });
check('explain_normalization ok', r.isError === false, JSON.stringify(r.content));
const { tenant: _t, pack, ...explained } = r.structuredContent;
equal('explain_normalization equals the CLI', explained, JSON.parse(env.L0_EXPLAIN));
check('explain_normalization names the pack', pack === 'starter-support@1', pack);
check('explain_normalization text has the steps', r.content[0].text.includes('result:'));

// Resources.
const { resources } = await client.listResources();
equal('listResources', resources.map((x) => x.uri).sort(), ['l0://prices', 'l0://tenants/policies']);
let res = await client.readResource({ uri: 'l0://prices' });
const prices = JSON.parse(res.contents[0].text);
check('prices resource is JSON', res.contents[0].mimeType === 'application/json' && !!prices.effective_date);
const mini = prices.models.find((m) => m.model === 'gpt-4o-mini');
check('prices in integer micro-dollars', Number.isInteger(mini?.input_micros_per_million_tokens) && mini.input_micros_per_million_tokens > 0, JSON.stringify(mini));
res = await client.readResource({ uri: 'l0://tenants/policies' });
const own = JSON.parse(res.contents[0].text);
equal('policies: a tenant key sees its tenant only', own.tenants.map((t) => t.name), ['acme']);
check('policies: policy and limits', own.tenants[0].policy === 'approved' && 'requests_per_minute' in own.tenants[0].limits);
await rejects('unknown resource', client.readResource({ uri: 'l0://nothing' }), -32002);

// Errors a model can read and act on.
await rejects('unknown tool is a protocol error', call('drop_tables', {}), -32602);
r = await call('savings_report', { from: 'yesterday', to: env.L0_TO });
check('bad date is a tool error', r.isError === true && r.content[0].text.includes('from'), JSON.stringify(r.content));
r = await call('savings_report', { to: env.L0_TO });
check('missing argument is a tool error', r.isError === true && r.content[0].text.includes('from is required'), JSON.stringify(r.content));
r = await call('savings_report', { ...range, group_by: 'colour' });
check('bad enum is a tool error', r.isError === true && r.content[0].text.includes('group_by'), JSON.stringify(r.content));
r = await call('queue_stats', { tenants: 'acme' });
check('unknown argument is a tool error', r.isError === true && r.content[0].text.includes("unknown argument 'tenants'"), JSON.stringify(r.content));
r = await call('lookup_answer', { model: 'gpt-4o-mini' });
check('lookup without a question is a tool error', r.isError === true);
r = await call('savings_report', { ...range, tenant: 'beta' });
check('tenant key asking for another tenant: tool error', r.isError === true && r.content[0].text.includes('manager key'), JSON.stringify(r.content));
r = await call('savings_report', { ...range, tenant: 'all' });
check('tenant key asking for all: tool error', r.isError === true && r.content[0].text.includes('manager key'));
r = await call('queue_stats', { tenant: 'beta' });
check('tenant key, queue of another tenant: tool error', r.isError === true);
r = await call('explain_normalization', { text: 'hi', tenant: 'beta' });
check('tenant key, another tenant rules: tool error', r.isError === true);

// --- a manager key ---------------------------------------------------------------------------
const mgr = await connect(env.L0_MANAGER_KEY);
r = await call('savings_report', { ...range, tenant: 'all', group_by: 'tenant' }, mgr.client);
check('manager: all tenants ok', r.isError === false, JSON.stringify(r.content));
equal('manager: all tenants by tenant equals the CLI', withoutTenant(r.structuredContent), JSON.parse(env.L0_REPORT_ALL_TENANT));
check('manager: rows for acme and beta', ['acme', 'beta'].every((t) => r.structuredContent.rows.some((row) => row.group === t)));
r = await call('savings_report', { ...range, tenant: 'beta', group_by: 'tier' }, mgr.client);
equal('manager: another tenant equals the CLI', withoutTenant(r.structuredContent), JSON.parse(env.L0_REPORT_BETA_TIER));
r = await call('savings_report', { ...range, tenant: 'nosuch' }, mgr.client);
check('manager: unknown tenant is a tool error', r.isError === true && r.content[0].text.includes('nosuch'));
r = await call('queue_stats', { tenant: 'all' }, mgr.client);
check('manager: queue of all tenants', r.structuredContent.awaiting_review === Number(env.L0_PENDING_ALL) && r.structuredContent.tenants.length >= 2, JSON.stringify(r.structuredContent));
r = await call('explain_normalization', { text: 'I forgot my password', tenant: 'acme' }, mgr.client);
check('manager: explain with another tenant pack', r.isError === false && r.structuredContent.intent === 'reset_password');
res = await mgr.client.readResource({ uri: 'l0://tenants/policies' });
equal('manager: policies of every tenant', JSON.parse(res.contents[0].text).tenants.map((t) => t.name), ['acme', 'beta', 'ops']);
await mgr.client.close();

// --- the transport, raw ---------------------------------------------------------------------
const headers = (extra = {}) => ({
  'Content-Type': 'application/json',
  Accept: 'application/json, text/event-stream',
  ...extra,
});
const post = (body, extra = {}) => fetch(url, { method: 'POST', headers: headers(extra), body: JSON.stringify(body) });
const init = (version) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const auth = { Authorization: `Bearer ${env.L0_KEY}` };

let resp = await post(init('2025-06-18'));
check('no key: 401', resp.status === 401, resp.status);
check('no key: WWW-Authenticate Bearer', (resp.headers.get('www-authenticate') ?? '').startsWith('Bearer'));
check('no key: JSON-RPC error body', (await resp.json()).error?.message.includes('API key'));
resp = await post(init('2025-06-18'), { Authorization: 'Bearer l0-not-a-key' });
check('wrong key: 401', resp.status === 401, resp.status);
check('wrong key: invalid_token', (resp.headers.get('www-authenticate') ?? '').includes('invalid_token'));
// The SDK client gives up on a 401 as well.
try {
  await connect('l0-not-a-key');
  check('SDK connect with a wrong key fails', false);
} catch (e) {
  check('SDK connect with a wrong key fails', String(e).includes('401') || e.code === 401, String(e));
}

resp = await post(init('2025-03-26'), auth);
const raw = await resp.json();
check('older version is kept', raw.result?.protocolVersion === '2025-03-26', JSON.stringify(raw));
const oldSession = resp.headers.get('mcp-session-id');
resp = await post(init('2031-01-01'), auth);
check('unknown version: the newest offered', (await resp.json()).result?.protocolVersion === '2025-11-25');

const list = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
resp = await post(list, auth);
check('no session id: 400', resp.status === 400, resp.status);
resp = await post(list, { ...auth, 'Mcp-Session-Id': 'made-up' });
check('unknown session: 404', resp.status === 404, resp.status);
resp = await post(list, { Authorization: `Bearer ${env.L0_OTHER_KEY}`, 'Mcp-Session-Id': oldSession });
check("another tenant's key cannot use the session: 404", resp.status === 404, resp.status);
resp = await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { ...auth, 'Mcp-Session-Id': oldSession });
check('notification: 202, no body', resp.status === 202 && (await resp.text()) === '');
resp = await post(
  [list, { jsonrpc: '2.0', id: 3, method: 'ping' }],
  { ...auth, 'Mcp-Session-Id': oldSession },
);
const batch = await resp.json();
check('batch in a 2025-03-26 session', Array.isArray(batch) && batch.length === 2 && batch[1].id === 3, JSON.stringify(batch).slice(0, 200));
resp = await post([list], { ...auth, 'Mcp-Session-Id': transport.sessionId });
check('batch in a 2025-11-25 session: 400', resp.status === 400, resp.status);
resp = await post({ jsonrpc: '2.0', id: 4, method: 'prompts/list' }, { ...auth, 'Mcp-Session-Id': oldSession });
check('unknown method: -32601', (await resp.json()).error?.code === -32601);
resp = await post({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { arguments: {} } }, { ...auth, 'Mcp-Session-Id': oldSession });
check('tools/call without name: -32602', (await resp.json()).error?.code === -32602);
resp = await fetch(url, { method: 'POST', headers: headers({ ...auth, 'Mcp-Session-Id': oldSession }), body: '{"jsonrpc": "2.0",' });
check('broken JSON: 400 -32700', resp.status === 400 && (await resp.json()).error?.code === -32700);
resp = await fetch(url, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json', Accept: 'text/html' }, body: JSON.stringify(list) });
check('Accept without JSON and SSE: 406', resp.status === 406, resp.status);
resp = await post(init('2025-06-18'), { ...auth, Origin: 'http://evil.example' });
check('foreign Origin: 403', resp.status === 403, resp.status);
resp = await post(init('2025-06-18'), { ...auth, Origin: 'http://localhost:6274' });
check('loopback Origin is fine', resp.status === 200, resp.status);
resp = await fetch(url, { method: 'GET', headers: { ...auth, Accept: 'text/event-stream', 'Mcp-Session-Id': oldSession } });
check('GET: 405 (no server stream)', resp.status === 405, resp.status);
resp = await post(list, { ...auth, 'Mcp-Session-Id': oldSession, 'MCP-Protocol-Version': '1999-01-01' });
check('unsupported MCP-Protocol-Version: 400', resp.status === 400, resp.status);

// Ending a session: the SDK's DELETE, after which the id is gone.
const ended = transport.sessionId;
await transport.terminateSession();
resp = await post(list, { ...auth, 'Mcp-Session-Id': ended });
check('DELETE ends the session', resp.status === 404, resp.status);
await client.close();

console.log(failed ? `${failed} MCP checks failed` : 'all MCP checks passed');
process.exit(failed ? 1 : 0);
