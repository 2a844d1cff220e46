import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The service's configuration, parsed once at start; invalid values stop the start with a clear message. */
export interface ServiceConfig {
  host: string;
  port: number;
  /** SQLite file of the embedded store. */
  dbPath: string;
  /** PostgreSQL connection URL; when set, the store is PostgreSQL and dbPath is unused. */
  databaseUrl: string | null;
  /** Addresses/CIDRs whose X-Forwarded-For is believed (the WordPress plugin forwards the visitor's address). */
  trustProxy: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** Where an error's documentation_url points (with `#CODE`); the service's own error list by default. */
  documentationUrl: string;
  /** Requests per minute per client address on every route; 0 turns the limit off. */
  ipRateLimit: number;
  /** IPv6 clients are counted per network of this many leading bits (one subscriber usually holds a whole /64). */
  ipv6RatePrefix: number;
  /** Requests per minute per site on each visitor write route (consent log, heartbeat); 0 turns the cap off. */
  siteRateLimit: number;
  /** Redis for rate-limit counters shared by several instances; in memory when unset. */
  redisUrl: string | null;
  /** Past 100 % of the monthly pageviews: keep counting (`allow`) or refuse heartbeats with 403 (`block`). */
  pageviewOverage: 'allow' | 'block';
  /** Deliver webhooks to private, loopback and link-local addresses (a self-hosted network). */
  webhookAllowPrivate: boolean;
  webhookMaxAttempts: number;
  webhookRetryBaseMs: number;
  /** Deliveries in flight at once, and at most this many of one account's (a slow account cannot hold up the others). */
  webhookConcurrency: number;
  webhookAccountConcurrency: number;
  /** 32-byte key that encrypts webhook signing secrets at rest (CONSENTRY_SECRET_KEY or CONSENTRY_SECRET_KEY_FILE); null: stored as they are. */
  secretKey: Buffer | null;
  /** Days the audit log is kept. */
  auditRetentionDays: number;
  /** Days consent events are kept (proof of consent); null keeps them for ever. */
  consentRetentionDays: number | null;
  /** GET /metrics answers only with `Authorization: Bearer <this>`; null: no metrics (404). */
  metricsToken: string | null;
  /** The browser cookie scans drive (CONSENTRY_CHROMIUM_PATH); null: the usual locations (see scanner/browser.ts). */
  scanChromiumPath: string | null;
  /** Scan sites on private, loopback and link-local addresses (CONSENTRY_SCAN_ALLOW_PRIVATE=1; what `npm start` sets). */
  scanAllowPrivate: boolean;
  /** Scans this instance runs at once (CONSENTRY_SCAN_CONCURRENCY, default 1); others wait queued. */
  scanConcurrency: number;
  /**
   * How long a running scan stays with its instance without a sign of life (CONSENTRY_SCAN_LEASE_SECONDS, default 60):
   * after it, another instance (or this one restarted) resumes the scan or ends it as partial.
   */
  scanLeaseSeconds: number;
}

export class ConfigError extends Error {}

type Source = Record<string, string | undefined>;

export function defaultDataDir(env: Source = process.env): string {
  return env.CONSENTRY_DATA_DIR ?? join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'consentry');
}

