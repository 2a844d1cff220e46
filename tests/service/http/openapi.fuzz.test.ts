/**
 * Property-based fuzzing of the whole API from the OpenAPI document the
 * service serves: for every operation, requests made from its parameter and
 * body schemas, valid and broken, with a live key, a test key, a public key,
 * no key or a wrong one, against the real app on a real store. Every answer
 * must hold:
 *  - no 5xx, ever;
 *  - an error is the documented error object, with a known code whose status is the answer's;
 *  - a refused request (and any GET) leaves the stored data as it was;
 *  - a 2xx body matches the response schema of the document.
 *
 * Seeded and bounded: seed 2026 unless CONSENTRY_FUZZ_SEED (a number, or `random`), CONSENTRY_FUZZ_RUNS
 * sets the requests per operation (default 30; try 500 for a long run),
 * CONSENTRY_FUZZ_SHRINK=1 shrinks a failure (off by default: the service's
 * state moves on between tries). The counts by route and status are printed
 * at the end.
 */
import { createHash } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../src/shared/consent.ts';
import { postgresUrl, TestService } from '../harness.ts';
import {
  closeAgent, encodeSegment, fill, operationsOf, queryText, requestArbitrary, send, strayArbitrary,
  type Answer, type Draft, type OpenApiDocument, type Operation, type Sent,
} from '../fuzz/requests.ts';
import { PoolRef, type JsonSchema } from '../fuzz/schema-arbitraries.ts';

// A fixed seed by default, so a landing is judged on the same requests every run; `random` explores.
const SEED_SETTING = process.env.CONSENTRY_FUZZ_SEED ?? '2026';
const SEED = SEED_SETTING === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(SEED_SETTING);
const RUNS = Number(process.env.CONSENTRY_FUZZ_RUNS ?? 30);
const SHRINK = process.env.CONSENTRY_FUZZ_SHRINK === '1';
console.log(`api fuzz: seed ${SEED}, ${RUNS} requests per operation (CONSENTRY_FUZZ_SEED=${SEED} replays this run)`);

const service = await new TestService().start();
const document = JSON.parse((await send(service.url.replace(/\/api\/v1$/, ''), { method: 'GET', url: '/api/v1/openapi.json', headers: {}, body: null })).text) as OpenApiDocument;
const operations = operationsOf(document);
const base = service.url.replace(/\/api\/v1$/, '');
const statusOfCode = new Map<string, number>(
  (JSON.parse((await send(base, { method: 'GET', url: '/api/v1/errors', headers: {}, body: null })).text).data as Array<{ code: string; status: number }>)
    .map((e) => [e.code, e.status]),
);

// ---------------------------------------------------------------------------------------------------------------
// Fixtures: the account the fuzzer works in (A), another account (B, on a limited plan), one whose allowlist
// shuts out loopback (C), and keys of every kind.

const api = (method: string, path: string, key: string | null, body?: unknown) => service.request(method, path, { key, ...(body !== undefined && { body }) });

const a = await service.account('Fuzz A');
const testKey = (await api('POST', '/keys', a.secretKey, { name: 'fuzz test key', mode: 'test' })).body.secretKey as string;
const revoked = (await api('POST', '/keys', a.secretKey, { name: 'revoked' })).body;
await api('DELETE', `/keys/${revoked.key.id}`, a.secretKey);
const b = await service.account('Fuzz B', 'pro');
const c = await service.account('Fuzz C');
await api('PUT', '/account/ip-allowlist', c.secretKey, { entries: ['10.0.0.0/8'] });
const protectedKeys = new Set<string>();
for (const key of (await service.store.listApiKeys(a.accountId))) if (key.name === 'default' || key.name === 'fuzz test key') protectedKeys.add(key.id);

const KEYS: Record<string, string | null> = {
  live: a.secretKey, test: testKey, none: null, 'unknown-secret': `ck_${'x'.repeat(40)}`, revoked: revoked.secretKey,
  'other-account': b.secretKey, 'blocked-address': c.secretKey, 'unknown-public': `pk_${'y'.repeat(32)}`,
};

