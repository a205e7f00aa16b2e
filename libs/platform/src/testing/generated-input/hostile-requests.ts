import fc from 'fast-check';
import { mintDevelopmentToken, ROLES, type Role } from '@arc/auth';
import type { Operation, QueryParameter } from './openapi-operations';
import * as hostile from './hostile-values';
import { changeBody, isDateSchema, pick, plausible, schemas, type Change, type Draft } from './request-draft';

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
  // A documented pattern says what the value holds (an id chosen by people, not a UUID): refuse what breaks it.
  if (schema.pattern !== undefined) {
    const pattern = new RegExp(schema.pattern);
    return ['has a space', '', 'x'.repeat(300), '%00'].filter((value) => !pattern.test(decodeURIComponent(value)));
  }
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
