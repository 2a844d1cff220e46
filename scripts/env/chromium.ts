// Debian's Chromium for the end-to-end tests (never a browser download).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isMain, logToStderr, messageOf, type Log } from '../util.ts';

export const CHROMIUM: string = process.env.CONSENTRY_CHROMIUM || '/usr/bin/chromium';

/** Flags for headless Chromium on a machine with a closed network. */
export const CHROMIUM_ARGS: string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Makes sure Chromium is installed: as root, `apt-get update` and
 * `apt-get install -y chromium`; otherwise throws with what to run.
 */
export function ensureChromium({ log = logToStderr }: { log?: Log } = {}): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || process.env.CONSENTRY_CHROMIUM) {
    throw new Error(`${CHROMIUM} is missing. Install Debian's Chromium (as root: apt-get update && apt-get install -y chromium), or set CONSENTRY_CHROMIUM to a Chromium binary.`);
  }
  log('consentry: installing Debian chromium (apt-get)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status ?? result.error?.message})`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
  return CHROMIUM;
}

// `node scripts/env/chromium.ts` installs it by hand.
if (isMain(import.meta.url)) {
  try {
    console.log(ensureChromium());
  } catch (error) {
    console.error(messageOf(error));
    process.exit(1);
  }
}
