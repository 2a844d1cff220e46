// Starts the Consentry API service (the built single-file bundle) as a child
// process and manages accounts through its command line.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fetchWithTimeout, freePort, waitFor } from '../util.ts';

export const serviceBundle = (root: string): string => join(root, 'plugin', 'service', 'consentry-service.mjs');

function assertBundle(root: string): void {
  if (!existsSync(serviceBundle(root))) {
    throw new Error(`${serviceBundle(root)} is missing: build it with \`npm run build\` (node scripts/build/build.ts service)`);
  }
}

export interface ServiceOptions {
  root: string;
  /** The SQLite file. */
  db: string;
  /** 0 = a free one. */
  port?: number;
  host?: string;
  /** 'pipe' (default) keeps the output for error messages. */
  stdio?: 'pipe' | 'inherit' | 'ignore';
  extraArgs?: string[];
  /** Variables added to this process's environment for the service. */
  env?: Record<string, string>;
}

export interface RunningService {
  url: string;
  port: number;
  pid: number;
  process: ChildProcess;
  /** The last 20,000 characters the service printed (with stdio 'pipe'). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `consentry-service serve` and waits for GET /api/v1/health. */
export async function startService({ root, db, port = 0, host = '127.0.0.1', stdio = 'pipe', extraArgs = [], env = {} }: ServiceOptions): Promise<RunningService> {
  assertBundle(root);
  mkdirSync(dirname(db), { recursive: true });
  port ||= await freePort();
  const child = spawn(process.execPath, [serviceBundle(root), 'serve', '--port', String(port), '--host', host, '--db', db, ...extraArgs], {
    cwd: root,
    stdio: ['ignore', stdio, stdio],
    env: { ...process.env, ...env },
  });
  let output = '';
  if (stdio === 'pipe') {
    child.stdout?.on('data', (d: Buffer) => { output = (output + d).slice(-20_000); });
    child.stderr?.on('data', (d: Buffer) => { output = (output + d).slice(-20_000); });
  }
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exit = new Promise<unknown>((resolve) => child.on('exit', (code, signal) => { exited = { code, signal }; resolve(exited); }));
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  try {
    await waitFor('the service health check', async () => {
      const response = await fetchWithTimeout(`${url}/api/v1/health`, {}, 2000);
      const body = await response.json() as { status?: string };
      return response.status === 200 && body.status === 'ok';
    }, {
      timeoutMs: 30_000,
      check: () => { if (exited) throw new Error(`the service exited (${exited.code ?? exited.signal}) before it was healthy:\n${output}`); },
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    port,
    pid: child.pid ?? 0,
    process: child,
    output: () => output,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** What `accounts create` prints: the only time the secret key is shown. */
export interface Account {
  accountId: string;
  secretKey: string;
  plan: string;
}

/** `accounts create` on the given database (with this checkout's bundle, or another). */
export function createAccount({ root, db, name = 'Consentry dev', plan, bundle }: { root: string; db: string; name?: string; plan?: string; bundle?: string }): Account {
  if (!bundle) assertBundle(root);
  const args = [bundle ?? serviceBundle(root), 'accounts', 'create', '--name', name, '--db', db];
  if (plan) args.push('--plan', plan);
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`accounts create failed (${result.status}):\n${result.stderr}${result.stdout}`);
  const account = JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as Partial<Account>;
  if (!account.secretKey?.startsWith('ck_')) throw new Error(`accounts create printed no ck_ key: ${result.stdout}`);
  return account as Account;
}

/** True when `secretKey` authenticates against the running service. */
export async function secretKeyWorks(serviceUrl: string, secretKey: string): Promise<boolean> {
  const response = await fetchWithTimeout(`${serviceUrl}/api/v1/sites?limit=1`, { headers: { authorization: `Bearer ${secretKey}` } }, 5000);
  await response.arrayBuffer();
  return response.status === 200;
}
