import {
  withDisplayPreferences, type Category, type ConsentEvent, type DisplayProfile, type ScanItem, type ScanState, type SiteConfig, type SiteStatus,
} from '#shared/consent.ts';
import type {
  Account, ApiKey, AuditEntry, AuditQuery, ConsentEventQuery, ConsentEventFilters, DailyConsentCount, DeliveryClaim, DisplayUsageCount, DisplayUsageHour,
  IdempotencyState, InventoryQuery, InventoryRecord, Page, PageviewInput, Plan, PlanEnding, ScanClaim, ScanFinish, ScanPageRecord, ScanRecord,
  ScanResults, SiteRecord, Store,
  StoreObserver,
  WebhookDelivery, WebhookEndpoint,
} from '../domain/store.ts';
import { openSecret, sealSecret, type SecretBox } from './secret-box.ts';
import { step, type Param, type Row, type SqlExecutor, type Step } from './sql.ts';

/** Audit entries wait at most this long before they are written. */
const AUDIT_FLUSH_MS = 100;
const AUDIT_ROWS_PER_STATEMENT = 100;

const auditInserts = new Map<number, string>();

/** The INSERT of `rows` audit entries (made once per row count). */
function auditInsert(rows: number): string {
  let sql = auditInserts.get(rows);
  if (!sql) {
    sql = `INSERT INTO audit_log (id, account_id, key_id, method, route, path, status, ip_anonymized, request_id, duration_ms, detail, created_at)
      VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`;
    auditInserts.set(rows, sql);
  }
  return sql;
}

/**
 * The store, written once in SQL that SQLite and PostgreSQL both run. A
 * backend only supplies the executor: how to read, and how to run a write
 * program durably (see sql.ts).
 */
export class SqlStore implements Store {
  private pageviewWrites = 0;
  private auditBuffer: Param[][] = [];
  private auditFlush: Promise<void> | null = null;

  /** `secrets` encrypts the webhook signing secrets at rest (see SecretBox); without it they are stored as they are. */
  constructor(readonly sql: SqlExecutor, private readonly secrets: SecretBox | null = null) {}

  private all(sql: string, ...params: Param[]): Promise<Row[]> {
    return this.sql.all(sql, params);
  }

  private get(sql: string, ...params: Param[]): Promise<Row | undefined> {
    return this.sql.get(sql, params);
  }

  private observer: StoreObserver | null = null;

  private write(...steps: Step[]) {
    if (!this.observer) return this.sql.write(steps);
    const observer = this.observer;
    const started = performance.now();
    return this.sql.write(steps).then((result) => {
      observer.write((performance.now() - started) / 1000);
      return result;
    });
  }

  observe(observer: StoreObserver): void {
    this.observer = observer;
    this.sql.observer = observer;
  }

  async ping(): Promise<void> {
    await this.get('SELECT 1 AS ok');
  }

  async webhookOutbox(): Promise<{ pending: number; failed: number }> {
    const rows = await this.all(`SELECT state, COUNT(*) AS n FROM webhook_deliveries WHERE state IN ('pending', 'failed') GROUP BY state`);
    const count = (state: string) => Number(rows.find((r) => r.state === state)?.n ?? 0);
    return { pending: count('pending'), failed: count('failed') };
  }

  async close(): Promise<void> {
    await this.flushAudit();
    await this.sql.close();
  }

  // Accounts and keys

  async createAccount(account: Account): Promise<void> {
    await this.write(step(
      'INSERT INTO accounts (id, name, plan, plan_expires_at, email, ip_allowlist, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      account.id, account.name, account.plan, account.planExpiresAt, account.email, JSON.stringify(account.ipAllowlist), account.createdAt,
    ));
  }

  async getAccount(id: string): Promise<Account | null> {
    const row = await this.get('SELECT * FROM accounts WHERE id = ?', id);
    return row ? {
      id: String(row.id), name: String(row.name), plan: row.plan as Plan,
      planExpiresAt: row.plan_expires_at == null ? null : String(row.plan_expires_at), email: row.email == null ? null : String(row.email),
      ipAllowlist: json(row.ip_allowlist), createdAt: String(row.created_at),
    } : null;
  }

  async setAccountAllowlist(id: string, cidrs: string[]): Promise<void> {
    await this.write(step('UPDATE accounts SET ip_allowlist = ? WHERE id = ?', JSON.stringify(cidrs), id));
  }

  async setAccountPlan(id: string, plan: Plan, expiresAt: string | null = null): Promise<boolean> {
    return (await this.write(step('UPDATE accounts SET plan = ?, plan_expires_at = ?, plan_warned_days = NULL WHERE id = ?', plan, expiresAt, id))).changes > 0;
  }

  async plansEndingBefore(before: string): Promise<PlanEnding[]> {
    const rows = await this.all(
      'SELECT id, plan, plan_expires_at, plan_warned_days FROM accounts WHERE plan_expires_at IS NOT NULL AND plan_expires_at <= ? ORDER BY plan_expires_at, id',
      before,
    );
    return rows.map((r) => ({
      accountId: String(r.id), plan: r.plan as Plan, expiresAt: String(r.plan_expires_at),
      warnedDays: r.plan_warned_days == null ? null : Number(r.plan_warned_days),
    }));
  }

  async recordPlanWarning(ending: PlanEnding, days: number, deliveries: WebhookDelivery[]): Promise<boolean> {
    const { changes } = await this.write(
      step(
        `UPDATE accounts SET plan_warned_days = ? WHERE id = ? AND plan = ? AND plan_expires_at = ?
          AND (plan_warned_days IS NULL OR plan_warned_days > ?)`,
        days, ending.accountId, ending.plan, ending.expiresAt, days,
      ),
      ...deliveries.map((d) => ({ ...insertDelivery(d), ifChanged: true })),
    );
    return changes > 0;
  }

  async expirePlan(ending: PlanEnding, fallback: Plan, deliveries: WebhookDelivery[]): Promise<boolean> {
    const { changes } = await this.write(
      step(
        'UPDATE accounts SET plan = ?, plan_expires_at = NULL, plan_warned_days = NULL WHERE id = ? AND plan = ? AND plan_expires_at = ?',
        fallback, ending.accountId, ending.plan, ending.expiresAt,
      ),
      ...deliveries.map((d) => ({ ...insertDelivery(d), ifChanged: true })),
    );
    return changes > 0;
  }

