// The Connection screen's set-up steps: the systemd unit it generates from the shipped
// one passes systemd-analyze verify for a real path, the commands name the same files as
// the unit, and the visitor-route probe reads answers as a visitor's browser gets them.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConnectionGuide } from '../../../src/shared/consent.ts';
import { setupCommands, shellWord, systemdUnit, systemdWord, unitSettings, visitorRouteOutcome } from '../../../src/admin/setup-guide.ts';

const SHIPPED = readFileSync('plugin/service/consentry.service', 'utf8');
const hasAnalyze = spawnSync('sh', ['-c', 'command -v systemd-analyze']).status === 0;

function guide(bundlePath: string): ConnectionGuide {
  return {
    bundlePath, bundleFound: true, nodeMin: '22.13.0', siteDomain: 'shop.example.com', serviceUnit: SHIPPED,
    visitorEndpoints: { consent: 'https://shop.example.com/wp-json/consentry/v1/consent', heartbeat: 'https://shop.example.com/wp-json/consentry/v1/heartbeat' },
    directToService: false,
  };
}

/** A WordPress folder of its own with a bundle file, so verify sees a real path. */
function wordpress(name: string): string {
  const root = mkdtempSync(join(tmpdir(), 'consentry-guide-'));
  const plugin = join(root, name, 'wp-content', 'plugins', 'consentry', 'service');
  mkdirSync(plugin, { recursive: true });
  const bundle = join(plugin, 'consentry-service.mjs');
  writeFileSync(bundle, '#!/usr/bin/env node\n');
  return bundle;
}

function verify(unit: string): { output: string; status: number | null } {
  const file = join(mkdtempSync(join(tmpdir(), 'consentry-unit-')), 'consentry.service');
  writeFileSync(file, unit);
  const result = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
  return { output: `${result.stdout}${result.stderr}`.trim(), status: result.status };
}

describe('the systemd unit the Connection screen generates', () => {
  it('is the shipped unit with this host\'s node and bundle in ExecStart, and nothing else changed', () => {
    const bundle = '/srv/www/site/wp-content/plugins/consentry/service/consentry-service.mjs';
    const unit = systemdUnit(SHIPPED, bundle, '/usr/local/bin/node');
    expect(unit).toContain(`ExecStart=/usr/local/bin/node ${bundle} serve\n`);
    const changed = unit.split('\n').filter((line, i) => line !== SHIPPED.split('\n')[i]);
    expect(changed).toEqual([`ExecStart=/usr/local/bin/node ${bundle} serve`]);
  });

  it('quotes a path with spaces, doubles % and $, and lets the service read a bundle under /home', () => {
    const unit = systemdUnit(SHIPPED, '/home/ana/My Sites/100%/$x/consentry-service.mjs', '/usr/bin/node');
    expect(unit).toContain('ExecStart=/usr/bin/node "/home/ana/My Sites/100%%/$$x/consentry-service.mjs" serve');
    expect(unit).toContain('\nProtectHome=read-only\n');
    expect(systemdUnit(SHIPPED, '/var/www/a.mjs', '/usr/bin/node')).toContain('\nProtectHome=yes\n');
    expect(systemdWord('a"b\\c d')).toBe('"a\\"b\\\\c d"');
  });

  it.runIf(hasAnalyze)('passes systemd-analyze verify with no warning for a real WordPress path, and for one with a space under /home-like folders', () => {
    for (const bundle of [wordpress('html'), wordpress('my site')]) {
      const result = verify(systemdUnit(SHIPPED, bundle, process.execPath));
      expect(result.output).toBe('');
      expect(result.status).toBe(0);
    }
    // It does check: a node that is not there is reported.
    expect(verify(systemdUnit(SHIPPED, wordpress('x'), '/nonexistent/node')).output).toMatch(/nonexistent\/node/);
  });

  it.skipIf(hasAnalyze)('cannot be verified here', () => {
    console.warn('\n!!! systemd-analyze is missing: the generated systemd unit was NOT verified (apt-get install systemd) !!!\n');
  });
});

