// Footprint of the service for the README's "Running in production": resident memory (RSS) of the bundle at idle
// and under a load of visitor consent writes, and disk per million consent events on SQLite and PostgreSQL.
// Fills BENCH_FOOTPRINT_EVENTS events (100,000 by default) through the batch route with realistic rows (page URL,
// browser user agent, anonymised address, three categories) and extrapolates to a million (linear: the tables
// and their one index grow by row).
// Run: sh scripts/node-env.sh node scripts/bench/footprint.ts   (PostgreSQL part needs Debian's postgresql; as root
// the throwaway cluster runs as the postgres user)
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ensureBuilt } from '../build/outputs.ts';
import { freePort, repoRoot as root } from '../util.ts';

const bundle = join(root, 'plugin/service/consentry-service.mjs');
const total = Number(process.env.BENCH_FOOTPRINT_EVENTS ?? 100_000);
const BATCH = 500;
const LOAD_SECONDS = Number(process.env.BENCH_FOOTPRINT_LOAD_SECONDS ?? 10);
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const MiB = 1024 * 1024;

const rssOf = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cli(args: string[]): any {
  return JSON.parse(execFileSync(process.execPath, [bundle, ...args], { encoding: 'utf8' }));
}

function start(store: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bundle, 'serve', '--port', '0', ...store, '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, CONSENTRY_IP_RATE_LIMIT: '0', CONSENTRY_SITE_RATE_LIMIT: '0' },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: `${m[1]}/api/v1` });
    });
    child.once('exit', (code) => reject(new Error(`service exited ${code}: ${out}`)));
  });
}

interface Run { idleRss: number; loadRss: number; loadWrites: number; fillSeconds: number }

/** Idle RSS, then the fill, then RSS while 32 visitors write consent for LOAD_SECONDS. */
async function exercise(store: string[]): Promise<Run> {
  const { secretKey } = cli(['accounts', 'create', '--name', 'Footprint', ...store]);
  const service = await start(store);
  try {
    const call = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${service.url}${path}`, {
        method: 'POST', headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json', 'user-agent': UA, ...headers }, body: JSON.stringify(body),
      });
      if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
      return res.json() as Promise<any>;
    };
    const site = (await call('/sites', { name: 'Footprint', domain: 'footprint.example.com' })).site as { id: string; publicKey: string };
    await sleep(3000);
    const idleRss = rssOf(service.child.pid!);
    const fillBegin = performance.now();
    for (let done = 0; done < total; done += BATCH) {
      const events = Array.from({ length: Math.min(BATCH, total - done) }, (_, i) => ({
        siteId: site.id, consentId: `cid_${(done + i).toString(36).padStart(12, '0')}_${Math.random().toString(36).slice(2, 10)}`,
        action: (done + i) % 3 ? 'custom' : 'accept_all',
        categories: { necessary: true, analytics: (done + i) % 2 === 0, marketing: (done + i) % 5 === 0 }, policyVersion: '3', language: 'en',
        pageUrl: `https://footprint.example.com/blog/2026/11/article-${(done + i) % 997}`,
      }));
      await call('/consent/events/batch', { events }, { 'x-forwarded-for': '203.0.113.77' });
    }
    const fillSeconds = (performance.now() - fillBegin) / 1000;
    let loadRss = 0;
    let loadWrites = 0;
    let stop = false;
    const visitor = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const res = await fetch(`${service.url}/consent/log`, {
          method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': UA },
          body: JSON.stringify({ api_key: site.publicKey, consentId: `cid_load_${w}_${i}`, action: 'accept_all', categories: { analytics: true, marketing: true }, policyVersion: '3', pageUrl: 'https://footprint.example.com/' }),
        });
        await res.arrayBuffer();
        if (res.status === 201) loadWrites++;
      }
    };
    const visitors = Array.from({ length: 32 }, (_, w) => visitor(w));
    const until = performance.now() + LOAD_SECONDS * 1000;
    while (performance.now() < until) {
      await sleep(200);
      loadRss = Math.max(loadRss, rssOf(service.child.pid!));
    }
    stop = true;
    await Promise.all(visitors);
    return { idleRss, loadRss, loadWrites, fillSeconds };
  } finally {
    service.child.kill('SIGTERM');
    await new Promise((r) => service.child.once('exit', r));
  }
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
const perMillion = (bytes: number, events: number) => mib((bytes * 1_000_000) / events);

