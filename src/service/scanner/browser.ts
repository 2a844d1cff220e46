/**
 * A headless Chromium and its DevTools Protocol connection over
 * `--remote-debugging-pipe` (fds 3 and 4, NUL-separated JSON): no port is
 * opened, and no client library is needed. The browser runs in its own process
 * group, with its own temporary profile; `close()` kills the whole group and
 * removes the profile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping.js';

type Commands = ProtocolMapping.Commands;
type Events = ProtocolMapping.Events;
/** A command's parameters (`{}` for a command that takes none). */
export type CommandParams<M extends keyof Commands> = Commands[M]['paramsType'] extends [] ? Record<string, never> : NonNullable<Commands[M]['paramsType'][0]>;
export type CommandResult<M extends keyof Commands> = Commands[M]['returnType'];
export type EventParams<E extends keyof Events> = Events[E][0];

/** Where Chromium usually is, in the order tried when CONSENTRY_CHROMIUM_PATH is not set. */
export const CHROMIUM_LOCATIONS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
];

export const BROWSER_MISSING_HELP =
  'Scans need Chromium. Install it (Debian/Ubuntu: apt-get install chromium) or set CONSENTRY_CHROMIUM_PATH to a Chromium or Chrome binary.';

const SETPRIV = '/usr/bin/setpriv';

export class BrowserUnavailableError extends Error {}

/** The browser to run: the configured path, else the first usual location that is executable. */
export function findChromium(configured?: string): string {
  const executable = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (configured) {
    if (executable(configured)) return configured;
    throw new BrowserUnavailableError(`${configured} (CONSENTRY_CHROMIUM_PATH) is not an executable file. ${BROWSER_MISSING_HELP}`);
  }
  const found = CHROMIUM_LOCATIONS.find(executable);
  if (!found) throw new BrowserUnavailableError(`No Chromium found (looked in ${CHROMIUM_LOCATIONS.join(', ')}). ${BROWSER_MISSING_HELP}`);
  return found;
}

/**
 * Flags for a scanning browser. Site isolation is off so that the requests and
 * cookies of cross-site iframes reach the page's own protocol session.
 *
 * The omnibox popup of Chromium's own window is a WebUI page with a renderer
 * of its own, and headless Chromium builds one for every browser context: a
 * scan opens three contexts per page, so it doubled the renderers and took
 * more than half of the scan's CPU (156: 20 pages took 67 CPU-seconds with it,
 * 27 without). The scanner never shows a window, so those features are off.
 */
const DISABLED_FEATURES = [
  'IsolateOrigins', 'site-per-process', 'Translate', 'MediaRouter', 'OptimizationHints',
  'WebUIOmniboxPopup', 'WebUIOmniboxAimPopup', 'WebUIOmniboxFullPopup', 'PreloadTopChromeWebUI',
];

function chromiumArgs(profile: string, extra: string[]): string[] {
  return [
    '--headless',
    '--remote-debugging-pipe',
    `--user-data-dir=${join(profile, 'profile')}`,
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-quic',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-extensions',
    '--disable-breakpad',
    '--disable-crash-reporter',
    '--disable-default-apps',
    '--disable-site-isolation-trials',
    `--disable-features=${DISABLED_FEATURES.join(',')}`,
    // A page in a scan is never in the foreground: its timers must not be throttled for it.
    '--disable-renderer-backgrounding',
    '--disable-background-timer-throttling',
    '--disable-backgrounding-occluded-windows',
    '--disable-hang-monitor',
    '--disable-client-side-phishing-detection',
    '--disable-popup-blocking',
    '--metrics-recording-only',
    '--mute-audio',
    '--hide-scrollbars',
    '--password-store=basic',
    '--use-mock-keychain',
    ...extra,
    'about:blank',
  ];
}

type Listener = (params: unknown, sessionId: string | undefined) => void;

