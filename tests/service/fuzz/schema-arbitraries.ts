/**
 * Values from JSON Schema, for the fuzz suite: the subset the service's
 * OpenAPI document uses (type, enum, anyOf, properties/required/
 * additionalProperties, min/maxProperties, items/min/maxItems,
 * min/maxLength, pattern, format uri/date-time, minimum/maximum).
 *
 * `valid` aims at values the schema accepts, but only as a strong bias: a
 * value the service then refuses is still a useful request. `invalid` breaks
 * one rule somewhere in the value and says which.
 */
import fc, { type Arbitrary } from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  propertyNames?: JsonSchema;
  minProperties?: number;
  maxProperties?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  description?: string;
}

/** A value taken from the service's state when the request is sent: an id, a key, the categories of a site. */
export class PoolRef {
  constructor(readonly kind: string, readonly pick: number) {}
}

/** Arbitraries for fields known by name (ids that exist, a site's own category keys), used most of the time. */
export type Hints = (name: string, schema: JsonSchema) => Arbitrary<unknown> | undefined;

export const poolRef = (kind: string): Arbitrary<PoolRef> => fc.nat().map((n) => new PoolRef(kind, n));

/** One character: mostly ASCII, some of any plane, a few that break naive code (lone surrogates, bidi, BOM, separators). */
const character = fc.oneof(
  { weight: 12, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udfff', '\u202e', '\ufeff', '\u2028', '\u00e9', '\u0130') },
);

export function text(minLength = 0, maxLength = 40): Arbitrary<string> {
  return fc.string({ unit: character, minLength, maxLength: Math.max(minLength, maxLength) });
}

const types = (schema: JsonSchema): string[] => (schema.type === undefined ? [] : [schema.type].flat());

/** A pattern `^<one class or char>+$` (or `*`, `{m,n}`): long values are then made by repetition. */
function repeatable(pattern: string): boolean {
  return /^\^(\[[^\]]+\]|\\?.)(\+|\*|\{\d+,\d*\})\$$/.test(pattern);
}

function stringFromPattern(schema: JsonSchema): Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Math.max(min, 64);
  // fast-check cannot generate from lookaheads: values come from the rest (the odd one the lookahead excludes is a fine request too).
  const pattern = schema.pattern!.replace(/\(\?[=!](?:[^()]|\([^()]*\))*\)/g, '');
  const regex = new RegExp(pattern);
  const fit = (s: string): string => {
    let value = s;
    if (value.length < min && value.length > 0 && repeatable(pattern)) value = value.repeat(Math.ceil(min / value.length));
    return value.length > max ? value.slice(0, max) : value;
  };
  return fc.stringMatching(regex, { size: 'small' }).map(fit);
}

function stringArbitrary(schema: JsonSchema): Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? min + 40;
  if (schema.format === 'date-time') {
    return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
  }
  if (schema.format === 'uri') {
    const pattern = schema.pattern ? new RegExp(schema.pattern) : null;
    return fc.webUrl({ validSchemes: ['https', 'http'], withQueryParameters: true, withFragments: true })
      .map((url) => (pattern && !pattern.test(url) ? `https://example.com/${encodeURIComponent(url)}` : url).slice(0, max));
  }
  if (schema.pattern) return stringFromPattern(schema);
  return text(min, Math.min(max, min + 40));
}

/** Keys of a map-like object (additionalProperties as a schema), from its propertyNames or patternProperties. */
function mapKey(schema: JsonSchema): Arbitrary<string> {
  if (schema.propertyNames?.pattern) return stringFromPattern({ minLength: 1, ...schema.propertyNames });
  const pattern = schema.patternProperties ? Object.keys(schema.patternProperties)[0] : undefined;
  return pattern ? stringFromPattern({ pattern, maxLength: 50, minLength: 1 }) : text(1, 12);
}

export function valid(schema: JsonSchema, hints: Hints, name = ''): Arbitrary<unknown> {
  const hinted = name ? hints(name, schema) : undefined;
  const plain = validPlain(schema, hints);
  return hinted ? fc.oneof({ weight: 4, arbitrary: hinted }, { weight: 1, arbitrary: plain }) : plain;
}

