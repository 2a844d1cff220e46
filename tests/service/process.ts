import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgresDatabase, postgresUrl } from './harness.ts';

export const BUNDLE = 'plugin/service/consentry-service.mjs';

/**
 * Store options for the bundle's commands: a fresh SQLite file, or a fresh
 * PostgreSQL database when the run is on the PostgreSQL store.
 */
export async function testStore(name: string): Promise<string[]> {
  if (postgresUrl) return ['--database-url', (await freshPostgresDatabase()).url];
  return ['--db', join(mkdtempSync(join(tmpdir(), 'consentry-bundle-')), `${name}.sqlite`)];
}

/** Runs a command of the shipped bundle and parses the JSON it prints. */
export function cli(args: string[]): any {
  const result = spawnSync(process.execPath, [BUNDLE, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** Starts `serve` from the shipped bundle on an ephemeral port; resolves once it logged its address. */
export async function startBundle(store: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BUNDLE, 'serve', '--port', '0', ...store, '--log-level', 'warn'], {
    env: { ...process.env, CONSENTRY_IP_RATE_LIMIT: '0', ...env }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(`${match[1]}/api/v1`);
    });
    child.once('exit', (code) => reject(new Error(`service exited with ${code}: ${output}`)));
  });
  return { child, url };
}

export async function stopBundle(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill(signal);
  const [code] = await exited;
  return code as number | null;
}
