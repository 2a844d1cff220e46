/**
 * Requests from the OpenAPI document: one arbitrary per operation, valid and
 * invalid (path, query, body, raw body, headers, key), and the plumbing to
 * fill in values from the service's state and send them over real HTTP.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import fc, { type Arbitrary } from 'fast-check';
import { invalid, PoolRef, poolRef, text, valid, type Hints, type JsonSchema } from './schema-arbitraries.ts';

export type Security = 'secret' | 'visitor' | 'none';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** The document's path, `/api/v1/sites/{siteId}`. */
  path: string;
  security: Security;
  parameters: Parameter[];
  body: JsonSchema | null;
  /** Response schemas by status; null when the status has no body. */
  responses: Record<string, JsonSchema | null>;
}

interface OpenApiOperation {
  security?: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
}

/** Every operation of the document. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const schemes = (op.security ?? []).flatMap((s) => Object.keys(s));
      const security: Security = schemes.includes('bearer') ? 'secret' : schemes.includes('publicKey') ? 'visitor' : 'none';
      const responses = Object.fromEntries(Object.entries(op.responses ?? {}).map(([status, response]) =>
        [status, response.content?.['application/json']?.schema ?? null]));
      operations.push({
        method: method.toUpperCase(), path, security, parameters: op.parameters ?? [],
        body: op.requestBody?.content?.['application/json']?.schema ?? null, responses,
      });
    }
  }
  return operations;
}

export type KeyKind =
  | 'live' | 'test' | 'public' | 'none' | 'unknown-secret' | 'revoked' | 'other-account' | 'blocked-address' | 'unknown-public' | 'malformed';

export type BodyDraft =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown; contentType: string }
  | { kind: 'raw'; text: string; contentType: string | null };

/** A request before the service's state is filled in (PoolRef values). */
export interface Draft {
  /** Which part was made invalid, or `valid`. */
  variant: string;
  why: string;
  key: KeyKind;
  keyIn: 'bearer' | 'x-api-key';
  /** Which site (and webhook endpoint) of the pool the request is mostly about. */
  focus: number;
  /** Send the same bytes a second time (an idempotent replay when the request has a key). */
  again: boolean;
  path: Record<string, unknown>;
  query: Array<[string, unknown]>;
  body: BodyDraft;
  headers: Record<string, string>;
}

/** Values known to the service, by the names the document gives them. */
export const hints: Hints = (name) => {
  switch (name) {
    case 'siteId': return fc.oneof({ weight: 6, arbitrary: poolRef('siteId') }, { weight: 1, arbitrary: poolRef('otherSiteId') });
    case 'categoryId': case 'id': return fc.oneof({ weight: 6, arbitrary: poolRef('categoryId') }, { weight: 1, arbitrary: poolRef('otherCategoryId') });
    case 'endpointId': return poolRef('endpointId');
    case 'deliveryId': return poolRef('deliveryId');
    case 'keyId': return fc.oneof({ weight: 4, arbitrary: poolRef('keyId') }, { weight: 1, arbitrary: poolRef('otherKeyId') });
    case 'consentId': return poolRef('consentId');
    case 'publicKey': case 'api_key': return fc.oneof({ weight: 6, arbitrary: poolRef('publicKey') }, { weight: 1, arbitrary: poolRef('otherPublicKey') });
    case 'categories': return poolRef('choices');
    case 'pageUrl': case 'page_url': return poolRef('pageUrl');
    case 'url': return fc.constantFrom('https://hooks.example.com/consentry', 'http://hooks.example.org/in?x=1');
    case 'entries': return fc.constantFrom([], ['127.0.0.1'], ['127.0.0.0/8', '::1/128'], ['0.0.0.0/0', '::/0'], ['::ffff:127.0.0.1']);
    default: return undefined;
  }
};

