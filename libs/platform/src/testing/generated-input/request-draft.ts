import fc from 'fast-check';
import type { JsonSchema } from './openapi-operations';
import * as hostile from './hostile-values';

/*
 * The request being generated (a draft) and the changes made to its body: where a value can go (sites),
 * what a plausible value is for a documented schema, and each body change a route must refuse.
 */

/** A change picked by numbers (so fast-check shrinks towards the first site and variant). */
export interface Change {
  kind: string;
  site: number;
  variant: number;
}

export type Key = string | number;

export interface Site {
  path: Key[];
  value: unknown;
  schema: JsonSchema | undefined;
  /** Named in its parent's `required`. */
  required: boolean;
  name: string | undefined;
}

/** Placeholders for raw JSON text (deep nesting) spliced in after JSON.stringify. */
export interface Draft {
  method: string;
  pathValues: string[];
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body: unknown;
  bodyText: string | undefined;
  raw: Map<string, string>;
  rawHeader: string | undefined;
  hasBody: boolean;
}

export const pick = <T>(list: readonly T[], index: number): T => list[index % list.length] as T;

export const isMoneySchema = (schema: JsonSchema | undefined): boolean =>
  schema?.properties?.['amountMinor'] !== undefined && schema.properties['currency'] !== undefined;
export const isDateSchema = (schema: JsonSchema | undefined): boolean =>
  schema?.format === 'date' || (typeof schema?.example === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(schema.example));

/** A plausible value for a schema: its example, an enum member, a UUID where one is named, else something of its type. */
export function plausible(schema: JsonSchema | undefined, name: string | undefined): fc.Arbitrary<unknown> {
  if (schema === undefined) return fc.constant('x');
  if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  if (schema.type === 'object' || schema.properties !== undefined) {
    const properties = schema.properties ?? {};
    const required = new Set(schema.required ?? []);
    const entries = Object.entries(properties).map(([key, property]) => {
      const value = plausible(property, key);
      return [key, required.has(key) ? value.map((v) => ({ present: true, v })) : fc.record({ present: fc.boolean(), v: value })] as const;
    });
    return fc.tuple(...entries.map(([, arbitrary]) => arbitrary)).map((values) => {
      const object: Record<string, unknown> = {};
      values.forEach(({ present, v }, index) => {
        if (present) object[entries[index]?.[0] ?? ''] = v;
      });
      return object;
    });
  }
  if (schema.type === 'array') return fc.array(plausible(schema.items, undefined), { minLength: 1, maxLength: 3 });
  if (schema.example !== undefined) return fc.constant(schema.example);
  if (schema.type === 'integer' || schema.type === 'number') return fc.integer({ min: 0, max: 100 });
  if (schema.type === 'boolean') return fc.boolean();
  if (schema.format === 'uuid' || (name !== undefined && /Id$/.test(name))) return fc.uuid({ version: 4 });
  if (name === 'currency') return fc.constant('EUR');
  return fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme-ascii' }).filter((s) => s.trim().length > 0);
}

/** The documented body schema of each draft, for `changeBody` to find typed sites. */
export const schemas = new WeakMap<Draft, JsonSchema | undefined>();

export function sitesOf(
  value: unknown,
  schema: JsonSchema | undefined,
  path: Key[] = [],
  required = true,
  name: string | undefined = undefined,
): Site[] {
  const sites: Site[] = [{ path, value, schema, required, name }];
  if (Array.isArray(value)) value.forEach((item, index) => sites.push(...sitesOf(item, schema?.items, [...path, index], true, undefined)));
  else if (typeof value === 'object' && value !== null) {
    const requiredKeys = new Set(schema?.required ?? []);
    for (const [key, item] of Object.entries(value))
      sites.push(...sitesOf(item, schema?.properties?.[key], [...path, key], requiredKeys.has(key), key));
  }
  return sites;
}

export function setAt(draft: Draft, path: Key[], value: unknown): void {
  if (path.length === 0) {
    draft.body = value;
    return;
  }
  let parent = draft.body as Record<Key, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<Key, unknown>;
  parent[path[path.length - 1] as Key] = value;
}

export function deleteAt(draft: Draft, path: Key[]): void {
  let parent = draft.body as Record<Key, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<Key, unknown>;
  delete parent[path[path.length - 1] as Key];
}

