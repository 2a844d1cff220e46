// Writes what the PHP plugin and the banner read from src/shared, so that each fact is written once:
//   plugin/includes/generated/class-schema.php            enums, patterns and REST argument schemas (from schemas.ts, consent.ts)
//   plugin/includes/generated/class-tracker-catalogue.php the server-side blocking rules (from trackers.ts)
//   src/banner/trackers.ts                                 the banner's built-in URL patterns, compact (from trackers.ts)
// The files are committed; `node scripts/build/facts.ts` writes them again, `--check` only says whether they are stale
// (tests/unit/shared/facts.test.ts fails when they are).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TSchema } from 'typebox';
import {
  BANNER_LAYOUTS, BANNER_POSITIONS, CATEGORY_KEY_PATTERN, CONSENT_ACTIONS, CONSENT_ID_PATTERN, WEBHOOK_EVENTS, WP_CONSENT_CATEGORIES,
  DISPLAY_OPENER_POSITIONS, DISPLAY_PROFILES, INVENTORY_SOURCES, REVIEW_STATES, SCAN_FAILURE_REASONS, SCAN_FINAL_STATES, SCAN_PASSES, SCAN_STATES, SCAN_TRIGGERS, STORAGE_KINDS,
} from '../../src/shared/consent.ts';
import * as schemas from '../../src/shared/schemas.ts';
import { SEEDED_KEYS, TRACKERS, type TrackerCategory } from '../../src/shared/trackers.ts';
import { BUILT_IN_TEXTS } from '../../src/shared/texts.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The request shapes the plugin's REST controllers check before forwarding to the service. */
const REST_SHAPES = [
  'VisitorConsentBody', 'HeartbeatBody', 'DisplayUsageBody', 'CreateCategoryBody', 'UpdateCategoryBody', 'ReorderBody', 'UpdateSiteBody',
  'CreateWebhookBody', 'UpdateWebhookBody', 'EventListQuery', 'ExportQuery', 'UsageQuery', 'DeliveryListQuery', 'DisplayUsageQuery',
  'CreateScanBody', 'ScanListQuery', 'CreateInventoryBody', 'UpdateInventoryBody', 'InventoryListQuery',
] as const satisfies ReadonlyArray<keyof typeof schemas>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A schema as JSON Schema the way WordPress reads it: without its descriptions (the plugin has translated ones of
 * its own), and a map's key pattern (`propertyNames`, which WordPress ignores) as `patternProperties`.
 */
function plain(schema: TSchema): Json {
  return JSON.parse(JSON.stringify(schema), (key, value) => {
    if (key === 'description' && typeof value === 'string') return undefined;
    if (value && typeof value === 'object' && typeof value.propertyNames?.pattern === 'string' && typeof value.additionalProperties === 'object') {
      const { propertyNames, additionalProperties, ...rest } = value;
      return { ...rest, patternProperties: { [propertyNames.pattern]: additionalProperties }, additionalProperties: false };
    }
    return value;
  }) as Json;
}

/**
 * The request shapes, each field schema written once: FIELDS by field name (`Shape.field` where a name has two
 * schemas), SHAPES the fields of each shape in order, REQUIRED the required ones.
 */
function requestShapes(): { FIELDS: Record<string, Json>; SHAPES: Record<string, string[]>; REQUIRED: Record<string, string[]> } {
  const FIELDS: Record<string, Json> = {};
  const SHAPES: Record<string, string[]> = {};
  const REQUIRED: Record<string, string[]> = {};
  for (const shape of REST_SHAPES) {
    const object = plain(schemas[shape]) as { properties: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(object.properties)) {
      const known = FIELDS[name];
      FIELDS[known === undefined || JSON.stringify(known) === JSON.stringify(schema) ? name : `${shape}.${name}`] = schema;
    }
    SHAPES[shape] = Object.keys(object.properties);
    REQUIRED[shape] = object.required ?? [];
  }
  return { FIELDS, SHAPES, REQUIRED };
}