/** Path segments that are not ids: traversal, encoded slashes, control characters, very long. */
const badSegment = fc.oneof(
  fc.constantFrom('', ' ', '.', '..', '%2F', '%00', '%', '%zz', 'a/b', '..%2f..%2fetc', 'null', 'undefined', '__proto__', 'constructor', '-1', '0'),
  text(1, 20),
  fc.integer({ min: 65, max: 3000 }).map((n) => 'x'.repeat(n)),
);

/** Raw bodies: not JSON, empty, other media types, nesting deep enough to hurt a recursive parser, or over the limit. */
function rawBodies(valid: Arbitrary<unknown>): Arbitrary<{ body: BodyDraft; why: string }> {
  const json = (why: string, contentType: string | null, make: (v: unknown) => string) =>
    valid.map((v) => ({ body: { kind: 'raw' as const, text: make(v), contentType }, why }));
  return fc.oneof(
    json('truncated JSON', 'application/json', (v) => JSON.stringify(v).slice(0, -1)),
    json('trailing garbage', 'application/json', (v) => `${JSON.stringify(v)},`),
    json('single quotes', 'application/json', (v) => JSON.stringify(v).replaceAll('"', '\'')),
    json('BOM before JSON', 'application/json', (v) => `\ufeff${JSON.stringify(v)}`),
    json('JSON as text/plain (a beacon)', 'text/plain;charset=UTF-8', (v) => JSON.stringify(v)),
    json('JSON without a content type', null, (v) => JSON.stringify(v)),
    json('JSON as form data', 'application/x-www-form-urlencoded', (v) => JSON.stringify(v)),
    json('JSON as text/html', 'text/html', (v) => JSON.stringify(v)),
    json('JSON with charset latin1', 'application/json; charset=iso-8859-1', (v) => JSON.stringify(v)),
    fc.constantFrom('', ' ', 'null', '[]', '0', '"text"', 'true', '{', '{"a":}', 'NaN', '{"a":1}{"b":2}', '\u0000').map((t) =>
      ({ body: { kind: 'raw' as const, text: t, contentType: 'application/json' }, why: `body ${JSON.stringify(t)}` })),
    fc.constantFrom(
      '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '{"\\u005f_proto__":{"x":1}}',
      '{"categories":{"__proto__":true}}', '{"config":{"texts":{"__proto__":{"title":"x"}}}}',
    ).map((t) => ({ body: { kind: 'raw' as const, text: t, contentType: 'application/json' }, why: 'prototype keys' })),
    fc.tuple(fc.integer({ min: 1_000, max: 100_000 }), fc.constantFrom(['[', ']'], ['{"a":', '}'])).map(([depth, [open, close]]) =>
      ({ body: { kind: 'raw' as const, text: `${open!.repeat(depth)}1${close!.repeat(depth)}`, contentType: 'application/json' }, why: `nested ${depth} deep` })),
    fc.constantFrom(1024 * 1024 + 1, 2 * 1024 * 1024).map((size) =>
      ({ body: { kind: 'raw' as const, text: `{"name":"${'a'.repeat(size)}"}`, contentType: 'application/json' }, why: 'over the body limit' })),
  );
}

const keyKinds: Record<Security, Array<[KeyKind, number]>> = {
  secret: [['live', 10], ['test', 8], ['public', 1], ['none', 1], ['unknown-secret', 1], ['revoked', 1], ['other-account', 1], ['blocked-address', 1], ['malformed', 1]],
  visitor: [['public', 12], ['none', 3], ['live', 2], ['test', 2], ['unknown-public', 1], ['malformed', 1]],
  none: [['none', 6], ['public', 1], ['live', 1], ['test', 1], ['malformed', 1]],
};

function keyArbitrary(security: Security): Arbitrary<KeyKind> {
  return fc.oneof(...keyKinds[security].map(([kind, weight]) => ({ weight, arbitrary: fc.constant(kind) })));
}

/** Headers every request may carry: idempotency keys (a small pool, so they get reused), versions, forwarded addresses. */
const optionalHeaders = fc.record({
  'idempotency-key': fc.constantFrom('fuzz-idem-1', 'fuzz-idem-2', 'fuzz-idem-3'),
  'user-agent': text(0, 60).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
}, { requiredKeys: [] }).map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>);

