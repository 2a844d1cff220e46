import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type ServiceConfig } from '../config.ts';
import { Accounts } from '../domain/accounts.ts';
import { systemClock } from '../domain/clock.ts';
import { ApiError } from '../domain/errors.ts';
import { PLANS, type Plan, type Store } from '../domain/store.ts';
import { serve } from '../server.ts';
import { openPostgresStore } from '../store/postgres.ts';
import { SqliteStore } from '../store/sqlite.ts';
import { backupRotating, backupSqlite, verifySqlite } from '../store/sqlite-backup.ts';

const USAGE = `consentry-service — the Consentry API service

  serve [--port 8787] [--host 127.0.0.1] [--db <file> | --database-url postgres://…] [--log-level info] [--trust-proxy 127.0.0.1,::1]
  accounts create --name <name> [--email <address>] [--plan ${PLANS.join('|')}] [--db <file>]
  accounts set-plan --account <id> --plan <plan> [--until <ISO date>] [--db <file>]
                                      (without --until the plan has no end; past the date the account falls back to pro)
  keys create --account <id> [--name <name>] [--mode live|test] [--db <file>]
  keys list --account <id> [--db <file>]
  keys revoke --account <id> --key <key id> [--db <file>]
  backup --db <file> --out <folder> [--keep <n>]
                                      (online copy of the SQLite database and its audit file into an empty folder; with
                                      --keep, into a new folder named by the time under <folder>, keeping the newest n
                                      such folders and removing older ones; PostgreSQL: pg_dump)
  verify --db <file>                  (integrity_check, foreign_key_check, schema version; exit 1 when not ok)

Every command takes --db <file> (SQLite) or --database-url <postgres://…> (PostgreSQL).
Environment: CONSENTRY_PORT, CONSENTRY_HOST, CONSENTRY_DB, CONSENTRY_DATABASE_URL, CONSENTRY_DATA_DIR, CONSENTRY_LOG_LEVEL, CONSENTRY_TRUST_PROXY,
CONSENTRY_IP_RATE_LIMIT, CONSENTRY_REDIS_URL, CONSENTRY_PAGEVIEW_OVERAGE, CONSENTRY_WEBHOOK_ALLOW_PRIVATE,
CONSENTRY_WEBHOOK_MAX_ATTEMPTS, CONSENTRY_WEBHOOK_RETRY_BASE_MS, CONSENTRY_WEBHOOK_CONCURRENCY, CONSENTRY_WEBHOOK_ACCOUNT_CONCURRENCY,
CONSENTRY_SECRET_KEY or CONSENTRY_SECRET_KEY_FILE, CONSENTRY_AUDIT_RETENTION_DAYS, CONSENTRY_CONSENT_RETENTION_DAYS, CONSENTRY_METRICS_TOKEN
(see the README).
Commands other than serve print one JSON object on stdout.`;

const OPTIONS = {
  port: { type: 'string' }, host: { type: 'string' }, db: { type: 'string' }, 'database-url': { type: 'string' }, 'log-level': { type: 'string' }, 'trust-proxy': { type: 'string' },
  name: { type: 'string' }, email: { type: 'string' }, plan: { type: 'string' }, account: { type: 'string' }, key: { type: 'string' }, mode: { type: 'string' },
  out: { type: 'string' }, until: { type: 'string' }, keep: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`--${flag} is required`);
  return value;
}

/** An ISO 8601 date or date-time (`2027-01-31`, `2027-01-31T12:00:00Z`); a date alone is midnight UTC. */
function until(value: string | undefined): Date | null {
  if (value === undefined) return null;
  const date = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw new UsageError('--until must be an ISO 8601 date or date-time with a zone, like 2027-01-31 or 2027-01-31T12:00:00Z');
  return date;
}

