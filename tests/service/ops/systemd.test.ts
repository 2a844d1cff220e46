import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgresUrl } from '../harness.ts';
import { BUNDLE } from '../process.ts';

const UNIT = 'plugin/service/consentry.service';
const hasAnalyze = spawnSync('sh', ['-c', 'command -v systemd-analyze']).status === 0;

// Not about the store: runs once, in the SQLite project.
describe.skipIf(postgresUrl)('the systemd unit', () => {
  const text = readFileSync(UNIT, 'utf8');
  const directives = new Map(text.split('\n').filter((l) => /^[A-Za-z]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

  it('is hardened: own user, no new privileges, read-only system but for the data folder, restart on failure', () => {
    expect(directives.get('User')).toBe('consentry');
    expect(directives.get('NoNewPrivileges')).toBe('yes');
    expect(directives.get('ProtectSystem')).toBe('strict');
    expect(directives.get('ReadWritePaths')).toBe('/var/lib/consentry');
    expect(directives.get('Environment')).toBeDefined();
    expect(text).toContain('Environment=CONSENTRY_DATA_DIR=/var/lib/consentry');
    expect(directives.get('Restart')).toBe('on-failure');
    expect(directives.get('ExecStart')).toMatch(/consentry-service\.mjs serve$/);
  });

  it.runIf(hasAnalyze)('passes systemd-analyze verify with no warning, with ExecStart pointed at this host\'s node and bundle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'consentry-unit-'));
    const unit = join(dir, 'consentry.service');
    // What a site owner does (and the plugin's Connection screen shows): this host's node and the plugin's bundle.
    writeFileSync(unit, text.replace(/^ExecStart=\S+ \S+/m, `ExecStart=${process.execPath} ${resolve(BUNDLE)}`));
    const result = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.status).toBe(0);
    // And it does catch mistakes: an unknown key is reported.
    writeFileSync(unit, text.replace('NoNewPrivileges=yes', 'NoNewPrivileges=yes\nNoNewPrivilege=yes'));
    expect(spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' }).stderr).toContain('Unknown key');
  });

  it.skipIf(hasAnalyze)('cannot be verified here', () => {
    console.warn('\n!!! systemd-analyze is missing: the systemd unit was NOT verified (apt-get install systemd) !!!\n');
  });
});