function validPlain(schema: JsonSchema, hints: Hints): Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map((b) => valid(b, hints)));
  const list = types(schema);
  if (list.length > 1) return fc.oneof(...list.map((type) => valid({ ...schema, type }, hints)));
  switch (list[0]) {
    case 'string': return stringArbitrary(schema);
    case 'integer': {
      const min = schema.minimum ?? -1_000_000;
      return fc.integer({ min, max: schema.maximum ?? min + 2_000_000 });
    }
    case 'number': return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true });
    case 'boolean': return fc.boolean();
    case 'null': return fc.constant(null);
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = Math.min(schema.maxItems ?? min + 4, min + 4);
      return fc.array(valid(schema.items ?? {}, hints), { minLength: min, maxLength: max });
    }
    case 'object': return objectArbitrary(schema, hints);
    default: return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectArbitrary(schema: JsonSchema, hints: Hints): Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  const extra = schema.patternProperties ? Object.values(schema.patternProperties)[0] : schema.additionalProperties;
  if (names.length === 0 && extra && typeof extra === 'object') {
    const maxKeys = Math.min(schema.maxProperties ?? 4, 4);
    return fc.dictionary(mapKey(schema), valid(extra, hints), { minKeys: Math.min(schema.minProperties ?? 0, maxKeys), maxKeys, noNullPrototype: true });
  }
  const model = Object.fromEntries(names.map((n) => [n, valid(properties[n]!, hints, n)]));
  const record = fc.record(model, { requiredKeys: (schema.required ?? []).filter((n) => names.includes(n)) }) as Arbitrary<Record<string, unknown>>;
  const min = schema.minProperties ?? 0;
  // Without required fields, an empty object is rare but possible: give it one field then.
  return min > 0 && names.length
    ? fc.tuple(record, fc.constantFrom(...names)).chain(([value, pick]) => (Object.keys(value).length >= min
      ? fc.constant(value)
      : valid(properties[pick]!, hints, pick).map((v) => ({ ...value, [pick]: v }))))
    : record;
}

/** A value that breaks the schema, and what was broken. */
export interface Broken {
  value: unknown;
  why: string;
}

const at = (path: string, why: string) => (path ? `${path}: ${why}` : why);

/** A value of another JSON type than the schema allows (or one that no branch takes). */
function wrongType(schema: JsonSchema, path: string): Arbitrary<Broken> {
  const allowed = new Set((schema.anyOf ?? schema.oneOf ?? [schema]).flatMap(types));
  if (schema.enum) allowed.clear();
  if (allowed.has('integer')) allowed.add('number');
  const candidates: Array<[string, Arbitrary<unknown>]> = [
    ['string', fc.oneof(text(0, 10), fc.constantFrom('', '1', 'true', 'null', '[]'))],
    ['number', fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(1.5, -1, 1e300, 2 ** 53 + 1))],
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['array', fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 })],
    ['object', fc.dictionary(text(1, 6), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2, noNullPrototype: true })],
  ];
  const others = candidates.filter(([type]) => !allowed.has(type));
  return fc.oneof(...others.map(([type, arbitrary]) => arbitrary.map((value) => ({ value, why: at(path, `wrong type (${type})`) }))));
}

export function invalid(schema: JsonSchema, hints: Hints, path = ''): Arbitrary<Broken> {
  const ways: Array<Arbitrary<Broken>> = [wrongType(schema, path)];
  const list = types(schema);
  if (schema.enum) ways.push(text(1, 12).filter((s) => !schema.enum!.includes(s)).map((value) => ({ value, why: at(path, 'not in enum') })));
  if (list.includes('string')) {
    // The service refuses U+0000 in every text (PostgreSQL cannot store it).
    ways.push(valid(schema, hints).map((value) => ({ value: `${typeof value === 'string' ? value : ''}\u0000`, why: at(path, 'holds U+0000') })));
  }
  if (list.includes('string') && !schema.enum) {
    if (schema.maxLength !== undefined) {
      const max = schema.maxLength;
      ways.push(fc.integer({ min: 1, max: 50 }).map((over) => ({ value: 'a'.repeat(max + over), why: at(path, 'longer than maxLength') })));
    }
    if (schema.minLength) {
      const min = schema.minLength;
      ways.push(fc.integer({ min: 0, max: min - 1 }).map((n) => ({ value: 'a'.repeat(n), why: at(path, 'shorter than minLength') })));
    }
    if (schema.pattern || schema.format) {
      ways.push(fc.tuple(valid(schema, () => undefined), fc.constantFrom(' ', '\u0000', '/', '..', '%', '\n', 'é', '<>', '@'))
        .map(([value, bad]) => ({ value: `${bad}${String(value)}${bad}`, why: at(path, 'breaks pattern or format') })));
    }
  }
  if (list.includes('integer') || list.includes('number')) {
    if (schema.maximum !== undefined) {
      const max = schema.maximum;
      ways.push(fc.constantFrom(max + 1, max * 1000 + 1, 1e21).map((value) => ({ value, why: at(path, 'above maximum') })));
    }
    if (schema.minimum !== undefined) {
      const min = schema.minimum;
      ways.push(fc.constantFrom(min - 1, min - 1_000_000, -1e21).map((value) => ({ value, why: at(path, 'below minimum') })));
    }
    if (list.includes('integer') && !list.includes('number')) ways.push(fc.constantFrom(0.5, 1.0001, -2.5).map((value) => ({ value, why: at(path, 'not an integer') })));
  }
  if (list.includes('array')) {
    const items = schema.items ?? {};
    if (schema.maxItems !== undefined) {
      const max = schema.maxItems;
      // Over the limit by repetition of one item: cheap to make, however large the limit.
      ways.push(valid(items, hints).map((item) => ({ value: Array.from({ length: max + 1 }, () => item), why: at(path, 'more than maxItems') })));
    }
    if (schema.minItems) ways.push(fc.constant({ value: [], why: at(path, 'fewer than minItems') }));
    ways.push(fc.tuple(valid(schema, hints), invalid(items, hints, `${path}/0`)).map(([value, broken]) => ({
      value: [broken.value, ...((value as unknown[]) ?? [])], why: broken.why,
    })));
  }
  if (list.includes('object')) ways.push(...invalidObject(schema, hints, path));
  return fc.oneof(...ways);
}