ensureBuilt(root);
const dir = mkdtempSync(join(tmpdir(), 'consentry-bench-footprint-'));
try {
  // SQLite
  const db = join(dir, 'sqlite', 'consentry.sqlite');
  const sqlite = await exercise(['--db', db]);
  const files = readdirSync(join(dir, 'sqlite')).map((f) => ({ f, size: statSync(join(dir, 'sqlite', f)).size }));
  const size = (pattern: RegExp) => files.filter(({ f }) => pattern.test(f)).reduce((n, { size: s }) => n + s, 0);
  const events = total + sqlite.loadWrites;
  console.log(`footprint (${total.toLocaleString('en')} events filled in ${sqlite.fillSeconds.toFixed(1)} s, then ${sqlite.loadWrites.toLocaleString('en')} visitor writes in ${LOAD_SECONDS} s)`);
  console.log(`  SQLite      RSS idle ${mib(sqlite.idleRss)}, under load ${mib(sqlite.loadRss)}`);
  console.log(`  SQLite      database ${mib(size(/^consentry\.sqlite$/))} + log ${mib(size(/^consentry\.sqlite-wal$/))} for ${events.toLocaleString('en')} events: ${perMillion(size(/^consentry\.sqlite$/), events)} per million events`);
  console.log(`              audit file ${mib(size(/audit\.sqlite$/))} (one row per request: ${(total / BATCH + sqlite.loadWrites).toLocaleString('en')} requests)`);

  // PostgreSQL
  const base = '/usr/lib/postgresql';
  const version = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))[0] : undefined;
  if (!version) {
    console.log('  PostgreSQL  skipped: Debian\'s postgresql is not installed');
  } else {
    const bin = join(base, version, 'bin');
    // Its own folder: the postgres user cannot enter the bench's (mode 0700, root's).
    const pgDir = mkdtempSync(join(tmpdir(), 'consentry-bench-pg-'));
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chownSync(pgDir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
    const run = (command: string, args: string[]) => {
      const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]] : [join(bin, command), args];
      const result = spawnSync(file, argv as string[], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
    };
    const port = await freePort();
    run('initdb', ['-D', join(pgDir, 'data'), '--auth=trust', '--no-locale', '--encoding=UTF8', '-U', 'postgres']);
    run('pg_ctl', ['-D', join(pgDir, 'data'), '-w', '-l', join(pgDir, 'log'), '-o', `-p ${port} -k ${pgDir} -c listen_addresses=127.0.0.1`, 'start']);
    try {
      const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
      const postgres = await exercise(['--database-url', url]);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('VACUUM ANALYZE consent_events');
      const { rows } = await client.query(`SELECT pg_total_relation_size('consent_events') AS total, pg_relation_size('consent_events') AS heap,
        (SELECT COUNT(*) FROM consent_events) AS n, pg_total_relation_size('audit_log') AS audit`);
      await client.end();
      const row = rows[0] as { total: string; heap: string; n: string; audit: string };
      console.log(`  PostgreSQL  RSS of the service idle ${mib(postgres.idleRss)}, under load ${mib(postgres.loadRss)} (the server's own memory not counted)`);
      console.log(`  PostgreSQL  consent_events ${mib(Number(row.total))} (table ${mib(Number(row.heap))}, the rest indexes and TOAST) for ${Number(row.n).toLocaleString('en')} events: ${perMillion(Number(row.total), Number(row.n))} per million events; audit_log ${mib(Number(row.audit))}`);
    } finally {
      run('pg_ctl', ['-D', join(pgDir, 'data'), '-m', 'fast', 'stop']);
      rmSync(pgDir, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
