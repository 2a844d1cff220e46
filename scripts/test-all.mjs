// `npm test`: every test of the project.
//   1. dependencies (npm ci when node_modules is missing or older than the lock),
//   2. Debian's Chromium, redis-server and postgresql (installed with apt-get when missing and root),
//   3. a full build (node scripts/build.mjs),
//   4. vitest run (unit and service projects, vitest.config.ts),
//   5. playwright test (end to end on the real stack, playwright.config.ts).
// Ends with one plain line "N passed, N failed" summing both runners and
// exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureChromium } from './lib/chromium.mjs';
import { ensureDebianPackages, TEST_SERVERS } from './lib/debian.mjs';
import { ensureBuilt, ensureDependencies } from './lib/deps.mjs';
import { repoRoot } from './lib/util.mjs';

const root = repoRoot;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const reports = mkdtempSync(join(tmpdir(), 'consentry-test-'));

function readJson(file) {
  try { return JSON.parse(readFileSync(file, 'utf8')); } catch { return null; }
}

function runner(name, command, args, env, timeoutMinutes, count) {
  console.log(`\n=== ${name} ===`);
  const started = performance.now();
  // A hung runner must not eat CI's whole time: it is ended after timeoutMinutes.
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env }, timeout: timeoutMinutes * 60_000, killSignal: 'SIGTERM' });
  if (result.error?.code === 'ETIMEDOUT') console.error(`consentry: ${name} did not finish within ${timeoutMinutes} minutes and was stopped`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  let { passed, failed } = count();
  const ok = result.status === 0;
  // A runner that failed before reporting any failing test (a setup error, a
  // file that does not compile) still counts as one failure.
  if (!ok && failed === 0) failed = 1;
  console.log(`=== ${name}: ${passed} passed, ${failed} failed (${seconds} s, exit ${result.status ?? result.signal}) ===`);
  return { ok, passed, failed };
}

let exitCode = 0;
const totals = { passed: 0, failed: 0 };
try {
  ensureDependencies(root);
  ensureChromium();
  ensureDebianPackages(TEST_SERVERS);
  ensureBuilt(root, { all: true });

  const vitestJson = join(reports, 'vitest.json');
  const vitest = runner('vitest', bin('vitest'), ['run', '--passWithNoTests', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`], {}, 20, () => {
    const report = readJson(vitestJson);
    return { passed: report?.numPassedTests ?? 0, failed: report?.numFailedTests ?? 0 };
  });

  const playwrightJson = join(reports, 'playwright.json');
  const playwright = runner('playwright', bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson }, 50, () => {
    const stats = readJson(playwrightJson)?.stats;
    return { passed: (stats?.expected ?? 0) + (stats?.flaky ?? 0), failed: stats?.unexpected ?? 0 };
  });

  for (const r of [vitest, playwright]) {
    totals.passed += r.passed;
    totals.failed += r.failed;
    if (!r.ok) exitCode = 1;
  }
} catch (error) {
  console.error(`\nconsentry: ${error.message}`);
  exitCode = 1;
  totals.failed += 1;
} finally {
  if (existsSync(reports)) rmSync(reports, { recursive: true, force: true });
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
process.exit(exitCode || (totals.failed ? 1 : 0));
