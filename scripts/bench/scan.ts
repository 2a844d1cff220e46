// The scan part of `npm run bench`: a cookie scan of the fixture site (tests/service/scanner/fixture-site.ts, its
// generated pages listed in its sitemap) and consent writes with and without a scan beside them.
//  1. One scan of BENCH_SCAN_PAGES pages (default 50): its time, pages/s, and the peak memory of the scanner
//     (the process running it, its worker thread included, and its Chromium processes, PSS summed).
//  2. Consent writes as the service bench makes them (autocannon, POST /api/v1/consent/log, 50 connections,
//     BENCH_DURATION s): one unmeasured run, then alone and with a scan running in turn, BENCH_ROUNDS runs with a scan,
//     each weighed against the runs alone before and after it (the service's rate drifts over a run); the median
//     ratio is the figure, printed beside the machine's own noise (each run alone against the one before it).
//     The scan yields while the service is busy (src/service/scanner/pressure.ts): each round says how many pages it
//     still scanned during the writes. Each round starts once the browser of the round before is gone.
// The scan runs through the service's route (POST /api/v1/sites/{id}/scans, in the service's own scan thread) when
// the built service has it; otherwise through the engine's runScan in a process of its own, and the output says so.
// Budgets: a 50-page scan in <= 120 s; consent writes keep >= 90 % of their rate during a scan. Timings are
// printed, never asserted: the machine is shared. The page that never answers (/slow) is excluded: it would only
// measure the page timeout.
//   sh scripts/node-env.sh node scripts/bench/scan.ts
//   BENCH_SCAN_PAGES, BENCH_DURATION, BENCH_CONNECTIONS, BENCH_ROUNDS change the run; BENCH_BUNDLE benches another build.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createAccount } from '../env/service.ts';
import { repoRoot as root, sleep } from '../util.ts';

const pagesWanted = Number(process.env.BENCH_SCAN_PAGES ?? 50);
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const bundle = resolve(root, process.env.BENCH_BUNDLE ?? 'plugin/service/consentry-service.mjs');
const CHROMIUM = process.env.CONSENTRY_CHROMIUM_PATH || '/usr/bin/chromium';
const SCAN_BUDGET_S = 120;
const WRITE_BUDGET = 0.9;
/** Every page of the fixture but /slow, plus generated ones: more than the budget, so that the budget ends the scan. */
const GENERATED = pagesWanted + 10;
const EXCLUDE = ['/slow'];
const MB = 1024 * 1024;

/** Lines a child of this script prints: JSON, one per line. */
type ChildLine =
  | { type: 'fixture'; origin: string; siteDomain: string }
  | { type: 'start'; rss: number }
  | { type: 'page'; pages: number }
  | { type: 'done'; outcome: { state: string; reason?: string; message?: string }; pages: number; seconds: number; items: number; violations: number; flagged: number; unclassified: number };

// ---- Children: the fixture site alone, or the fixture site and a scan through the engine ----

