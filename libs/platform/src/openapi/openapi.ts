import type { INestApplication } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtension,
  ApiForbiddenResponse,
  ApiUnauthorizedResponse,
  DocumentBuilder,
  SwaggerModule,
} from '@nestjs/swagger';
import { declaredAccessRule } from '@arc/auth';
import { routeHandlers } from '../http/route-handlers';

export const OPENAPI_JSON_PATH = 'openapi.json';
export const OPENAPI_UI_PATH = 'docs';
export const BEARER_SCHEME = 'bearer';

/** Handlers already annotated: several apps in one process (tests) share the controller classes. */
const annotated = new WeakSet<object>();

/**
 * Writes each route's access rule into its OpenAPI metadata: bearer security and the allowed roles
 * (`x-arc-roles`) on restricted routes, nothing on @Public ones. Read from the same declarations the
 * guard enforces, so the document cannot claim a route is open when it is not.
 */
function annotateAccessRules(app: INestApplication): void {
  for (const { controller, prototype, name, handler, descriptor } of routeHandlers(app)) {
    if (annotated.has(handler)) continue;
    annotated.add(handler);
    const rule = declaredAccessRule(handler, controller);
    if (rule.kind === 'public') continue;
    const decorators = [
      ApiBearerAuth(BEARER_SCHEME),
      ApiExtension('x-arc-roles', rule.kind === 'roles' ? [...rule.roles] : []),
      ApiUnauthorizedResponse({ description: 'No valid bearer token (application/problem+json)' }),
      ApiForbiddenResponse({
        description:
          rule.kind === 'roles' ? `Requires one of: ${rule.roles.join(', ')} (or admin)` : 'No roles declared: refused to everyone',
      }),
    ];
    for (const decorate of decorators) decorate(prototype, name, descriptor);
  }
}

export interface OpenApiOptions {
  service: string;
  apiVersion: string;
  description?: string;
}

/** Serves the service's OpenAPI document at /openapi.json and Swagger UI at /docs, outside /v1. Call before init. */
export function setupOpenApi(app: INestApplication, { service, apiVersion, description }: OpenApiOptions): void {
  annotateAccessRules(app);
  const config = new DocumentBuilder()
    .setTitle(`ARC ${service} API`)
    .setDescription(description ?? `The ${service} service of ARC. Errors are application/problem+json (RFC 9457).`)
    .setVersion(apiVersion)
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'HS256 JWT with `roles` (and optional `businessUnits`)' },
      BEARER_SCHEME,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH, raw: ['json'], useGlobalPrefix: false });
}
