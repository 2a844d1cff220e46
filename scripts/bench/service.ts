// The service part of `npm run bench`: durable consent writes of the real
// service against a bare node:http server answering the same route without
// storing anything. Same load on both (autocannon, 50 connections, 10 s by
// default), in turns over three rounds; prints requests/second, p50/p99
// latency and the ratio of each round, then the median ratio against the budget.
//   sh scripts/node-env.sh node scripts/bench/service.ts
//   BENCH_DURATION, BENCH_CONNECTIONS, BENCH_ROUNDS change the run; BENCH_BUNDLE benches another build of the service.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureBuilt } from '../build/outputs.ts';
import { createAccount } from '../env/service.ts';
import { repoRoot as root } from '../util.ts';

/** The part of autocannon's result this bench reads (the package ships no types). */
interface LoadResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  '2xx': number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string; method: string; connections: number; duration: number; headers: Record<string, string>; body: string;
}) => Promise<LoadResult>;

const bundle = resolve(root, process.env.BENCH_BUNDLE ?? 'plugin/service/consentry-service.mjs');
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

const BARE_SERVER = `
const http = require('node:http');
let n = 0;
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString());
    res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ success: true, id: 'evt_' + (++n) }));
  });
}).listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });
`;

function start(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  // The per-address limit would stop a load test from one address after 500 requests.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, CONSENTRY_IP_RATE_LIMIT: '0', CONSENTRY_SITE_RATE_LIMIT: '0' } });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

function load(url: string, body: unknown): Promise<LoadResult> {
  return autocannon({
    url: `${url}/api/v1/consent/log`, method: 'POST', connections, duration,
    headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
}

interface Stats { rps: number; p50: number; p99: number; non2xx: number; errors: number; ok: number }
const stats = (r: LoadResult): Stats => ({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, ok: r['2xx'] });

if (!process.env.BENCH_BUNDLE) ensureBuilt(root);
if (!existsSync(bundle)) throw new Error(`${bundle} is missing`);
const dir = mkdtempSync(join(tmpdir(), 'consentry-bench-'));
const db = join(dir, 'bench.sqlite');
try {
  const account = createAccount({ root, db, name: 'Bench', bundle });
  const service = await start([bundle, 'serve', '--port', '0', '--db', db, '--log-level', 'warn']);
  const { site } = await (await fetch(`${service.url}/api/v1/sites`, {
    method: 'POST', headers: { authorization: `Bearer ${account.secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench', domain: 'bench.example.com' }),
  })).json() as { site: { id: string; publicKey: string } };
  const body = {
    api_key: site.publicKey, consentId: 'bench_0123456789', action: 'custom', categories: { necessary: true, analytics: true, marketing: false },
    policyVersion: '1', language: 'en', pageUrl: 'https://bench.example.com/', gpc: false,
  };
  const bare = await start(['-e', BARE_SERVER]);

  // A shared machine's speed drifts from one minute to the next: the two servers take turns, round after
  // round, and the median ratio of the rounds is the figure.
  console.log(`consent writes: ${connections} connections, ${duration} s each, ${rounds} rounds (bare server first in each)`);
  const row = (name: string, r: Stats): string => `${name.padEnd(34)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${String(r.p50).padStart(3)} ms   p99 ${String(r.p99).padStart(3)} ms   non-2xx ${r.non2xx}   errors ${r.errors}`;
  const results: Array<{ ratio: number; p99: number; failed: number; ok: number }> = [];
  for (let round = 1; round <= rounds; round++) {
    const b = stats(await load(bare.url, body));
    const s = stats(await load(service.url, body));
    results.push({ ratio: s.rps / b.rps, p99: s.p99, failed: s.non2xx + s.errors, ok: s.ok });
    console.log(`round ${round}`);
    console.log(row('  bare node:http (no storage)', b));
    console.log(row('  consentry POST /consent/log', s));
    console.log(`  ratio ${(100 * s.rps / b.rps).toFixed(1)} %`);
  }
  bare.child.kill();
  const events = await (await fetch(`${service.url}/api/v1/sites/${site.id}/consent/events?limit=1`, { headers: { 'x-api-key': account.secretKey } })).json() as { pagination: { total: number } };
  const stored = events.pagination.total;
  service.child.kill('SIGTERM');

  const ratios = results.map((r) => r.ratio).sort((x, y) => x - y);
  const ratio = ratios[Math.floor(ratios.length / 2)] ?? 0;
  const p99 = Math.max(...results.map((r) => r.p99));
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const acknowledged = results.reduce((n, r) => n + r.ok, 0);
  console.log(`ratio service/bare: median ${(ratio * 100).toFixed(1)} % of ${rounds} rounds (${ratios.map((r) => (r * 100).toFixed(1)).join(', ')}; budget >= 50 %)   ` +
    `p99 at most ${p99} ms (budget <= 15 ms)   events acknowledged ${acknowledged}, stored ${stored}`);
  const met = ratio >= 0.5 && p99 <= 15 && failed === 0 && stored >= acknowledged;
  console.log(`budget: ${met ? 'met' : 'NOT met'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