async function child(mode: 'fixture' | 'engine'): Promise<void> {
  const { startFixtureSite } = await import('../../tests/service/scanner/fixture-site.ts');
  const site = await startFixtureSite({ generatedPages: GENERATED });
  const say = (line: ChildLine) => process.stdout.write(`${JSON.stringify(line)}\n`);
  say({ type: 'fixture', origin: site.origin, siteDomain: site.siteDomain });
  const controller = new AbortController();
  process.on('SIGTERM', () => controller.abort());
  if (mode === 'fixture') {
    await new Promise((r) => controller.signal.addEventListener('abort', r));
  } else {
    const { runScan, SCAN_DEFAULTS } = await import('../../src/service/scanner/index.ts');
    const { createClassifier } = await import('../../src/service/scanner/classify.ts');
    const { summariseScan } = await import('../../src/service/scanner/findings.ts');
    const pages: import('../../src/service/scanner/engine-types.ts').PageResult[] = [];
    say({ type: 'start', rss: process.memoryUsage().rss });
    const started = performance.now();
    const outcome = await runScan({
      ...SCAN_DEFAULTS, pageBudget: pagesWanted, startUrl: site.url('/'), siteDomain: site.siteDomain, include: [], exclude: EXCLUDE,
      allowPrivate: true, chromiumPath: CHROMIUM,
    }, (event) => {
      if (event.type !== 'page') return;
      pages.push(event.page);
      say({ type: 'page', pages: pages.length });
    }, controller.signal);
    const seconds = (performance.now() - started) / 1000;
    // The fixture's banner categories: necessary, analytics (with _ga, _gid), marketing.
    const summary = summariseScan(pages, createClassifier([
      { key: 'necessary', isRequired: true, wpConsentCategory: 'functional', sortOrder: 0 },
      { key: 'analytics', isRequired: false, wpConsentCategory: 'statistics', sortOrder: 1, cookies: ['_gid', '_ga', '_ga_*'] },
      { key: 'marketing', isRequired: false, wpConsentCategory: 'marketing', sortOrder: 2 },
    ]));
    say({
      type: 'done', outcome, pages: pages.length, seconds, items: summary.items.length, violations: summary.violations.length,
      flagged: summary.flagged.length, unclassified: summary.unclassified,
    });
  }
  await site.close();
}

function spawnChild(mode: 'fixture' | 'engine', onLine: (line: ChildLine) => void): { process: ChildProcess; exited: Promise<void> } {
  const proc = spawn(process.execPath, [join(root, 'scripts', 'bench', 'scan.ts'), `--child-${mode}`], {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_SCAN_PAGES: String(pagesWanted) },
  });
  createInterface({ input: proc.stdout! }).on('line', (text) => {
    try {
      onLine(JSON.parse(text) as ChildLine);
    } catch {
      console.error(`[scan child] ${text}`);
    }
  });
  return { process: proc, exited: new Promise((r) => proc.once('exit', () => r())) };
}

// ---- Memory of a process and its descendants (Chromium's processes are the scanner's children) ----

function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length) {
    const next = queue.shift()!;
    found.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}

/** Resident (RSS) and proportional (PSS: shared pages split among their users) bytes of a process; 0 when gone. */
function memoryOf(pid: number): { rss: number; pss: number } {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { rss: kb('Rss'), pss: kb('Pss') };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

interface Peak { process: number; browsers: number; total: number; browserProcesses: number }

/** Samples a process (the one running the scan) and its descendants every 250 ms; the peaks when stopped. */
function sampleMemory(pid: number): { stop(): Peak } {
  const peak: Peak = { process: 0, browsers: 0, total: 0, browserProcesses: 0 };
  const sample = () => {
    const own = memoryOf(pid).rss;
    const kids = descendants(pid).map(memoryOf);
    const browsers = kids.reduce((n, m) => n + m.pss, 0);
    peak.process = Math.max(peak.process, own);
    peak.browsers = Math.max(peak.browsers, browsers);
    peak.total = Math.max(peak.total, own + browsers);
    peak.browserProcesses = Math.max(peak.browserProcesses, kids.length);
  };
  sample();
  const timer = setInterval(sample, 250);
  return { stop: () => { clearInterval(timer); sample(); return peak; } };
}

// ---- The service ----

interface LoadResult { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number; '2xx': number }
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string; method: string; connections: number; duration: number; headers: Record<string, string>; body: string;
}) => Promise<LoadResult>;

function startService(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, CONSENTRY_IP_RATE_LIMIT: '0', CONSENTRY_SITE_RATE_LIMIT: '0', CONSENTRY_SCAN_ALLOW_PRIVATE: '1', CONSENTRY_CHROMIUM_PATH: CHROMIUM },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`the service exited ${code}: ${out}`)));
  });
}

