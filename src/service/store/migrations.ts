import type { Migration } from './sql.ts';

/**
 * Numbered schema migrations, applied in order at start. SQL here is written
 * to run on both SQLite and PostgreSQL, unless a migration has its own
 * `sqlite` text; append, never edit a shipped one.
 */
export const MIGRATIONS: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: 'accounts, keys, sites, categories, consent events, pageviews',
    sql: `
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  plan TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  hint TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  mode TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX api_keys_account ON api_keys(account_id);
CREATE TABLE sites (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  domain TEXT NOT NULL,
  status TEXT NOT NULL,
  public_key TEXT NOT NULL UNIQUE,
  config TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX sites_account ON sites(account_id, created_at);
CREATE TABLE categories (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites(id),
  key TEXT NOT NULL,
  name_en TEXT NOT NULL,
  description_en TEXT NOT NULL,
  translations TEXT NOT NULL,
  is_required INTEGER NOT NULL,
  is_default INTEGER NOT NULL,
  sort_order INTEGER NOT NULL,
  wp_consent_category TEXT NOT NULL,
  cookies TEXT NOT NULL,
  block_patterns TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT categories_site_key UNIQUE (site_id, key)
);
CREATE TABLE consent_events (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites(id),
  consent_id TEXT NOT NULL,
  action TEXT NOT NULL,
  categories TEXT NOT NULL,
  policy_version TEXT NOT NULL,
  language TEXT,
  page_url TEXT,
  user_agent TEXT,
  ip_anonymized TEXT,
  gpc INTEGER NOT NULL,
  test INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX consent_events_site_time ON consent_events(site_id, created_at, id);
CREATE TABLE pageview_counts (
  site_id TEXT NOT NULL REFERENCES sites(id),
  month TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (site_id, month)
);
CREATE TABLE pageview_sessions (
  site_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  page_url TEXT NOT NULL,
  counted_at TEXT NOT NULL,
  PRIMARY KEY (site_id, session_id, page_url)
);
CREATE INDEX pageview_sessions_time ON pageview_sessions(counted_at);
`,
  },
  {
    version: 2,
    name: 'platform policies: account e-mail and IP allowlist, idempotency, audit log, webhooks, quota warnings',
    sql: `
ALTER TABLE accounts ADD COLUMN email TEXT;
ALTER TABLE accounts ADD COLUMN ip_allowlist TEXT NOT NULL DEFAULT '[]';
CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state TEXT NOT NULL,
  status INTEGER,
  response TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX idempotency_keys_time ON idempotency_keys(created_at);
CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,
  account_id TEXT,
  key_id TEXT,
  method TEXT NOT NULL,
  route TEXT NOT NULL,
  path TEXT NOT NULL,
  status INTEGER NOT NULL,
  ip_anonymized TEXT,
  request_id TEXT NOT NULL,
  duration_ms REAL NOT NULL,
  detail TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX audit_log_account_time ON audit_log(account_id, created_at, id);
CREATE INDEX audit_log_time ON audit_log(created_at);
CREATE TABLE webhook_endpoints (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  url TEXT NOT NULL,
  description TEXT NOT NULL,
  events TEXT NOT NULL,
  secret TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_account ON webhook_endpoints(account_id);
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  account_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL,
  next_attempt_at TEXT,
  locked_until TEXT,
  last_status INTEGER,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, created_at);
CREATE TABLE quota_warnings (
  site_id TEXT NOT NULL,
  month TEXT NOT NULL,
  threshold INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (site_id, month, threshold)
);
`,
  },
  {
    version: 3,
    name: 'SQLite: consent events clustered in the order they are read; the audit log in its own file, clustered by time',
    // PostgreSQL keeps heap tables with their indexes and one database: nothing to change there.
    sql: '',
    // Consent events are read by site and time: a WITHOUT ROWID table keyed so
    // is one B-tree to write where a rowid table with its id and listing
    // indexes was three. Ids stay unique by construction (time, sequence and
    // random part), and nothing looks them up.
    // The audit log moves to the database attached as "audit" (its own file,
    // see SqliteExecutor), keyed by time for the purge, with an index for the
    // listing by account: two B-trees where there were four.
    sqlite: `
CREATE TABLE consent_events_by_time (
  id TEXT NOT NULL,
  site_id TEXT NOT NULL REFERENCES sites(id),
  consent_id TEXT NOT NULL,
  action TEXT NOT NULL,
  categories TEXT NOT NULL,
  policy_version TEXT NOT NULL,
  language TEXT,
  page_url TEXT,
  user_agent TEXT,
  ip_anonymized TEXT,
  gpc INTEGER NOT NULL,
  test INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (site_id, created_at, id)
) WITHOUT ROWID;
INSERT INTO consent_events_by_time (id, site_id, consent_id, action, categories, policy_version, language, page_url, user_agent,
  ip_anonymized, gpc, test, created_at)
  SELECT id, site_id, consent_id, action, categories, policy_version, language, page_url, user_agent, ip_anonymized, gpc, test, created_at
  FROM consent_events;
DROP TABLE consent_events;
ALTER TABLE consent_events_by_time RENAME TO consent_events;
CREATE TABLE IF NOT EXISTS audit.audit_log (
  id TEXT NOT NULL,
  account_id TEXT,
  key_id TEXT,
  method TEXT NOT NULL,
  route TEXT NOT NULL,
  path TEXT NOT NULL,
  status INTEGER NOT NULL,
  ip_anonymized TEXT,
  request_id TEXT NOT NULL,
  duration_ms REAL NOT NULL,
  detail TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (created_at, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS audit.audit_log_account_time ON audit_log(account_id, created_at, id);
INSERT OR IGNORE INTO audit.audit_log (id, account_id, key_id, method, route, path, status, ip_anonymized, request_id, duration_ms, detail, created_at)
  SELECT id, account_id, key_id, method, route, path, status, ip_anonymized, request_id, duration_ms, detail, created_at FROM main.audit_log;
DROP TABLE main.audit_log;
`,
  },
  {
    version: 4,
    name: 'Plans that end: the end date, and the last expiry warning sent (days before the end)',
    sql: `
ALTER TABLE accounts ADD COLUMN plan_expires_at TEXT;
ALTER TABLE accounts ADD COLUMN plan_warned_days INTEGER;
CREATE INDEX accounts_plan_expires ON accounts(plan_expires_at);
`,
  },
  {
    version: 5,
    name: 'Display preferences: anonymous uses per site, hour and profile, and the hours whose a11y.profile_used was sent',
    // No column for a visitor, consent, session, address or browser: a profile can reveal a disability, so only counts are kept.
    sql: `
CREATE TABLE display_usage (
  site_id TEXT NOT NULL,
  hour_start TEXT NOT NULL,
  profile TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (site_id, hour_start, profile)
);
CREATE TABLE display_usage_hours (
  site_id TEXT NOT NULL,
  hour_start TEXT NOT NULL,
  notified_at TEXT,
  PRIMARY KEY (site_id, hour_start)
);
CREATE INDEX display_usage_hours_pending ON display_usage_hours(hour_start) WHERE notified_at IS NULL;
`,
  },
  {
    version: 6,
    name: 'Cookie scans (pages, items, results), the cookie inventory, and each site\'s scan schedule',
    sql: `
ALTER TABLE sites ADD COLUMN scan_enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sites ADD COLUMN scan_interval_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE sites ADD COLUMN scan_next_at TEXT;
CREATE INDEX sites_scan_next ON sites(scan_next_at);
CREATE TABLE scans (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites(id),
  active_site_id TEXT UNIQUE,
  state TEXT NOT NULL,
  scan_trigger TEXT NOT NULL,
  start_url TEXT NOT NULL,
  options TEXT NOT NULL,
  pages_planned INTEGER NOT NULL,
  pages_done INTEGER NOT NULL,
  pages_failed INTEGER NOT NULL,
  counts TEXT NOT NULL,
  reason TEXT,
  message TEXT,
  runner TEXT,
  lease_until TEXT,
  resumes INTEGER NOT NULL,
  hosts TEXT,
  violations TEXT,
  flagged TEXT,
  diff TEXT,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT
);
CREATE INDEX scans_site ON scans(site_id, created_at);
CREATE INDEX scans_state ON scans(state, lease_until);
CREATE TABLE scan_pages (
  scan_id TEXT NOT NULL REFERENCES scans(id),
  url TEXT NOT NULL,
  seq INTEGER NOT NULL,
  depth INTEGER NOT NULL,
  state TEXT NOT NULL,
  error TEXT,
  banner_found INTEGER NOT NULL,
  passes TEXT NOT NULL,
  items TEXT NOT NULL,
  hosts TEXT NOT NULL,
  scanned_at TEXT NOT NULL,
  PRIMARY KEY (scan_id, url)
);
CREATE TABLE scan_items (
  scan_id TEXT NOT NULL REFERENCES scans(id),
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  domain TEXT NOT NULL,
  attributes TEXT,
  first_page_url TEXT NOT NULL,
  first_pass TEXT NOT NULL,
  passes TEXT NOT NULL,
  pages INTEGER NOT NULL,
  classification TEXT NOT NULL,
  inventory_id TEXT,
  PRIMARY KEY (scan_id, kind, name, domain)
);
CREATE TABLE cookie_inventory (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites(id),
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  domain TEXT NOT NULL,
  provider TEXT NOT NULL,
  purpose TEXT NOT NULL,
  retention TEXT NOT NULL,
  category_key TEXT,
  review_state TEXT NOT NULL,
  translations TEXT NOT NULL,
  source TEXT NOT NULL,
  edited_at TEXT,
  first_seen_at TEXT,
  last_seen_at TEXT,
  last_scan_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT cookie_inventory_item UNIQUE (site_id, kind, name, domain)
);
`,
  },
];

/** The newest schema version this release knows. */
export const LATEST_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** A database written by a newer release: this one must not touch it. */
export class SchemaTooNewError extends Error {}

/** Refuses a database whose schema is newer than this release knows (a downgrade), before anything is changed. */
export function refuseNewerSchema(applied: Iterable<number>): void {
  const newest = Math.max(0, ...applied);
  if (newest > LATEST_SCHEMA_VERSION) {
    throw new SchemaTooNewError(`the database's schema is version ${newest}, newer than this release knows (${LATEST_SCHEMA_VERSION}): `
      + 'it was written by a newer release of consentry-service. Run that release or a newer one, or restore a backup made by this one; '
      + 'downgrades are not supported. Nothing was changed.');
  }
}