  async addDisplayUsage(counts: DisplayUsageCount[]): Promise<void> {
    if (counts.length === 0) return;
    const hours = new Map(counts.map((c) => [`${c.siteId}|${c.hour}`, c]));
    await this.write(
      ...counts.map((c) => step(
        `INSERT INTO display_usage (site_id, hour_start, profile, count) VALUES (?, ?, ?, ?)
          ON CONFLICT (site_id, hour_start, profile) DO UPDATE SET count = display_usage.count + excluded.count`,
        c.siteId, c.hour, c.profile, c.count,
      )),
      // An hour already notified keeps its mark: a count that arrives later is stored but sent in no second webhook.
      ...[...hours.values()].map((c) => step(
        'INSERT INTO display_usage_hours (site_id, hour_start, notified_at) VALUES (?, ?, NULL) ON CONFLICT (site_id, hour_start) DO NOTHING',
        c.siteId, c.hour,
      )),
    );
  }

  async displayUsage(siteId: string, from: string, to: string): Promise<DisplayUsageCount[]> {
    const rows = await this.all(
      'SELECT hour_start, profile, count FROM display_usage WHERE site_id = ? AND hour_start >= ? AND hour_start < ? ORDER BY hour_start, profile',
      siteId, from, to,
    );
    return rows.map((r) => ({ siteId, hour: String(r.hour_start), profile: r.profile as DisplayProfile, count: Number(r.count) }));
  }

  async displayUsageHoursToNotify(before: string, limit: number): Promise<DisplayUsageHour[]> {
    const rows = await this.all(
      'SELECT site_id, hour_start FROM display_usage_hours WHERE notified_at IS NULL AND hour_start < ? ORDER BY hour_start, site_id LIMIT ?',
      before, limit,
    );
    return rows.map((r) => ({ siteId: String(r.site_id), hour: String(r.hour_start) }));
  }

  async markDisplayUsageNotified(hour: DisplayUsageHour, at: string, deliveries: WebhookDelivery[]): Promise<boolean> {
    const { changes } = await this.write(
      step('UPDATE display_usage_hours SET notified_at = ? WHERE site_id = ? AND hour_start = ? AND notified_at IS NULL', at, hour.siteId, hour.hour),
      ...deliveries.map((d) => ({ ...insertDelivery(d), ifChanged: true })),
    );
    return changes > 0;
  }

  async createApiKey(key: ApiKey, hash: string): Promise<void> {
    await this.write(step(
      'INSERT INTO api_keys (id, account_id, name, hint, key_hash, mode, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      key.id, key.accountId, key.name, key.hint, hash, key.mode, key.createdAt, key.revokedAt,
    ));
  }

  async findApiKeyByHash(hash: string): Promise<ApiKey | null> {
    const row = await this.get('SELECT * FROM api_keys WHERE key_hash = ?', hash);
    return row ? toApiKey(row) : null;
  }

  async listApiKeys(accountId: string): Promise<ApiKey[]> {
    return (await this.all('SELECT * FROM api_keys WHERE account_id = ? ORDER BY created_at, id', accountId)).map(toApiKey);
  }

  async revokeApiKey(accountId: string, keyId: string, at: string): Promise<boolean> {
    return (await this.write(step('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND account_id = ? AND revoked_at IS NULL', at, keyId, accountId))).changes > 0;
  }

  // Sites

