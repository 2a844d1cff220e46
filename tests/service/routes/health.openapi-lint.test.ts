// What integrators run on the API document: `redocly lint` with its recommended rules. The document must pass with
// no error and no warning. Redocly runs offline here: no telemetry, no update check.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUrl, TestService } from '../harness.ts';

const REDOCLY = resolve(import.meta.dirname, '../../../node_modules/.bin/redocly');
/** Redocly's switches for telemetry, update notices and announcements: a test never talks to the internet. */
export const REDOCLY_OFFLINE = { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true', CI: 'true' };

interface LintProblem { ruleId: string; severity: 'error' | 'warn'; message: string; location: Array<{ pointer: string }> }

// The document is the same on either store: lint it once, on the SQLite run.
describe.skipIf(Boolean(postgresUrl))('the OpenAPI document', () => {
  const service = new TestService();
  let dir = '';
  beforeAll(async () => {
    await service.start();
    dir = mkdtempSync(join(tmpdir(), 'consentry-openapi-'));
  });
  afterAll(async () => {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes redocly lint (recommended rules) with no error and no warning', async () => {
    const served = await service.request('GET', '/openapi.json');
    expect(served.status).toBe(200);
    const file = join(dir, 'openapi.json');
    writeFileSync(file, served.text);
    const { stdout } = await promisify(execFile)(REDOCLY, ['lint', file, '--extends=recommended', '--format=json'], {
      cwd: dir, env: { ...process.env, ...REDOCLY_OFFLINE }, maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr }));
    const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: LintProblem[] };
    const problems = report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });
});
