// Stops the stack started by global-setup.ts and removes its temporary folder
// (kept when CONSENTRY_E2E_KEEP=1, to look at the SQLite file or the logs).
import { readFileSync, rmSync } from 'node:fs';
import type { E2EState } from './fixtures.ts';

export default async function globalTeardown(): Promise<void> {
  const stateFile = process.env.CONSENTRY_E2E_STATE;
  const state: E2EState | null = stateFile ? JSON.parse(readFileSync(stateFile, 'utf8')) : null;
  const stack = globalThis.__consentryStack;
  if (stack) {
    await stack.stop();
    globalThis.__consentryStack = undefined;
  } else if (state) {
    // Another process started it: end it by its recorded ids.
    for (const [pid, group] of [[state.wordpressPid, true], [state.servicePid, false]] as const) {
      if (pid) { try { process.kill(group ? -pid : pid, 'SIGTERM'); } catch { /* already gone */ } }
    }
  }
  if (state && process.env.CONSENTRY_E2E_KEEP !== '1') rmSync(state.dir, { recursive: true, force: true });
}
