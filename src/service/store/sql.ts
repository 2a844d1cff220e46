import type { StoreObserver } from '../domain/store.ts';

/** What a SQL backend provides to the SQL store. */
export type Row = Record<string, unknown>;
export type Param = string | number | null;

/** One statement of a write program; `ifChanged` skips it unless the previous write changed a row; `get` keeps its first row. */
export interface Step {
  sql: string;
  params: Param[];
  get?: boolean;
  ifChanged?: boolean;
}

export interface WriteResult {
  changes: number;
  row: Row | null;
}

export interface Migration {
  version: number;
  name: string;
  /** Runs on every backend unless one has its own text below; may be empty. */
  sql: string;
  sqlite?: string;
}

/**
 * A backend. SQL uses `?` placeholders; a backend that numbers them rewrites
 * the text. A write program runs atomically and resolves only once durable;
 * it throws UniqueViolation when a unique constraint refuses it.
 */
export interface SqlExecutor {
  /** Told of each fsync the backend does itself (SQLite); set by the store's observe(). */
  observer?: Pick<StoreObserver, 'fsync'> | null;
  all(sql: string, params: Param[]): Promise<Row[]>;
  get(sql: string, params: Param[]): Promise<Row | undefined>;
  write(steps: Step[]): Promise<WriteResult>;
  /**
   * A write to the audit log alone, when the backend keeps the log apart
   * (SQLite: its own file, written by its own thread); otherwise `write`.
   */
  writeAudit?(steps: Step[]): Promise<WriteResult>;
  close(): Promise<void>;
}

export function step(sql: string, ...params: Param[]): Step {
  return { sql, params };
}