export class Browser {
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string }>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private nextId = 1;
  private buffer = '';
  private closed = false;
  private readonly exited: Promise<void>;
  /** Why the connection ended, when it ended by itself. */
  private endReason: string | null = null;
  private closing = false;

  private readonly child: ChildProcess;
  private readonly profile: string;
  private readonly toBrowser: Writable;

  private constructor(child: ChildProcess, profile: string, toBrowser: Writable, fromBrowser: Readable) {
    this.child = child;
    this.profile = profile;
    this.toBrowser = toBrowser;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    fromBrowser.setEncoding('utf8');
    fromBrowser.on('data', (chunk: string) => this.receive(chunk));
    fromBrowser.on('error', () => {});
    toBrowser.on('error', () => {});
    child.once('exit', (code, signal) => this.fail(`the browser exited (${signal ?? `code ${code}`})`));
  }

  /** Why the browser is gone when it went by itself (a crash, killed from outside); null while it runs or after close(). */
  get lost(): string | null {
    return this.closed && !this.closing ? this.endReason : null;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Starts Chromium; throws BrowserUnavailableError when it cannot run. */
  static async launch(executable: string, extraArgs: string[] = [], startTimeoutMs = 30_000): Promise<Browser> {
    // One folder for everything the browser writes (its profile, and its own temporary files, which it leaves behind
    // when it is killed): close() removes it whole.
    const profile = mkdtempSync(join(tmpdir(), 'consentry-scan-'));
    const browserTmp = join(profile, 'tmp');
    mkdirSync(browserTmp);
    // The browser starts at its thread's priority (the scan thread runs at nice 10). As root it would raise some of
    // its processes above the service's (nice -8): without the capability to do so, it stays below.
    const [command, args] = process.getuid?.() === 0 && existsSync(SETPRIV)
      ? [SETPRIV, ['--bounding-set=-sys_nice', '--', executable, ...chromiumArgs(profile, extraArgs)]]
      : [executable, chromiumArgs(profile, extraArgs)];
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, TMPDIR: browserTmp },
      // Its own process group: close() kills the renderers and helpers with it.
      detached: true,
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (c: string) => {
      stderr = (stderr + c).slice(-2000);
    });
    const spawned = await new Promise<Error | null>((resolve) => {
      child.once('spawn', () => resolve(null));
      child.once('error', (e) => resolve(e));
    });
    if (!spawned) lowerSessionWeight(child.pid);
    if (spawned) {
      rmSync(profile, { recursive: true, force: true });
      throw new BrowserUnavailableError(`${executable} could not be started (${spawned.message}). ${BROWSER_MISSING_HELP}`);
    }
    const browser = new Browser(child, profile, child.stdio[3] as Writable, child.stdio[4] as Readable);
    try {
      await withTimeout(browser.send('Browser.getVersion', {}), startTimeoutMs, 'the browser did not answer');
    } catch (error) {
      await browser.close();
      const last = stderr.trim().split('\n').slice(-3).join(' | ');
      throw new BrowserUnavailableError(`${executable} did not start: ${(error as Error).message}${last ? ` (${last})` : ''}. ${BROWSER_MISSING_HELP}`);
    }
    return browser;
  }

  send<M extends keyof Commands>(method: M, params: CommandParams<M>, sessionId?: string): Promise<CommandResult<M>> {
    if (this.closed) return Promise.reject(new Error(`${method}: ${this.endReason ?? 'the browser is closed'}`));
    const id = this.nextId++;
    const message = JSON.stringify(sessionId ? { id, method, params, sessionId } : { id, method, params });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
      this.toBrowser.write(message + '\0');
    });
  }

  /** Listens to an event (of every session; the listener gets the session id). Returns the way to stop. */
  on<E extends keyof Events>(event: E, listener: (params: EventParams<E>, sessionId: string | undefined) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\0')) >= 0) {
      const text = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 1);
      let message: { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string }; sessionId?: string };
      try {
        message = JSON.parse(text);
      } catch {
        continue;
      }
      if (message.id !== undefined) {
        const call = this.pending.get(message.id);
        if (!call) continue;
        this.pending.delete(message.id);
        if (message.error) call.reject(new Error(`${call.method}: ${message.error.message}`));
        else call.resolve(message.result);
      } else if (message.method) {
        for (const listener of this.listeners.get(message.method) ?? []) {
          try {
            listener(message.params, message.sessionId);
          } catch {
            // One listener's error must not stop the others.
          }
        }
      }
    }
  }

  private fail(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.endReason = reason;
    for (const call of this.pending.values()) call.reject(new Error(`${call.method}: ${reason}`));
    this.pending.clear();
  }

  /** Kills the browser's process group and removes its profile; safe to call more than once. */
  async close(): Promise<void> {
    if (!this.closed) this.closing = true;
    this.fail('the browser is closed');
    killGroup(this.child.pid);
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 5000))]);
    rmSync(this.profile, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** SIGKILL to a process group (a browser and its helpers); nothing when it is gone already. */
export function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(message)), ms);
    }),
  ]);
}

export class TimeoutError extends Error {}

/**
 * `detached` gives the browser a session of its own, and with Linux's autogroup scheduling (on by default on desktops
 * and many servers, `/proc/sys/kernel/sched_autogroup_enabled`) a session is scheduled as one group weighted like any
 * other, whatever its processes' nice: the browser would take half the CPU from the service beside it (the scan bench
 * measured consent writes at 30 % of their rate). Setting the session group's own nice to 19 puts the whole browser
 * below the service again. Best effort: without autogroup (or where /proc is not writable) the processes' nice 10
 * applies as it is.
 */
function lowerSessionWeight(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    writeFileSync(`/proc/${pid}/autogroup`, '19');
  } catch {
    // no autogroup here: nothing to lower
  }
}