async function seedAccount(key: string, name: string): Promise<void> {
  const site = (await api('POST', '/sites', key, { name, domain: `${name.toLowerCase().replace(/\W/g, '-')}.example.com` })).body.site;
  await api('POST', '/webhooks', key, { url: 'https://hooks.example.com/consentry', events: ['consent.given', 'consent.rejected', 'consent.updated'] });
  await service.request('POST', '/consent/log', {
    key: site.publicKey, body: { consentId: 'fuzz-visitor-1', action: 'accept_all', categories: { analytics: true }, policyVersion: '1' },
  });
}
await seedAccount(a.secretKey, 'Fuzz A one');
await seedAccount(a.secretKey, 'Fuzz A two');
await seedAccount(b.secretKey, 'Fuzz B one');
await api('POST', '/keys', a.secretKey, { name: 'victim' });

// ---------------------------------------------------------------------------------------------------------------
// The pool: ids and keys that exist, read from the store after every change, so requests reach past the 404s.
// Values of one request mostly belong together (the site of the key, its categories, its visitors).

interface PoolSite {
  id: string;
  publicKey: string;
  domain: string;
  active: boolean;
  categoryIds: string[];
  categoryKeys: string[];
  consentIds: string[];
}

interface Pool {
  sites: PoolSite[];
  /** Endpoints with the most deliveries first, each with its deliveries. */
  endpoints: Array<{ id: string; deliveryIds: string[] }>;
  keyIds: string[];
  other: { siteId: string[]; categoryId: string[]; publicKey: string[]; keyId: string[] };
}

async function accountState(accountId: string) {
  // A dozen sites (the first four, deleted or not, and live ones) and endpoints are plenty to aim at, and keep this
  // cheap however many the run creates.
  const first = (await service.store.listSites(accountId, { limit: 4, offset: 0 })).sites;
  const live = (await service.store.listSites(accountId, { limit: 8, offset: 0 }, 'active')).sites;
  const sites = [...first, ...live.filter((s) => !first.some((f) => f.id === s.id))];
  const categories = await Promise.all(sites.map((s) => service.store.listCategories(s.id)));
  const events = await Promise.all(sites.map((s) => service.store.listConsentEvents(s.id, { limit: 10, offset: 0 })));
  const endpoints = (await service.store.listWebhookEndpoints(accountId)).slice(0, 12);
  const deliveries = await Promise.all(endpoints.map((e) => service.store.listDeliveries(e.id, { limit: 10, offset: 0 })));
  const keys = await service.store.listApiKeys(accountId);
  return {
    sites: sites.map((site, i): PoolSite => ({
      id: site.id, publicKey: site.publicKey, domain: site.domain, active: site.status === 'active',
      categoryIds: categories[i]!.map((c) => c.id), categoryKeys: categories[i]!.map((c) => c.key), consentIds: [...new Set(events[i]!.events.map((e) => e.consentId))],
    })),
    endpoints: endpoints.map((e, i) => ({ id: e.id, deliveryIds: deliveries[i]!.deliveries.map((d) => d.id) }))
      .sort((x, y) => y.deliveryIds.length - x.deliveryIds.length),
    keys,
  };
}

let pool: Pool;
const other = await accountState(b.accountId);

async function refreshPool(): Promise<void> {
  let mine = await accountState(a.accountId);
  // Keep something to work on: two live sites, an endpoint, a key that may be revoked.
  let replenished = false;
  if (mine.sites.filter((s) => s.active).length < 2) {
    await api('POST', '/sites', a.secretKey, { name: 'Fuzz A again', domain: 'again.example.com' });
    replenished = true;
  }
  if (mine.endpoints.length === 0) {
    await api('POST', '/webhooks', a.secretKey, { url: 'https://hooks.example.com/consentry', events: ['consent.given'] });
    replenished = true;
  }
  if (!mine.keys.some((k) => !protectedKeys.has(k.id) && !k.revokedAt)) {
    await api('POST', '/keys', a.secretKey, { name: 'victim' });
    replenished = true;
  }
  if (replenished) mine = await accountState(a.accountId);
  // And a delivery to send again: an endpoint subscribed to consents, and a consent.
  const site = mine.sites.find((s) => s.active);
  if (!mine.endpoints.some((e) => e.deliveryIds.length) && site) {
    const hook = { url: 'https://hooks.example.com/consentry', events: ['consent.given'], enabled: true };
    const id = mine.endpoints[0]?.id ?? (await api('POST', '/webhooks', a.secretKey, hook)).body.endpoint.id;
    await api('PATCH', `/webhooks/${id}`, a.secretKey, hook);
    await service.request('POST', '/consent/log', { key: site.publicKey, body: { consentId: 'fuzz-visitor-2', action: 'accept_all', categories: {}, policyVersion: '1' } });
    mine = await accountState(a.accountId);
  }
  pool = {
    sites: mine.sites,
    endpoints: mine.endpoints,
    keyIds: mine.keys.filter((k) => !protectedKeys.has(k.id)).map((k) => k.id),
    other: {
      siteId: other.sites.map((s) => s.id), categoryId: other.sites.flatMap((s) => s.categoryIds),
      publicKey: other.sites.map((s) => s.publicKey), keyId: other.keys.map((k) => k.id),
    },
  };
}
await refreshPool();

