import { createHmac, randomBytes } from 'node:crypto';
import { ApiError } from './errors.ts';
import type { Clock } from './clock.ts';
import { newId } from './ids.ts';
import type { WebhookPayload } from '#shared/consent.ts';
import type { Page, Store, WebhookDelivery, WebhookEndpoint, WebhookEventType } from './store.ts';

export interface WebhookOptions {
  /** Tries per delivery, the first included. Default 5. */
  maxAttempts: number;
  /** Wait before the first retry; doubles each time, never more than `maxDelayMs`. Default 1 s. */
  retryBaseMs: number;
  maxDelayMs: number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = { maxAttempts: 5, retryBaseMs: 1000, maxDelayMs: 32_000 };

/** The endpoint as the API shows it: never its secret. */
export type PublicEndpoint = Omit<WebhookEndpoint, 'secret' | 'accountId'>;
export const publicEndpoint = ({ secret: _secret, accountId: _accountId, ...rest }: WebhookEndpoint): PublicEndpoint => rest;

export interface EndpointInput {
  url?: string | undefined;
  events?: WebhookEventType[] | undefined;
  description?: string | undefined;
  enabled?: boolean | undefined;
}

/** `whsec_` and 32 random bytes in base64: the Standard Webhooks form. */
function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * Signature headers of one delivery. `Consentry-Signature` is
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the whole secret string>`;
 * the Standard Webhooks headers sign `"<id>.<t>.<body>"` with the secret's base64-decoded bytes.
 */
export function signatureHeaders(secret: string, deliveryId: string, timestamp: number, body: string): Record<string, string> {
  const consentry = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  const standardKey = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const standard = createHmac('sha256', standardKey).update(`${deliveryId}.${timestamp}.${body}`).digest('base64');
  return {
    'Consentry-Signature': `t=${timestamp},v1=${consentry}`,
    'webhook-id': deliveryId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${standard}`,
  };
}

/** Delay before the next try after `attempts` failed tries: exponential, with jitter, capped. */
export function retryDelayMs(attempts: number, options: WebhookOptions, random = Math.random): number {
  const base = Math.min(options.maxDelayMs, options.retryBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.min(options.maxDelayMs, Math.round(base * (0.8 + random() * 0.4)));
}

export class Webhooks {
  private readonly cache = new Map<string, { expires: number; endpoints: WebhookEndpoint[] }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    readonly options: WebhookOptions = DEFAULT_WEBHOOK_OPTIONS,
    /** Told when deliveries were queued, so a dispatcher can send them at once. */
    private readonly onQueued: () => void = () => {},
  ) {}

  queued(): void {
    this.onQueued();
  }

  private async endpoints(accountId: string): Promise<WebhookEndpoint[]> {
    const now = performance.now();
    const cached = this.cache.get(accountId);
    if (cached && cached.expires > now) return cached.endpoints;
    const endpoints = await this.store.listWebhookEndpoints(accountId);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(accountId, { expires: now + 2000, endpoints });
    return endpoints;
  }

  /** True when the account's endpoints are cached and none is enabled: no delivery to build, no query to make. */
  knownUnsubscribed(accountId: string): boolean {
    const cached = this.cache.get(accountId);
    return cached !== undefined && cached.expires > performance.now() && !cached.endpoints.some((e) => e.enabled);
  }

  /** The deliveries an event causes: one per enabled endpoint subscribed to its type. */
  async deliveriesFor(
    accountId: string, type: WebhookEventType, data: WebhookPayload['data'],
  ): Promise<WebhookDelivery[]> {
    const subscribed = (await this.endpoints(accountId)).filter((e) => e.enabled && e.events.includes(type));
    if (subscribed.length === 0) return [];
    const now = this.clock.now();
    const eventId = newId('whevt', now.getTime());
    const payload = JSON.stringify({ id: eventId, type, created_at: now.toISOString(), data } satisfies WebhookPayload);
    return subscribed.map((endpoint) => ({
      id: newId('msg', now.getTime()), endpointId: endpoint.id, accountId, eventType: type, payload, state: 'pending',
      attempts: 0, maxAttempts: this.options.maxAttempts, nextAttemptAt: now.toISOString(), lastStatus: null, lastError: null,
      createdAt: now.toISOString(), updatedAt: now.toISOString(),
    }));
  }

  list(accountId: string): Promise<WebhookEndpoint[]> {
    return this.store.listWebhookEndpoints(accountId);
  }

  async get(accountId: string, endpointId: string): Promise<WebhookEndpoint> {
    const endpoint = (await this.store.listWebhookEndpoints(accountId)).find((e) => e.id === endpointId);
    if (!endpoint) throw ApiError.notFound('Webhook endpoint');
    return endpoint;
  }

  async create(accountId: string, input: Required<Pick<EndpointInput, 'url' | 'events'>> & EndpointInput): Promise<WebhookEndpoint> {
    const existing = await this.store.listWebhookEndpoints(accountId);
    if (existing.length >= 20) throw ApiError.conflict('An account can have at most 20 webhook endpoints');
    const now = this.clock.now().toISOString();
    const endpoint: WebhookEndpoint = {
      id: newId('wh', this.clock.now().getTime()), accountId, url: input.url, description: input.description ?? '', events: [...new Set(input.events)],
      secret: newSigningSecret(), enabled: input.enabled ?? true, createdAt: now, updatedAt: now,
    };
    await this.store.createWebhookEndpoint(endpoint);
    this.cache.delete(accountId);
    return endpoint;
  }

  async update(accountId: string, endpointId: string, input: EndpointInput): Promise<WebhookEndpoint> {
    const endpoint = await this.get(accountId, endpointId);
    const updated: WebhookEndpoint = {
      ...endpoint,
      ...(input.url !== undefined && { url: input.url }),
      ...(input.events !== undefined && { events: [...new Set(input.events)] }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      updatedAt: this.clock.now().toISOString(),
    };
    await this.store.updateWebhookEndpoint(updated);
    this.cache.delete(accountId);
    return updated;
  }

  async rotateSecret(accountId: string, endpointId: string): Promise<WebhookEndpoint> {
    const endpoint = await this.get(accountId, endpointId);
    const updated = { ...endpoint, secret: newSigningSecret(), updatedAt: this.clock.now().toISOString() };
    await this.store.updateWebhookEndpoint(updated);
    this.cache.delete(accountId);
    return updated;
  }

  async remove(accountId: string, endpointId: string): Promise<void> {
    if (!(await this.store.deleteWebhookEndpoint(accountId, endpointId))) throw ApiError.notFound('Webhook endpoint');
    this.cache.delete(accountId);
  }

  async deliveries(accountId: string, endpointId: string, page: Page) {
    await this.get(accountId, endpointId);
    return this.store.listDeliveries(endpointId, page);
  }

  /** Sends a past delivery again as a new delivery with the same event body. */
  async redeliver(accountId: string, endpointId: string, deliveryId: string): Promise<WebhookDelivery> {
    await this.get(accountId, endpointId);
    const original = await this.store.getDelivery(deliveryId);
    if (!original || original.endpointId !== endpointId) throw ApiError.notFound('Delivery');
    const now = this.clock.now();
    const copy: WebhookDelivery = {
      ...original, id: newId('msg', now.getTime()), state: 'pending', attempts: 0, maxAttempts: this.options.maxAttempts,
      nextAttemptAt: now.toISOString(), lastStatus: null, lastError: null, createdAt: now.toISOString(), updatedAt: now.toISOString(),
    };
    await this.store.enqueueDeliveries([copy]);
    this.queued();
    return copy;
  }
}
