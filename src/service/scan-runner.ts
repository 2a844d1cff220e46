import type { Clock } from './domain/clock.ts';
import { newId } from './domain/ids.ts';
import { Scans } from './domain/scans.ts';
import { nextScanAt } from './domain/sites.ts';
import type { ScanRecord, Store } from './domain/store.ts';
import { SCAN_DEFAULTS, type RunScan, type ScanOptions } from './scanner/engine-types.ts';

export interface ScanRunnerOptions {
  /** Scans run at once by this instance. */
  concurrency: number;
  /** How long a scan stays with this instance without a renewal. */
  leaseMs: number;
  chromiumPath: string | null;
  allowPrivate: boolean;
  /** The engine (scanner/index.ts's runScan). */
  runScan: RunScan;
}

/** A scan interrupted this often (its instance stopped while it ran) ends as partial instead of resuming again. */
export const MAX_RESUMES = 1;

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

type Log = (level: 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;

/**
 * Runs the queued scans of every site, this instance's share of them: at most `concurrency` at once, each held
 * with a lease in the store that the runner renews. A scan whose instance stopped (its lease ran out, or the
 * instance let it go on a clean stop) is taken over by any instance: resumed without the pages already done, or
 * after MAX_RESUMES ended as partial with reason `interrupted`, so that no scan stays `running` for ever. The same
 * tick starts the scheduled rescans that are due.
 */
export class ScanRunner {
  readonly id = newId('runner');
  private readonly running = new Map<string, Running>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private again = false;
  private stopping = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly scans: Scans,
    private readonly options: ScanRunnerOptions,
    private readonly log: Log,
  ) {}

  /** Looks for work now and then every third of a lease. */
  start(): void {
    this.stopping = false;
    this.wake();
    this.timer = setInterval(() => this.wake(), Math.max(1000, Math.floor(this.options.leaseMs / 3)));
    this.timer.unref();
  }

  /** Stops the scans this instance runs without ending them, and lets them go: the next instance to look resumes them. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const run of this.running.values()) run.controller.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    await this.ticking?.catch(() => {});
    await this.store.releaseScans(this.id).catch(() => {});
  }

  /** Stops the engine of a scan this instance runs (it was cancelled). */
  cancelled(scanId: string): void {
    this.running.get(scanId)?.controller.abort();
  }

  /** Scans this instance runs now. */
  get busy(): number {
    return this.running.size;
  }

  /** Resolves once no scan runs here (tests). */
  async idle(): Promise<void> {
    while (this.running.size || this.ticking) {
      await Promise.allSettled([...this.running.values()].map((r) => r.done));
      await this.ticking?.catch(() => {});
    }
  }

  /** Looks for work soon; calls made meanwhile are folded into one. */
  wake(): void {
    if (this.stopping) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    void this.tick();
  }

  /** One look for work: renew leases, take over orphans, start queued scans, queue the scheduled ones that are due. */
  tick(): Promise<void> {
    if (this.ticking) {
      this.again = true;
      return this.ticking;
    }
    this.ticking = (async () => {
      do {
        this.again = false;
        try {
          await this.look();
        } catch (error) {
          this.log('error', 'scan runner: look for work failed', { err: error });
        }
      } while (this.again && !this.stopping);
    })().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private leaseUntil(): string {
    return new Date(this.clock.now().getTime() + this.options.leaseMs).toISOString();
  }

  private async look(): Promise<void> {
    if (this.stopping) return;
    const now = this.clock.now().toISOString();
    if (this.running.size) {
      const held = new Set(await this.store.renewScanLeases(this.id, this.leaseUntil()));
      // A scan cancelled through the API (on any instance), or taken over, is no longer ours: stop its engine.
      for (const [scanId, run] of this.running) if (!held.has(scanId)) run.controller.abort();
    }
    for (const scan of await this.store.orphanedScans(now, 20)) {
      if (this.stopping) return;
      if (this.running.has(scan.id)) continue;
      const resume = scan.resumes < MAX_RESUMES;
      if (resume && this.running.size >= this.options.concurrency) break;
      if (!(await this.store.claimScan({ scanId: scan.id, runner: this.id, leaseUntil: this.leaseUntil(), now, from: { state: 'running', leaseUntil: scan.leaseUntil } }))) continue;
      if (resume) {
        this.log('warn', 'scan runner: resuming a scan whose instance stopped', { scanId: scan.id });
        this.run({ ...scan, runner: this.id, resumes: scan.resumes + 1 }, true);
      } else {
        this.log('warn', 'scan runner: a scan interrupted again ends as partial', { scanId: scan.id });
        await this.scans.finish({ ...scan, runner: this.id }, 'running', this.id, {
          state: 'partial', reason: 'interrupted', message: 'The service stopped during the scan; the pages done before are kept',
        });
      }
    }
    while (!this.stopping && this.running.size < this.options.concurrency) {
      const queued = await this.store.queuedScans(this.options.concurrency - this.running.size);
      if (queued.length === 0) break;
      let claimed = 0;
      for (const scan of queued) {
        const startedAt = this.clock.now().toISOString();
        if (!(await this.store.claimScan({ scanId: scan.id, runner: this.id, leaseUntil: this.leaseUntil(), now: startedAt, from: { state: 'queued' } }))) continue;
        claimed++;
        this.run({ ...scan, state: 'running', runner: this.id, startedAt }, false);
      }
      if (claimed === 0) break;
    }
    await this.schedule(now);
  }

  /** Queues the scheduled rescans that are due, after writing the next one of sites that have none yet. */
  private async schedule(now: string): Promise<void> {
    for (const { site, lastScanAt } of await this.store.sitesWithoutNextScan(100)) {
      await this.store.setScanNextAt(site.id, nextScanAt(site.scanSchedule, lastScanAt ?? site.createdAt));
    }
    for (const site of await this.store.sitesDueForScan(now, 20)) {
      if (this.stopping) return;
      await this.scans.startScheduled(site);
    }
  }

  private run(scan: ScanRecord, resumed: boolean): void {
    const controller = new AbortController();
    const done = this.execute(scan, resumed, controller)
      .catch((error: unknown) => this.log('error', 'scan runner: a scan failed to run', { scanId: scan.id, err: error }))
      .finally(() => {
        this.running.delete(scan.id);
        this.wake();
      });
    this.running.set(scan.id, { controller, done });
  }

  private async execute(scan: ScanRecord, resumed: boolean, controller: AbortController): Promise<void> {
    const site = await this.store.getSite(scan.siteId);
    if (!site) return;
    const donePages = resumed ? await this.store.scanPages(scan.id) : [];
    let seq = donePages.length;
    let writes = Promise.resolve();
    const options: ScanOptions = {
      ...SCAN_DEFAULTS,
      startUrl: scan.startUrl,
      siteDomain: site.domain.replace(/:\d+$/, ''),
      pageBudget: scan.options.pageBudget,
      include: scan.options.include,
      exclude: scan.options.exclude,
      allowPrivate: this.options.allowPrivate,
      ...(this.options.chromiumPath && { chromiumPath: this.options.chromiumPath }),
      ...(donePages.length && { skipUrls: donePages.map((p) => p.url) }),
    };
    // Events are written one after the other, in the order the engine sent them.
    const outcome = await this.options.runScan(options, (event) => {
      writes = writes.then(async () => {
        if (controller.signal.aborted) return;
        if (event.type === 'planned') {
          await this.store.setScanPlanned(scan.id, this.id, event.pagesPlanned);
        } else if (!(await this.scans.recordPage(scan, this.id, event.page, seq++, this.leaseUntil()))) {
          controller.abort(); // cancelled or taken over meanwhile
        }
      }).catch((error: unknown) => this.log('error', 'scan runner: a page could not be recorded', { scanId: scan.id, err: error }));
    }, controller.signal);
    await writes;
    // Stopped on purpose: cancelled (the store already says so), taken over, or this instance stopping (resumed later).
    if (controller.signal.aborted) return;
    await this.scans.finish(scan, 'running', this.id, Scans.endOf(outcome));
  }
}
