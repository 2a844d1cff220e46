// Consent export benchmark (part of `npm run bench`): fills a site with BENCH_EXPORT_EVENTS events (100,000 by
// default) through the batch route of the real service (SQLite), then streams them out as NDJSON and CSV and
// prints events/s. Every event must arrive.
// Run on its own: sh scripts/node-env.sh node scripts/bench/export.ts
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from '../build/outputs.ts';
import { createAccount } from '../env/service.ts';
import { repoRoot as root } from '../util.ts';

const bundle = join(root, 'plugin/service/consentry-service.mjs');
const total = Number(process.env.BENCH_EXPORT_EVENTS ?? 100_000);
const BATCH = 500;

function start(db: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bundle, 'serve', '--port', '0', '--db', db, '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, CONSENTRY_IP_RATE_LIMIT: '0' },
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

/** Streams one export and counts its lines without keeping them. */
async function exportRate(url: string, key: string, format: 'ndjson' | 'csv'): Promise<{ lines: number; seconds: number; bytes: number }> {
  const begin = performance.now();
  const res = await fetch(`${url}?format=${format}`, { headers: { 'x-api-key': key } });
  if (res.status !== 200) throw new Error(`export answered ${res.status}`);
  let lines = 0;
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) lines++;
  }
  return { lines, seconds: (performance.now() - begin) / 1000, bytes };
}

ensureBuilt(root);
const dir = mkdtempSync(join(tmpdir(), 'consentry-bench-export-'));
let service: { child: ChildProcess; url: string } | undefined;
try {
  const db = join(dir, 'export.sqlite');
  const account = createAccount({ root, db, name: 'Export' });
  service = await start(db);
  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${service!.url}${path}`, {
      method, headers: { authorization: `Bearer ${account.secretKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return res.json() as Promise<any>;
  };
  const site = (await call('POST', '/sites', { name: 'Export', domain: 'export.example.com' })).site as { id: string };
  const fillBegin = performance.now();
  for (let done = 0; done < total; done += BATCH) {
    const events = Array.from({ length: Math.min(BATCH, total - done) }, (_, i) => ({
      siteId: site.id, consentId: `cid_bench_${done + i}`, action: (done + i) % 3 ? 'custom' : 'accept_all',
      categories: { analytics: (done + i) % 2 === 0 }, policyVersion: '1', language: 'en', pageUrl: 'https://export.example.com/page',
    }));
    await call('POST', '/consent/events/batch', { events });
  }
  const fillSeconds = (performance.now() - fillBegin) / 1000;
  const exportUrl = `${service.url}/sites/${site.id}/consent/export`;
  const ndjson = await exportRate(exportUrl, account.secretKey, 'ndjson');
  const csv = await exportRate(exportUrl, account.secretKey, 'csv');
  const rate = (r: { lines: number; seconds: number }, events: number) => Math.round(events / r.seconds).toLocaleString('en');
  console.log(`consent export: ${total.toLocaleString('en')} events (filled through the batch route in ${fillSeconds.toFixed(1)} s)`);
  console.log(`  NDJSON  ${ndjson.seconds.toFixed(2)} s  ${rate(ndjson, ndjson.lines)} events/s  ${(ndjson.bytes / 1048576).toFixed(1)} MiB`);
  console.log(`  CSV     ${csv.seconds.toFixed(2)} s  ${rate(csv, csv.lines - 1)} events/s  ${(csv.bytes / 1048576).toFixed(1)} MiB`);
  const complete = ndjson.lines === total && csv.lines === total + 1;
  console.log(`  every event exported: ${complete ? 'yes' : `NO (NDJSON ${ndjson.lines}, CSV ${csv.lines - 1} of ${total})`}`);
  if (!complete) process.exitCode = 1;
} finally {
  service?.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
