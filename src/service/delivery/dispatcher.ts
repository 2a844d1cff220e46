import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Clock } from '../domain/clock.ts';
import { randomBase62 } from '../domain/ids.ts';
import type { Store, WebhookDelivery, WebhookEndpoint } from '../domain/store.ts';
import { retryDelayMs, signatureHeaders, type WebhookOptions } from '../domain/webhooks.ts';
import { BlockedAddressError, guardedLookup, refuseLiteralPrivateHost } from './address-guard.ts';

export interface DispatcherOptions extends WebhookOptions {
  allowPrivate: boolean;
  /** How often due deliveries are looked for when nothing signals new ones. */
  pollMs: number;
  timeoutMs: number;
  /** Deliveries in flight at once, all accounts together. */
  concurrency: number;
  /** Deliveries of one account in flight at once: a slow account holds at most this share of the slots. */
  perAccount: number;
  /** Told of each attempt's outcome (the metrics). */
  onAttempt?: (succeeded: boolean) => void;
}

type Log = (message: string, details?: Record<string, unknown>) => void;

/** Why an attempt failed, as the account sees it: never an address, a port or a resolver's answer (those go to the log). */
export function publicDeliveryError(error: unknown): string {
  if (error instanceof BlockedAddressError) return 'refused: the address is private';
  const e = error as { code?: string; timedOut?: boolean };
  if (e.timedOut) return 'timed out';
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return 'could not resolve the host name';
  if (e.code === 'ETIMEDOUT') return 'timed out';
  if (typeof e.code === 'string' && /CERT|SSL|TLS/.test(e.code)) return 'TLS handshake failed';
  return 'could not connect';
}

class TimedOut extends Error {
  readonly timedOut = true;
}

/**
 * Sends queued webhook deliveries from the durable outbox. Deliveries survive
 * restarts: a delivery is marked done only after a 2xx, and one claimed by an
 * instance that died is taken again once its lock expires.
 *
 * Up to `concurrency` deliveries are in flight; the next one starts as soon as
 * one ends. Claims take accounts in turns (the oldest due delivery of each
 * account, then the second of each…) and never give one account more than
 * `perAccount` slots, so endpoints that hang until the timeout slow down
 * their own account's deliveries and nobody else's.
 */
export class Dispatcher {
  private timer: NodeJS.Timeout | null = null;
  private filling: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly inFlight = new Set<Promise<void>>();
  /** Deliveries in flight by account. */
  private readonly busy = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: DispatcherOptions,
    private readonly log: Log = () => {},
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.filling;
    await Promise.allSettled([...this.inFlight]);
  }

  /** New deliveries were queued: look now rather than at the next poll. */
  wake(): void {
    if (!this.stopped) void this.fill();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.fill().finally(() => this.schedule(this.options.pollMs));
    }, ms);
    this.timer.unref();
  }

  /** Claims due deliveries for the free slots and starts them; one claim runs at a time, a call meanwhile asks for another. */
  private fill(): Promise<void> {
    if (this.filling) {
      this.again = true;
      return this.filling;
    }
    this.filling = this.claimAndStart().finally(() => {
      this.filling = null;
    });
    return this.filling;
  }

  private async claimAndStart(): Promise<void> {
    try {
      do {
        this.again = false;
        const free = this.options.concurrency - this.inFlight.size;
        if (free <= 0 || this.stopped) break;
        const now = this.clock.now();
        // The lock's time carries a random tail, so two instances claiming in the same millisecond hold different locks.
        const lockedUntil = `${new Date(now.getTime() + this.options.timeoutMs * 2).toISOString()}~${randomBase62(8)}`;
        const due = await this.store.claimDueDeliveries({
          now: now.toISOString(), lockedUntil, limit: free, perAccount: this.options.perAccount, inFlight: this.busy,
        });
        const endpoints = new Map<string, WebhookEndpoint>();
        for (const accountId of new Set(due.map((d) => d.accountId))) {
          for (const e of await this.store.listWebhookEndpoints(accountId)) endpoints.set(e.id, e);
        }
        for (const delivery of due) this.begin(delivery, endpoints.get(delivery.endpointId));
        // A full claim may have left more behind.
        if (due.length === free) this.again = true;
      } while (this.again && !this.stopped);
    } catch (error) {
      this.log('webhook dispatch failed', { error: String(error) });
    }
  }

  private begin(delivery: WebhookDelivery, endpoint: WebhookEndpoint | undefined): void {
    const { accountId } = delivery;
    this.busy.set(accountId, (this.busy.get(accountId) ?? 0) + 1);
    const work = this.attempt(delivery, endpoint)
      .catch((error: unknown) => this.log('webhook delivery not recorded', { deliveryId: delivery.id, error: String(error) }))
      .finally(() => {
        this.inFlight.delete(work);
        const left = (this.busy.get(accountId) ?? 1) - 1;
        if (left > 0) this.busy.set(accountId, left);
        else this.busy.delete(accountId);
        // A slot is free: fill it now, not at the next poll.
        this.wake();
      });
    this.inFlight.add(work);
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
        if (status < 200 || status >= 300) error = `HTTP ${status}`;
      } catch (e) {
        error = publicDeliveryError(e);
        this.log('webhook delivery failed', { deliveryId: delivery.id, endpointId: endpoint.id, error: (e as Error).message });
      }
    }
    const now = this.clock.now();
    const succeeded = error === null;
    this.options.onAttempt?.(succeeded);
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
    const timedOut = () => new TimedOut(`no answer within ${this.options.timeoutMs} ms`);
    return new Promise((resolve, reject) => {
      const req = request(url, {
        method: 'POST', headers, timeout: this.options.timeoutMs, lookup: guardedLookup(this.options.allowPrivate) as never,
      }, (res: IncomingMessage) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', (error) => reject(expired ? timedOut() : error));
      });
      // The whole exchange has one deadline: a receiver that trickles its answer byte by byte is cut off too.
      let expired = false;
      const expire = () => {
        expired = true;
        req.destroy(timedOut());
      };
      const deadline = setTimeout(expire, this.options.timeoutMs);
      req.on('close', () => clearTimeout(deadline));
      req.on('timeout', expire);
      req.on('error', (error) => reject(expired ? timedOut() : error));
      req.end(delivery.payload);
    });
  }
}
