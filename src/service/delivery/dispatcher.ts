import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Clock } from '../domain/clock.ts';
import { randomBase62 } from '../domain/ids.ts';
import type { Store, WebhookDelivery, WebhookEndpoint } from '../domain/store.ts';
import { retryDelayMs, signatureHeaders, type WebhookOptions } from '../domain/webhooks.ts';
import { guardedLookup, refuseLiteralPrivateHost } from './address-guard.ts';

export interface DispatcherOptions extends WebhookOptions {
  allowPrivate: boolean;
  /** How often due deliveries are looked for when nothing signals new ones. */
  pollMs: number;
  timeoutMs: number;
}

/**
 * Sends queued webhook deliveries from the durable outbox. Deliveries survive
 * restarts: a delivery is marked done only after a 2xx, and one claimed by an
 * instance that died is taken again once its lock expires.
 */
export class Dispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: DispatcherOptions,
    private readonly log: (message: string, details?: Record<string, unknown>) => void = () => {},
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight]);
  }

  /** New deliveries were queued: look now rather than at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.running = true;
    try {
      const now = this.clock.now();
      // The lock's time carries a random tail, so two instances claiming in the same millisecond hold different locks.
      const lockedUntil = `${new Date(now.getTime() + this.options.timeoutMs * 2).toISOString()}~${randomBase62(8)}`;
      const due = await this.store.claimDueDeliveries(now.toISOString(), lockedUntil, 50);
      if (due.length) {
        const endpoints = new Map<string, WebhookEndpoint>();
        for (const d of due) {
          if (!endpoints.has(d.accountId)) for (const e of await this.store.listWebhookEndpoints(d.accountId)) endpoints.set(e.id, e);
        }
        await Promise.all(due.map((d) => this.track(this.attempt(d, endpoints.get(d.endpointId)))));
      }
    } catch (error) {
      this.log('webhook dispatch failed', { error: String(error) });
    } finally {
      this.running = false;
    }
    const again = this.again;
    this.again = false;
    this.schedule(again ? 0 : this.options.pollMs);
  }

  private track(work: Promise<void>): Promise<void> {
    this.inFlight.add(work);
    return work.finally(() => this.inFlight.delete(work));
  }

  private async attempt(delivery: WebhookDelivery, endpoint: WebhookEndpoint | undefined): Promise<void> {
    const attempts = delivery.attempts + 1;
    let status: number | null = null;
    let error: string | null = null;
    if (!endpoint) {
      error = 'endpoint no longer exists';
    } else {
      try {
        status = await this.send(endpoint, delivery);
        if (status < 200 || status >= 300) error = `answered ${status}`;
      } catch (e) {
        error = (e as Error).message;
      }
    }
    const now = this.clock.now();
    const succeeded = error === null;
    const exhausted = !succeeded && (attempts >= delivery.maxAttempts || !endpoint);
    await this.store.saveDeliveryAttempt({
      ...delivery,
      attempts,
      state: succeeded ? 'succeeded' : exhausted ? 'failed' : 'pending',
      nextAttemptAt: succeeded || exhausted ? null : new Date(now.getTime() + retryDelayMs(attempts, this.options)).toISOString(),
      lastStatus: status,
      lastError: error,
      updatedAt: now.toISOString(),
    });
  }

  /** One signed POST; no redirects are followed; resolves with the status code. */
  private send(endpoint: WebhookEndpoint, delivery: WebhookDelivery): Promise<number> {
    const url = new URL(endpoint.url);
    refuseLiteralPrivateHost(url, this.options.allowPrivate);
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Consentry-Webhooks/1',
      ...signatureHeaders(endpoint.secret, delivery.id, timestamp, delivery.payload),
    };
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(url, {
        method: 'POST', headers, timeout: this.options.timeoutMs, lookup: guardedLookup(this.options.allowPrivate) as never,
      }, (res: IncomingMessage) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      req.on('close', () => clearTimeout(deadline));
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(delivery.payload);
    });
  }
}