const FINAL = new Set(['completed', 'partial', 'failed', 'cancelled']);
type ScanView = { id: string; state: string; pagesDone?: number; reason?: string | null; message?: string | null; counts?: Record<string, number> };
const scanOf = (body: unknown): ScanView => {
  const b = body as { scan?: ScanView } & ScanView;
  return b.scan ?? b;
};

// ---- The run ----

async function main(): Promise<void> {
  if (!process.env.BENCH_BUNDLE) {
    // Always the current sources: the scan route may have landed since the last build.
    const built = spawnSync(process.execPath, [join(root, 'scripts', 'build', 'build.ts'), 'service', 'banner'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (built.status !== 0) throw new Error('the service build failed');
  }
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: scans need Chromium (apt-get install chromium, or CONSENTRY_CHROMIUM_PATH)`);
  const load0 = loadavg()[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'consentry-scan-bench-'));
  const db = join(dir, 'bench.sqlite');
  const cleanup: Array<() => Promise<void> | void> = [() => rmSync(dir, { recursive: true, force: true })];
  try {
    // The fixture site, in a process of its own so that the load generator here does not slow it down.
    let fixture: { origin: string; siteDomain: string } | undefined;
    const fixtureChild = spawnChild('fixture', (line) => { if (line.type === 'fixture') fixture = line; });
    cleanup.unshift(async () => { fixtureChild.process.kill('SIGTERM'); await fixtureChild.exited; });
    for (let i = 0; i < 600 && !fixture; i++) await sleep(100);
    if (!fixture) throw new Error('the fixture site did not start');

    const account = createAccount({ root, db, name: 'Scan bench', bundle });
    const service = await startService([bundle, 'serve', '--port', '0', '--db', db, '--log-level', 'warn']);
    cleanup.unshift(() => { service.child.kill('SIGTERM'); });
    const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
      const response = await fetch(`${service.url}/api/v1${path}`, {
        method, headers: { authorization: `Bearer ${account.secretKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    };
    const writes = (await api('POST', '/sites', { name: 'Bench', domain: 'bench.example.com' })).body as { site: { publicKey: string } };
    const scanned = (await api('POST', '/sites', { name: 'Fixture', domain: fixture.siteDomain })).body as { site: { id: string } };
    const consent = {
      api_key: writes.site.publicKey, consentId: 'bench_0123456789', action: 'custom', categories: { necessary: true, analytics: true, marketing: false },
      policyVersion: '1', language: 'en', pageUrl: 'https://bench.example.com/', gpc: false,
    };
    const scanBody = { startUrl: `${fixture.origin}/`, pageBudget: pagesWanted, exclude: EXCLUDE };

    /** A running scan: through the route when it answers 202, else through the engine in a process of its own. */
    interface Running {
      /** The process running the scan (its Chromium are its descendants), and its RSS just before the scan began. */
      pid: number;
      rssBefore(): number;
      firstPage: Promise<void>;
      /** Pages done so far. */
      pagesDone(): number;
      done: Promise<{ state: string; pages: number; seconds: number; detail: string }>;
      stop(): Promise<void>;
    }
    let viaRoute: boolean | undefined;
    const startScan = async (): Promise<Running> => {
      if (viaRoute !== false) {
        const started = performance.now();
        const rss = memoryOf(service.child.pid!).rss;
        const created = await api('POST', `/sites/${scanned.site.id}/scans`, scanBody);
        if (created.status === 202) {
          viaRoute = true;
          const id = scanOf(created.body).id;
          let last: ScanView = scanOf(created.body);
          let stopped = false;
          const poll = (async () => {
            while (!stopped && !FINAL.has(last.state)) {
              await sleep(500);
              // The list row (state, pages done, counts): cheap for the service, unlike the scan with all its pages.
              const { data } = (await api('GET', `/sites/${scanned.site.id}/scans?limit=1`)).body as { data: ScanView[] };
              if (data[0]?.id === id) last = data[0];
            }
            return last;
          })();
          const firstPage = (async () => { while (!FINAL.has(last.state) && !(Number(last.pagesDone) > 0)) await sleep(100); })();
          return {
            pid: service.child.pid!, rssBefore: () => rss, firstPage, pagesDone: () => Number(last.pagesDone ?? 0),
            done: poll.then((s) => ({
              state: s.state, pages: Number(s.pagesDone ?? 0), seconds: (performance.now() - started) / 1000,
              detail: `${s.reason ? `reason ${s.reason}: ${s.message}; ` : ''}counts ${JSON.stringify(s.counts ?? {})}`,
            })),
            stop: async () => {
              if (!FINAL.has(last.state)) await api('POST', `/sites/${scanned.site.id}/scans/${id}/cancel`);
              await poll;
              stopped = true;
            },
          };
        }
        if (viaRoute === true || created.status !== 404) throw new Error(`POST /sites/{id}/scans answered ${created.status}: ${JSON.stringify(created.body)}`);
        viaRoute = false;
      }
      let onFirst = () => {};
      const firstPage = new Promise<void>((r) => { onFirst = r; });
      let finish: (d: { state: string; pages: number; seconds: number; detail: string }) => void = () => {};
      const done = new Promise<{ state: string; pages: number; seconds: number; detail: string }>((r) => { finish = r; });
      let rss = 0;
      let pagesSoFar = 0;
      const engine = spawnChild('engine', (line) => {
        if (line.type === 'start') rss = line.rss;
        if (line.type === 'page') pagesSoFar = line.pages;
        if (line.type === 'page' && line.pages === 1) onFirst();
        if (line.type === 'done') {
          onFirst();
          finish({
            state: line.outcome.state, pages: line.pages, seconds: line.seconds,
            detail: `${line.outcome.reason ? `reason ${line.outcome.reason}: ${line.outcome.message}; ` : ''}` +
              `${line.items} items, ${line.violations} violations, ${line.flagged} flagged unclassified (${line.unclassified} unclassified items)`,
          });
        }
      });
      void engine.exited.then(() => { onFirst(); finish({ state: 'exited', pages: 0, seconds: 0, detail: 'the engine process exited early' }); });
      return { pid: engine.process.pid!, rssBefore: () => rss, firstPage, pagesDone: () => pagesSoFar, done, stop: async () => { engine.process.kill('SIGTERM'); await engine.exited; } };
    };

    // 1. One scan alone.
    const first = await startScan();
    const memory = sampleMemory(first.pid);
    const result = await first.done;
    const before = first.rssBefore();
    const peak = memory.stop();
    await first.stop();
    const how = viaRoute
      ? 'through the service: POST /api/v1/sites/{id}/scans, its scan thread and Chromium (memory: the service process and its Chromium)'
      : 'through the engine directly (runScan in a process of its own: the service has no scan route yet), fixture in that process too';
    console.log(`scan of the fixture site (${pagesWanted}-page budget, ${GENERATED} generated pages in its sitemap, /slow excluded), ${how}`);
    console.log(`  ${result.state}: ${result.pages} pages in ${result.seconds.toFixed(1)} s = ${(result.pages / result.seconds).toFixed(2)} pages/s; ${result.detail}`);
    console.log(`  peak memory: ${viaRoute ? 'service' : 'scanning'} process ${(peak.process / MB).toFixed(0)} MB RSS (${(before / MB).toFixed(0)} MB before the scan), ` +
      `Chromium ${(peak.browsers / MB).toFixed(0)} MB PSS over ${peak.browserProcesses} processes; together at most ${(peak.total / MB).toFixed(0)} MB`);
    const scanMet = result.pages >= pagesWanted && result.seconds <= SCAN_BUDGET_S * (pagesWanted / 50);
    console.log(`  budget (50 pages <= ${SCAN_BUDGET_S} s): ${scanMet ? 'met' : 'NOT met'}`);

    // 2. Consent writes, alone and beside a scan, in turns.
    const hit = async (): Promise<LoadResult> => autocannon({
      url: `${service.url}/api/v1/consent/log`, method: 'POST', connections, duration, headers: { 'content-type': 'application/json' }, body: JSON.stringify(consent),
    });
    console.log(`consent writes: ${connections} connections, ${duration} s each: one unmeasured, then alone and with a scan running in turn (${rounds} with a scan)`);
    /** Until the browser of the scan before is gone and the machine has had a moment: its teardown is not the next run's load. */
    const quiet = async (pid: number) => {
      for (let i = 0; i < 100 && descendants(pid).length > 0; i++) await sleep(100);
      await sleep(2000);
    };
    /** Writes beside a scan, and the pages the scan did meanwhile. */
    const withScan = async () => {
      const scan = await startScan();
      await Promise.race([scan.firstPage, sleep(30_000)]);
      const pagesBefore = scan.pagesDone();
      const result = await hit();
      const pages = scan.pagesDone() - pagesBefore;
      const outcome = await Promise.race([scan.done.then((d) => d.state), sleep(0).then(() => 'running')]);
      await scan.stop();
      await quiet(first.pid);
      return { result, pages, outcome };
    };
    // The service's rate drifts over a run (faster as its code warms up, slower as the database grows): one unmeasured
    // run first, then alone and with a scan in turn, A W A W … A, each W weighed against the A before and after it.
    await quiet(first.pid);
    await hit();
    let alone = await hit();
    const alones = [alone.requests.average];
    const besides: number[] = [];
    const ratios: number[] = [];
    const noise: number[] = [];
    let failed = alone.non2xx + alone.errors;
    for (let round = 1; round <= rounds; round++) {
      const beside = await withScan();
      const next = await hit();
      failed += beside.result.non2xx + beside.result.errors + next.non2xx + next.errors;
      const ratio = beside.result.requests.average / ((alone.requests.average + next.requests.average) / 2);
      ratios.push(ratio);
      noise.push(next.requests.average / alone.requests.average);
      besides.push(beside.result.requests.average);
      alones.push(next.requests.average);
      console.log(`  round ${round}: alone ${alone.requests.average.toFixed(0)} req/s, with a scan ${beside.result.requests.average.toFixed(0)} req/s ` +
        `(p99 ${beside.result.latency.p99} ms; ${beside.pages} pages scanned meanwhile; the scan was ${beside.outcome === 'running' ? 'still running at the end' : `over before the end: ${beside.outcome}`}), ` +
        `alone ${next.requests.average.toFixed(0)} req/s (p99 ${next.latency.p99} ms): ratio ${(ratio * 100).toFixed(1)} %`);
      alone = next;
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const pct = (r: number) => `${(r * 100).toFixed(1)} %`;
    const range = (values: number[]) => `${pct(Math.min(...values))} to ${pct(Math.max(...values))}`;
    console.log(`  ratio with/without a scan: median ${pct(median(ratios))} (budget >= ${WRITE_BUDGET * 100} %): ${median(ratios) >= WRITE_BUDGET ? 'met' : 'NOT met'}; ` +
      `rounds ${range(ratios)}; failed requests ${failed}`);
    console.log(`  the machine's own noise: each run alone against the one before it ${range(noise)}; rates alone ` +
      `${Math.min(...alones).toFixed(0)}–${Math.max(...alones).toFixed(0)} req/s, with a scan ${Math.min(...besides).toFixed(0)}–${Math.max(...besides).toFixed(0)} req/s`);
    console.log(`load average (1 min) at the start ${load0.toFixed(1)}, at the end ${loadavg()[0]!.toFixed(1)} on ${readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? '?'} CPUs`);
    if (failed || !['completed', 'partial'].includes(result.state)) process.exitCode = 1;
  } finally {
    for (const step of cleanup) await step();
  }
}

const mode = process.argv.find((a) => a.startsWith('--child-'))?.slice('--child-'.length);
if (mode === 'fixture' || mode === 'engine') await child(mode);
else await main();