/** An own enumerable property, even for `__proto__` (plain assignment would set the prototype instead). */
export function defineField(object: object, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

export function rawValue(draft: Draft, text: string): string {
  const token = `\u0001raw${draft.raw.size}\u0001`;
  draft.raw.set(token, text);
  return token;
}

export const typeOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** A value of another JSON type than the site's; null only where the field is required (an optional field may be null). */
export function wrongType(site: Site, variant: number): unknown {
  const candidates: unknown[] = ['text', 42, true, [], { unexpected: 1 }, ...(site.required ? [null] : [])];
  const expected = site.schema?.type ?? typeOf(site.value);
  const others = candidates.filter((candidate) => {
    const type = typeOf(candidate);
    if (expected === 'integer' || expected === 'number') return type !== 'number';
    return type !== expected && type !== typeOf(site.value);
  });
  return pick(others, variant);
}

/** The body sites a change of this kind can target, or [] when the body has none (the change then falls back). */
export function targets(kind: string, sites: Site[]): Site[] {
  const objects = sites.filter((s) => typeOf(s.value) === 'object');
  switch (kind) {
    case 'nul-in-string':
    case 'lone-surrogate':
    case 'overlong-string':
      return sites.filter((s) => typeof s.value === 'string');
    case 'nul-in-field-name':
    case 'prototype-key':
    case 'unknown-field':
      return objects;
    case 'deep-nesting':
      return sites;
    case 'missing-required':
      return sites.filter((s) => s.path.length > 0 && s.required && typeof s.path[s.path.length - 1] === 'string');
    case 'wrong-type':
      return sites.filter((s) => s.path.length > 0);
    case 'bad-money':
      return objects.filter((s) => isMoneySchema(s.schema));
    case 'bad-format':
      return sites.filter(
        (s) => s.schema?.enum !== undefined || s.schema?.format === 'uuid' || isDateSchema(s.schema) || s.name === 'currency',
      );
    case 'bad-integer':
    case 'huge-number':
      return sites.filter((s) => s.schema?.type === 'integer' || s.schema?.type === 'number');
    case 'odd-text':
      return sites.filter((s) => typeof s.value === 'string' && s.name !== 'amountMinor');
    default:
      return [];
  }
}

export function badFormat(site: Site, variant: number): unknown {
  if (site.schema?.format === 'uuid') return pick(hostile.BAD_UUIDS, variant);
  if (isDateSchema(site.schema)) return pick(hostile.BAD_DATES, variant);
  if (site.name === 'currency') return pick(hostile.BAD_CURRENCIES, variant);
  return pick(['not-one-of-them', '', 'ACTIVE', 0], variant);
}

/** Applies a body change; returns its description, or undefined when the body offers no site for it. */
export function changeBody(draft: Draft, { kind, site: siteIndex, variant }: Change): string | undefined {
  const sites = targets(kind, sitesOf(draft.body, schemas.get(draft)));
  if (sites.length === 0) return undefined;
  const site = pick(sites, siteIndex);
  const at = site.path.length === 0 ? 'the body' : site.path.join('.');
  switch (kind) {
    case 'nul-in-string':
      setAt(draft, site.path, hostile.nulInside(site.value as string, variant));
      return `a NUL in ${at}`;
    case 'lone-surrogate':
      setAt(draft, site.path, `${site.value as string}${pick(hostile.LONE_SURROGATES, variant)}`);
      return `a lone surrogate in ${at}`;
    case 'overlong-string':
      setAt(draft, site.path, 'x'.repeat(10_001 + (variant % 50) * 1000));
      return `${at} of ${10_001 + (variant % 50) * 1000} characters`;
    case 'nul-in-field-name':
      defineField(site.value as object, `na\u0000me${variant % 10}`, 'x');
      return `a field name with a NUL in ${at}`;
    case 'prototype-key': {
      const key = pick(hostile.PROTOTYPE_KEYS, variant);
      defineField(site.value as object, key, pick([{ polluted: true }, 'x', 1, null, []], Math.floor(variant / 3)));
      return `a field ${key} in ${at}`;
    }
    case 'unknown-field':
      defineField(site.value as object, `unexpected${variant % 100}`, pick(['x', 1, {}, null], variant));
      return `an unknown field in ${at}`;
    case 'deep-nesting': {
      const depth = pick(hostile.DEEP_NESTING_DEPTHS, variant);
      setAt(draft, site.path, rawValue(draft, hostile.deeplyNested(depth, Math.floor(variant / 5))));
      return `${at} nested ${depth} levels deep`;
    }
    case 'missing-required':
      deleteAt(draft, site.path);
      return `required ${at} left out`;
    case 'wrong-type': {
      const value = wrongType(site, variant);
      setAt(draft, site.path, value);
      return `${at} as ${JSON.stringify(value)}`;
    }
    case 'bad-money': {
      const field = variant % 3 === 2 ? 'currency' : 'amountMinor';
      const value = field === 'currency' ? pick(hostile.BAD_CURRENCIES, variant) : pick(hostile.BAD_AMOUNTS_MINOR, variant);
      setAt(draft, [...site.path, field], value);
      return `${at}.${field} as ${JSON.stringify(value)?.slice(0, 60)}`;
    }
    case 'bad-format': {
      const value = badFormat(site, variant);
      setAt(draft, site.path, value);
      return `${at} as ${JSON.stringify(value)?.slice(0, 60)}`;
    }
    case 'bad-integer':
    case 'huge-number': {
      const value = pick(hostile.BAD_INTEGERS, variant);
      setAt(draft, site.path, value);
      return `${at} as ${value}`;
    }
    case 'odd-text': {
      const value = pick(hostile.ODD_STRINGS, variant);
      setAt(draft, site.path, value);
      return `${at} as ${JSON.stringify(value)}`;
    }
    default:
      return undefined;
  }
}
