// `npm run bench [-- service|export|banner|privacy|plugin ...]`: the benchmarks,
// each in its own process, in this order (all of them unless some are named):
//   service  consent writes of the service against a bare server (service.ts)
//   export   the consent export's rate, NDJSON and CSV (export.ts)
//   banner   the banner's size against its budget and vanilla-cookieconsent (banner.ts)
//   privacy  masking e-mail addresses in the worst crafted page URLs (privacy.ts)
//   plugin   the plugin's server time on a front-end page, native PHP (plugin.ts)
//   scan     a 50-page cookie scan of the fixture site, and consent writes beside a scan (scan.ts)
// Exits non-zero when one of them did (the banner's also does over its budget).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../util.ts';

const BENCHES = ['service', 'export', 'banner', 'privacy', 'plugin', 'scan'] as const;
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(BENCHES as readonly string[]).includes(name));
if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}; benchmarks: ${BENCHES.join(', ')}`);

let failed = 0;
for (const name of BENCHES.filter((b) => wanted.length === 0 || wanted.includes(b))) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'bench', `${name}.ts`)], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