/** What `Consentry\Schema::args( $shape )` answers for each shape: field → its schema and `required`. */
export function restArgs(): Record<string, Record<string, Json>> {
  const { FIELDS, SHAPES, REQUIRED } = requestShapes();
  return Object.fromEntries(Object.entries(SHAPES).map(([shape, names]) => [shape, Object.fromEntries(names.map((name) =>
    [name, { required: REQUIRED[shape]!.includes(name), ...(FIELDS[`${shape}.${name}`] ?? FIELDS[name]) as Record<string, Json> }]))]));
}

/** The PHP of a value, laid out as the WordPress Coding Standards want it (tabs, aligned `=>`, trailing commas). */
function php(value: Json, depth: number): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const tabs = '\t'.repeat(depth + 1);
  if (Array.isArray(value)) {
    if (value.length === 0) return 'array()';
    const items = value.map((v) => php(v, depth + 1));
    // A list of plain values stays on one line (WPCS wants only associative arrays broken up).
    return value.every((v) => typeof v !== 'object' || v === null) ? `array( ${items.join(', ')} )` : `array(\n${items.map((i) => `${tabs}${i},\n`).join('')}${'\t'.repeat(depth)})`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return 'array()';
  const keys = entries.map(([k]) => php(k, 0));
  const width = Math.max(...keys.map((k) => k.length));
  return `array(\n${entries.map(([, v], i) => `${tabs}${keys[i]!.padEnd(width)} => ${php(v, depth + 1)},\n`).join('')}${'\t'.repeat(depth)})`;
}

function phpClass(name: string, summary: string, constants: Array<[string, string, Json]>, methods = ''): string {
  const body = constants.map(([constant, doc, value]) => `\t/**\n\t * ${doc}\n\t */\n\tpublic const ${constant} = ${php(value, 1)};\n`).join('\n');
  return `<?php
/**
 * Generated by scripts/build/facts.ts from src/shared: do not edit. \`node scripts/build/facts.ts\` writes it again.
 *
 * @package Consentry
 */

namespace Consentry;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * ${summary}
 */
final class ${name} {

${body}${methods}}
`;
}

/** The constants of the PHP class `Consentry\Schema`: name, doc, value. */
export function schemaConstants(): Array<[string, string, Json]> {
  const { FIELDS, SHAPES, REQUIRED } = requestShapes();
  return [
    ['CONSENT_ACTIONS', 'What a visitor did.', [...CONSENT_ACTIONS]],
    ['WP_CONSENT_CATEGORIES', 'The WP Consent API categories a site category maps to.', [...WP_CONSENT_CATEGORIES]],
    ['WEBHOOK_EVENTS', 'Events a webhook endpoint can subscribe to.', [...WEBHOOK_EVENTS]],
    ['BANNER_POSITIONS', 'Where the banner stands.', [...BANNER_POSITIONS]],
    ['BANNER_LAYOUTS', 'How the banner is laid out.', [...BANNER_LAYOUTS]],
    ['SCAN_STATES', 'States of a cookie scan.', [...SCAN_STATES]],
    ['SCAN_FINAL_STATES', 'The states a scan ends in.', [...SCAN_FINAL_STATES]],
    ['SCAN_PASSES', 'The passes of a scanned page: before any choice, after Accept all, after Reject all.', [...SCAN_PASSES]],
    ['SCAN_FAILURE_REASONS', 'Why a scan failed or ended early.', [...SCAN_FAILURE_REASONS]],
    ['SCAN_TRIGGERS', 'What started a scan.', [...SCAN_TRIGGERS]],
    ['STORAGE_KINDS', 'Kinds of item in the cookie inventory.', [...STORAGE_KINDS]],
    ['INVENTORY_SOURCES', 'Where an inventory entry came from.', [...INVENTORY_SOURCES]],
    ['REVIEW_STATES', 'Review states of an inventory entry; only done entries are published.', [...REVIEW_STATES]],
    ['DISPLAY_PROFILES', 'Display-preference profiles a visitor may pick.', [...DISPLAY_PROFILES]],
    ['DISPLAY_OPENER_POSITIONS', 'Where the display-preferences opener sits.', [...DISPLAY_OPENER_POSITIONS]],
    ['CATEGORY_KEY_PATTERN', 'Category keys.', CATEGORY_KEY_PATTERN],
    ['CONSENT_ID_PATTERN', 'The visitor\'s consent id (its lengths: FIELDS[\'consentId\']).', CONSENT_ID_PATTERN],
    ['FIELDS', 'The schema of each field of the request shapes (JSON Schema as WordPress reads it); ids are FIELDS[\'siteId\'].', FIELDS],
    ['SHAPES', 'The fields of each request shape of the service, in order.', SHAPES],
    ['REQUIRED', 'The required fields of each request shape.', REQUIRED],
    ['BANNER_TEXTS', 'The banner\'s built-in texts other than English, by language (the bundle holds English only; pages print the ones they need).',
      Object.fromEntries(Object.entries(BUILT_IN_TEXTS).filter(([lang]) => lang !== 'en'))],
  ];
}