const badHeaders = fc.oneof(
  fc.constantFrom('', ' ', 'has space', 'x'.repeat(300), 'é').map((v) => ({ headers: { 'idempotency-key': v.replace(/[^\x20-\x7e]/g, '?') }, why: 'bad Idempotency-Key' })),
  fc.constantFrom('2', 'v2', '0', 'x', '1.0', '').map((v) => ({ headers: { 'x-api-version': v }, why: `X-API-Version ${v}` })),
  fc.constantFrom('not-an-ip', '999.1.1.1', '1.2.3.4, 5.6.7.8', '::ffff:1.2.3.4', '2001:db8::1', 'unknown, ,').map((v) => ({ headers: { 'x-forwarded-for': v }, why: `X-Forwarded-For ${v}` })),
  fc.constantFrom('application/xml', 'text/html', '*/*').map((v) => ({ headers: { accept: v }, why: `Accept ${v}` })),
);

/** Query values that are not what the parameter takes, or parameters that do not exist. */
function badQuery(op: Operation): Arbitrary<{ query: Array<[string, unknown]>; why: string }> {
  const params = op.parameters.filter((p) => p.in === 'query');
  const ways: Array<Arbitrary<{ query: Array<[string, unknown]>; why: string }>> = [
    fc.tuple(fc.constantFrom('foo', '__proto__', 'constructor', 'api_version', 'limit[]', 'sort'), text(0, 10))
      .map(([name, value]) => ({ query: [[name, value]], why: `query ${name}` })),
  ];
  if (params.length) {
    ways.push(fc.constantFrom(...params).chain((p) => invalid(p.schema, hints, p.name).map((b) => ({ query: [[p.name, b.value]] as Array<[string, unknown]>, why: `query ${b.why}` }))));
    ways.push(fc.constantFrom(...params).chain((p) => fc.tuple(valid(p.schema, hints, p.name), valid(p.schema, hints, p.name))
      .map(([a, b]) => ({ query: [[p.name, a], [p.name, b]] as Array<[string, unknown]>, why: `query ${p.name} twice` }))));
  }
  return fc.oneof(...ways);
}

