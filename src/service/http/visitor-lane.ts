import type { IncomingMessage, ServerResponse } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { ValidateFunction } from 'ajv';
import type { FastifyBaseLogger } from 'fastify';
import secureJson from 'secure-json-parse';
import type { ServiceConfig } from '../config.ts';
import { ApiError } from '../domain/errors.ts';
import { ipWindow, siteWindow, type RateDecision, type RateWindow } from '../domain/limits.ts';
import type { VisitorView } from '../domain/sites.ts';
import { checkVisitorSite, visitorKey } from './auth.ts';
import { errorBody, fieldErrors, STATUS_OF, toApiError } from './errors.ts';
import { applyRate, CORS_HEADERS, newRequestId, rate, recordAudit, showsRate, SUPPORTED_API_VERSIONS, visitorKeyId, type PolicyDeps } from './policies.ts';
import type { visitorWrites, VisitorWrite } from './routes/visitor.ts';
import { AFTER_FAILURE, VISITOR_WRITE_STEPS, type Steps, type VisitorWriteStep } from './steps.ts';

const PREFIX = '/api/v1';
const JSON_TYPE = 'application/json; charset=utf-8';
const PARSE_OPTIONS = { protoAction: 'error', constructorAction: 'error' } as const;

interface LaneWrite {
  route: string;
  status: number;
  validate: ValidateFunction;
  run(write: VisitorWrite<never>): Promise<unknown>;
}

/** One visitor write on its way through the lane's steps. */
interface LaneCall {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly write: LaneWrite;
  readonly json: boolean;
  readonly started: number;
  readonly requestId: string;
  readonly headers: Record<string, string | number>;
  ip: string | undefined;
  text: string;
  body: unknown;
  view: VisitorView | null;
  /** The rate decision whose X-RateLimit-* headers the answer carries: the tightest window so far. */
  rateShown: RateDecision | undefined;
  result: unknown;
  /** What the first failing step threw; from then on only the AFTER_FAILURE steps run. */
  error: unknown;
  status: number;
}

type LaneStep = (call: LaneCall) => void | Promise<void>;

export interface VisitorLane {
  /** The steps the lane runs, in order (the list of steps.ts). */
  readonly steps: readonly VisitorWriteStep[];
  /** Serves the request and answers true, or answers false and leaves it to Fastify. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** From now on every request goes to Fastify (which answers 503 while closing). */
  close(): void;
}

/**
 * The direct lane of the two calls every page view makes: a banner's consent
 * write and its heartbeat, nearly all of the service's traffic. They skip the
 * framework's per-request machinery (request and reply objects, a child logger,
 * the hook chain) and run the steps of their Fastify routes (VISITOR_WRITE_STEPS
 * of steps.ts) with the same functions, in the same order.
 *
 * Anything out of the ordinary takes the Fastify route instead, which behaves
 * the same and is what the OpenAPI document describes: a query string, an
 * Idempotency-Key or X-API-Version header, another content type, a closing
 * service.
 */
