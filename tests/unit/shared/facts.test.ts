// The PHP plugin and the banner read the facts of src/shared through generated files
// (scripts/build/facts.ts). These tests fail when a generated file is stale, when PHP
// reads it differently from TypeScript, or when a PHP file writes a shared fact again.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { restArgs, schemaConstants, staleFacts, trackerRules } from '../../../scripts/build/facts.ts';
import { urlMatcher } from '../../../src/banner/patterns.ts';
import { TRACKERS as BANNER_TRACKERS } from '../../../src/banner/trackers.ts';
import {
  CATEGORY_KEY_PATTERN, CONSENT_ACTIONS, CONSENT_CSV_COLUMNS, CONSENT_ID_PATTERN, WEBHOOK_EVENTS, WP_CONSENT_CATEGORIES,
} from '../../../src/shared/consent.ts';
import { VisitorConsentBody } from '../../../src/shared/schemas.ts';
import { SEEDED_KEYS, TRACKERS } from '../../../src/shared/trackers.ts';
import { cat, SEEDED } from '../banner/helpers.ts';

const root = join(import.meta.dirname, '../../../');
const plugin = join(root, 'plugin/includes/');

/** Runs PHP code after loading the generated classes and the blocking class (no WordPress needed for their constants). */
function php<T>(code: string): T {
  const files = ['generated/class-schema.php', 'generated/class-tracker-catalogue.php', 'class-server-blocking.php'].map((f) => `require '${plugin}${f}';`);
  const result = spawnSync('php', ['-d', 'display_errors=stderr', '-r', `define('ABSPATH', '/');\n${files.join('\n')}\n${code}`], { encoding: 'utf8' });
  if (result.error) throw new Error(`php CLI not found (Debian: apt-get install php-cli): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`php failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

describe('generated facts', () => {
  it('are up to date with src/shared (else: node scripts/build/facts.ts)', () => {
    expect(staleFacts()).toEqual([]);
  });

  it('read in PHP as the same values TypeScript has', () => {
    const constants = Object.fromEntries(schemaConstants().map(([name, , value]) => [name, value]));
    const fromPhp = php<Record<string, unknown>>(`echo json_encode(array(${Object.keys(constants).map((n) => `'${n}' => Consentry\\Schema::${n}`).join(', ')}));`);
    expect(fromPhp).toEqual(constants);
    const args = php<Record<string, unknown>>('$s = array_keys(Consentry\\Schema::SHAPES); echo json_encode(array_combine($s, array_map(array(Consentry\\Schema::class, "args"), $s)));');
    expect(args).toEqual(restArgs());
    // What the plugin's controllers check is the service's own fact.
    const shapes = args as Record<string, Record<string, { pattern?: string; enum?: string[]; items?: { enum?: string[] }; patternProperties?: object }>>;
    expect(shapes['VisitorConsentBody']!['consentId']!.pattern).toBe(CONSENT_ID_PATTERN);
    expect(shapes['VisitorConsentBody']!['action']!.enum).toEqual(CONSENT_ACTIONS);
    expect(Object.keys(shapes['VisitorConsentBody']!['categories']!.patternProperties!)).toEqual([(VisitorConsentBody.properties.categories as unknown as { propertyNames: { pattern: string } }).propertyNames.pattern]);
    expect(shapes['CreateCategoryBody']!['key']!.pattern).toBe(CATEGORY_KEY_PATTERN);
    expect(shapes['CreateCategoryBody']!['wpConsentCategory']!.enum).toEqual(WP_CONSENT_CATEGORIES);
    expect(shapes['CreateWebhookBody']!['events']!.items!.enum).toEqual(WEBHOOK_EVENTS);
  });

  it('are the only place in the plugin\'s PHP that writes the shared enums, patterns and trackers', () => {
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? (e.name === 'generated' ? [] : files(join(dir, e.name))) : e.name.endsWith('.php') ? [join(dir, e.name)] : []);
    const facts = [
      ...CONSENT_ACTIONS, ...WEBHOOK_EVENTS, 'statistics-anonymous', CATEGORY_KEY_PATTERN, CONSENT_ID_PATTERN, '[A-Za-z0-9_-]{8,64}',
      ...TRACKERS.flatMap((t) => t.urls), CONSENT_CSV_COLUMNS.join("', '"),
    ];
    const copies = files(plugin).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return facts.filter((fact) => text.includes(`'${fact}'`) || text.includes(`'${fact}`)).map((fact) => `${file.slice(root.length)}: ${fact}`);
    });
    expect(copies).toEqual([]);
  });
});

describe('tracker catalogue', () => {
  const matchSeeded = urlMatcher(SEEDED);
  const sample = (url: string) => `https://www.${url.replace(/^\./, '')}`;

  it('gives the banner every tracker URL with its category', () => {
    for (const tracker of TRACKERS) {
      for (const url of tracker.urls) {
        expect(BANNER_TRACKERS.split('|')).toContain(`${url} ${tracker.category[0]}`);
        expect(matchSeeded(sample(url)), url).toBe(SEEDED_KEYS[tracker.category]);
      }
    }
  });

  it('gives the server-side blocking the same trackers, resolved to the same site categories as the banner', () => {
    type Resolved = Array<{ category: string; src: string[]; iframe: string[] }>;
    const catalogue = php<unknown>('echo json_encode(Consentry\\Server_Blocking::DEFAULT_RULES);');
    expect(catalogue).toEqual(trackerRules());
    for (const categories of [SEEDED, [cat('necessary'), cat('stats', { wpConsentCategory: 'statistics' }), cat('ads', { wpConsentCategory: 'marketing' })]]) {
      const resolved = php<Resolved>(`echo json_encode(Consentry\\Server_Blocking::resolve_rules(Consentry\\Server_Blocking::DEFAULT_RULES, json_decode('${JSON.stringify(categories)}', true)));`);
      const match = urlMatcher(categories);
      expect(resolved).toHaveLength(TRACKERS.length);
      for (const rule of resolved) for (const url of rule.src) expect(rule.category, url).toBe(match(sample(url)));
    }
  });
});