  async createSite(site: SiteRecord, categories: Category[]): Promise<void> {
    await this.write(
      step(
        `INSERT INTO sites (id, account_id, name, domain, status, public_key, config, scan_enabled, scan_interval_days, scan_next_at, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        site.id, site.accountId, site.name, site.domain, site.status, site.publicKey, JSON.stringify(site.config),
        site.scanSchedule.enabled ? 1 : 0, site.scanSchedule.intervalDays, site.scanSchedule.nextAt, site.createdAt, site.updatedAt,
      ),
      ...categories.map(insertCategory),
    );
  }

  async getSite(id: string): Promise<SiteRecord | null> {
    const row = await this.get('SELECT * FROM sites WHERE id = ?', id);
    return row ? toSite(row) : null;
  }

  async getSiteByPublicKey(publicKey: string): Promise<SiteRecord | null> {
    const row = await this.get('SELECT * FROM sites WHERE public_key = ?', publicKey);
    return row ? toSite(row) : null;
  }

  async listSites(accountId: string, page: Page, status?: SiteStatus): Promise<{ sites: SiteRecord[]; total: number }> {
    const where = status ? 'account_id = ? AND status = ?' : 'account_id = ?';
    const params = status ? [accountId, status] : [accountId];
    const total = Number((await this.get(`SELECT COUNT(*) AS n FROM sites WHERE ${where}`, ...params))?.n ?? 0);
    const rows = await this.all(`SELECT * FROM sites WHERE ${where} ORDER BY created_at, id LIMIT ? OFFSET ?`, ...params, page.limit, page.offset);
    return { sites: rows.map(toSite), total };
  }

  async updateSite(site: SiteRecord): Promise<void> {
    await this.write(step(
      `UPDATE sites SET name = ?, domain = ?, status = ?, public_key = ?, config = ?, scan_enabled = ?, scan_interval_days = ?, scan_next_at = ?,
        updated_at = ? WHERE id = ?`,
      site.name, site.domain, site.status, site.publicKey, JSON.stringify(site.config),
      site.scanSchedule.enabled ? 1 : 0, site.scanSchedule.intervalDays, site.scanSchedule.nextAt, site.updatedAt, site.id,
    ));
  }

  // Categories

  async listCategories(siteId: string): Promise<Category[]> {
    return (await this.all('SELECT * FROM categories WHERE site_id = ? ORDER BY sort_order, created_at, id', siteId)).map(toCategory);
  }

  async createCategory(category: Category): Promise<void> {
    await this.write(insertCategory(category));
  }

  async updateCategory(c: Category): Promise<void> {
    await this.write(step(
      `UPDATE categories SET name_en = ?, description_en = ?, translations = ?, is_required = ?, is_default = ?, sort_order = ?,
        wp_consent_category = ?, cookies = ?, block_patterns = ?, updated_at = ? WHERE id = ? AND site_id = ?`,
      c.nameEn, c.descriptionEn, JSON.stringify(c.translations), c.isRequired ? 1 : 0, c.isDefault ? 1 : 0, c.sortOrder,
      c.wpConsentCategory, JSON.stringify(c.cookies), JSON.stringify(c.blockPatterns), c.updatedAt, c.id, c.siteId,
    ));
  }

  async deleteCategory(siteId: string, categoryId: string): Promise<boolean> {
    return (await this.write(step('DELETE FROM categories WHERE id = ? AND site_id = ?', categoryId, siteId))).changes > 0;
  }

  async setCategoryOrder(siteId: string, order: Array<{ id: string; sortOrder: number }>, at: string): Promise<void> {
    await this.write(...order.map((item) => step('UPDATE categories SET sort_order = ?, updated_at = ? WHERE id = ? AND site_id = ?', item.sortOrder, at, item.id, siteId)));
  }

  // Consent events

  async appendConsentEvents(events: ConsentEvent[], deliveries: WebhookDelivery[]): Promise<void> {
    await this.write(...events.map(insertConsentEvent), ...deliveries.map(insertDelivery));
    this.observer?.consentEvents(events.length);
  }

  async eraseConsentEvents(siteId: string, consentId: string): Promise<number> {
    return (await this.write(step('DELETE FROM consent_events WHERE site_id = ? AND consent_id = ?', siteId, consentId))).changes;
  }

  async listConsentEvents(siteId: string, q: ConsentEventQuery): Promise<{ events: ConsentEvent[]; total: number }> {
    const { where, params } = consentEventFilters(siteId, q);
    const total = Number((await this.get(`SELECT COUNT(*) AS n FROM consent_events WHERE ${where}`, ...params))?.n ?? 0);
    const page = [...params];
    let keyset = '';
    if (q.before) {
      keyset = ' AND (created_at, id) < (?, ?)';
      page.push(q.before.createdAt, q.before.id);
    }
    const rows = await this.all(
      `SELECT * FROM consent_events WHERE ${where}${keyset} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
      ...page, q.limit, q.before ? 0 : q.offset,
    );
    return { events: rows.map(toConsentEvent), total };
  }

  async *streamConsentEvents(siteId: string, filters: ConsentEventFilters, pageSize: number): AsyncIterable<ConsentEvent[]> {
    const { where, params } = consentEventFilters(siteId, filters);
    // Keyset pages on the (site, time, id) order the table is stored in: each page costs the same, however deep.
    let last: ConsentEvent | undefined;
    for (;;) {
      const rows = last
        ? await this.all(`SELECT * FROM consent_events WHERE ${where} AND (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?`,
          ...params, last.createdAt, last.id, pageSize)
        : await this.all(`SELECT * FROM consent_events WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ?`, ...params, pageSize);
      if (rows.length === 0) return;
      const events = rows.map(toConsentEvent);
      yield events;
      if (rows.length < pageSize) return;
      last = events[events.length - 1];
    }
  }

  async dailyConsentCounts(siteId: string, fromDate: string): Promise<DailyConsentCount[]> {
    return (await this.all(
      `SELECT substr(created_at, 1, 10) AS date, action, COUNT(*) AS n FROM consent_events
        WHERE site_id = ? AND created_at >= ? AND test = 0 GROUP BY date, action ORDER BY date`,
      siteId, fromDate,
    )).map((r) => ({ date: String(r.date), action: r.action as DailyConsentCount['action'], count: Number(r.n) }));
  }

  // Pageviews

  async recordPageview(p: PageviewInput): Promise<number> {
    const steps: Step[] = [];
    if (!p.test) {
      // Counts only when the session's mark for this page is missing or older than the repeat window.
      steps.push(
        step(
          `INSERT INTO pageview_sessions (site_id, session_id, page_url, counted_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (site_id, session_id, page_url) DO UPDATE SET counted_at = excluded.counted_at
            WHERE pageview_sessions.counted_at <= ?`,
          p.siteId, p.sessionId, p.pageUrl, p.now, p.repeatAfter,
        ),
        { ...step(`INSERT INTO pageview_counts (site_id, month, count) VALUES (?, ?, 1)
            ON CONFLICT (site_id, month) DO UPDATE SET count = pageview_counts.count + 1`, p.siteId, p.month), ifChanged: true },
      );
    }
    // Session marks only matter for the repeat window: sweep the stale ones now and then.
    if (++this.pageviewWrites % 1000 === 0) steps.push(step('DELETE FROM pageview_sessions WHERE counted_at <= ?', p.repeatAfter));
    steps.push({ ...step('SELECT count FROM pageview_counts WHERE site_id = ? AND month = ?', p.siteId, p.month), get: true });
    const { row } = await this.write(...steps);
    return Number(row?.count ?? 0);
  }

  async pageviewCount(siteId: string, month: string): Promise<number> {
    return Number((await this.get('SELECT count FROM pageview_counts WHERE site_id = ? AND month = ?', siteId, month))?.count ?? 0);
  }

  async recordQuotaWarning(siteId: string, month: string, threshold: number, at: string, deliveries: WebhookDelivery[]): Promise<boolean> {
    const { changes } = await this.write(
      step('INSERT INTO quota_warnings (site_id, month, threshold, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', siteId, month, threshold, at),
      ...deliveries.map((d) => ({ ...insertDelivery(d), ifChanged: true })),
    );
    return changes > 0;
  }

  // Idempotency

  async claimIdempotencyKey(scope: string, key: string, requestHash: string, at: string, staleBefore: string): Promise<IdempotencyState> {
    const { changes } = await this.write(step(
      `INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, state, created_at) VALUES (?, ?, ?, 'running', ?)
        ON CONFLICT (scope, idempotency_key) DO UPDATE SET request_hash = excluded.request_hash, created_at = excluded.created_at
        WHERE idempotency_keys.state = 'running' AND idempotency_keys.created_at < ?`,
      scope, key, requestHash, at, staleBefore,
    ));
    if (changes > 0) return { state: 'new' };
    const row = await this.get('SELECT * FROM idempotency_keys WHERE scope = ? AND idempotency_key = ?', scope, key);
    if (!row) return { state: 'new' };
    if (row.state === 'done') return { state: 'done', requestHash: String(row.request_hash), status: Number(row.status), response: String(row.response) };
    return { state: 'running', requestHash: String(row.request_hash) };
  }

  async completeIdempotencyKey(scope: string, key: string, status: number, response: string): Promise<void> {
    await this.write(step(
      `UPDATE idempotency_keys SET state = 'done', status = ?, response = ? WHERE scope = ? AND idempotency_key = ?`, status, response, scope, key,
    ));
  }

  async releaseIdempotencyKey(scope: string, key: string): Promise<void> {
    await this.write(step(`DELETE FROM idempotency_keys WHERE scope = ? AND idempotency_key = ? AND state = 'running'`, scope, key));
  }

  // Audit log

  /**
   * Audit entries are gathered for up to AUDIT_FLUSH_MS, or until a statement's
   * worth, and written together: one entry per API call would otherwise cost as
   * much as the call, and a much larger batch would hold up the commit it joins.
   * Resolves when the entry is written.
   */
  appendAudit(e: AuditEntry): Promise<void> {
    this.auditBuffer.push([
      e.id, e.accountId, e.keyId, e.method, e.route, e.path, e.status, e.ipAnonymized, e.requestId, e.durationMs,
      e.detail ? JSON.stringify(e.detail) : null, e.createdAt,
    ]);
    if (this.auditBuffer.length >= AUDIT_ROWS_PER_STATEMENT) return this.flushAudit();
    if (!this.auditFlush) {
      this.auditFlush = new Promise<void>((resolve, reject) => {
        setTimeout(() => this.flushAudit().then(resolve, reject), AUDIT_FLUSH_MS).unref();
      });
    }
    return this.auditFlush;
  }

  private async flushAudit(): Promise<void> {
    const rows = this.auditBuffer;
    this.auditBuffer = [];
    this.auditFlush = null;
    const steps: Step[] = [];
    for (let i = 0; i < rows.length; i += AUDIT_ROWS_PER_STATEMENT) {
      const chunk = rows.slice(i, i + AUDIT_ROWS_PER_STATEMENT);
      steps.push({ sql: auditInsert(chunk.length), params: chunk.flat() });
    }
    if (steps.length) await this.writeAudit(steps);
  }

  private writeAudit(steps: Step[]) {
    return this.sql.writeAudit ? this.sql.writeAudit(steps) : this.sql.write(steps);
  }

  async listAudit(accountId: string, q: AuditQuery): Promise<{ entries: AuditEntry[]; total: number }> {
    const filters = ['account_id = ?'];
    const params: Param[] = [accountId];
    if (q.method) { filters.push('method = ?'); params.push(q.method); }
    if (q.status) { filters.push('status = ?'); params.push(q.status); }
    if (q.from) { filters.push('created_at >= ?'); params.push(q.from); }
    if (q.to) { filters.push('created_at <= ?'); params.push(q.to); }
    const where = filters.join(' AND ');
    const total = Number((await this.get(`SELECT COUNT(*) AS n FROM audit_log WHERE ${where}`, ...params))?.n ?? 0);
    let keyset = '';
    const page = [...params];
    if (q.before) {
      keyset = ' AND (created_at, id) < (?, ?)';
      page.push(q.before.createdAt, q.before.id);
    }
    const rows = await this.all(`SELECT * FROM audit_log WHERE ${where}${keyset} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, ...page, q.limit, q.before ? 0 : q.offset);
    return { entries: rows.map(toAuditEntry), total };
  }

  // Webhooks

  async createWebhookEndpoint(w: WebhookEndpoint): Promise<void> {
    await this.write(step(
      `INSERT INTO webhook_endpoints (id, account_id, url, description, events, secret, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      w.id, w.accountId, w.url, w.description, JSON.stringify(w.events), sealSecret(w.secret, w.id, this.secrets), w.enabled ? 1 : 0, w.createdAt, w.updatedAt,
    ));
  }

  async listWebhookEndpoints(accountId: string): Promise<WebhookEndpoint[]> {
    return (await this.all('SELECT * FROM webhook_endpoints WHERE account_id = ? ORDER BY created_at, id', accountId)).map((r) => toEndpoint(r, this.secrets));
  }

  async updateWebhookEndpoint(w: WebhookEndpoint): Promise<void> {
    await this.write(step(
      'UPDATE webhook_endpoints SET url = ?, description = ?, events = ?, secret = ?, enabled = ?, updated_at = ? WHERE id = ? AND account_id = ?',
      w.url, w.description, JSON.stringify(w.events), sealSecret(w.secret, w.id, this.secrets), w.enabled ? 1 : 0, w.updatedAt, w.id, w.accountId,
    ));
  }

  async deleteWebhookEndpoint(accountId: string, endpointId: string): Promise<boolean> {
    const { changes } = await this.write(
      step('DELETE FROM webhook_deliveries WHERE endpoint_id = ? AND account_id = ?', endpointId, accountId),
      step('DELETE FROM webhook_endpoints WHERE id = ? AND account_id = ?', endpointId, accountId),
    );
    return changes > 0;
  }

  async enqueueDeliveries(deliveries: WebhookDelivery[]): Promise<void> {
    if (deliveries.length) await this.write(...deliveries.map(insertDelivery));
  }

  async claimDueDeliveries({ now, lockedUntil, limit, perAccount, inFlight }: DeliveryClaim): Promise<WebhookDelivery[]> {
    // Each account's due deliveries numbered oldest first ("turn"); with the turns an account has already used
    // (its deliveries in flight), the lowest go first: accounts take turns, and none passes perAccount.
    let busy = 0;
    for (const n of inFlight.values()) busy += n;
    const rows = await this.all(
      `SELECT id, account_id, turn FROM (
          SELECT id, account_id, next_attempt_at, ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY next_attempt_at, id) AS turn
          FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until <= ?)
        ) due WHERE turn <= ? ORDER BY turn, next_attempt_at, id LIMIT ?`,
      now, now, perAccount, limit + busy,
    );
    const due = rows
      .map((r) => ({ id: String(r.id), turn: Number(r.turn) + (inFlight.get(String(r.account_id)) ?? 0) }))
      .filter((r) => r.turn <= perAccount)
      .sort((a, b) => a.turn - b.turn)
      .slice(0, limit);
    if (due.length === 0) return [];
    const claimed: WebhookDelivery[] = [];
    // Each claim is conditional, so two instances never take the same delivery.
    await this.write(...due.map((r) => step(
      `UPDATE webhook_deliveries SET locked_until = ? WHERE id = ? AND state = 'pending' AND (locked_until IS NULL OR locked_until <= ?)`,
      lockedUntil, String(r.id), now,
    )));
    for (const r of due) {
      const row = await this.get('SELECT * FROM webhook_deliveries WHERE id = ? AND locked_until = ?', String(r.id), lockedUntil);
      if (row) claimed.push(toDelivery(row));
    }
    return claimed;
  }

  async saveDeliveryAttempt(d: WebhookDelivery): Promise<void> {
    await this.write(step(
      `UPDATE webhook_deliveries SET state = ?, attempts = ?, next_attempt_at = ?, locked_until = NULL, last_status = ?, last_error = ?, updated_at = ?
        WHERE id = ?`,
      d.state, d.attempts, d.nextAttemptAt, d.lastStatus, d.lastError, d.updatedAt, d.id,
    ));
  }

  async listDeliveries(endpointId: string, page: Page): Promise<{ deliveries: WebhookDelivery[]; total: number }> {
    const total = Number((await this.get('SELECT COUNT(*) AS n FROM webhook_deliveries WHERE endpoint_id = ?', endpointId))?.n ?? 0);
    const rows = await this.all('SELECT * FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?', endpointId, page.limit, page.offset);
    return { deliveries: rows.map(toDelivery), total };
  }

  async getDelivery(deliveryId: string): Promise<WebhookDelivery | null> {
    const row = await this.get('SELECT * FROM webhook_deliveries WHERE id = ?', deliveryId);
    return row ? toDelivery(row) : null;
  }

  async nextDeliveryDue(): Promise<string | null> {
    const row = await this.get(`SELECT MIN(next_attempt_at) AS due FROM webhook_deliveries WHERE state = 'pending'`);
    return row?.due == null ? null : String(row.due);
  }

  // Cookie scans

  async createScan(scan: ScanRecord): Promise<void> {
    await this.write(
      step(
        `INSERT INTO scans (id, site_id, active_site_id, state, scan_trigger, start_url, options, pages_planned, pages_done, pages_failed, counts,
          reason, message, runner, lease_until, resumes, created_at, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        scan.id, scan.siteId, scan.siteId, scan.state, scan.trigger, scan.startUrl, JSON.stringify(scan.options), scan.pagesPlanned, scan.pagesDone,
        scan.pagesFailed, JSON.stringify(scan.counts), scan.reason, scan.message, scan.runner, scan.leaseUntil, scan.resumes, scan.createdAt,
        scan.startedAt, scan.finishedAt,
      ),
      step('UPDATE sites SET scan_next_at = NULL WHERE id = ?', scan.siteId),
    );
  }

  async getScan(id: string): Promise<ScanRecord | null> {
    const row = await this.get(`SELECT ${SCAN_COLUMNS} FROM scans WHERE id = ?`, id);
    return row ? toScan(row) : null;
  }

  async listScans(siteId: string, page: Page, state?: ScanState): Promise<{ scans: ScanRecord[]; total: number }> {
    const where = state ? 'site_id = ? AND state = ?' : 'site_id = ?';
    const params = state ? [siteId, state] : [siteId];
    const total = Number((await this.get(`SELECT COUNT(*) AS n FROM scans WHERE ${where}`, ...params))?.n ?? 0);
    const rows = await this.all(`SELECT ${SCAN_COLUMNS} FROM scans WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, ...params, page.limit, page.offset);
    return { scans: rows.map(toScan), total };
  }

  async queuedScans(limit: number): Promise<ScanRecord[]> {
    return (await this.all(`SELECT ${SCAN_COLUMNS} FROM scans WHERE state = 'queued' ORDER BY created_at, id LIMIT ?`, limit)).map(toScan);
  }

  async orphanedScans(now: string, limit: number): Promise<ScanRecord[]> {
    return (await this.all(
      `SELECT ${SCAN_COLUMNS} FROM scans WHERE state = 'running' AND (lease_until IS NULL OR lease_until < ?) ORDER BY created_at, id LIMIT ?`, now, limit,
    )).map(toScan);
  }

  async claimScan(c: ScanClaim): Promise<boolean> {
    const { changes } = c.from.state === 'queued'
      ? await this.write(step(
        `UPDATE scans SET state = 'running', runner = ?, lease_until = ?, started_at = ? WHERE id = ? AND state = 'queued'`,
        c.runner, c.leaseUntil, c.now, c.scanId,
      ))
      : await this.write(step(
        `UPDATE scans SET runner = ?, lease_until = ?, resumes = resumes + 1 WHERE id = ? AND state = 'running'
          AND ${c.from.leaseUntil === null ? 'lease_until IS NULL' : 'lease_until = ?'}`,
        ...[c.runner, c.leaseUntil, c.scanId, ...(c.from.leaseUntil === null ? [] : [c.from.leaseUntil])],
      ));
    return changes > 0;
  }

  async renewScanLeases(runner: string, leaseUntil: string): Promise<string[]> {
    await this.write(step(`UPDATE scans SET lease_until = ? WHERE runner = ? AND state = 'running'`, leaseUntil, runner));
    return (await this.all(`SELECT id FROM scans WHERE runner = ? AND state = 'running'`, runner)).map((r) => String(r.id));
  }

  async releaseScans(runner: string): Promise<void> {
    await this.write(step(`UPDATE scans SET runner = NULL, lease_until = NULL WHERE runner = ? AND state = 'running'`, runner));
  }

  async setScanPlanned(scanId: string, runner: string, pagesPlanned: number): Promise<void> {
    await this.write(step(
      `UPDATE scans SET pages_planned = ? WHERE id = ? AND runner = ? AND state = 'running' AND pages_planned < ?`, pagesPlanned, scanId, runner, pagesPlanned,
    ));
  }

  async recordScanPage(runner: string, p: ScanPageRecord, leaseUntil: string): Promise<boolean> {
    const failed = p.state === 'failed' ? 1 : 0;
    const { changes } = await this.write(
      step(
        `UPDATE scans SET pages_done = pages_done + 1, pages_failed = pages_failed + ?, lease_until = ?,
          pages_planned = CASE WHEN pages_planned < pages_done + 1 THEN pages_done + 1 ELSE pages_planned END
          WHERE id = ? AND runner = ? AND state = 'running'
          AND NOT EXISTS (SELECT 1 FROM scan_pages WHERE scan_id = ? AND url = ?)`,
        failed, leaseUntil, p.scanId, runner, p.scanId, p.url,
      ),
      {
        ...step(
          `INSERT INTO scan_pages (scan_id, url, seq, depth, state, error, banner_found, passes, items, hosts, scanned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          p.scanId, p.url, p.seq, p.depth, p.state, p.error, p.bannerFound ? 1 : 0, JSON.stringify(p.passes), JSON.stringify(p.items),
          JSON.stringify(p.hosts), p.scannedAt,
        ),
        ifChanged: true,
      },
    );
    return changes > 0;
  }

  async scanPages(scanId: string): Promise<ScanPageRecord[]> {
    return (await this.all('SELECT * FROM scan_pages WHERE scan_id = ? ORDER BY seq, url', scanId)).map((r) => ({
      scanId: String(r.scan_id), url: String(r.url), seq: Number(r.seq), depth: Number(r.depth), state: r.state as ScanPageRecord['state'],
      error: text(r.error), bannerFound: Number(r.banner_found) === 1, passes: json(r.passes), items: json(r.items), hosts: json(r.hosts),
      scannedAt: String(r.scanned_at),
    }));
  }

  async scanItems(scanId: string): Promise<ScanItem[]> {
    return (await this.all('SELECT * FROM scan_items WHERE scan_id = ? ORDER BY kind, name, domain', scanId)).map((r) => ({
      kind: r.kind as ScanItem['kind'], name: String(r.name), domain: String(r.domain), attributes: r.attributes == null ? null : json(r.attributes),
      firstPageUrl: String(r.first_page_url), firstPass: r.first_pass as ScanItem['firstPass'], passes: json(r.passes), pages: Number(r.pages),
      classification: json(r.classification), inventoryId: text(r.inventory_id),
    }));
  }

  async previousResultScan(siteId: string, exceptId: string): Promise<ScanRecord | null> {
    const row = await this.get(
      `SELECT ${SCAN_COLUMNS} FROM scans WHERE site_id = ? AND id <> ? AND state IN ('completed', 'partial') ORDER BY finished_at DESC, id DESC LIMIT 1`,
      siteId, exceptId,
    );
    return row ? toScan(row) : null;
  }

  async scanResults(scanId: string): Promise<ScanResults> {
    const row = await this.get('SELECT hosts, violations, flagged, diff FROM scans WHERE id = ?', scanId);
    const list = (value: unknown) => (value == null ? [] : json<never[]>(value));
    return { hosts: list(row?.hosts), violations: list(row?.violations), flagged: list(row?.flagged), diff: list(row?.diff) };
  }

  async finishScan(f: ScanFinish): Promise<boolean> {
    const guard = f.runner === null ? '' : ' AND runner = ?';
    const steps: Step[] = [step(
      `UPDATE scans SET state = ?, reason = ?, message = ?, counts = ?, hosts = ?, violations = ?, flagged = ?, diff = ?, finished_at = ?,
        pages_planned = CASE WHEN pages_planned < ? THEN ? ELSE pages_planned END,
        active_site_id = NULL, runner = NULL, lease_until = NULL WHERE id = ? AND state = ?${guard}`,
      f.state, f.reason, f.message, JSON.stringify(f.counts), JSON.stringify(f.hosts), JSON.stringify(f.violations), JSON.stringify(f.flagged), JSON.stringify(f.diff),
      f.finishedAt, f.pagesPlanned ?? 0, f.pagesPlanned ?? 0, f.scanId, f.from, ...(f.runner === null ? [] : [f.runner]),
    )];
    // Every later step changes a row when it runs, so each runs only if the scan was still as read.
    for (let i = 0; i < f.items.length; i += 50) {
      const chunk = f.items.slice(i, i + 50);
      steps.push({
        sql: `INSERT INTO scan_items (scan_id, kind, name, domain, attributes, first_page_url, first_pass, passes, pages, classification, inventory_id)
          VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        params: chunk.flatMap((item) => [
          f.scanId, item.kind, item.name, item.domain, item.attributes === null ? null : JSON.stringify(item.attributes), item.firstPageUrl,
          item.firstPass, JSON.stringify(item.passes), item.pages, JSON.stringify(item.classification), item.inventoryId,
        ]),
        ifChanged: true,
      });
    }
    for (const m of f.inventory) {
      steps.push({
        ...step(
          `INSERT INTO cookie_inventory (id, site_id, kind, name, domain, provider, purpose, retention, category_key, review_state, translations, source,
            edited_at, first_seen_at, last_seen_at, last_scan_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'todo', '{}', 'scan', NULL, ?, ?, ?, ?, ?)
            ON CONFLICT (site_id, kind, name, domain) DO UPDATE SET
              last_seen_at = excluded.last_seen_at, last_scan_id = excluded.last_scan_id,
              first_seen_at = COALESCE(cookie_inventory.first_seen_at, excluded.first_seen_at),
              provider = CASE WHEN cookie_inventory.edited_at IS NULL THEN excluded.provider ELSE cookie_inventory.provider END,
              purpose = CASE WHEN cookie_inventory.edited_at IS NULL THEN excluded.purpose ELSE cookie_inventory.purpose END,
              retention = CASE WHEN cookie_inventory.edited_at IS NULL THEN excluded.retention ELSE cookie_inventory.retention END,
              category_key = CASE WHEN cookie_inventory.edited_at IS NULL THEN excluded.category_key ELSE cookie_inventory.category_key END`,
          m.id, f.siteId, m.kind, m.name, m.domain, m.provider, m.purpose, m.retention, m.categoryKey,
          f.finishedAt, f.finishedAt, f.scanId, f.finishedAt, f.finishedAt,
        ),
        ifChanged: true,
      });
    }
    steps.push({ ...step('UPDATE sites SET scan_next_at = ? WHERE id = ?', f.nextScanAt, f.siteId), ifChanged: true });
    steps.push(...f.deliveries.map((d) => ({ ...insertDelivery(d), ifChanged: true })));
    const { changes } = await this.write(...steps);
    return changes > 0;
  }

  async cancelScan(scanId: string, at: string): Promise<boolean> {
    const { changes } = await this.write(step(
      `UPDATE scans SET state = 'cancelled', finished_at = ?, active_site_id = NULL, runner = NULL, lease_until = NULL
        WHERE id = ? AND state IN ('queued', 'running')`, at, scanId,
    ));
    return changes > 0;
  }

  async sitesDueForScan(now: string, limit: number): Promise<SiteRecord[]> {
    return (await this.all(
      `SELECT * FROM sites WHERE scan_next_at IS NOT NULL AND scan_next_at <= ? AND scan_enabled = 1 AND status = 'active'
        AND NOT EXISTS (SELECT 1 FROM scans a WHERE a.active_site_id = sites.id) ORDER BY scan_next_at, id LIMIT ?`, now, limit,
    )).map(toSite);
  }

  async sitesWithoutNextScan(limit: number): Promise<Array<{ site: SiteRecord; lastScanAt: string | null }>> {
    const rows = await this.all(
      `SELECT s.*, (SELECT MAX(COALESCE(c.finished_at, c.created_at)) FROM scans c WHERE c.site_id = s.id) AS last_scan_at FROM sites s
        WHERE s.scan_next_at IS NULL AND s.scan_enabled = 1 AND s.status = 'active'
        AND NOT EXISTS (SELECT 1 FROM scans a WHERE a.active_site_id = s.id) ORDER BY s.created_at, s.id LIMIT ?`, limit,
    );
    return rows.map((r) => ({ site: toSite(r), lastScanAt: text(r.last_scan_at) }));
  }

  async setScanNextAt(siteId: string, nextAt: string | null): Promise<void> {
    await this.write(step('UPDATE sites SET scan_next_at = ? WHERE id = ?', nextAt, siteId));
  }

  // The cookie inventory

  async listInventory(siteId: string, q: InventoryQuery): Promise<{ entries: InventoryRecord[]; total: number }> {
    const filters = ['site_id = ?'];
    const params: Param[] = [siteId];
    if (q.kind) { filters.push('kind = ?'); params.push(q.kind); }
    if (q.reviewState) { filters.push('review_state = ?'); params.push(q.reviewState); }
    if (q.source) { filters.push('source = ?'); params.push(q.source); }
    if (q.categoryKey) { filters.push('category_key = ?'); params.push(q.categoryKey); }
    if (q.unclassified === true) filters.push('category_key IS NULL');
    if (q.unclassified === false) filters.push('category_key IS NOT NULL');
    const where = filters.join(' AND ');
    const total = Number((await this.get(`SELECT COUNT(*) AS n FROM cookie_inventory WHERE ${where}`, ...params))?.n ?? 0);
    const rows = await this.all(`SELECT * FROM cookie_inventory WHERE ${where} ORDER BY kind, name, domain, id LIMIT ? OFFSET ?`, ...params, q.limit, q.offset);
    return { entries: rows.map(toInventory), total };
  }

  async allInventory(siteId: string): Promise<InventoryRecord[]> {
    return (await this.all('SELECT * FROM cookie_inventory WHERE site_id = ? ORDER BY kind, name, domain, id', siteId)).map(toInventory);
  }

  async getInventoryEntry(siteId: string, id: string): Promise<InventoryRecord | null> {
    const row = await this.get('SELECT * FROM cookie_inventory WHERE id = ? AND site_id = ?', id, siteId);
    return row ? toInventory(row) : null;
  }

  async createInventoryEntry(e: InventoryRecord): Promise<void> {
    await this.write(step(
      `INSERT INTO cookie_inventory (id, site_id, kind, name, domain, provider, purpose, retention, category_key, review_state, translations, source,
        edited_at, first_seen_at, last_seen_at, last_scan_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      e.id, e.siteId, e.kind, e.name, e.domain, e.provider, e.purpose, e.retention, e.categoryKey, e.reviewState, JSON.stringify(e.translations),
      e.source, e.editedAt, e.firstSeenAt, e.lastSeenAt, e.lastScanId, e.createdAt, e.updatedAt,
    ));
  }

  async updateInventoryEntry(e: InventoryRecord): Promise<void> {
    await this.write(step(
      `UPDATE cookie_inventory SET provider = ?, purpose = ?, retention = ?, category_key = ?, review_state = ?, translations = ?, edited_at = ?, updated_at = ?
        WHERE id = ? AND site_id = ?`,
      e.provider, e.purpose, e.retention, e.categoryKey, e.reviewState, JSON.stringify(e.translations), e.editedAt, e.updatedAt, e.id, e.siteId,
    ));
  }

  async deleteInventoryEntry(siteId: string, id: string): Promise<boolean> {
    return (await this.write(step('DELETE FROM cookie_inventory WHERE id = ? AND site_id = ?', id, siteId))).changes > 0;
  }

  async purge(before: { audit: string; idempotency: string; deliveries: string }): Promise<void> {
    await Promise.all([
      this.writeAudit([step('DELETE FROM audit_log WHERE created_at < ?', before.audit)]),
      this.write(
        step('DELETE FROM idempotency_keys WHERE created_at < ?', before.idempotency),
        step(`DELETE FROM webhook_deliveries WHERE state <> 'pending' AND updated_at < ?`, before.deliveries),
      ),
    ]);
  }

  async purgeConsentEvents(before: string): Promise<Array<{ accountId: string; count: number }>> {
    // Counted first, then deleted: events older than a retention of days are not being written any more.
    const counts = await this.all(
      `SELECT s.account_id AS account_id, COUNT(*) AS n FROM consent_events e JOIN sites s ON s.id = e.site_id
        WHERE e.created_at < ? GROUP BY s.account_id ORDER BY s.account_id`, before);
    if (counts.length === 0) return [];
    await this.write(step('DELETE FROM consent_events WHERE created_at < ?', before));
    return counts.map((r) => ({ accountId: String(r.account_id), count: Number(r.n) }));
  }
}

function consentEventFilters(siteId: string, q: ConsentEventFilters): { where: string; params: Param[] } {
  const filters = ['site_id = ?'];
  const params: Param[] = [siteId];
  if (q.action) { filters.push('action = ?'); params.push(q.action); }
  if (q.from) { filters.push('created_at >= ?'); params.push(q.from); }
  if (q.to) { filters.push('created_at <= ?'); params.push(q.to); }
  return { where: filters.join(' AND '), params };
}

function insertConsentEvent(e: ConsentEvent): Step {
  return step(
    `INSERT INTO consent_events (id, site_id, consent_id, action, categories, policy_version, language, page_url, user_agent,
      ip_anonymized, gpc, test, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    e.id, e.siteId, e.consentId, e.action, JSON.stringify(e.categories), e.policyVersion, e.language, e.pageUrl, e.userAgent,
    e.ipAnonymized, e.gpc ? 1 : 0, e.test ? 1 : 0, e.createdAt,
  );
}

function insertDelivery(d: WebhookDelivery): Step {
  return step(
    `INSERT INTO webhook_deliveries (id, endpoint_id, account_id, event_type, payload, state, attempts, max_attempts, next_attempt_at,
      last_status, last_error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    d.id, d.endpointId, d.accountId, d.eventType, d.payload, d.state, d.attempts, d.maxAttempts, d.nextAttemptAt,
    d.lastStatus, d.lastError, d.createdAt, d.updatedAt,
  );
}

function insertCategory(c: Category): Step {
  return step(
    `INSERT INTO categories (id, site_id, key, name_en, description_en, translations, is_required, is_default, sort_order,
      wp_consent_category, cookies, block_patterns, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    c.id, c.siteId, c.key, c.nameEn, c.descriptionEn, JSON.stringify(c.translations), c.isRequired ? 1 : 0, c.isDefault ? 1 : 0,
    c.sortOrder, c.wpConsentCategory, JSON.stringify(c.cookies), JSON.stringify(c.blockPatterns), c.createdAt, c.updatedAt,
  );
}

const json = <T>(value: unknown): T => JSON.parse(String(value)) as T;

function toApiKey(r: Row): ApiKey {
  return {
    id: String(r.id), accountId: String(r.account_id), name: String(r.name), hint: String(r.hint),
    mode: r.mode === 'test' ? 'test' : 'live', createdAt: String(r.created_at), revokedAt: r.revoked_at == null ? null : String(r.revoked_at),
  };
}

function toSite(r: Row): SiteRecord {
  return {
    id: String(r.id), accountId: String(r.account_id), name: String(r.name), domain: String(r.domain),
    status: r.status === 'deleted' ? 'deleted' : 'active', publicKey: String(r.public_key),
    // A site stored before display preferences existed reads their defaults.
    config: withDisplayPreferences(json<SiteConfig>(r.config)),
    scanSchedule: { enabled: Number(r.scan_enabled) === 1, intervalDays: Number(r.scan_interval_days), nextAt: text(r.scan_next_at) },
    createdAt: String(r.created_at), updatedAt: String(r.updated_at),
  };
}

function toCategory(r: Row): Category {
  return {
    id: String(r.id), siteId: String(r.site_id), key: String(r.key), nameEn: String(r.name_en), descriptionEn: String(r.description_en),
    translations: json(r.translations), isRequired: Number(r.is_required) === 1, isDefault: Number(r.is_default) === 1,
    sortOrder: Number(r.sort_order), wpConsentCategory: r.wp_consent_category as Category['wpConsentCategory'],
    cookies: json(r.cookies), blockPatterns: json(r.block_patterns), createdAt: String(r.created_at), updatedAt: String(r.updated_at),
  };
}

const text = (value: unknown) => (value == null ? null : String(value));

function toAuditEntry(r: Row): AuditEntry {
  return {
    id: String(r.id), accountId: text(r.account_id), keyId: text(r.key_id), method: String(r.method), route: String(r.route),
    path: String(r.path), status: Number(r.status), ipAnonymized: text(r.ip_anonymized), requestId: String(r.request_id),
    durationMs: Number(r.duration_ms), detail: r.detail == null ? null : json(r.detail), createdAt: String(r.created_at),
  };
}

function toEndpoint(r: Row, secrets: SecretBox | null): WebhookEndpoint {
  return {
    id: String(r.id), accountId: String(r.account_id), url: String(r.url), description: String(r.description), events: json(r.events),
    secret: openSecret(String(r.secret), String(r.id), secrets), enabled: Number(r.enabled) === 1, createdAt: String(r.created_at), updatedAt: String(r.updated_at),
  };
}

function toDelivery(r: Row): WebhookDelivery {
  return {
    id: String(r.id), endpointId: String(r.endpoint_id), accountId: String(r.account_id), eventType: r.event_type as WebhookDelivery['eventType'],
    payload: String(r.payload), state: r.state as WebhookDelivery['state'], attempts: Number(r.attempts), maxAttempts: Number(r.max_attempts),
    nextAttemptAt: text(r.next_attempt_at), lastStatus: r.last_status == null ? null : Number(r.last_status), lastError: text(r.last_error),
    createdAt: String(r.created_at), updatedAt: String(r.updated_at),
  };
}

function toConsentEvent(r: Row): ConsentEvent {
  return {
    id: String(r.id), siteId: String(r.site_id), consentId: String(r.consent_id), action: r.action as ConsentEvent['action'],
    categories: json(r.categories), policyVersion: String(r.policy_version), language: r.language == null ? null : String(r.language),
    pageUrl: r.page_url == null ? null : String(r.page_url), userAgent: r.user_agent == null ? null : String(r.user_agent),
    ipAnonymized: r.ip_anonymized == null ? null : String(r.ip_anonymized), gpc: Number(r.gpc) === 1, test: Number(r.test) === 1,
    createdAt: String(r.created_at),
  };
}

/** The columns of a scan record (the results, which can be large, are read apart: see scanResults). */
const SCAN_COLUMNS = `id, site_id, state, scan_trigger, start_url, options, pages_planned, pages_done, pages_failed, counts, reason, message,
  runner, lease_until, resumes, created_at, started_at, finished_at`;

function toScan(r: Row): ScanRecord {
  return {
    id: String(r.id), siteId: String(r.site_id), state: r.state as ScanRecord['state'], trigger: r.scan_trigger === 'schedule' ? 'schedule' : 'manual',
    startUrl: String(r.start_url), options: json(r.options), pagesPlanned: Number(r.pages_planned), pagesDone: Number(r.pages_done),
    pagesFailed: Number(r.pages_failed), counts: json(r.counts), reason: text(r.reason) as ScanRecord['reason'], message: text(r.message),
    runner: text(r.runner), leaseUntil: text(r.lease_until), resumes: Number(r.resumes),
    createdAt: String(r.created_at), startedAt: text(r.started_at), finishedAt: text(r.finished_at),
  };
}

function toInventory(r: Row): InventoryRecord {
  return {
    id: String(r.id), siteId: String(r.site_id), kind: r.kind as InventoryRecord['kind'], name: String(r.name), domain: String(r.domain),
    provider: String(r.provider), purpose: String(r.purpose), retention: String(r.retention), categoryKey: text(r.category_key),
    reviewState: r.review_state as InventoryRecord['reviewState'], translations: json(r.translations), source: r.source as InventoryRecord['source'],
    editedAt: text(r.edited_at), firstSeenAt: text(r.first_seen_at), lastSeenAt: text(r.last_seen_at), lastScanId: text(r.last_scan_id),
    createdAt: String(r.created_at), updatedAt: String(r.updated_at),
  };
}
