// `npm test`: every test of the project.
//   1. dependencies (npm ci when node_modules is missing or older than the lock),
//   2. Debian's Chromium, redis-server, postgresql and nginx (installed with apt-get when missing and root), and promtool (unpacked into .cache),
//   3. a full build (scripts/build/build.ts),
//   4. npm run typecheck (tsc, strict: service, shared, banner, scripts, tests; then the admin app),
//   5. vitest run (unit and service projects, vitest.config.ts),
//   6. playwright test (end to end on the real stack, playwright.config.ts; its global
//      teardown fails the run when PHP logged a notice during any spec).
// Ends with one plain line "N passed, N failed" summing the runners and
// exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from '../build/outputs.ts';
import { ensureChromium } from '../env/chromium.ts';
import { ensureDebianPackages, ensurePromtool, TEST_SERVERS } from '../env/debian.ts';
import { ensureDependencies } from '../env/dependencies.ts';
import { messageOf, readJson, repoRoot as root } from '../util.ts';

const bin = (name: string): string => join(root, 'node_modules', '.bin', name);
const reports = mkdtempSync(join(tmpdir(), 'consentry-test-'));

interface Count { passed: number; failed: number }
interface Outcome extends Count { ok: boolean }

function runner(name: string, command: string, args: string[], env: Record<string, string>, timeoutMinutes: number, count: (ok: boolean) => Count): Outcome {
  console.log(`\n=== ${name} ===`);
  const started = performance.now();
  // A hung runner must not eat CI's whole time: it is ended after timeoutMinutes.
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env }, timeout: timeoutMinutes * 60_000, killSignal: 'SIGTERM' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') console.error(`consentry: ${name} did not finish within ${timeoutMinutes} minutes and was stopped`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  let { passed, failed } = count(ok);
  // A runner that failed without a failing test (a setup error, a file that
  // does not compile, a global teardown that found PHP notices) still counts
  // as one failure.
  if (!ok && failed === 0) failed = 1;
  console.log(`=== ${name}: ${passed} passed, ${failed} failed (${seconds} s, exit ${result.status ?? result.signal}) ===`);
  return { ok, passed, failed };
}

interface VitestReport { numPassedTests?: number; numFailedTests?: number }
interface PlaywrightReport { stats?: { expected?: number; flaky?: number; unexpected?: number }; errors?: unknown[] }

let exitCode = 0;
const totals: Count = { passed: 0, failed: 0 };
try {
  ensureDependencies(root);
  ensureChromium();
  ensureDebianPackages(TEST_SERVERS);
  const promtool = ensurePromtool();
  if (!promtool.path) console.error(`consentry: promtool unavailable (${promtool.reason}); the metrics test will say so`);
  ensureBuilt(root, { all: true });

  // One check that counts once: it passes when both tsc configurations do.
  const typecheck = runner('typecheck', 'npm', ['run', '--silent', 'typecheck'], {}, 10, (ok) => ({ passed: ok ? 1 : 0, failed: 0 }));

  const vitestJson = join(reports, 'vitest.json');
  const vitest = runner('vitest', bin('vitest'), ['run', '--passWithNoTests', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`], {}, 20, () => {
    const report = readJson<VitestReport>(vitestJson);
    return { passed: report?.numPassedTests ?? 0, failed: report?.numFailedTests ?? 0 };
  });

  const playwrightJson = join(reports, 'playwright.json');
  const playwright = runner('playwright', bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson }, 50, () => {
    const report = readJson<PlaywrightReport>(playwrightJson);
    const stats = report?.stats;
    // Errors outside a test (global setup or teardown) are failures of the run.
    return { passed: (stats?.expected ?? 0) + (stats?.flaky ?? 0), failed: (stats?.unexpected ?? 0) + (report?.errors?.length ?? 0) };
  });

  for (const r of [typecheck, vitest, playwright]) {
    totals.passed += r.passed;
    totals.failed += r.failed;
    if (!r.ok) exitCode = 1;
  }
} catch (error) {
  console.error(`\nconsentry: ${messageOf(error)}`);
  exitCode = 1;
  totals.failed += 1;
} finally {
  if (existsSync(reports)) rmSync(reports, { recursive: true, force: true });
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
process.exit(exitCode || (totals.failed ? 1 : 0));