/** Every kind of request for one operation, most of them valid. */
export function requestArbitrary(op: Operation): Arbitrary<Draft> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const validPath = fc.record(Object.fromEntries(pathParams.map((p) => [p.name, valid(p.schema, hints, p.name)])));
  const validQuery = fc.record(Object.fromEntries(queryParams.map((p) => [p.name, valid(p.schema, hints, p.name)])), {
    requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name),
  }).map((q) => Object.entries(q).filter(([, v]) => v !== undefined) as Array<[string, unknown]>);
  const bodySchema = op.body;
  const validBody: Arbitrary<BodyDraft> = bodySchema
    ? fc.tuple(valid(bodySchema, hints), fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain'))
      .map(([value, contentType]) => ({ kind: 'json' as const, value, contentType: op.security === 'visitor' || contentType !== 'text/plain' ? contentType : 'application/json' }))
    : fc.constant({ kind: 'none' as const });
  const base = fc.record({
    key: keyArbitrary(op.security),
    keyIn: fc.constantFrom('bearer' as const, 'x-api-key' as const),
    focus: fc.nat(),
    again: fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    path: validPath,
    query: validQuery,
    body: validBody,
    headers: op.method === 'GET' || op.method === 'DELETE' ? fc.constant({}) : fc.oneof({ weight: 5, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: optionalHeaders }),
  });
  const variants: Array<{ weight: number; arbitrary: Arbitrary<Draft> }> = [
    { weight: 10, arbitrary: base.map((b) => ({ ...b, variant: 'valid', why: '' })) },
    { weight: 1, arbitrary: fc.tuple(base, badHeaders).map(([b, bad]) => ({ ...b, headers: { ...b.headers, ...bad.headers }, variant: 'headers', why: bad.why })) },
    { weight: 1, arbitrary: fc.tuple(base, badQuery(op)).map(([b, bad]) => ({ ...b, query: [...b.query, ...bad.query], variant: 'query', why: bad.why })) },
  ];
  if (pathParams.length) {
    const badPath = fc.constantFrom(...pathParams).chain((p) => fc.oneof(
      invalid(p.schema, hints, p.name).map((b) => ({ name: p.name, value: b.value, why: `path ${b.why}` })),
      badSegment.map((value) => ({ name: p.name, value, why: `path ${p.name} ${JSON.stringify(value.slice(0, 20))}` })),
    ));
    variants.push({ weight: 3, arbitrary: fc.tuple(base, badPath).map(([b, bad]) => ({ ...b, path: { ...b.path, [bad.name]: bad.value }, variant: 'path', why: bad.why })) });
  }
  if (bodySchema) {
    variants.push({
      weight: 5,
      arbitrary: fc.tuple(base, invalid(bodySchema, hints)).map(([b, bad]) => ({
        ...b, body: { kind: 'json' as const, value: bad.value, contentType: 'application/json' }, variant: 'body', why: `body ${bad.why || 'wrong type'}`,
      })),
    });
    variants.push({ weight: 2, arbitrary: fc.tuple(base, rawBodies(valid(bodySchema, hints))).map(([b, raw]) => ({ ...b, body: raw.body, variant: 'raw', why: raw.why })) });
    variants.push({ weight: 1, arbitrary: base.map((b) => ({ ...b, body: { kind: 'none' as const }, variant: 'raw', why: 'no body' })) });
  } else if (op.method !== 'GET') {
    variants.push({ weight: 1, arbitrary: fc.tuple(base, rawBodies(fc.jsonValue({ maxDepth: 2 }))).map(([b, raw]) => ({ ...b, body: raw.body, variant: 'raw', why: `unexpected body, ${raw.why}` })) });
  }
  return fc.oneof(...variants);
}

/** Routes the document does not have: unknown paths, and known paths with another method. */
export function strayArbitrary(operations: Operation[]): Arbitrary<{ method: string; path: string }> {
  const known = new Set(operations.map((o) => `${o.method} ${o.path}`));
  const wrongMethod = fc.tuple(fc.constantFrom(...operations.map((o) => o.path)), fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'))
    .filter(([path, method]) => !known.has(`${method} ${path}`))
    .map(([path, method]) => ({ method, path: path.replace(/\{[^}]+\}/g, 'abc_123') }));
  const unknownPath = fc.tuple(fc.constantFrom('GET', 'POST', 'DELETE'), fc.constantFrom('/api/v1/', '/api/v2/', '/', '/api/v1/sites/x/y/z/', '/api/'), text(0, 20))
    .map(([method, prefix, rest]) => ({ method, path: `${prefix}${encodeSegment(rest)}` }));
  return fc.oneof(wrongMethod, unknownPath);
}

/** Percent-encodes every byte outside the unreserved set (lone surrogates become U+FFFD, as in any UTF-8 encoder). */
export function encodeSegment(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Replaces every PoolRef in a value with what `resolve` answers for it. */
export function fill(value: unknown, resolve: (ref: PoolRef) => unknown): unknown {
  if (value instanceof PoolRef) return resolve(value);
  if (Array.isArray(value)) return value.map((v) => fill(v, resolve));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      Object.defineProperty(out, key, { value: fill((value as Record<string, unknown>)[key], resolve), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

export function queryText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** One HTTP request on loopback; a connection that ends without an answer is an error. */
export function send(base: string, request: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // Content-Length always: Node sends a DELETE's body without one, and the service would read it as the next request.
    const headers = request.body === null ? request.headers : { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) };
    const req = httpRequest(base + request.url, { method: request.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // The service may answer 413 and close before the whole body is written: the answer wins over EPIPE.
    req.on('error', (error) => setTimeout(() => reject(error), 50));
    req.end(request.body ?? undefined);
  });
}

export function closeAgent(): void {
  agent.destroy();
}