/** Reads options (command-line flags win) over environment variables over defaults. */
export function loadConfig(flags: Record<string, string | undefined>, env: Source = process.env): ServiceConfig {
  const portText = flags.port ?? env.CONSENTRY_PORT ?? env.PORT ?? '8787';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`port must be an integer from 0 to 65535, got "${portText}"`);
  const logLevel = (flags['log-level'] ?? env.CONSENTRY_LOG_LEVEL ?? 'info') as ServiceConfig['logLevel'];
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) throw new ConfigError(`unknown log level "${logLevel}"`);
  const trust = flags['trust-proxy'] ?? env.CONSENTRY_TRUST_PROXY ?? '127.0.0.1,::1';
  const overage = env.CONSENTRY_PAGEVIEW_OVERAGE ?? 'allow';
  if (overage !== 'allow' && overage !== 'block') throw new ConfigError(`CONSENTRY_PAGEVIEW_OVERAGE must be allow or block, got "${overage}"`);
  return {
    host: flags.host ?? env.CONSENTRY_HOST ?? '127.0.0.1',
    port,
    dbPath: flags.db ?? env.CONSENTRY_DB ?? join(defaultDataDir(env), 'consentry.sqlite'),
    databaseUrl: flags['database-url'] ?? env.CONSENTRY_DATABASE_URL ?? null,
    trustProxy: trust.split(',').map((s) => s.trim()).filter(Boolean),
    logLevel,
    bodyLimit: 1024 * 1024,
    documentationUrl: env.CONSENTRY_DOCS_URL ?? '/api/v1/errors',
    ipRateLimit: integer(env.CONSENTRY_IP_RATE_LIMIT, 500, 'CONSENTRY_IP_RATE_LIMIT'),
    ipv6RatePrefix: integer(env.CONSENTRY_IPV6_RATE_PREFIX, 64, 'CONSENTRY_IPV6_RATE_PREFIX', 1, 128),
    siteRateLimit: integer(env.CONSENTRY_SITE_RATE_LIMIT, SITE_RATE_LIMIT_DEFAULT, 'CONSENTRY_SITE_RATE_LIMIT'),
    redisUrl: env.CONSENTRY_REDIS_URL || null,
    pageviewOverage: overage,
    webhookAllowPrivate: env.CONSENTRY_WEBHOOK_ALLOW_PRIVATE === '1',
    webhookMaxAttempts: integer(env.CONSENTRY_WEBHOOK_MAX_ATTEMPTS, 5, 'CONSENTRY_WEBHOOK_MAX_ATTEMPTS', 1),
    webhookRetryBaseMs: integer(env.CONSENTRY_WEBHOOK_RETRY_BASE_MS, 1000, 'CONSENTRY_WEBHOOK_RETRY_BASE_MS', 1),
    webhookConcurrency: integer(env.CONSENTRY_WEBHOOK_CONCURRENCY, 50, 'CONSENTRY_WEBHOOK_CONCURRENCY', 1),
    webhookAccountConcurrency: integer(env.CONSENTRY_WEBHOOK_ACCOUNT_CONCURRENCY, 10, 'CONSENTRY_WEBHOOK_ACCOUNT_CONCURRENCY', 1),
    secretKey: secretKey(env),
    auditRetentionDays: integer(env.CONSENTRY_AUDIT_RETENTION_DAYS, 90, 'CONSENTRY_AUDIT_RETENTION_DAYS', 1),
    consentRetentionDays: env.CONSENTRY_CONSENT_RETENTION_DAYS ? integer(env.CONSENTRY_CONSENT_RETENTION_DAYS, 0, 'CONSENTRY_CONSENT_RETENTION_DAYS', 1) : null,
    metricsToken: metricsToken(env.CONSENTRY_METRICS_TOKEN),
    scanChromiumPath: env.CONSENTRY_CHROMIUM_PATH || null,
    scanAllowPrivate: env.CONSENTRY_SCAN_ALLOW_PRIVATE === '1',
    scanConcurrency: integer(env.CONSENTRY_SCAN_CONCURRENCY, 1, 'CONSENTRY_SCAN_CONCURRENCY', 1, 16),
    scanLeaseSeconds: integer(env.CONSENTRY_SCAN_LEASE_SECONDS, 60, 'CONSENTRY_SCAN_LEASE_SECONDS', 3, 3600),
  };
}

/** The at-rest key: 64 hex digits or base64 of 32 bytes, given directly or in a file. */
function secretKey(env: Source): Buffer | null {
  const file = env.CONSENTRY_SECRET_KEY_FILE;
  let text = env.CONSENTRY_SECRET_KEY;
  let name = 'CONSENTRY_SECRET_KEY';
  if (!text && file) {
    name = `CONSENTRY_SECRET_KEY_FILE (${file})`;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read ${name}: ${(error as Error).message}`);
    }
  }
  if (!text) return null;
  const value = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(value) ? Buffer.from(value, 'base64') : null;
  if (!key || key.length !== 32) throw new ConfigError(`${name} must be 32 bytes as 64 hex digits or base64 (openssl rand -hex 32)`);
  return key;
}

function metricsToken(text: string | undefined): string | null {
  if (!text) return null;
  if (text.length < 16) throw new ConfigError('CONSENTRY_METRICS_TOKEN must be at least 16 characters');
  return text;
}

/**
 * Visitor writes per minute per site and route: 100 a second, about 26 times the average rate of the largest plan's
 * pageviews (10 million a month), so that a leaked public key cannot use up a month's pageviews or fill the proof log
 * in minutes. Sites with bigger peaks raise it.
 */
export const SITE_RATE_LIMIT_DEFAULT = 6000;

function integer(text: string | undefined, fallback: number, name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer of at least ${min}${max < Number.MAX_SAFE_INTEGER ? ` and at most ${max}` : ''}, got "${text}"`);
  }
  return value;
}
