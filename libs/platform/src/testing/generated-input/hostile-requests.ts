import fc from 'fast-check';
import { mintDevelopmentToken, ROLES, type Role } from '@arc/auth';
import type { JsonSchema, Operation, QueryParameter } from './openapi-operations';
import * as hostile from './hostile-values';

/**
 * Generated requests that every route must refuse with a 4xx problem. Each one is a plausible request
 * for the route (built from its documented schema) with noise that may or may not be refused (odd text,
 * header values) and exactly one change that must be refused (the `refusal`): the property holds only if
 * no generated request is ever accepted, so a route that accepts one has found a gap in validation.
 */
export interface GeneratedRequest {
  method: string;
  /** Path and query, percent-encoded as sent. */
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** Sent over a plain socket: a header fetch refuses to send (a NUL). */
  rawHeader: string | undefined;
  /** The kind of change that must be refused (`nul-in-string`, `no-token`, …), for the figures. */
  kind: string;
  /** What must be refused, then the noise: for failure reports. */
  refusal: string;
  noise: string[];
}

/** A change picked by numbers (so fast-check shrinks towards the first site and variant). */
interface Change {
  kind: string;
  site: number;
  variant: number;
}

/**
 * Kinds of refusal with their weights: a route with a body is mostly its body to validate, and the changes
 * that reach deepest into it (a field left out, of the wrong type, bad money) weigh most.
 */
const REFUSALS_WITH_BODY: Record<string, number> = {
  'missing-required': 8,
  'wrong-type': 8,
  'bad-money': 6,
  'bad-format': 6,
  'bad-integer': 4,
  'nul-in-string': 4,
  'prototype-key': 4,
  'overlong-string': 3,
  'unknown-field': 3,
  'deep-nesting': 3,
  'lone-surrogate': 2,
  'nul-in-field-name': 2,
  'body-not-an-object': 2,
  'malformed-json': 2,
  'not-json': 1,
  'oversized-body': 1,
};
const REFUSALS_ANY: Record<string, number> = {
  'bad-path-id': 2,
  'bad-query-value': 2,
  'no-token': 1,
  'garbage-token': 1,
  'wrong-role': 1,
  'nul-in-query': 1,
  'prototype-in-query': 1,
  'nul-in-header': 1,
};
const weighted = (weights: Record<string, number>): string[] =>
  Object.entries(weights).flatMap(([kind, weight]) => Array<string>(weight).fill(kind));
const NOISE = ['odd-text', 'huge-number', 'idempotency-key', 'correlation-id'];

type Key = string | number;

interface Site {
  path: Key[];
  value: unknown;
  schema: JsonSchema | undefined;
  /** Named in its parent's `required`. */
  required: boolean;
  name: string | undefined;
}