describe('the set-up commands', () => {
  it('use the unit\'s user, data folder and address, this site\'s domain, and quote what needs quoting', () => {
    const settings = unitSettings(SHIPPED);
    expect(settings).toEqual({ node: '/usr/bin/node', user: 'consentry', dataDir: '/var/lib/consentry', host: '127.0.0.1', port: '8787' });
    const bundle = "/var/www/it's/wp-content/plugins/consentry/service/consentry-service.mjs";
    const commands = setupCommands(guide(bundle), { node: '/usr/bin/node' });
    const quoted = "'/var/www/it'\\''s/wp-content/plugins/consentry/service/consentry-service.mjs'";
    expect(commands.account).toBe(`sudo -u consentry /usr/bin/node ${quoted} accounts create --name shop.example.com --db /var/lib/consentry/consentry.sqlite`);
    expect(commands.serve).toBe(`sudo -u consentry /usr/bin/node ${quoted} serve --host 127.0.0.1 --port 8787 --db /var/lib/consentry/consentry.sqlite`);
    expect(commands.serviceUrl).toBe('http://127.0.0.1:8787');
    expect(commands.backup).toContain(`sudo -u consentry /usr/bin/node ${quoted} backup --db /var/lib/consentry/consentry.sqlite --out /var/backups/consentry/$(date +%F)`);
    // Nightly: a new folder named by the time under the backup folder, the newest 30 kept (no `%`, which cron reads as a new line).
    expect(commands.cron).toBe(`15 3 * * * consentry /usr/bin/node ${quoted} backup --db /var/lib/consentry/consentry.sqlite --out /var/backups/consentry --keep 30`);
    expect(commands.verify).toContain('verify --db /var/backups/consentry/$(date +%F)/consentry.sqlite');
    expect(commands.install).toContain("sudo tee /etc/systemd/system/consentry.service > /dev/null <<'CONSENTRY_UNIT'\n[Unit]".replace('[Unit]', '# Consentry service under systemd'));
    expect(commands.install).toContain(commands.unit.trimEnd());
    expect(commands.install).toContain('sudo systemctl enable --now consentry');
    expect(shellWord('plain/path-1.2')).toBe('plain/path-1.2');
  });

  it('run as written in a shell: the heredoc writes the unit exactly', () => {
    const bundle = wordpress('html');
    const commands = setupCommands(guide(bundle), { node: process.execPath });
    const out = join(mkdtempSync(join(tmpdir(), 'consentry-heredoc-')), 'unit');
    const script = commands.install.split('\n').filter((l) => !/^(sudo systemctl|systemctl)/.test(l)).join('\n').replace('sudo tee /etc/systemd/system/consentry.service', `tee ${out}`);
    expect(spawnSync('sh', ['-c', script]).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(commands.unit.replace(/\n+$/, '\n'));
  });
});

describe('the visitor route as the browser sees it', () => {
  it('counts a refusal of the empty call for its fields (or a rate limit) as reached, and names the other answers', () => {
    expect(visitorRouteOutcome({ status: 400, code: 'rest_missing_callback_param' })).toBe('reached');
    expect(visitorRouteOutcome({ status: 422, code: 'VALIDATION_ERROR' })).toBe('reached');
    expect(visitorRouteOutcome({ status: 429, code: 'consentry_rate_limited' })).toBe('reached');
    expect(visitorRouteOutcome({ status: 403, code: 'consentry_cross_origin' })).toBe('cross_origin');
    expect(visitorRouteOutcome({ status: 404, code: 'rest_no_route' })).toBe('not_found');
    expect(visitorRouteOutcome({ status: 403, code: '' })).toBe('blocked');
    expect(visitorRouteOutcome({ status: 400, code: '' })).toBe('blocked');
    expect(visitorRouteOutcome({ status: 502, code: '' })).toBe('server_error');
    expect(visitorRouteOutcome({ status: 0, code: '', network: true })).toBe('no_answer');
  });
});
