// Turkish for the admin app: extracts every __('…', 'consentry') string from
// src/admin, checks that src/admin/i18n/tr.json (source -> translation) has
// each one, and writes the Jed JSON that wp_set_script_translations() loads:
// plugin/languages/consentry-tr_TR-<md5 of "build/admin/index.js">.json.
// Exits 1 and lists the strings when a translation is missing.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot as root } from '../util.ts';

const sourceDir = join(root, 'src', 'admin');
const catalogFile = join(sourceDir, 'i18n', 'tr.json');
const script = 'build/admin/index.js'; // relative to the plugin folder, as WordPress hashes it
const output = join(root, 'plugin', 'languages', `consentry-tr_TR-${createHash('md5').update(script).digest('hex')}.json`);

/** Every .js/.jsx/.ts/.tsx file below a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(jsx?|tsx?)$/.test(name) ? [path] : [];
  });
}

/** The value of a JS string literal's body. */
function unescape(body: string): string {
  return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e[0] === 'u') return String.fromCodePoint(parseInt(e.replace(/[u{}]/g, ''), 16));
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[e] ?? e;
  });
}

// __( 'text', 'consentry' ) with single or double quotes; other domains are not ours.
const CALL = /\b__\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*,\s*['"]consentry['"]\s*\)/g;
const found = new Map<string, string>(); // string -> first place
for (const file of sources(sourceDir)) {
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(CALL)) {
    const value = unescape(match[1] ?? match[2] ?? '');
    if (!found.has(value)) found.set(value, `${relative(root, file)}:${text.slice(0, match.index).split('\n').length}`);
  }
}
// Calls with another shape (a variable, a template literal) cannot be extracted: refuse them.
const odd: string[] = [];
for (const file of sources(sourceDir)) {
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/\b__\(\s*[^'"\s]/g)) odd.push(`${relative(root, file)}:${text.slice(0, match.index).split('\n').length}`);
}

const catalog = JSON.parse(readFileSync(catalogFile, 'utf8')) as Record<string, unknown>;
const missing = [...found.keys()].filter((s) => typeof catalog[s] !== 'string' || catalog[s] === '');
const unused = Object.keys(catalog).filter((s) => !found.has(s));

const messages: Record<string, unknown> = { '': { domain: 'messages', lang: 'tr', 'plural-forms': 'nplurals=2; plural=(n > 1);' } };
for (const source of [...found.keys()].sort()) {
  const translation = catalog[source];
  if (translation) messages[source] = [translation];
}
writeFileSync(output, `${JSON.stringify({
  'translation-revision-date': '2026-11-23 00:00+0000',
  generator: 'consentry scripts/build/admin-i18n.ts',
  source: script,
  domain: 'messages',
  locale_data: { messages },
}, null, 2)}\n`);

console.log(`admin i18n: ${found.size} strings, ${found.size - missing.length} translated to Turkish -> ${relative(root, output)}`);
if (unused.length) console.log(`admin i18n: ${unused.length} unused in tr.json:\n  ${unused.join('\n  ')}`);
if (odd.length) console.error(`admin i18n: __() without a literal string (cannot be extracted):\n  ${odd.join('\n  ')}`);
if (missing.length) {
  console.error(`admin i18n: ${missing.length} missing Turkish translations (add them to src/admin/i18n/tr.json):`);
  for (const s of missing) console.error(`  ${found.get(s)}  ${JSON.stringify(s)}`);
}
if (missing.length || odd.length) process.exit(1);