function plan(value: string | undefined): Plan {
  const name = value ?? 'self_hosted';
  if (!(PLANS as readonly string[]).includes(name)) throw new UsageError(`--plan must be one of ${PLANS.join(', ')}`);
  return name as Plan;
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

class StartError extends Error {}

/** PostgreSQL when a database URL is configured, else the embedded SQLite file. */
async function openStore(config: ServiceConfig): Promise<Store> {
  try {
    const options = { secretKey: config.secretKey };
    return config.databaseUrl ? await openPostgresStore(config.databaseUrl, options) : new SqliteStore(config.dbPath, options);
  } catch (error) {
    const where = config.databaseUrl ? `PostgreSQL at ${new URL(config.databaseUrl).host}` : `SQLite file ${config.dbPath}`;
    throw new StartError(`cannot open the ${where}: ${(error as Error).message}`);
  }
}

/** Runs file work whose failures (no such file, a copy already there) are said in one line, without a stack. */
function plainly<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new StartError((error as Error).message);
  }
}

async function withStore<T>(config: ServiceConfig, work: (accounts: Accounts, store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(config);
  try {
    return await work(new Accounts(store, systemClock), store);
  } finally {
    await store.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const [group, action] = positionals;
  if (values.help || !group) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const { help: _help, ...flags } = values;
  const config = loadConfig(flags);
  const command = [group, action].filter(Boolean).join(' ');
  switch (command) {
    case 'serve':
      await serve(config, await openStore(config));
      return -1;
    case 'accounts create':
      return withStore(config, async (accounts) => {
        const { account, secretKey } = await accounts.create(required(values.name, 'name'), plan(values.plan), values.email ?? null);
        print({ accountId: account.id, plan: account.plan, secretKey });
        return 0;
      });
    case 'accounts set-plan': {
      // Flags are checked before the store opens.
      const accountId = required(values.account, 'account');
      const planName = plan(required(values.plan, 'plan'));
      const ends = until(values.until);
      return withStore(config, async (accounts) => {
        await accounts.setPlan(accountId, planName, ends);
        print({ accountId, plan: planName, planExpiresAt: ends ? ends.toISOString() : null });
        return 0;
      });
    }
    case 'keys create':
      return withStore(config, async (accounts) => {
        const mode = values.mode ?? 'live';
        if (mode !== 'live' && mode !== 'test') throw new UsageError('--mode must be live or test');
        const { key, secretKey } = await accounts.createKey(required(values.account, 'account'), values.name ?? 'default', mode);
        print({ ...key, secretKey });
        return 0;
      });
    case 'keys list':
      return withStore(config, async (accounts) => {
        print({ data: await accounts.listKeys(required(values.account, 'account')) });
        return 0;
      });
    case 'keys revoke':
      return withStore(config, async (accounts) => {
        await accounts.revokeKey(required(values.account, 'account'), required(values.key, 'key'));
        print({ revoked: values.key });
        return 0;
      });
    case 'backup':
      if (config.databaseUrl) throw new UsageError('backup copies the SQLite store; for PostgreSQL use pg_dump (see the README)');
      if (values.keep !== undefined) {
        if (!/^\d+$/.test(values.keep) || Number(values.keep) < 1) throw new UsageError('--keep takes a whole number of backups, 1 or more');
        const keep = Number(values.keep);
        print(plainly(() => backupRotating(config.dbPath, required(values.out, 'out'), keep)));
      } else {
        print(plainly(() => backupSqlite(config.dbPath, required(values.out, 'out'))));
      }
      return 0;
    case 'verify': {
      if (config.databaseUrl) throw new UsageError('verify checks a SQLite file; for PostgreSQL use pg_amcheck and pg_dump (see the README)');
      const result = plainly(() => verifySqlite(config.dbPath));
      print(result);
      return result.ok ? 0 : 1;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => { if (code >= 0) process.exitCode = code; },
  (error: unknown) => {
    const known = error instanceof UsageError || error instanceof ConfigError || error instanceof StartError || error instanceof ApiError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
    process.stderr.write(`consentry-service: ${known ? (error as Error).message : (error as Error).stack}\n`);
    if (error instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
    process.exitCode = known ? 2 : 1;
  },
);
