// The display-preferences widget changes presentation only: nothing Consentry ships may claim that it (or Consentry)
// makes a site accessible or compliant with an accessibility standard or law (issue 13; the Overlay Fact Sheet is why).
// This scans every shipped text source — all of src/ (banner, widget, admin with its Turkish catalogue, service,
// shared texts), the plugin's PHP, readme.txt and language files, and the README — sentence by sentence, in English
// and Turkish. A sentence that explicitly denies a claim ("makes no claim of compliance") is allowed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/util.ts';

const STANDARD = String.raw`(?:ADA|WCAG(?:\s*[0-9.]+)?(?:\s*A{1,3})?|Section\s*508|EAA|European\s+Accessibility\s+Act|EN\s*301\s*549|Americans\s+with\s+Disabilities\s+Act)`;
const CLAIM = String.raw`(?:complian\w*|conform\w*|certif\w*|uyumlu\w*|uygun\w*|sertifika\w*)`;

/** What counts as a claim, in one sentence. */
const CLAIMS: RegExp[] = [
  // A standard or law named with compliance, conformance or certification, either way round.
  new RegExp(String.raw`\b${STANDARD}\b[^.!?]*${CLAIM}`, 'i'),
  new RegExp(String.raw`${CLAIM}[^.!?]*\b${STANDARD}\b`, 'i'),
  // "compliant"/"compliance" with accessibility in the same sentence.
  /\bcomplian(?:t|ce)\b[^.!?]*\b(?:accessib\w*|a11y)\b/i,
  /\b(?:accessib\w*|a11y)\b[^.!?]*\bcomplian(?:t|ce)\b/i,
  // Promises of an accessible site.
  /\b100\s*%\s*accessib/i,
  /\bmakes?\s+(?:your|the|any|every)\s+(?:web\s*)?sites?\s+(?:\w+\s+)?accessib/i,
  /\b(?:guarantees?|ensures?)\s+(?:\w+\s+){0,3}accessib/i,
  /\binstantly\s+accessib/i,
  // Turkish: uyumlu / uyumluluk (compliant / compliance) near erişilebilirlik or a standard, and "%100 erişilebilir".
  /\buyumlu\w*[^.!?]*\b(?:erişilebil\w*|WCAG)/i,
  /(?:erişilebil\w*|WCAG)[^.!?]*\buyumlu\w*/i,
  /%\s*100\s+erişilebilir/i,
  /\bsitenizi\s+(?:\w+\s+)?erişilebilir\s+(?:kılar|yapar)/i,
];

/** Sentences that say there is no claim. */
const DENIALS: RegExp[] = [
  /\bmakes?\s+no\s+claim/i,
  /\b(?:no|not|never|nor|without)\b[^.!?]*\b(?:claim|claims|claiming|promise|guarantee)\b/i,
  /\bdoes\s+not\s+(?:make|claim|promise|guarantee)\b/i,
  /\bis\s+not\s+a\s+substitute\b/i,
  /iddia(?:sında|da)?\s+bulunmaz/i,
  /iddia\s+etmez/i,
  /iddias[ıi]\s+(?:yoktur|yok)/i,
  /garanti\s+(?:etmez|vermez)/i,
];

/** The sentences of a text: lines joined (comment leaders dropped), split after . ! ? */
export function sentences(text: string): string[] {
  return text
    .replace(/\\n/g, ' ')
    .replace(/\s*\n\s*(?:\/\/+|\*+|#+|;)?\s*/g, ' ')
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The sentences of a text that claim compliance or an accessible site without denying it. */
export function claims(text: string): string[] {
  return sentences(text).filter((s) => CLAIMS.some((p) => p.test(s)) && !DENIALS.some((p) => p.test(s)));
}

const root = repoRoot;
const SKIP_DIRS = new Set(['node_modules', 'build', 'dist', '.cache', 'generated']);
const TEXT_FILES = /\.(?:tsx?|jsx?|mjs|json|php|txt|md|po|pot|scss|css|html)$/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return SKIP_DIRS.has(name) ? [] : files(path);
    return TEXT_FILES.test(name) ? [path] : [];
  });
}

/** Every shipped text source. */
function shippedSources(): string[] {
  return [...files(join(root, 'src')), ...files(join(root, 'plugin')), join(root, 'README.md')];
}

describe('no claim of compliance', () => {
  it('recognises claims, in English and Turkish, and lets explicit denials through', () => {
    for (const claim of [
      'Our widget makes your site WCAG 2.2 AA compliant.',
      'Become ADA compliant in one click.',
      'Certified for Section 508.',
      'Accessibility compliance, instantly.',
      'The overlay makes your site accessible.',
      '100% accessible websites.',
      'Conforms to WCAG 2.1.',
      'Siteniz WCAG 2.2 ile uyumlu hale gelir.',
      'Erişilebilirlik uyumluluğu tek tıkla.',
      '%100 erişilebilir siteler.',
    ]) expect(claims(claim), claim).toEqual([claim]);
    for (const denial of [
      'Consentry makes no claim of compliance with any accessibility standard or law.',
      'It does not make your site compliant with WCAG or any law.',
      'It is not a substitute for an accessible site, and it does not claim WCAG conformance.',
      'Consentry, herhangi bir erişilebilirlik standardına veya yasaya uyumluluk iddiasında bulunmaz.',
      'A small, accessible cookie banner.',
      'Text on background passes WCAG AA (4.5:1).',
      'GDPR consent records, kept by your own service.',
    ]) expect(claims(denial), denial).toEqual([]);
  });

  it('is made nowhere Consentry ships text: src/, the plugin (PHP, readme.txt, languages) and the README', () => {
    const sources = shippedSources();
    const paths = sources.map((f) => relative(root, f));
    // The scan reaches what it must (a moved folder would otherwise go unscanned in silence).
    for (const expected of ['src/shared/texts.ts', 'src/admin/i18n/tr.json', 'plugin/readme.txt', 'README.md', 'plugin/languages/consentry-tr_TR.po', 'plugin/consentry.php']) {
      expect(paths).toContain(expected);
    }
    expect(paths.some((p) => p.startsWith('src/banner/'))).toBe(true);
    expect(paths.some((p) => p.startsWith('src/admin/screens/'))).toBe(true);
    const found = sources.flatMap((file) => claims(readFileSync(file, 'utf8')).map((sentence) => `${relative(root, file)}: ${sentence.slice(0, 300)}`));
    expect(found).toEqual([]);
  });
});