const NOTHING = '0000000000000000nothing';

/**
 * A pool value for one request. `focus` picks the request's site (an active one, nine times in ten) and endpoint;
 * one reference in six ignores it and takes any site, so mismatched pairs are tried too.
 */
function resolver(focus: number) {
  const pick = <T>(list: T[], n: number, fallback: T): T => (list.length ? list[n % list.length]! : fallback);
  const active = pool.sites.filter((s) => s.active);
  const focused = pick(focus % 10 && active.length ? active : pool.sites, focus, undefined);
  const endpoint = pick(pool.endpoints, focus % 3 ? 0 : focus, undefined);
  return (ref: PoolRef): unknown => {
    const site = ref.pick % 6 === 0 ? pick(pool.sites, ref.pick, focused) : focused;
    switch (ref.kind) {
      case 'siteId': return site?.id ?? `site_${NOTHING}`;
      case 'publicKey': return site?.publicKey ?? `pk_${NOTHING}`;
      case 'categoryId': return pick(site?.categoryIds ?? [], ref.pick, `cat_${NOTHING}`);
      case 'consentId': return pick(site?.consentIds ?? [], ref.pick, `visitor-${NOTHING}`);
      case 'choices': {
        const keys = focused?.categoryKeys ?? [];
        return Object.fromEntries(keys.filter((_, i) => (ref.pick >> i) & 1).map((k, i) => [k, ((ref.pick >> (i + 8)) & 1) === 1]));
      }
      case 'pageUrl': return `https://${site?.domain ?? 'example.com'}/page-${ref.pick % 7}?q=${ref.pick % 3}#top`;
      case 'endpointId': return endpoint?.id ?? `wh_${NOTHING}`;
      case 'deliveryId': return pick(endpoint?.deliveryIds ?? [], ref.pick, `msg_${NOTHING}`);
      case 'keyId': return pick(pool.keyIds, ref.pick, `key_${NOTHING}`);
      case 'otherSiteId': return pick(pool.other.siteId, ref.pick, `site_${NOTHING}`);
      case 'otherCategoryId': return pick(pool.other.categoryId, ref.pick, `cat_${NOTHING}`);
      case 'otherPublicKey': return pick(pool.other.publicKey, ref.pick, `pk_${NOTHING}`);
      case 'otherKeyId': return pick(pool.other.keyId, ref.pick, `key_${NOTHING}`);
      default: throw new Error(`no pool for ${ref.kind}`);
    }
  };
}

// ---------------------------------------------------------------------------------------------------------------
// From a draft to bytes on the wire.

function materialise(op: Pick<Operation, 'method' | 'path'>, draft: Draft): Sent {
  const resolve = resolver(draft.focus);
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeSegment(queryText(fill(draft.path[name], resolve))));
  const query = new URLSearchParams(draft.query.map(([name, value]) => [name, queryText(fill(value, resolve))])).toString();
  const headers: Record<string, string> = { ...draft.headers };
  const key = draft.key === 'public' ? String(resolve(new PoolRef('publicKey', 1))) : KEYS[draft.key];
  if (draft.key === 'malformed') headers.authorization = 'Basic Zm9vOmJhcg==';
  else if (key) {
    if (draft.keyIn === 'bearer') headers.authorization = `Bearer ${key}`;
    else headers['x-api-key'] = key;
  }
  let body: string | null = null;
  if (draft.body.kind === 'json') {
    body = JSON.stringify(fill(draft.body.value, resolve)) ?? 'null';
    headers['content-type'] = draft.body.contentType;
  } else if (draft.body.kind === 'raw') {
    body = draft.body.text;
    if (draft.body.contentType) headers['content-type'] = draft.body.contentType;
  }
  return { method: op.method, url: `${path}${query ? `?${query}` : ''}`, headers, body };
}

