import type { StoreObserver } from './domain/store.ts';

/**
 * The service's counters, served at GET /metrics in the Prometheus text
 * format (version 0.0.4). Everything on a request's path is a plain increment
 * of a number that already exists: the label maps fill once per route,
 * method and status, and histograms are fixed arrays of buckets.
 */

/** Seconds; from a tenth of a millisecond (a group commit) to a few seconds (a disk in trouble). */
const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class Histogram {
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(readonly bounds: readonly number[] = LATENCY_BUCKETS) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    const { bounds, counts } = this;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        counts[i]!++;
        return;
      }
    }
  }

  /** The exposition lines of the histogram `name` (cumulative buckets, +Inf, sum, count). */
  lines(name: string): string[] {
    const out: string[] = [];
    let cumulative = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      cumulative += this.counts[i]!;
      out.push(`${name}_bucket{le="${this.bounds[i]}"} ${cumulative}`);
    }
    out.push(`${name}_bucket{le="+Inf"} ${this.count}`, `${name}_sum ${this.sum}`, `${name}_count ${this.count}`);
    return out;
  }
}

/** What is read from the store when metrics are scraped (never on a request's path). */
export interface ScrapedFacts {
  webhookOutbox: { pending: number; failed: number };
}

interface Cell { value: number }

/** Label values are route patterns, methods and numbers: escaped anyway, as the format asks. */
const label = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export class Metrics implements StoreObserver {
  /** Requests by route pattern, method and status. */
  private readonly requests = new Map<string, Map<string, Map<number, Cell>>>();
  private consentEventsWritten = 0;
  private rateLimitRefusals = 0;
  private requestsWithoutAccount = 0;
  private webhookAttemptsFailed = 0;
  private webhookAttemptsSucceeded = 0;
  readonly writeSeconds = new Histogram();
  readonly fsyncSeconds = new Histogram();
  private readonly started = Date.now();

  /** One answered request (both the Fastify path and the visitor lane call this from their audit step). */
  request(route: string, method: string, status: number): void {
    let byMethod = this.requests.get(route);
    if (!byMethod) this.requests.set(route, byMethod = new Map());
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, byStatus = new Map());
    const cell = byStatus.get(status);
    if (cell) cell.value++;
    else byStatus.set(status, { value: 1 });
    if (status === 429) this.rateLimitRefusals++;
  }

  /** A request no account can be named for: counted instead of audited (nobody could read its audit entry). */
  requestWithoutAccount(): void {
    this.requestsWithoutAccount++;
  }

  write(seconds: number): void {
    this.writeSeconds.observe(seconds);
  }

  fsync(seconds: number): void {
    this.fsyncSeconds.observe(seconds);
  }

  consentEvents(count: number): void {
    this.consentEventsWritten += count;
  }

  webhookAttempt(succeeded: boolean): void {
    if (succeeded) this.webhookAttemptsSucceeded++;
    else this.webhookAttemptsFailed++;
  }

  /** The exposition text. */
  render(facts: ScrapedFacts): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string, lines: string[]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
    };
    const requests: string[] = [];
    for (const [route, byMethod] of this.requests) {
      for (const [method, byStatus] of byMethod) {
        for (const [status, cell] of byStatus) {
          requests.push(`consentry_http_requests_total{route="${label(route)}",method="${label(method)}",status="${status}"} ${cell.value}`);
        }
      }
    }
    family('consentry_http_requests_total', 'counter', 'HTTP requests answered, by route pattern, method and status.', requests);
    family('consentry_requests_without_account_total', 'counter',
      'Requests no account can be named for (an unknown route, a missing or bad key): counted here, not written to the audit log.',
      [`consentry_requests_without_account_total ${this.requestsWithoutAccount}`]);
    family('consentry_consent_events_written_total', 'counter', 'Consent events durably written (visitor and server-side writes).',
      [`consentry_consent_events_written_total ${this.consentEventsWritten}`]);
    family('consentry_rate_limit_refusals_total', 'counter', 'Requests refused with 429 (per-address and plan limits).',
      [`consentry_rate_limit_refusals_total ${this.rateLimitRefusals}`]);
    family('consentry_store_write_seconds', 'histogram', 'Time from queueing a store write to its durable acknowledgement.', this.writeSeconds.lines('consentry_store_write_seconds'));
    family('consentry_store_fsync_seconds', 'histogram', 'Duration of one fsync of the SQLite write-ahead log (empty on PostgreSQL).', this.fsyncSeconds.lines('consentry_store_fsync_seconds'));
    family('consentry_webhook_outbox', 'gauge', 'Webhook deliveries in the outbox, by state (failed ones are kept 30 days).', [
      `consentry_webhook_outbox{state="pending"} ${facts.webhookOutbox.pending}`,
      `consentry_webhook_outbox{state="failed"} ${facts.webhookOutbox.failed}`,
    ]);
    family('consentry_webhook_attempts_total', 'counter', 'Webhook delivery attempts by this process, by outcome.', [
      `consentry_webhook_attempts_total{outcome="succeeded"} ${this.webhookAttemptsSucceeded}`,
      `consentry_webhook_attempts_total{outcome="failed"} ${this.webhookAttemptsFailed}`,
    ]);
    family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [`process_resident_memory_bytes ${process.memoryUsage.rss()}`]);
    family('process_start_time_seconds', 'gauge', 'Start time of the process since the Unix epoch in seconds.', [`process_start_time_seconds ${Math.floor(this.started / 1000)}`]);
    return `${out.join('\n')}\n`;
  }
}
