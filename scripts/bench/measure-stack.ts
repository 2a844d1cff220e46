// Measures the end-to-end stack as the tests use it: a fresh stack (service on
// a new SQLite file, WordPress on the Playground runtime from a fresh copy of
// the core), then page times. Prints one JSON object.
//   sh scripts/node-env.sh node scripts/bench/measure-stack.ts [rounds=10]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../env/stack.ts';

const rounds = Number(process.argv[2] || 10);
const dir = mkdtempSync(join(tmpdir(), 'consentry-measure-'));
const started = performance.now();
const stack = await startStack({
  db: join(dir, 'consentry.sqlite'),
  wpEnvHome: join(dir, 'wp-env'),
  siteDir: join(dir, 'wordpress'),
  runtime: 'playground',
});
const stackMs = Math.round(performance.now() - started);

interface Times { median: number; p90: number; min: number; max: number }

async function time(label: string, fn: () => Promise<void>): Promise<[string, Times]> {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number): number => Math.round(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN);
  return [label, { median: at(0.5), p90: at(0.9), min: at(0), max: at(1) }];
}

const visitor = { cookie: 'playground_auto_login_already_happened=1' };
const get = async (url: string, headers?: Record<string, string>): Promise<void> => {
  const response = await fetch(url, { headers, redirect: 'manual' });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
};
try {
  const pages = Object.fromEntries([
    await time('frontPageVisitorMs', () => get(`${stack.siteUrl}/`, visitor)),
    await time('wpAdminDashboardMs', () => get(`${stack.siteUrl}/wp-admin/`, { cookie: stack.wp.cookieHeader() })),
    await time('restConnectionMs', async () => {
      const r = await stack.wp.rest('/consentry/v1/admin/connection');
      if (r.status !== 200) throw new Error(`connection: ${r.status}`);
    }),
    await time('serviceHealthMs', () => get(`${stack.serviceUrl}/api/v1/health`)),
  ]);
  console.log(JSON.stringify({ wordpress: stack.wordpress.version, runtime: stack.wordpress.runtime, rounds, stackStartMs: stackMs, timings: stack.timings, pages }, null, 2));
} finally {
  const t = performance.now();
  await stack.stop();
  console.error(`stopped in ${Math.round(performance.now() - t)} ms`);
  rmSync(dir, { recursive: true, force: true });
}
