// The end-to-end run's PHP check (tests/e2e/global-teardown.ts): which lines of
// WordPress's debug.log fail the run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { phpNotices } from '../e2e/global-teardown.ts';

const dirs: string[] = [];
afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });

function runDir(log?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'consentry-teardown-'));
  dirs.push(dir);
  if (log !== undefined) {
    mkdirSync(join(dir, 'wordpress', 'wp-content'), { recursive: true });
    writeFileSync(join(dir, 'wordpress', 'wp-content', 'debug.log'), log);
  }
  return dir;
}

describe('PHP notices after the end-to-end run', () => {
  it('finds none without a debug.log, or with only the installer\'s own notices', () => {
    expect(phpNotices(runDir())).toEqual([]);
    expect(phpNotices(runDir('[02-Dec-2026 01:00:00 UTC] PHP Notice:  Undefined index in /wordpress/wp-admin/install.php on line 1\n'))).toEqual([]);
  });

  it('reports every PHP error, warning and notice of the plugin, and nothing else', () => {
    const notice = '[02-Dec-2026 01:00:01 UTC] PHP Warning:  Undefined array key "x" in /wordpress/wp-content/plugins/consentry/src/Plugin.php on line 9';
    const fatal = '[02-Dec-2026 01:00:02 UTC] PHP Fatal error:  Uncaught Error in /wordpress/wp-content/plugins/consentry/consentry.php:3';
    const log = [notice, 'Stack trace:', '#0 {main}', fatal, '[02-Dec-2026 01:00:03 UTC] a line the plugin logged on purpose', ''].join('\n');
    expect(phpNotices(runDir(log))).toEqual([notice, fatal]);
  });
});
