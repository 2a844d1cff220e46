// Size of everything a visitor downloads for the banner (head.js inlined in the
// page, banner.js, banner.css when there is one), raw and gzipped, against the
// 8 KiB budget and against vanilla-cookieconsent 3.1.0 (its dist UMD + CSS),
// fetched with `npm pack` into .cache/ at bench time (not a dependency).
//   sh scripts/node-env.sh node scripts/bench/banner.ts [--no-build] [--json]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { messageOf, repoRoot } from '../util.ts';

const root = `${repoRoot}/`;
const BUDGET = 8 * 1024;
const REFERENCE = 'vanilla-cookieconsent@3.1.0';
const args = new Set(process.argv.slice(2));

if (!args.has('--no-build')) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build', 'build.ts'), 'banner'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

interface Size { name: string; raw: number; gzip: number; brotli: number }
type Sizes = Omit<Size, 'name'>;

const measure = (name: string, file: string): Size => {
  const buf = readFileSync(file);
  return {
    name,
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
const total = (rows: Size[]): Sizes => rows.reduce<Sizes>((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });

const dir = `${root}plugin/build/banner/`;
const ours = ['head.js', 'banner.js', 'banner.css'].filter((f) => existsSync(dir + f)).map((f) => measure(f, dir + f));

function reference(): Size[] | null {
  const cache = `${root}.cache/bench-banner/`;
  const unpacked = `${cache}vanilla-cookieconsent-3.1.0/`;
  if (!existsSync(`${unpacked}package/dist/cookieconsent.umd.js`)) {
    mkdirSync(unpacked, { recursive: true });
    try {
      execFileSync('npm', ['pack', REFERENCE, '--silent', '--pack-destination', cache], { cwd: cache, stdio: ['ignore', 'pipe', 'inherit'] });
      const tgz = readdirSync(cache).find((f) => f.startsWith('vanilla-cookieconsent-3.1.0') && f.endsWith('.tgz'));
      if (!tgz) throw new Error('npm pack left no archive');
      execFileSync('tar', ['-xzf', cache + tgz, '-C', unpacked]);
    } catch (error) {
      console.error(`bench-banner: could not fetch ${REFERENCE} (${messageOf(error)}); comparison skipped`);
      return null;
    }
  }
  return ['cookieconsent.umd.js', 'cookieconsent.css'].map((f) => measure(f, `${unpacked}package/dist/${f}`));
}

const theirs = reference();
const kib = (n: number): string => `${(n / 1024).toFixed(2)} KiB`;
const line = (r: Size): string => `  ${r.name.padEnd(22)} ${String(r.raw).padStart(7)} B raw  ${String(r.gzip).padStart(6)} B gzip (${kib(r.gzip)})  ${String(r.brotli).padStart(6)} B brotli`;
const ourTotal = total(ours);
const result = {
  files: ours,
  total: ourTotal,
  budget: BUDGET,
  withinBudget: ourTotal.gzip <= BUDGET,
  reference: theirs && { package: REFERENCE, files: theirs, total: total(theirs) },
};

if (args.has('--json')) {
  console.log(JSON.stringify(result, null, 2));
} else {
  console.log('Consentry banner (what a visitor downloads):');
  ours.forEach((r) => console.log(line(r)));
  console.log(line({ name: 'total', ...ourTotal }));
  console.log(`  budget 8 KiB gzipped: ${ourTotal.gzip} / ${BUDGET} B (${((ourTotal.gzip / BUDGET) * 100).toFixed(1)} %) -> ${result.withinBudget ? 'within budget' : 'OVER BUDGET'}`);
  if (theirs) {
    const t = total(theirs);
    console.log(`${REFERENCE} (dist/cookieconsent.umd.js + dist/cookieconsent.css):`);
    theirs.forEach((r) => console.log(line(r)));
    console.log(line({ name: 'total', ...t }));
    console.log(`  Consentry is ${((ourTotal.gzip / t.gzip) * 100).toFixed(1)} % of its gzipped size (${kib(t.gzip - ourTotal.gzip)} smaller).`);
  }
}
if (!result.withinBudget) process.exitCode = 1;
