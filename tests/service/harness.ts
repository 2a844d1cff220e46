import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type ServiceConfig } from '../../src/service/config.ts';
import type { RateCounter } from '../../src/service/domain/limits.ts';
import { Accounts } from '../../src/service/domain/accounts.ts';
import type { Clock } from '../../src/service/domain/clock.ts';
import type { Plan } from '../../src/service/domain/store.ts';
import { buildApp, type App } from '../../src/service/http/app.ts';
import { afterAll, beforeAll, inject } from 'vitest';
import pg from 'pg';
import { MemoryRateCounter } from '../../src/service/store/memory-counter.ts';
import { openPostgresStore } from '../../src/service/store/postgres.ts';
import type { SqlStore } from '../../src/service/store/sql-store.ts';
import { SqliteStore } from '../../src/service/store/sqlite.ts';

/** The PostgreSQL server of this run, when the tests run on the PostgreSQL store. */
export const postgresUrl = inject('postgresUrl') as string | undefined;

/** A fresh, empty database on the run's PostgreSQL server, and a way to drop it. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  const name = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = postgresUrl!.replace(/\/postgres$/, `/${name}`);
  return {
    url,
    async drop() {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A clock the tests move by hand. */
export class TestClock implements Clock {
  constructor(private current = new Date('2026-11-23T10:00:00.000Z')) {}
  now(): Date { return new Date(this.current); }
  advance(ms: number): void { this.current = new Date(this.current.getTime() + ms); }
}

export interface Response<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** The real service: a Fastify app listening on an ephemeral loopback port, on a fresh SQLite file. */
export class TestService {
  readonly clock = new TestClock();
  config!: ServiceConfig;

  /** Settings as in the environment (`CONSENTRY_*`); the per-address limit is off unless a test sets it. */
  constructor(private readonly env: Record<string, string> = {}, private readonly sharedCounter?: RateCounter) {}
  /** The rate counters: the shared ones given, else this service's own, in memory (as the server does without Redis). */
  private counter: RateCounter | null = null;
  app!: App;
  store!: SqlStore;
  url = '';
  private dir = '';
  private dropDatabase: (() => Promise<void>) | null = null;

  async start(): Promise<this> {
    this.dir = mkdtempSync(join(tmpdir(), 'consentry-test-'));
    const config = loadConfig({ db: join(this.dir, 'consentry.sqlite'), port: '0', 'log-level': 'silent' }, { CONSENTRY_IP_RATE_LIMIT: '0', ...this.env });
    this.config = config;
    if (postgresUrl) {
      const database = await freshPostgresDatabase();
      this.dropDatabase = database.drop;
      this.store = await openPostgresStore(database.url, { secretKey: config.secretKey });
    } else {
      this.store = new SqliteStore(config.dbPath, { secretKey: config.secretKey });
    }
    this.counter = this.sharedCounter ?? new MemoryRateCounter();
    this.app = await buildApp({ config, store: this.store, clock: this.clock, counter: this.counter });
    this.url = `${await this.app.listen({ host: '127.0.0.1', port: 0 })}/api/v1`;
    return this;
  }

  async stop(): Promise<void> {
    await this.app.close();
    if (!this.sharedCounter) await this.counter?.close();
    await this.store.close();
    await this.dropDatabase?.();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async account(name = 'Acme', plan: Plan = 'self_hosted'): Promise<{ accountId: string; secretKey: string }> {
    const { account, secretKey } = await new Accounts(this.store, this.clock).create(name, plan);
    return { accountId: account.id, secretKey };
  }

  /** A request with JSON in and out; `key` goes in the Authorization header. */
  async request<T = any>(method: string, path: string, options: { key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Response<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const res = await fetch(this.url + path, { method, headers, ...(body !== undefined && { body }) });
    const text = await res.text();
    let parsed: unknown = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }
}

/**
 * An account with one site, the usual starting point. The site's domain is `example.com` unless given, so that
 * visitor writes from any `https://….example.com/` page are on it.
 */
export async function withSite(service: TestService, name = 'Acme', domain = 'example.com') {
  const { accountId, secretKey } = await service.account(name);
  const created = await service.request('POST', '/sites', { key: secretKey, body: { name: `${name} site`, domain } });
  return { accountId, secretKey, site: created.body.site, categories: created.body.categories as Array<{ id: string; key: string; isRequired: boolean }> };
}

export function expectError(res: Response, status: number, code: string): void {
  if (res.status !== status || res.body?.success !== false || res.body?.error?.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${res.status} ${res.text}`);
  }
  if (res.body.error.request_id !== res.headers.get('x-request-id')) throw new Error('request_id differs from X-Request-ID');
}

/**
 * A service for this block whose test clock runs five times as fast as real
 * time (it moves only when told), so that retries fall due.
 */
export function fastClockService(env: Record<string, string>): TestService {
  const service = new TestService(env);
  let timer: NodeJS.Timeout | undefined;
  beforeAll(async () => {
    await service.start();
    timer = setInterval(() => service.clock.advance(50), 10);
  });
  afterAll(async () => {
    clearInterval(timer);
    await service.stop();
  });
  return service;
}