// ---------------------------------------------------------------------------------------------------------------
// What is stored: every table a request could write, less the audit log and idempotency keys (which record
// refused calls by design) and the delivery columns the background dispatcher updates.

/** Each table with the columns compared (all, or those the dispatcher does not update) and its key. */
const TABLES: Array<[string, string[] | null, string]> = [
  ['accounts', null, 'id'],
  ['api_keys', null, 'id'],
  ['sites', null, 'id'],
  ['categories', null, 'id'],
  ['consent_events', null, 'id'],
  ['pageview_counts', null, 'site_id, month'],
  ['pageview_sessions', null, 'site_id, session_id, page_url'],
  ['webhook_endpoints', null, 'id'],
  ['webhook_deliveries', ['id', 'endpoint_id', 'account_id', 'event_type', 'payload', 'max_attempts', 'created_at'], 'id'],
  ['quota_warnings', null, 'site_id, month, threshold'],
];

/**
 * One statement that reads every table as one text each (PostgreSQL hashes it there), so a snapshot is one round
 * trip and no row objects, however many rows the run has written.
 */
async function snapshotQuery(): Promise<string> {
  const parts: string[] = [];
  for (const [table, columns, order] of TABLES) {
    if (postgresUrl) {
      parts.push(`(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM (SELECT ${columns?.join(', ') ?? '*'} FROM ${table}) x) AS ${table}`);
    } else {
      const names = columns ?? (await service.store.sql.all(`PRAGMA table_info(${table})`, [])).map((c) => String(c.name));
      parts.push(`(SELECT group_concat(line, char(10)) FROM (SELECT ${names.map((n) => `quote(${n})`).join(` || ',' || `)} AS line FROM ${table} ORDER BY ${order})) AS ${table}`);
    }
  }
  return `SELECT ${parts.join(',\n  ')}`;
}
const SNAPSHOT = await snapshotQuery();

type Snapshot = Map<string, string>;

/** Where the run's time goes: the service's answers, or the suite's own reading of the store. */
const spent = { answers: 0, snapshots: 0, pool: 0 };
async function timed<T>(part: keyof typeof spent, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    spent[part] += performance.now() - start;
  }
}

function snapshot(): Promise<Snapshot> {
  return timed('snapshots', async () => {
    const row = (await service.store.sql.all(SNAPSHOT, []))[0] ?? {};
    return new Map(TABLES.map(([table]) => [table, createHash('sha1').update(String(row[table] ?? '')).digest('hex')]));
  });
}

const changedTables = (before: Snapshot, after: Snapshot) => [...before.keys()].filter((t) => before.get(t) !== after.get(t));

// ---------------------------------------------------------------------------------------------------------------
// The properties of one answer.

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true, validateFormats: true }));
const validators = new Map<JsonSchema, ReturnType<typeof ajv.compile>>();
function validate(schema: JsonSchema, value: unknown): string | null {
  let check = validators.get(schema);
  if (!check) validators.set(schema, check = ajv.compile(schema));
  return check(value) ? null : ajv.errorsText(check.errors, { separator: '; ' });
}

const ERROR_FIELDS = ['code', 'details', 'documentation_url', 'message', 'request_id'];

function errorProblems(answer: Answer, body: any): string[] {
  const problems: string[] = [];
  if (!body || typeof body !== 'object' || body.success !== false || typeof body.error !== 'object' || body.error === null) {
    return [`error answer is not {success:false, error:{…}}: ${answer.text.slice(0, 300)}`];
  }
  const { error } = body;
  if (Object.keys(body).sort().join() !== 'error,success') problems.push(`error answer has other fields: ${Object.keys(body)}`);
  if (Object.keys(error).sort().join() !== ERROR_FIELDS.join()) problems.push(`error object has fields ${Object.keys(error).sort()}`);
  if (!(ERROR_CODES as readonly string[]).includes(error.code)) problems.push(`unknown error code ${error.code}`);
  else if (statusOfCode.get(error.code) !== answer.status) problems.push(`code ${error.code} belongs to ${statusOfCode.get(error.code)}, answered ${answer.status}`);
  if (typeof error.message !== 'string' || !error.message) problems.push('error message is not a text');
  if (error.details !== null && (typeof error.details !== 'object' || Array.isArray(error.details))) problems.push('error details is neither null nor an object');
  if (typeof error.request_id !== 'string' || error.request_id !== answer.headers['x-request-id']) problems.push('request_id differs from X-Request-ID');
  if (typeof error.documentation_url !== 'string' || !error.documentation_url.endsWith(`#${error.code}`)) problems.push('documentation_url does not name the code');
  return problems;
}