const ARGS_METHOD = `
	/**
	 * The REST \`args\` of a request shape: each field's schema, and whether it is required.
	 *
	 * @param string $shape A key of SHAPES.
	 * @return array<string, array<string, mixed>>
	 */
	public static function args( string $shape ): array {
		$args = array();
		foreach ( self::SHAPES[ $shape ] as $field ) {
			$args[ $field ] = array( 'required' => in_array( $field, self::REQUIRED[ $shape ], true ) ) + ( self::FIELDS[ $shape . '.' . $field ] ?? self::FIELDS[ $field ] );
		}
		return $args;
	}
`;

/** Server-side rules by tracker id: `category` is the seeded key; the site's own category for it is found by `wpConsentCategory`. */
export function trackerRules(): Json {
  return Object.fromEntries(TRACKERS.map((t) => [t.id, {
    category: SEEDED_KEYS[t.category], wpConsentCategory: t.category,
    src: [...t.urls], ...(t.inline && { inline: [...t.inline] }), iframe: [...t.urls],
  }]));
}

function schemaPhp(): string {
  return phpClass('Schema', 'Facts the plugin shares with the service: enums, patterns, and the schemas of the requests it forwards.', schemaConstants(), ARGS_METHOD);
}

function trackerPhp(): string {
  return phpClass('Tracker_Catalogue', 'The tracker catalogue of src/shared/trackers.ts as server-side blocking rules.', [
    ['RULES', '`src`: URL parts of scripts; `inline`: text of inline scripts; `iframe`: URL parts of iframes. Matching ignores case.', trackerRules()],
  ]);
}

const KIND_LETTER: Record<TrackerCategory, string> = { statistics: 's', marketing: 'm' };

function bannerTrackers(): string {
  const list = TRACKERS.flatMap((t) => t.urls.map((url) => `${url.toLowerCase()} ${KIND_LETTER[t.category]}`)).join('|');
  const kinds = Object.entries(KIND_LETTER).map(([category, letter]) => `${letter}: ['${category}', '${SEEDED_KEYS[category as TrackerCategory]}']`).join(', ');
  return `// Generated by scripts/build/facts.ts from src/shared/trackers.ts: do not edit.

/** Well-known trackers: URL substring, then its kind. Kept as one string to stay small. */
export const TRACKERS = '${list}';

/** Kinds: the WP Consent API category, and the key of the seeded category that stands for it. */
export const KINDS: Record<string, [string, string]> = { ${kinds} };
`;
}

/** Every generated file: path from the project root → content. */
export function facts(): Record<string, string> {
  return {
    'plugin/includes/generated/class-schema.php': schemaPhp(),
    'plugin/includes/generated/class-tracker-catalogue.php': trackerPhp(),
    'src/banner/trackers.ts': bannerTrackers(),
  };
}

/** The generated files whose committed copy differs from what the sources give. */
export function staleFacts(): string[] {
  return Object.entries(facts()).filter(([path, text]) => {
    try {
      return readFileSync(root + path, 'utf8') !== text;
    } catch {
      return true;
    }
  }).map(([path]) => path);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const stale = staleFacts();
    if (stale.length) {
      console.error(`stale generated files (run node scripts/build/facts.ts): ${stale.join(', ')}`);
      process.exit(1);
    }
  } else {
    for (const [path, text] of Object.entries(facts())) {
      mkdirSync(dirname(root + path), { recursive: true });
      writeFileSync(root + path, text);
    }
  }
}
