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

  it('lists 400 (not JSON) and 413 (over 1 MiB) for every operation that takes a body, and answers them so', async () => {
    const doc = (await service.request('GET', '/openapi.json')).body as { paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>> };
    const missing = Object.entries(doc.paths).flatMap(([path, operations]) => Object.entries(operations).flatMap(([method, op]) =>
      op.requestBody && !(op.responses['400'] && op.responses['413']) ? [`${method.toUpperCase()} ${path}`] : []));
    expect(missing).toEqual([]);

    const { secretKey: key } = await service.account('Body errors');
    const site = await service.request('POST', '/sites', { key, body: { name: 'Body errors', domain: 'body-errors.example.com' } });
    const path = `/sites/${(site.body as { site: { id: string } }).site.id}/categories`;
    const broken = await service.request('POST', path, { key, raw: '{"key": ' });
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ success: false, error: { code: expect.any(String) } });
    const huge = await service.request('POST', path, { key, raw: JSON.stringify({ key: 'x', nameEn: 'x'.repeat(1_100_000) }) });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ success: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    const after = await service.request('GET', path, { key });
    expect((after.body as { data: unknown[] }).data.map((c) => (c as { key: string }).key)).not.toContain('x');
  });
});