export function visitorLane(
  deps: PolicyDeps & { config: ServiceConfig; log: FastifyBaseLogger; compile(schema: unknown): ValidateFunction; writes: ReturnType<typeof visitorWrites> },
): VisitorLane {
  const { config, counter, clock, sites, log } = deps;
  const writes = new Map<string, LaneWrite>(Object.entries(deps.writes).map(([path, write]) => [`${PREFIX}${path}`, {
    route: `${PREFIX}${path}`, status: write.status, validate: deps.compile(write.schema), run: write.run as LaneWrite['run'],
  }]));
  const trust = config.trustProxy.length ? proxyAddr.compile(config.trustProxy) : null;
  let open = true;

  const clientIp = (req: IncomingMessage): string | undefined => {
    // Without X-Forwarded-For the address is the socket's, whoever is trusted.
    if (!trust || req.headers['x-forwarded-for'] === undefined) return req.socket.remoteAddress;
    const addresses = proxyAddr.all(req, trust);
    return addresses[addresses.length - 1];
  };

  const steps: Steps<LaneStep> = {
    requestId: (call) => { call.headers['X-Request-ID'] = call.requestId; },
    // A request that names a version takes the Fastify route (see handle), so this one asks for the current one.
    apiVersion: (call) => { call.headers['X-API-Version'] = SUPPORTED_API_VERSIONS[0]!; },
    cors: (call) => { Object.assign(call.headers, CORS_HEADERS); },
    addressLimit: (call) => {
      if (config.ipRateLimit > 0) return limit(call, ipWindow(call.ip ?? 'unknown', config.ipRateLimit, config.ipv6RatePrefix));
    },
    bodyLimit: async (call) => { call.text = await readBody(call.req, config.bodyLimit); },
    jsonParse: (call) => { call.body = parseBody(call.text, call.json); },
    schema: (call) => {
      if (!call.write.validate(call.body)) throw ApiError.validation(fieldErrors(call.write.validate.errors ?? [], 'body'));
    },
    publicKey: (call) => {
      const body = call.body as { api_key?: string; siteId?: string };
      const key = visitorKey(call.req, body);
      const cached = sites.cachedVisitorView(key);
      if (cached !== undefined) {
        call.view = checkVisitorSite(cached, body);
        return undefined;
      }
      return sites.visitorView(key).then((view) => { call.view = checkVisitorSite(view, body); });
    },
    siteLimit: (call) => {
      if (config.siteRateLimit > 0) return limit(call, siteWindow(call.view!.site.id, call.write.route, config.siteRateLimit));
    },
    domainCall: async (call) => {
      const visitor = { ip: call.ip ?? null, userAgent: call.req.headers['user-agent'] ?? null, test: false };
      call.result = await call.write.run({ view: call.view!, body: call.body as never, visitor });
      call.status = call.write.status;
    },
    answer: (call) => {
      let payload: string;
      if (call.error === undefined) {
        payload = JSON.stringify(call.result);
      } else {
        const apiError = toApiError(call.error as Error);
        call.status = STATUS_OF[apiError.code];
        if (call.status >= 500) log.error({ err: call.error, request_id: call.requestId }, 'request failed');
        Object.assign(call.headers, apiError.headers);
        payload = JSON.stringify(errorBody(apiError, call.requestId, config.documentationUrl));
      }
      call.headers['Content-Type'] = JSON_TYPE;
      call.headers['Content-Length'] = Buffer.byteLength(payload);
      call.res.writeHead(call.status, call.headers);
      call.res.end(payload);
    },
    audit: ({ view, write, status, ip, requestId, started }) => recordAudit(deps, {
      accountId: view?.site.accountId ?? null, keyId: view ? visitorKeyId(view.site.id) : null, method: 'POST', route: write.route,
      path: write.route, status, ip, requestId, durationMs: performance.now() - started,
    }, log),
  };
  async function limit(call: LaneCall, windows: RateWindow[]): Promise<void> {
    const decision = await rate(log, counter, windows, clock.now().getTime());
    if (!decision || !showsRate(call.rateShown, decision)) return;
    call.rateShown = decision;
    applyRate(decision, (name, value) => { call.headers[name] = value; });
  }
  const run = VISITOR_WRITE_STEPS.map((name) => ({ name, step: steps[name], afterFailure: AFTER_FAILURE.has(name) }));

  async function serve(write: LaneWrite, json: boolean, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const call: LaneCall = {
      req, res, write, json, started: performance.now(), requestId: newRequestId(), headers: {}, ip: clientIp(req),
      text: '', body: undefined, view: null, rateShown: undefined, result: undefined, error: undefined, status: 500,
    };
    for (const { step, afterFailure } of run) {
      if (call.error !== undefined && !afterFailure) continue;
      try {
        const pending = step(call);
        if (pending) await pending;
      } catch (error) {
        if (call.res.headersSent) throw error;
        call.error = error ?? new Error('step failed');
      }
    }
  }

  return {
    steps: run.map(({ name }) => name),
    handle(req, res) {
      if (!open || req.method !== 'POST') return false;
      const write = writes.get(req.url ?? '');
      if (!write) return false;
      const headers = req.headers;
      if (headers['idempotency-key'] !== undefined || headers['x-api-version'] !== undefined) return false;
      const type = mediaType(headers['content-type']);
      if (type !== 'application/json' && type !== 'text/plain') return false;
      serve(write, type === 'application/json', req, res).catch((error: unknown) => {
        // serve answers every failure itself; only a bug after the answer could land here.
        log.error({ err: error }, 'visitor lane failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
      return true;
    },
    close() {
      open = false;
    },
  };
}

function mediaType(header: string | undefined): string | null {
  if (!header) return null;
  const semicolon = header.indexOf(';');
  return (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
}

/**
 * Fastify's rules: JSON through secure-json-parse (no `__proto__` or
 * `constructor.prototype`); text/plain is a beacon's JSON. A body that spells
 * neither word, even escaped (which needs `\u`), cannot hold them: plain
 * JSON.parse is then the same and cheaper.
 */
function parseBody(text: string, json: boolean): unknown {
  try {
    if (text.length === 0) throw new SyntaxError('empty body');
    const suspect = json && (text.includes('__proto__') || text.includes('constructor') || text.includes('\\u'));
    return suspect ? secureJson.parse(text, PARSE_OPTIONS) : JSON.parse(text);
  } catch {
    throw new ApiError('BAD_REQUEST', 'The request body is not valid JSON');
  }
}

/** The whole body as text, refused past `limit` bytes (declared or received) as the routes' body limit does. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  const tooLarge = () => new ApiError('PAYLOAD_TOO_LARGE', 'The request body is larger than 1 MiB');
  if (declared > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onEnd);
    };
    function onData(chunk: Buffer): void {
      received += chunk.length;
      if (received > limit) {
        stop();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    }
    function onEnd(error?: Error): void {
      stop();
      if (error) return reject(new ApiError('BAD_REQUEST', 'The request body could not be read'));
      if (!Number.isNaN(declared) && received !== declared) return reject(new ApiError('BAD_REQUEST', 'The body does not match its Content-Length'));
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, received).toString('utf8'));
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onEnd);
  });
}