function invalidObject(schema: JsonSchema, hints: Hints, path: string): Array<Arbitrary<Broken>> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  const whole = objectArbitrary(schema, hints);
  const ways: Array<Arbitrary<Broken>> = [];
  const required = (schema.required ?? []).filter((n) => names.includes(n));
  if (required.length) {
    ways.push(fc.tuple(whole, fc.constantFrom(...required)).map(([value, name]) => {
      const { [name]: _dropped, ...rest } = value;
      return { value: rest, why: at(path, `missing required ${name}`) };
    }));
  }
  if (schema.additionalProperties === false) {
    const unknownName = fc.oneof(text(1, 12).filter((n) => !names.includes(n)), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'accountId', 'id'))
      .filter((n) => !names.includes(n));
    ways.push(fc.tuple(whole, unknownName, fc.jsonValue({ maxDepth: 1 })).map(([value, name, extra]) => {
      // defineProperty: `{__proto__: x}` in an object literal would set the prototype, not a key.
      const copy: Record<string, unknown> = { ...value };
      Object.defineProperty(copy, name, { value: extra, enumerable: true, writable: true, configurable: true });
      return { value: copy, why: at(path, `unknown field ${JSON.stringify(name)}`) };
    }));
  }
  if (schema.maxProperties !== undefined && names.length === 0) {
    const max = schema.maxProperties;
    const extra = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : {};
    ways.push(valid(extra, hints).map((v) => ({
      value: Object.fromEntries(Array.from({ length: max + 1 }, (_, i) => [`k${i}`, v])), why: at(path, 'more than maxProperties'),
    })));
  }
  if (schema.minProperties) ways.push(fc.constant({ value: {}, why: at(path, 'fewer than minProperties') }));
  if (schema.propertyNames?.pattern && typeof schema.additionalProperties === 'object') {
    const pattern = new RegExp(schema.propertyNames.pattern);
    const badKey = fc.oneof(text(1, 12), fc.constantFrom('EN', 'en_US', 'a b', '', '__proto__', 'constructor', 'x'.repeat(60))).filter((k) => !pattern.test(k) || k.length > 35);
    ways.push(fc.tuple(whole, badKey, valid(schema.additionalProperties, hints)).map(([value, key, v]) => {
      const copy: Record<string, unknown> = { ...value };
      Object.defineProperty(copy, key, { value: v, enumerable: true, writable: true, configurable: true });
      return { value: copy, why: at(path, `key ${JSON.stringify(key)} outside the key pattern`) };
    }));
  }
  if (names.length) {
    ways.push(fc.tuple(whole, fc.constantFrom(...names)).chain(([value, name]) =>
      invalid(properties[name]!, hints, path ? `${path}/${name}` : name).map((broken) => ({ value: { ...value, [name]: broken.value }, why: broken.why }))));
  } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    const extra = schema.additionalProperties;
    ways.push(fc.tuple(whole, mapKey(schema)).chain(([value, key]) =>
      invalid(extra, hints, path ? `${path}/${key}` : key).map((broken) => ({ value: { ...value, [key]: broken.value }, why: broken.why }))));
  }
  return ways;
}