/** Placeholders for raw JSON text (deep nesting) spliced in after JSON.stringify. */
interface Draft {
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

const DEPARTMENTS: readonly Role[] = ROLES.filter((role) => role !== 'admin');
const tokens = new Map<string, string>();
function bearer(roles: Role[]): string {
  const key = roles.join(',');
  let token = tokens.get(key);
  if (token === undefined) {
    token = `Bearer ${mintDevelopmentToken({ sub: 'generated-input', roles })}`;
    tokens.set(key, token);
  }
  return token;
}

const pick = <T>(list: readonly T[], index: number): T => list[index % list.length] as T;

const isMoneySchema = (schema: JsonSchema | undefined): boolean =>
  schema?.properties?.['amountMinor'] !== undefined && schema.properties['currency'] !== undefined;
const isDateSchema = (schema: JsonSchema | undefined): boolean =>
  schema?.format === 'date' || (typeof schema?.example === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(schema.example));

/** A plausible value for a schema: its example, an enum member, a UUID where one is named, else something of its type. */
function plausible(schema: JsonSchema | undefined, name: string | undefined): fc.Arbitrary<unknown> {
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
const schemas = new WeakMap<Draft, JsonSchema | undefined>();

function sitesOf(
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

function setAt(draft: Draft, path: Key[], value: unknown): void {
  if (path.length === 0) {
    draft.body = value;
    return;
  }
  let parent = draft.body as Record<Key, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<Key, unknown>;
  parent[path[path.length - 1] as Key] = value;
}

function deleteAt(draft: Draft, path: Key[]): void {
  let parent = draft.body as Record<Key, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<Key, unknown>;
  delete parent[path[path.length - 1] as Key];
}

/** An own enumerable property, even for `__proto__` (plain assignment would set the prototype instead). */
function defineField(object: object, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

function rawValue(draft: Draft, text: string): string {
  const token = `\u0001raw${draft.raw.size}\u0001`;
  draft.raw.set(token, text);
  return token;
}

const typeOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** A value of another JSON type than the site's; null only where the field is required (an optional field may be null). */
function wrongType(site: Site, variant: number): unknown {
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
function targets(kind: string, sites: Site[]): Site[] {
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

function badFormat(site: Site, variant: number): unknown {
  if (site.schema?.format === 'uuid') return pick(hostile.BAD_UUIDS, variant);
  if (isDateSchema(site.schema)) return pick(hostile.BAD_DATES, variant);
  if (site.name === 'currency') return pick(hostile.BAD_CURRENCIES, variant);
  return pick(['not-one-of-them', '', 'ACTIVE', 0], variant);
}

/** Applies a body change; returns its description, or undefined when the body offers no site for it. */
function changeBody(draft: Draft, { kind, site: siteIndex, variant }: Change): string | undefined {
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

/** Applies a change that must be refused; returns its kind and description (falling back to one that always applies). */
function refuse(draft: Draft, operation: Operation, change: Change): [string, string] {
  const described = describeRefusal(draft, operation, change);
  return (
    described ?? ['nul-in-query', describeRefusal(draft, operation, { kind: 'nul-in-query', site: 0, variant: change.variant })?.[1] ?? '']
  );
}

function describeRefusal(draft: Draft, operation: Operation, change: Change): [string, string] | undefined {
  const { kind, variant } = change;
  const done = (text: string): [string, string] => [kind, text];
  switch (kind) {
    case 'no-token':
      delete draft.headers.authorization;
      return done('no token');
    case 'garbage-token':
      draft.headers.authorization = pick(hostile.GARBAGE_AUTHORIZATION, variant);
      return done(`authorization ${JSON.stringify(draft.headers.authorization.slice(0, 40))}`);
    case 'wrong-role': {
      const outsiders = DEPARTMENTS.filter((role) => !operation.roles.includes(role));
      if (outsiders.length === 0) break;
      draft.headers.authorization = bearer([pick(outsiders, variant)]);
      return done(`a token of ${pick(outsiders, variant)} (the route admits ${operation.roles.join(', ')})`);
    }
    case 'nul-in-query':
      draft.query.push([
        pick(['q', ...operation.query.map((q) => q.name)], variant),
        pick(['%00', 'a%00b', '%00%FF'], Math.floor(variant / 7)),
      ]);
      return done('a NUL in the query string');
    case 'prototype-in-query': {
      const key = pick(hostile.PROTOTYPE_KEYS, variant);
      draft.query.push([pick([key, `filter[${key}]`], Math.floor(variant / 3)), '1']);
      return done(`a query parameter ${key}`);
    }
    case 'nul-in-header':
      draft.rawHeader = pick(['X-Note: a\u0000b', 'Idempotency-Key: k\u0000', 'X-Correlation-Id: \u0000'], variant);
      return done('a NUL in a header');
    case 'bad-path-id':
      if (draft.pathValues.length === 0) break;
      draft.pathValues[variant % draft.pathValues.length] = pick(hostile.BAD_PATH_IDS, Math.floor(variant / draft.pathValues.length));
      return done(`path id ${draft.pathValues[variant % draft.pathValues.length]}`);
    case 'bad-query-value': {
      const checkable = operation.query.filter((q) => badQueryValues(q).length > 0);
      if (checkable.length === 0) break;
      const parameter = pick(checkable, variant);
      const value = pick(badQueryValues(parameter), Math.floor(variant / checkable.length));
      draft.query = draft.query.filter(([name]) => name !== parameter.name);
      draft.query.push([parameter.name, encodeURIComponent(value)]);
      return done(`query ${parameter.name}=${value}`);
    }
    case 'body-not-an-object':
      if (!draft.hasBody) break;
      draft.bodyText = pick(hostile.BAD_BODY_SHAPES, variant);
      return done(`the body ${draft.bodyText}`);
    case 'malformed-json':
      if (draft.method === 'GET') break;
      draft.bodyText = pick(hostile.MALFORMED_JSON, variant);
      return done(`malformed JSON ${JSON.stringify(draft.bodyText)}`);
    case 'not-json':
      if (draft.method === 'GET') break;
      draft.headers['content-type'] = pick(hostile.NON_JSON_CONTENT_TYPES, variant);
      draft.bodyText = draft.bodyText ?? 'a=1';
      return done(`a ${draft.headers['content-type']} body`);
    case 'oversized-body':
      if (draft.method === 'GET') break;
      draft.bodyText = JSON.stringify({ padding: 'x'.repeat(600_000 + (variant % 10) * 1000) });
      return done('a body over the size limit');
    default: {
      if (!draft.hasBody) break;
      const described = changeBody(draft, change);
      if (described !== undefined) return done(described);
      // No site for this kind in this body: an unknown field at the top is always refused.
      return ['unknown-field', changeBody(draft, { kind: 'unknown-field', site: 0, variant }) ?? 'an unknown field'];
    }
  }
  // The kind does not apply to this route: the caller falls back to a NUL in the query string, which applies to every route.
  return undefined;
}

function applyNoise(draft: Draft, change: Change): string | undefined {
  switch (change.kind) {
    case 'idempotency-key':
      if (draft.method === 'GET') return undefined;
      draft.headers['idempotency-key'] =
        change.variant % 2 === 0 ? `generated-${change.variant}` : pick(hostile.ODD_HEADER_VALUES, change.variant);
      return `Idempotency-Key ${JSON.stringify(draft.headers['idempotency-key'])}`;
    case 'correlation-id':
      draft.headers['x-correlation-id'] = pick(hostile.ODD_HEADER_VALUES, change.variant);
      return `X-Correlation-Id ${JSON.stringify(draft.headers['x-correlation-id'])}`;
    default:
      return draft.hasBody ? changeBody(draft, change) : undefined;
  }
}

/** Values a documented query parameter must refuse, by what its schema says it holds; [] when the schema says too little. */
function badQueryValues({ name, schema }: QueryParameter): string[] {
  if (schema.enum !== undefined) return ['not-one-of-them', 'ACTIVE', ''];
  if (schema.format === 'uuid' || /Id$/.test(name)) return ['not-a-uuid', '7f3c2a1e-4b5d-4c6e-8f90-12345678', ''];
  if (isDateSchema(schema)) return hostile.BAD_DATES.filter((date): date is string => typeof date === 'string');
  if (schema.type === 'integer' || schema.type === 'number') return ['1.5', 'abc', '1e400', '-99999999999999999999', ''];
  return [];
}

function change(kinds: readonly string[]): fc.Arbitrary<Change> {
  return fc.record({ kind: fc.constantFrom(...kinds), site: fc.nat({ max: 1000 }), variant: fc.nat({ max: 1000 }) });
}

function encodeQuery(query: Array<[string, string]>): string {
  return query.length === 0
    ? ''
    : `?${query.map(([name, value]) => `${encodeURIComponent(name).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${value}`).join('&')}`;
}

/** Requests for one operation, each carrying one change the route must refuse. */
export function generatedRequests(operation: Operation): fc.Arbitrary<GeneratedRequest> {
  const hasBody = operation.body !== undefined;
  const refusals = hasBody ? [...weighted(REFUSALS_WITH_BODY), ...weighted(REFUSALS_ANY)] : weighted(REFUSALS_ANY);
  const queryArbitrary = fc.tuple(
    ...operation.query.map((parameter) =>
      fc.option(
        plausible(parameter.schema, parameter.name).map((value) => [parameter.name, encodeURIComponent(String(value))] as [string, string]),
        { nil: undefined },
      ),
    ),
  );
  return fc
    .record({
      body: hasBody ? plausible(operation.body, undefined) : fc.constant(undefined),
      pathValues: fc.tuple(...operation.pathParameters.map(() => fc.uuid({ version: 4 }))),
      query: queryArbitrary,
      role: fc.nat(),
      noise: fc.array(change(NOISE), { maxLength: 2 }),
      refusal: change(refusals),
    })
    .map(({ body, pathValues, query, role, noise, refusal }) => {
      const roles: Role[] = operation.roles.length === 0 ? ['admin'] : [pick(operation.roles, role)];
      const draft: Draft = {
        method: operation.method,
        pathValues: [...pathValues],
        query: query.filter((entry): entry is [string, string] => entry !== undefined),
        headers: { authorization: bearer(roles) },
        body: body === undefined ? undefined : structuredClone(body),
        bodyText: undefined,
        raw: new Map(),
        rawHeader: undefined,
        hasBody,
      };
      schemas.set(draft, operation.body);
      const noiseDone = noise.map((n) => applyNoise(draft, n)).filter((d): d is string => d !== undefined);
      const [kind, refusalDone] = refuse(draft, operation, refusal);
      let text = draft.bodyText;
      if (text === undefined && draft.body !== undefined) {
        text = JSON.stringify(draft.body);
        for (const [token, raw] of draft.raw) text = text.replace(JSON.stringify(token), raw);
      }
      if (text !== undefined && draft.headers['content-type'] === undefined) draft.headers['content-type'] = 'application/json';
      let index = 0;
      const path = operation.path.replace(/\{[^}]+\}/g, () => draft.pathValues[index++] ?? '');
      return {
        method: operation.method,
        url: `${path}${encodeQuery(draft.query)}`,
        headers: draft.headers,
        body: operation.method === 'GET' ? undefined : text,
        rawHeader: draft.rawHeader,
        kind,
        refusal: refusalDone,
        noise: noiseDone,
      };
    });
}
