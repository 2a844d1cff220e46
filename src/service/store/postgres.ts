import pg from 'pg';
import { UniqueViolation } from '../domain/errors.ts';
import { MIGRATIONS, refuseNewerSchema } from './migrations.ts';
import type { Param, Row, SqlExecutor, Step, WriteResult } from './sql.ts';
import { SecretBox, type StoreOptions } from './secret-box.ts';
import { SqlStore } from './sql-store.ts';

// COUNT(*) and other bigints arrive as text unless told otherwise; every count here fits a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

/** Any number of service instances may start at once: one of them migrates at a time. */
const MIGRATION_LOCK = 7_405_112_026;

/**
 * PostgreSQL for scale-out: several service instances share one database.
 * Each write program runs in its own transaction and resolves after COMMIT;
 * PostgreSQL's own group commit spreads the fsyncs.
 */
export class PostgresExecutor implements SqlExecutor {
  private readonly pool: pg.Pool;
  private readonly numbered = new Map<string, string>();

  private constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 20, idleTimeoutMillis: 30_000 });
    this.pool.on('error', () => {}); // an idle client's broken connection is replaced on next use
  }

  static async open(url: string): Promise<PostgresExecutor> {
    const executor = new PostgresExecutor(url);
    try {
      await executor.migrate();
    } catch (error) {
      await executor.close();
      throw error;
    }
    return executor;
  }

  /** `?` placeholders as PostgreSQL's `$1, $2, …` (the store's SQL has no `?` inside literals). */
  private text(sql: string): string {
    let converted = this.numbered.get(sql);
    if (converted === undefined) {
      let n = 0;
      converted = sql.replace(/\?/g, () => `$${++n}`);
      this.numbered.set(sql, converted);
    }
    return converted;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
      const applied = new Set((await client.query('SELECT version FROM schema_migrations')).rows.map((r: Row) => Number(r.version)));
      refuseNewerSchema(applied);
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          if (migration.sql) await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, new Date().toISOString()]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
      client.release();
    }
  }

  async all(sql: string, params: Param[]): Promise<Row[]> {
    return (await this.pool.query(this.text(sql), params)).rows as Row[];
  }

  async get(sql: string, params: Param[]): Promise<Row | undefined> {
    return (await this.all(sql, params))[0];
  }

  async write(steps: Step[]): Promise<WriteResult> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      let changed = true;
      let changes = 0;
      let row: Row | null = null;
      for (const step of steps) {
        if (step.ifChanged && !changed) continue;
        const result = await client.query(this.text(step.sql), step.params);
        if (step.get) {
          row = (result.rows[0] as Row | undefined) ?? null;
        } else {
          changed = (result.rowCount ?? 0) > 0;
          changes += result.rowCount ?? 0;
        }
      }
      await client.query('COMMIT');
      return { changes, row };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      const e = error as { code?: string; constraint?: string };
      if (e.code === '23505') throw new UniqueViolation(e.constraint ?? 'unique');
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export async function openPostgresStore(url: string, { secretKey = null }: StoreOptions = {}): Promise<SqlStore> {
  return new SqlStore(await PostgresExecutor.open(url), secretKey ? new SecretBox(secretKey) : null);
}