function parse(answer: Answer): { ok: boolean; value: unknown } {
  try {
    return { ok: true, value: answer.text ? JSON.parse(answer.text) : null };
  } catch {
    return { ok: false, value: null };
  }
}

function answerProblems(op: Operation | null, answer: Answer, before: Snapshot, after: Snapshot, method: string): string[] {
  const problems: string[] = [];
  const { status } = answer;
  if (status >= 500) problems.push(`${status} answered`);
  const refused = status >= 400;
  if (refused || method === 'GET') {
    const changed = changedTables(before, after);
    if (changed.length) problems.push(`${refused ? `refused (${status})` : 'GET'} but stored data changed: ${changed.join(', ')}`);
  }
  const json = /^application\/json/.test(String(answer.headers['content-type'] ?? ''));
  const parsed = parse(answer);
  if (refused) {
    if (!json || !parsed.ok) problems.push(`error answer is not JSON (${answer.headers['content-type']}): ${answer.text.slice(0, 200)}`);
    else problems.push(...errorProblems(answer, parsed.value));
    return problems;
  }
  if (status < 200 || status >= 300 || !op) return problems;
  if (!(String(status) in op.responses)) return [...problems, `${status} is not a documented answer`];
  const schema = op.responses[String(status)];
  if (!schema) {
    if (answer.text) problems.push(`${status} should have no body, has ${answer.text.slice(0, 100)}`);
    return problems;
  }
  if (!json) {
    // A stream (the export) is documented as one text.
    const error = validate(schema, answer.text);
    if (error) problems.push(`${status} ${answer.headers['content-type']} body off the document: ${error}`);
    return problems;
  }
  if (!parsed.ok) return [...problems, `${status} body is not JSON: ${answer.text.slice(0, 200)}`];
  const error = validate(schema, parsed.value);
  if (error) problems.push(`${status} body off the document's schema: ${error}; body ${answer.text.slice(0, 300)}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Counting, and the summary at the end.

const counts = new Map<string, Map<number, number>>();
const byVariant = new Map<string, Map<string, number>>();
const byKey = new Map<string, Map<string, number>>();
const undocumented = new Map<string, Map<number, number>>();
let total = 0;
const started = performance.now();

function bump<K>(map: Map<string, Map<K, number>>, row: string, column: K): void {
  let inner = map.get(row);
  if (!inner) map.set(row, inner = new Map());
  inner.set(column, (inner.get(column) ?? 0) + 1);
}

function record(route: string, op: Operation | null, draft: Draft | null, status: number): void {
  total += 1;
  bump(counts, route, status);
  const statusClass = `${Math.floor(status / 100)}xx`;
  if (draft) {
    bump(byVariant, draft.variant, statusClass);
    bump(byKey, draft.key, statusClass);
  }
  if (op && !(String(status) in op.responses)) bump(undocumented, route, status);
}

const line = (m: Map<unknown, number>) => [...m].sort((x, y) => String(x[0]).localeCompare(String(y[0]))).map(([k, n]) => `${k}×${n}`).join(' ');

afterAll(async () => {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const rows = [...counts].sort(([x], [y]) => x.localeCompare(y)).map(([route, m]) =>
    `  ${route.padEnd(72)} ${String([...m.values()].reduce((s, n) => s + n, 0)).padStart(5)}  ${line(m)}`);
  console.log([
    `api fuzz summary: ${total} requests in ${seconds} s, seed ${SEED}, ${RUNS} per operation (${service.store.constructor.name}); `
      + `waiting for answers ${(spent.answers / 1000).toFixed(1)} s, store snapshots ${(spent.snapshots / 1000).toFixed(1)} s, pool ${(spent.pool / 1000).toFixed(1)} s`,
    ...rows,
    '  by variant:', ...[...byVariant].map(([v, m]) => `    ${v.padEnd(10)} ${line(m)}`),
    '  by key:', ...[...byKey].map(([k, m]) => `    ${k.padEnd(16)} ${line(m)}`),
    '  statuses the document does not list for the route:', ...[...undocumented].map(([r, m]) => `    ${r.padEnd(70)} ${line(m)}`),
  ].join('\n'));
  closeAgent();
  await service.stop();
});

// ---------------------------------------------------------------------------------------------------------------

let current = await snapshot();

/** Sends one request and checks its answer; the snapshot after it is the next one's before. */
async function exercise(route: string, op: Operation | null, sent: Sent, draft: Draft | null): Promise<Answer> {
  const before = current;
  let answer: Answer;
  try {
    answer = await timed('answers', () => send(base, sent));
  } catch (error) {
    throw new Error(`${route}: no answer (${(error as Error).message})\n${show(sent, draft)}`);
  }
  current = await snapshot();
  record(route, op, draft, answer.status);
  const problems = answerProblems(op, answer, before, current, sent.method);
  if (answer.status < 400 && sent.method !== 'GET') {
    if (/allowlist/.test(sent.url)) await service.store.setAccountAllowlist(a.accountId, []);
    await timed('pool', refreshPool);
    current = await snapshot();
  }
  if (process.env.CONSENTRY_FUZZ_DEBUG && draft?.variant === 'valid' && answer.status >= 400) {
    console.log(`${route} valid → ${answer.status} ${answer.text.slice(0, 300)}\n    ${sent.body?.slice(0, 300)}`);
  }
  if (problems.length) {
    throw new Error(`${route} (seed ${SEED}):\n  - ${problems.join('\n  - ')}\n${show(sent, draft)}\n  answer ${answer.status}: ${answer.text.slice(0, 500)}`);
  }
  return answer;
}

/** The same bytes again: checked like any request, and with an Idempotency-Key it must get the same status. */
async function again(route: string, op: Operation, sent: Sent, draft: Draft, first: Answer): Promise<void> {
  const second = await exercise(route, op, sent, { ...draft, variant: 'again' });
  const statuses = [first.status, second.status];
  const idempotent = ['POST', 'PUT', 'PATCH'].includes(sent.method) && sent.headers['idempotency-key'];
  if (idempotent && !statuses.includes(429) && first.status !== second.status) {
    throw new Error(`${route} (seed ${SEED}): the same request with its Idempotency-Key answered ${first.status}, then ${second.status}\n${show(sent, draft)}\n  answer ${second.text.slice(0, 300)}`);
  }
}

function show(sent: Sent, draft: Draft | null): string {
  const body = sent.body === null ? '' : sent.body.length > 600 ? `${sent.body.slice(0, 600)}… (${sent.body.length} chars)` : sent.body;
  const url = sent.url.length > 300 ? `${sent.url.slice(0, 300)}… (${sent.url.length} chars)` : sent.url;
  return `  request ${sent.method} ${url}${draft ? ` [${draft.variant}${draft.why ? `: ${draft.why}` : ''}; key ${draft.key}]` : ''}\n  headers ${JSON.stringify(sent.headers)}\n  body ${body}`;
}

const params = (index: number) => ({ seed: SEED + index, numRuns: RUNS, endOnFailure: !SHRINK });
const timeout = 30_000 + RUNS * 1_000;

describe(`API fuzzing from the OpenAPI document (${operations.length} operations)`, () => {
  it('compares stored data that a write changes, in place too', async () => {
    const before = await snapshot();
    const site = pool.sites.find((s) => s.active)!;
    await api('PATCH', `/sites/${site.id}`, a.secretKey, { name: 'Fuzz A renamed' });
    await service.request('POST', '/heartbeat', { key: site.publicKey, body: { session_id: 'fuzz-session-1', page_url: `https://${site.domain}/` } });
    const after = await snapshot();
    expect(changedTables(before, after)).toEqual(['sites', 'pageview_counts', 'pageview_sessions']);
    current = after;
  });

  operations.forEach((op, index) => {
    const route = `${op.method} ${op.path}`;
    it(route, async () => {
      await fc.assert(fc.asyncProperty(requestArbitrary(op), async (draft) => {
        const sent = materialise(op, draft);
        const first = await exercise(route, op, sent, draft);
        if (draft.again) await again(route, op, sent, draft, first);
      }), params(index));
    }, timeout);
  });

  it('routes the document does not have', async () => {
    await fc.assert(fc.asyncProperty(strayArbitrary(operations), async (stray) => {
      await exercise('(no such route)', null, { method: stray.method, url: stray.path, headers: { authorization: `Bearer ${a.secretKey}` }, body: null }, null);
    }), params(operations.length));
  }, timeout);
});
