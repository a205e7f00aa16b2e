import type { INestApplication } from '@nestjs/common';
import { ROLES, type Role } from '@arc/auth';
import { discoverRoutes } from '../guarded-routes';

/** The part of JSON Schema (OpenAPI 3.0 flavour) @nestjs/swagger writes for ARC's DTOs. */
export interface JsonSchema {
  type?: string;
  format?: string;
  /** A regular expression (ECMA 262) the value matches. */
  pattern?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  nullable?: boolean;
  $ref?: string;
  allOf?: JsonSchema[];
}

export interface QueryParameter {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

/** One documented route, as a client reads it from the running service's /openapi.json. */
export interface Operation {
  /** Upper case: GET, POST, … */
  method: string;
  /** The document's template: `/v1/customers/{customerId}`. */
  path: string;
  pathParameters: string[];
  query: QueryParameter[];
  /** The request body's schema with every `$ref` resolved; undefined when the route takes none. */
  body: JsonSchema | undefined;
  /** `x-arc-roles`: the departments the route admits (admin passes everywhere). */
  roles: Role[];
}

interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: JsonSchema;
}

interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  security?: unknown[];
  'x-arc-roles'?: string[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** A schema with its `$ref`s (and single-`allOf` wrappers, which @nestjs/swagger writes beside a description) inlined. */
export function resolveSchema(
  schema: JsonSchema | undefined,
  document: OpenApiDocument,
  seen: ReadonlySet<string> = new Set(),
): JsonSchema | undefined {
  if (schema === undefined) return undefined;
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    if (seen.has(name)) return { type: 'object' };
    const { $ref: _ref, ...rest } = schema;
    return { ...resolveSchema(document.components?.schemas?.[name], document, new Set([...seen, name])), ...rest };
  }
  if (schema.allOf !== undefined) {
    const { allOf, ...rest } = schema;
    return allOf.reduce<JsonSchema>((merged, part) => ({ ...merged, ...resolveSchema(part, document, seen) }), rest);
  }
  const resolved: JsonSchema = { ...schema };
  if (schema.items) resolved.items = resolveSchema(schema.items, document, seen);
  if (schema.properties) {
    resolved.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [key, resolveSchema(value, document, seen) ?? {}]),
    );
  }
  return resolved;
}

/**
 * The guarded operations of a document: every route with `x-arc-roles`. Public routes (health, metrics)
 * take no input worth generating and answer 200 to anything.
 */
export function documentedOperations(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!HTTP_METHODS.has(method) || operation['x-arc-roles'] === undefined) continue;
      const parameters = operation.parameters ?? [];
      const content = operation.requestBody?.content ?? {};
      const bodySchema = content['application/json']?.schema;
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParameters: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, required: p.required === true, schema: resolveSchema(p.schema, document) ?? {} })),
        body: resolveSchema(bodySchema, document),
        roles: operation['x-arc-roles'].filter((role): role is Role => (ROLES as readonly string[]).includes(role)),
      });
    }
  }
  return operations;
}

const toExpressPath = (path: string): string => path.replace(/\{([^}]+)\}/g, ':$1');

/**
 * Fetches the running service's /openapi.json and returns its guarded operations, after checking that
 * every business route the app serves is documented: a route left out of the document would escape
 * every generated request.
 */
export async function operationsOf(service: { app: INestApplication; baseUrl: string }): Promise<Operation[]> {
  const response = await fetch(`${service.baseUrl}/openapi.json`);
  if (!response.ok) throw new Error(`GET /openapi.json answered ${response.status}`);
  const operations = documentedOperations((await response.json()) as OpenApiDocument);
  const documented = new Set(operations.map((operation) => `${operation.method} ${toExpressPath(operation.path)}`));
  const undocumented = discoverRoutes(service.app).filter(
    (route) => (route.access.kind === 'roles' || route.access.kind === 'undeclared') && !documented.has(`${route.method} ${route.path}`),
  );
  if (undocumented.length > 0) {
    throw new Error(
      `routes served but missing from /openapi.json (or without x-arc-roles): ${undocumented.map((r) => `${r.method} ${r.path}`).join(', ')}`,
    );
  }
  if (operations.length === 0) throw new Error('the OpenAPI document lists no guarded route: nothing to generate requests for');
  return operations;
}
