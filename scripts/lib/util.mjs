// Small helpers shared by the project's scripts.
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root (with a trailing slash removed). */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `probe` until it returns a truthy value or `timeoutMs` passes.
 * `probe` may throw: that counts as "not yet". `check` lets the caller abort
 * early (for example when a child process has exited).
 */
export async function waitFor(what, probe, { timeoutMs = 30_000, intervalMs = 150, check } = {}) {
  const start = Date.now();
  let lastError;
  for (;;) {
    if (check) check();
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

/** fetch() with a timeout in milliseconds. */
export async function fetchWithTimeout(url, options = {}, timeoutMs = 10_000) {
  return fetch(url, { ...options, signal: AbortSignal.timeout(timeoutMs) });
}

/** Milliseconds since `start` (from performance.now()), rounded. */
export const since = (start) => Math.round(performance.now() - start);
