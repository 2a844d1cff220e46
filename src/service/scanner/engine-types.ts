/**
 * The contract of the scan engine: what the service asks of it (ScanOptions)
 * and what it reports back, page by page (EngineEvent), then once at the end
 * (EngineOutcome). The engine drives a real headless Chromium over the
 * DevTools Protocol in a worker thread; `runScan` (index.ts) hides that.
 *
 * Names only, never values: the engine never reports the value of a cookie
 * or a storage entry.
 */
import type { ScanFailureReason, ScanPageState, ScanPass, StorageKind } from '#shared/enums.ts';

export interface ScanOptions {
  /** Absolute http(s) URL; the API has already checked it is on the site's domain or a subdomain. */
  startUrl: string;
  /** e.g. "example.com": only it and its subdomains are fetched (any port, http or https). */
  siteDomain: string;
  /** Most pages scanned, the start page included (default 50). */
  pageBudget: number;
  /** The whole scan; when it runs out the scan ends as partial (or failed with `timeout` if no page was done). */
  timeBudgetMs: number;
  /**
   * URL path patterns. A pattern containing `*` is a glob over the URL's path (`*` any characters, `/` included),
   * matched against the whole path; any other pattern matches when the path contains it. An empty include list
   * includes every page; exclude wins over include. The start page is always scanned.
   */
  include: string[];
  exclude: string[];
  /** Pages scanned at once (default 2). */
  concurrency: number;
  /** One page load (each pass); a page is tried `1 + retries` times before it counts as failed. */
  pageTimeoutMs: number;
  retries: number;
  /** CONSENTRY_SCAN_ALLOW_PRIVATE=1: private and loopback addresses may be fetched; otherwise the scan is `blocked`. */
  allowPrivate: boolean;
  /** CONSENTRY_CHROMIUM_PATH, else the usual locations (/usr/bin/chromium, chromium-browser, google-chrome…). */
  chromiumPath?: string;
  /** Pages already done (resume after a restart): not scanned again, not counted twice. Exact URLs as reported before. */
  skipUrls?: string[];
}

/** Something a page stores in the browser: a cookie, a storage key or an IndexedDB database. */
export interface CapturedItem {
  kind: StorageKind;
  name: string;
  /** The cookie's domain as the browser holds it (a leading dot for domain cookies), or the page's host for storage. */
  domain: string;
  /** Cookies only. */
  attributes?: {
    httpOnly?: boolean;
    secure?: boolean;
    sameSite?: string;
    path?: string;
    /** Seconds from the time of the scan; null for a session cookie. */
    expiresInSeconds?: number | null;
  };
  /** The pass it was seen in (an item seen in several passes is reported once per pass). */
  pass: ScanPass;
}

/** A host outside the site's domain that a page loaded something from. */
export interface CapturedHost {
  host: string;
  resourceType: 'script' | 'iframe' | 'image' | 'beacon' | 'other';
  pass: ScanPass;
}

/** One scanned page: what each of its passes found. */
export interface PageResult {
  /** The URL as planned (after redirects of the start page; no fragment). */
  url: string;
  /** 0 for the start page; 1 for pages the sitemaps list or the start page links to; 2 for pages those link to (the deepest). */
  depth: number;
  state: ScanPageState;
  /** Why the page failed (state `failed`). */
  error?: string;
  /** Whether the page runs Consentry's banner; without it only the `before` pass runs. */
  bannerFound: boolean;
  /** The passes that ran, in order. */
  passes: ScanPass[];
  items: CapturedItem[];
  hosts: CapturedHost[];
}

/**
 * Sent as the scan goes: `planned` again whenever discovery grows the plan (never above the page budget; pages in
 * `skipUrls` count in it but get no `page` event). A page is reported once, when all its passes are done.
 */
export type EngineEvent = { type: 'planned'; pagesPlanned: number } | { type: 'page'; page: PageResult };

/** How a scan ended. `partial`: some pages failed or the time budget ran out after at least one page was done. */
export interface EngineOutcome {
  state: 'completed' | 'partial' | 'failed' | 'cancelled';
  reason?: ScanFailureReason;
  message?: string;
}

/** Runs one scan; resolves once the browser is gone. Never rejects: failures are outcomes. */
export type RunScan = (options: ScanOptions, onEvent: (e: EngineEvent) => void, signal: AbortSignal) => Promise<EngineOutcome>;

/** The defaults the API applies to options it was not given. */
export const SCAN_DEFAULTS = {
  pageBudget: 50,
  timeBudgetMs: 15 * 60_000,
  concurrency: 2,
  pageTimeoutMs: 30_000,
  retries: 1,
} as const;

/** Messages to a scan's thread (scan-worker.ts): stop, or whether the serving thread is busy. */
export type ToWorker = { type: 'cancel' } | { type: 'pressure'; busy: boolean };
