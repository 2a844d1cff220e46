// Small helpers shared by the project's scripts.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Absolute path of the repository root (no trailing slash). */
export const repoRoot: string = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

/** A progress line printer; the scripts default to stderr. */
export type Log = (line: string) => void;
export const logToStderr: Log = (line) => console.error(line);

/** True when the module at `moduleUrl` (its import.meta.url) is the script Node was started with. */
export function isMain(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && moduleUrl === pathToFileURL(process.argv[1] ?? '').href;
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Called before each try: throws to give up early (for example when a child process has exited). */
  check?: () => void;
}

/**
 * Calls `probe` until it returns a truthy value or `timeoutMs` passes.
 * `probe` may throw: that counts as "not yet".
 */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, { timeoutMs = 30_000, intervalMs = 150, check }: WaitOptions = {}): Promise<T> {
  const start = Date.now();
  let lastError: unknown;
  for (;;) {
    if (check) check();
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${messageOf(lastError)}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

/** fetch() with a timeout in milliseconds. */
export async function fetchWithTimeout(url: string, options: RequestInit = {}, timeoutMs = 10_000): Promise<Response> {
  return fetch(url, { ...options, signal: AbortSignal.timeout(timeoutMs) });
}

/** Milliseconds since `start` (from performance.now()), rounded. */
export const since = (start: number): number => Math.round(performance.now() - start);

/** A JSON file's content, or null when it is missing or not JSON. */
export function readJson<T = unknown>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Runs a command to its end (output shown unless `options.stdio` says otherwise); throws when it fails. Returns its stdout when piped. */
export function run(command: string, args: string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(command, args, { stdio: 'inherit', encoding: 'utf8', ...options });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.slice(-2000);
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})${output ? `:\n${output}` : ''}`);
  }
  return String(result.stdout ?? '');
}
